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


def test_a_record_claimed_meanwhile_is_not_given_to_a_third_reader(open_project: Opener) -> None:
    """Two reviewers opening their next record at the same moment both chose it from what they
    read; the claim, taken in turn, gives it only to as many as it lacks votes."""
    ws = open_project(mode="dual")
    train_ranking(ws, TA)
    state, key = app(ws), ws.project.key
    first = _shown(state, key, "Aoife")
    assert _shown(state, key, "Lukasz") == first
    chosen = ranking_store.NextRecord(first, ranking_store.Reason.MODEL, 1)  # read before the claims
    assert not ranking_store.offer(ws, "Ingrid", TA, chosen), "two readers already: refused"
    decide(ws, first, TA, Vote.INCLUDE, reviewer="Aoife")
    decide(ws, first, TA, Vote.EXCLUDE, reviewer="Lukasz")
    assert not ranking_store.offer(ws, "Ingrid", TA, chosen), "its two votes are in"
    other = _shown(state, key, "Ingrid")
    assert ranking_store.offer(
        ws, "Ingrid", TA, ranking_store.NextRecord(other, ranking_store.Reason.MODEL, 1)
    )


def test_a_page_chooses_again_when_its_record_was_claimed(open_project: Opener, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import synthesist.web.state as web_state

    ws = open_project(mode="dual")
    train_ranking(ws, TA)
    state, key = app(ws), ws.project.key
    first = _shown(state, key, "Aoife")
    assert _shown(state, key, "Lukasz") == first
    real = web_state.next_record_in
    stale = iter([ranking_store.NextRecord(first, ranking_store.Reason.MODEL, 1)])

    def chosen_before_the_claims(*args, **kwargs):  # type: ignore[no-untyped-def]
        return next(stale, None) or real(*args, **kwargs)

    monkeypatch.setattr(web_state, "next_record_in", chosen_before_the_claims)
    assert _shown(state, key, "Ingrid") != first, "refused at the claim, chosen again"
