"""Reviewers sharing one stored ranking are spread over the records: a record shown to as many
colleagues as it lacks votes is offered to nobody else until one of them votes or the offer lapses
(otherwise a whole team reads the same record and all but two see their vote refused)."""

from __future__ import annotations

from datetime import timedelta

from synthesist.screening.model import Vote
from synthesist.services.screening import ranking_store
from synthesist.services.screening.decisions import decide
from synthesist.services.screening.ranking_store import train_ranking
from synthesist.web.state import WebState
from tests.services.screening.conftest import TA, Opener, app


def _shown(state: WebState, key: str, reviewer: str) -> int:
    item, _ = state.next_with_overview(state.projects[key], reviewer, TA, [])
    assert item is not None
    return item.record_id


def test_in_single_mode_two_reviewers_are_shown_different_records(open_project: Opener) -> None:
    ws = open_project()
    train_ranking(ws, TA)
    state = app(ws)
    first = _shown(state, ws.project.key, "Aoife")
    assert _shown(state, ws.project.key, "Lukasz") != first, "one vote lacking, one reader already"
    assert _shown(state, ws.project.key, "Aoife") == first, "shown again to the reviewer who holds it"


def test_in_dual_mode_a_record_is_shown_to_two_readers_then_passed_over(open_project: Opener) -> None:
    ws = open_project(mode="dual")
    train_ranking(ws, TA)
    state, key = app(ws), ws.project.key
    first = _shown(state, key, "Aoife")
    assert _shown(state, key, "Lukasz") == first, "two votes lacking: a second reader is welcome"
    assert _shown(state, key, "Ingrid") != first, "two readers for two missing votes: a third is not"
    decide(ws, first, TA, Vote.INCLUDE, reviewer="Aoife")
    assert _shown(state, key, "Ingrid") != first, "Lukasz still reads it for its last vote"


def test_an_offer_lapses(open_project: Opener, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ws = open_project()
    train_ranking(ws, TA)
    state, key = app(ws), ws.project.key
    first = _shown(state, key, "Aoife")
    monkeypatch.setattr(ranking_store, "OFFER_LAPSE", timedelta(seconds=-1))  # every offer is old
    assert _shown(state, key, "Lukasz") == first, "Aoife walked away: her record is offered again"
