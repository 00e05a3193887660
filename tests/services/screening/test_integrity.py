"""Screening decisions as guarded state transitions (issue 17, items 4 and 5), on SQLite and
PostgreSQL: a stage takes as many votes as its mode says, votes are fixed once compared, consensus
is recorded once, and reviewers voting at the same moment are answered in turn and truthfully.

The races are reproduced with threads, each with its own workspace (its own connection), released
together by a barrier, as the adversarial probe did with simultaneous web requests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import tomlkit

from synthesist.errors import InvalidTransition, SynthesistError
from synthesist.review.project import find_project
from synthesist.screening.model import DecisionKind, Stage, StageStatus, Vote
from synthesist.services.projects import init_project
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.screening.decisions import decide, overview, resolve_conflict, undo_decision
from synthesist.services.screening.views import agreement_by_pair
from synthesist.workspace import Workspace, open_workspace
from tests.helpers import ris_text

TA = Stage.TITLE_ABSTRACT
REVIEWERS = ["Aoife", "Lukasz", "Ingrid"]


@pytest.fixture
def make_project(tmp_path: Path, database_url: str | None) -> Iterator[Callable[[str], Path]]:
    """A project of six records screened in ``mode`` at both stages; returns its folder."""

    def make(mode: str) -> Path:
        folder = tmp_path / f"review-{mode}"
        init_project(folder, "Integrity test").close()
        document = tomlkit.parse((folder / "review.toml").read_text(encoding="utf-8"))
        for key in ("title_abstract", "full_text"):
            document["screening"][key]["mode"] = mode
            document["screening"][key]["reviewers"] = REVIEWERS
        (folder / "review.toml").write_text(tomlkit.dumps(document), encoding="utf-8")
        with closing(open_workspace(find_project(folder), actor="tester")) as workspace:
            export = folder / "records.ris"
            export.write_text(ris_text(6), encoding="utf-8")
            import_files(workspace, ImportRequest(paths=[export], source="MEDLINE"))
        return folder

    yield make


def _open(folder: Path) -> Workspace:
    return open_workspace(find_project(folder), actor="tester")


def _at_once(folder: Path, steps: list[Callable[[Workspace], Any]]) -> list[Any]:
    """Run each step in its own thread and workspace, all released together; each outcome is the
    step's result or the error it raised."""
    barrier = threading.Barrier(len(steps))
    outcomes: list[Any] = [None] * len(steps)
    workspaces = [_open(folder) for _ in steps]

    def run(index: int) -> None:
        barrier.wait()
        try:
            outcomes[index] = steps[index](workspaces[index])
        except SynthesistError as error:
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(steps))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for workspace in workspaces:
        workspace.close()
    return outcomes


def _status(folder: Path, record_id: int) -> StageStatus:
    with closing(_open(folder)) as workspace:
        return overview(workspace).records[record_id].at(TA)


# The number of votes the mode takes ----------------------------------------------------------------


def test_dual_screening_refuses_a_third_vote_with_409(make_project: Callable[[str], Path]) -> None:
    with closing(_open(make_project("dual"))) as ws:
        decide(ws, 1, TA, Vote.INCLUDE, reviewer="Aoife")
        decide(ws, 1, TA, Vote.INCLUDE, reviewer="Lukasz")
        with pytest.raises(InvalidTransition, match=r"its two votes.*Aoife and Lukasz") as refused:
            decide(ws, 1, TA, Vote.EXCLUDE, reviewer="Ingrid")
        assert refused.value.http_status == 409
        assert [d.reviewer for d in overview(ws).decisions[1]] == ["Aoife", "Lukasz"], "nothing stored"


def test_single_screening_takes_one_reviewers_vote_who_may_change_it(
    make_project: Callable[[str], Path],
) -> None:
    with closing(_open(make_project("single"))) as ws:
        decide(ws, 1, TA, Vote.EXCLUDE, reviewer="Aoife")
        with pytest.raises(InvalidTransition, match=r"already decided.*by Aoife.*single-reviewer"):
            decide(ws, 1, TA, Vote.INCLUDE, reviewer="Lukasz")
        assert decide(ws, 1, TA, Vote.INCLUDE, reviewer="Aoife").status is StageStatus.INCLUDED
        undo_decision(ws, reviewer="Aoife", stage=TA)  # no colleague has voted: undo is free
        assert overview(ws).records[1].at(TA) is StageStatus.EXCLUDED


def test_single_verified_takes_the_first_vote_and_one_check(make_project: Callable[[str], Path]) -> None:
    with closing(_open(make_project("single-verified"))) as ws:
        decide(ws, 2, TA, Vote.EXCLUDE, reviewer="Aoife")
        decide(ws, 2, TA, Vote.EXCLUDE, reviewer="Aoife")  # changed before the check: allowed
        assert decide(ws, 2, TA, Vote.INCLUDE, reviewer="Lukasz").kind is DecisionKind.VERIFY
        with pytest.raises(InvalidTransition, match="already has its two votes"):
            decide(ws, 2, TA, Vote.INCLUDE, reviewer="Ingrid")
        with pytest.raises(InvalidTransition, match="cannot be undone: both votes are in"):
            undo_decision(ws, reviewer="Aoife", stage=TA)


# Votes are fixed once compared -----------------------------------------------------------------------


def test_a_conflict_cannot_be_made_to_disappear_by_undoing_or_re_voting(
    make_project: Callable[[str], Path],
) -> None:
    with closing(_open(make_project("dual"))) as ws:
        for record_id, second in ((1, Vote.INCLUDE), (2, Vote.EXCLUDE), (3, Vote.EXCLUDE)):
            decide(ws, record_id, TA, Vote.INCLUDE, reviewer="Aoife")
            decide(ws, record_id, TA, second, reviewer="Lukasz")
        kappa_before = agreement_by_pair(ws, TA)[0].agreement
        assert overview(ws).records[3].at(TA) is StageStatus.CONFLICT

        with pytest.raises(InvalidTransition, match=r"both votes are in.*seen Aoife's") as no:
            undo_decision(ws, reviewer="Lukasz", stage=TA)
        assert "synthesist screen resolve 3" in (no.value.hint or "")
        with pytest.raises(InvalidTransition, match="seen Aoife's, so your vote can no longer change"):
            decide(ws, 3, TA, Vote.INCLUDE, reviewer="Lukasz")
        with pytest.raises(InvalidTransition, match="cannot be undone"):
            undo_decision(ws, reviewer="Aoife", stage=TA, decision_id=overview(ws).decisions[3][0].id)

        view = overview(ws)
        assert view.records[3].at(TA) is StageStatus.CONFLICT, "only a consensus settles it"
        assert all(d.active for d in view.decisions[3]) and len(view.decisions[3]) == 2
        assert agreement_by_pair(ws, TA)[0].agreement == kappa_before


def test_before_the_colleague_votes_a_reviewer_may_undo_and_vote_again(
    make_project: Callable[[str], Path],
) -> None:
    with closing(_open(make_project("dual"))) as ws:
        decide(ws, 4, TA, Vote.EXCLUDE, reviewer="Aoife")
        undo_decision(ws, reviewer="Aoife", stage=TA)
        assert decide(ws, 4, TA, Vote.INCLUDE, reviewer="Aoife").status is StageStatus.AWAITING_SECOND
        assert decide(ws, 4, TA, Vote.INCLUDE, reviewer="Lukasz").status is StageStatus.INCLUDED


# Consensus once ------------------------------------------------------------------------------------------


def test_a_record_is_settled_by_consensus_once_and_then_takes_no_vote(
    make_project: Callable[[str], Path],
) -> None:
    with closing(_open(make_project("dual"))) as ws:
        decide(ws, 5, TA, Vote.INCLUDE, reviewer="Aoife")
        with pytest.raises(InvalidTransition, match=r"not in conflict.*awaiting second reviewer"):
            resolve_conflict(ws, 5, TA, Vote.EXCLUDE, participants=["Aoife", "Lukasz"])
        decide(ws, 5, TA, Vote.EXCLUDE, reviewer="Lukasz")
        resolve_conflict(ws, 5, TA, Vote.EXCLUDE, participants=["Aoife", "Lukasz"])
        with pytest.raises(InvalidTransition, match="settled at title and abstract by consensus"):
            resolve_conflict(ws, 5, TA, Vote.INCLUDE, participants=["Aoife", "Ingrid"])
        with pytest.raises(InvalidTransition, match=r"settled .* by consensus"):
            decide(ws, 5, TA, Vote.INCLUDE, reviewer="Ingrid")
        assert overview(ws).records[5].at(TA) is StageStatus.EXCLUDED


def test_a_team_may_overturn_an_agreed_outcome_by_consensus(make_project: Callable[[str], Path]) -> None:
    with closing(_open(make_project("dual"))) as ws:
        decide(ws, 6, TA, Vote.EXCLUDE, reviewer="Aoife")
        decide(ws, 6, TA, Vote.EXCLUDE, reviewer="Lukasz")
        result = resolve_conflict(ws, 6, TA, Vote.INCLUDE, participants=["Aoife", "Lukasz"], note="re-read")
        assert result.status is StageStatus.INCLUDED


def test_the_database_refuses_a_second_active_consensus_even_past_the_service(
    make_project: Callable[[str], Path],
) -> None:
    from synthesist.screening.model import NewDecision

    with closing(_open(make_project("dual"))) as ws:
        consensus = NewDecision(1, TA, "A & B", Vote.INCLUDE, DecisionKind.CONSENSUS, participants=("A", "B"))
        with ws.unit_of_work() as uow:
            uow.screening.add(consensus)
            with pytest.raises(InvalidTransition, match="already settled by consensus"):
                uow.screening.add(consensus)


def test_two_owners_settling_one_conflict_at_once_cannot_both_succeed(
    make_project: Callable[[str], Path],
) -> None:
    folder = make_project("dual")
    with closing(_open(folder)) as ws:
        decide(ws, 2, TA, Vote.INCLUDE, reviewer="Aoife")
        decide(ws, 2, TA, Vote.EXCLUDE, reviewer="Lukasz")
    outcomes = _at_once(
        folder,
        [
            lambda ws, vote=vote: resolve_conflict(ws, 2, TA, vote, participants=["Aoife", "Lukasz"])
            for vote in (Vote.INCLUDE, Vote.EXCLUDE) * 2
        ],
    )
    settled = [o for o in outcomes if not isinstance(o, SynthesistError)]
    refused = [o for o in outcomes if isinstance(o, SynthesistError)]
    assert len(settled) == 1 and len(refused) == 3
    assert all(isinstance(error, InvalidTransition) for error in refused)
    with closing(_open(folder)) as ws:
        kept = [d for d in overview(ws).decisions[2] if d.kind is DecisionKind.CONSENSUS]
        assert len(kept) == 1
        assert overview(ws).records[2].at(TA) is settled[0].status


# Simultaneous votes ----------------------------------------------------------------------------------------


def test_three_simultaneous_votes_count_the_first_two_and_refuse_the_third(
    make_project: Callable[[str], Path],
) -> None:
    folder = make_project("dual")
    outcomes = _at_once(
        folder,
        [lambda ws, name=name: decide(ws, 3, TA, Vote.INCLUDE, reviewer=name) for name in REVIEWERS],
    )
    counted = sorted((o for o in outcomes if not isinstance(o, SynthesistError)), key=lambda r: r.decision_id)
    refused = [o for o in outcomes if isinstance(o, SynthesistError)]
    assert len(counted) == 2 and len(refused) == 1 and isinstance(refused[0], InvalidTransition)
    # every answer is the truth: the first voter waits for a second, the second sees the outcome
    assert [r.status for r in counted] == [StageStatus.AWAITING_SECOND, StageStatus.INCLUDED]
    with closing(_open(folder)) as ws:
        assert len(overview(ws).decisions[3]) == 2
    assert _status(folder, 3) is StageStatus.INCLUDED


def test_two_simultaneous_votes_are_not_both_told_awaiting_second(
    make_project: Callable[[str], Path],
) -> None:
    folder = make_project("dual")
    outcomes = _at_once(
        folder,
        [
            lambda ws: decide(ws, 4, TA, Vote.INCLUDE, reviewer="Aoife"),
            lambda ws: decide(ws, 4, TA, Vote.EXCLUDE, reviewer="Lukasz"),
        ],
    )
    assert sorted(o.status for o in outcomes) == sorted([StageStatus.AWAITING_SECOND, StageStatus.CONFLICT])


def test_an_undo_racing_the_colleagues_vote_is_answered_truthfully(
    make_project: Callable[[str], Path],
) -> None:
    folder = make_project("dual")
    with closing(_open(folder)) as ws:
        decide(ws, 5, TA, Vote.INCLUDE, reviewer="Aoife")
    undo, vote = _at_once(
        folder,
        [
            lambda ws: undo_decision(ws, reviewer="Aoife", stage=TA),
            lambda ws: decide(ws, 5, TA, Vote.EXCLUDE, reviewer="Lukasz"),
        ],
    )
    if isinstance(undo, InvalidTransition):  # the vote came first: Aoife has seen it, her vote stays
        assert vote.status is StageStatus.CONFLICT and _status(folder, 5) is StageStatus.CONFLICT
    else:  # the undo came first: Lukasz's vote is now the only one, and he was told so
        assert vote.status is StageStatus.AWAITING_SECOND
        assert _status(folder, 5) is StageStatus.AWAITING_SECOND
