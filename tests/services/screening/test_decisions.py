"""Screening: modes, conflicts and consensus, the state machine, undo, blind dual screening."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import tomlkit

from synthesist.errors import InvalidTransition, NotFound, UserError
from synthesist.review.project import find_project
from synthesist.screening.model import DecisionKind, RecordState, Stage, StageStatus, Vote
from synthesist.services.dedup.review import merge_records
from synthesist.services.projects import init_project
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.records.reading import read_log
from synthesist.services.screening.decisions import (
    decide,
    next_records,
    overview,
    resolve_conflict,
    undo_decision,
)
from synthesist.services.screening.views import stop_check, visible_decisions
from synthesist.workspace import Workspace, open_workspace
from tests.helpers import ris_text

TA, FT = Stage.TITLE_ABSTRACT, Stage.FULL_TEXT
REASONS = ["Not chronic back pain", "Cancer pain management", "No focus on partnership or self-management"]
Opener = Callable[..., Workspace]


@pytest.fixture
def open_project(tmp_path: Path, database_url: str | None) -> Iterator[Opener]:
    """Open a project of six records whose screening section is set per test."""
    opened: list[Workspace] = []

    def opener(mode: str = "single", ft_mode: str | None = None, **stage: Any) -> Workspace:
        folder = tmp_path / f"review-{len(opened)}"
        init_project(folder, "Screening test").close()
        document = tomlkit.parse((folder / "review.toml").read_text(encoding="utf-8"))
        screening = document["screening"]
        screening["exclusion_reasons"] = REASONS
        reviewers = ["Aoife", "Lukasz", "Ingrid"]
        for key, chosen in (("title_abstract", mode), ("full_text", ft_mode or mode)):
            screening[key]["mode"] = chosen
            screening[key]["reviewers"] = reviewers
            for name, value in stage.items():
                screening[key][name] = value
        (folder / "review.toml").write_text(tomlkit.dumps(document), encoding="utf-8")
        workspace = open_workspace(find_project(folder), actor="tester")
        opened.append(workspace)
        export = folder / "records.ris"
        export.write_text(ris_text(6), encoding="utf-8")
        import_files(workspace, ImportRequest(paths=[export], source="MEDLINE"))
        return workspace

    yield opener
    for workspace in opened:
        workspace.close()


def status(workspace: Workspace, record_id: int, stage: Stage = TA) -> StageStatus:
    return overview(workspace).records[record_id].at(stage)


def test_single_mode_the_latest_decision_counts(open_project: Opener) -> None:
    ws = open_project("single")
    assert status(ws, 1) is StageStatus.TO_SCREEN
    decide(ws, 1, TA, Vote.EXCLUDE, reviewer="Aoife")
    assert status(ws, 1) is StageStatus.EXCLUDED
    result = decide(ws, 1, TA, Vote.MAYBE, reviewer="Aoife", note="re-read the abstract")
    assert result.status is StageStatus.INCLUDED, "maybe lets a record through to full text"
    assert result.state is RecordState.SOUGHT


def test_dual_mode_agreement_decides_and_disagreement_is_a_conflict_settled_by_consensus(
    open_project: Opener,
) -> None:
    ws = open_project("dual")
    assert decide(ws, 1, TA, Vote.INCLUDE, reviewer="Aoife").status is StageStatus.AWAITING_SECOND
    assert decide(ws, 1, TA, Vote.MAYBE, reviewer="Lukasz").status is StageStatus.INCLUDED
    decide(ws, 2, TA, Vote.INCLUDE, reviewer="Aoife")
    assert decide(ws, 2, TA, Vote.EXCLUDE, reviewer="Lukasz").status is StageStatus.CONFLICT

    decide(ws, 3, TA, Vote.INCLUDE, reviewer="Aoife")
    with pytest.raises(InvalidTransition, match=r"not in conflict.*awaiting second reviewer"):
        resolve_conflict(ws, 3, TA, Vote.EXCLUDE, participants=["Aoife", "Lukasz"])
    with pytest.raises(UserError, match="people who took part"):
        resolve_conflict(ws, 2, TA, Vote.EXCLUDE, participants=["Aoife"])
    result = resolve_conflict(ws, 2, TA, Vote.EXCLUDE, participants=["Aoife", "Lukasz"], note="met on Friday")
    assert result.kind is DecisionKind.CONSENSUS and result.status is StageStatus.EXCLUDED
    events = [e for e in read_log(ws) if e.type == "screening.decided"]
    assert events[-1].payload["participants"] == ["Aoife", "Lukasz"]
    assert events[-1].payload["kind"] == "consensus"


def test_dual_screening_is_blind_until_the_votes_are_compared(open_project: Opener) -> None:
    ws = open_project("dual")
    decide(ws, 3, TA, Vote.EXCLUDE, reviewer="Aoife")
    assert [d.reviewer for d in visible_decisions(ws, 3, "Lukasz")] == []
    assert [d.reviewer for d in visible_decisions(ws, 3, "Aoife")] == ["Aoife"]
    assert 3 in next_records(ws, "Lukasz", TA) and 3 not in next_records(ws, "Aoife", TA)
    decide(ws, 3, TA, Vote.INCLUDE, reviewer="Lukasz")  # a conflict: now both may see both votes
    assert {d.reviewer for d in visible_decisions(ws, 3, "Lukasz")} == {"Aoife", "Lukasz"}


def test_stopping_guidance_for_a_reviewer_leaves_out_votes_still_blind_to_them(open_project: Opener) -> None:
    ws = open_project("dual")
    decide(ws, 1, TA, Vote.INCLUDE, reviewer="Aoife")
    decide(ws, 2, TA, Vote.EXCLUDE, reviewer="Aoife")
    decide(ws, 3, TA, Vote.EXCLUDE, reviewer="Lukasz")
    everyone = stop_check(ws)
    assert (everyone.screened, everyone.relevant_found) == (3, 1)
    lukasz = stop_check(ws, viewer="Lukasz")
    assert (lukasz.screened, lukasz.relevant_found) == (1, 0), "Aoife's include must not show"
    decide(ws, 1, TA, Vote.INCLUDE, reviewer="Lukasz")  # compared: no longer blind
    lukasz = stop_check(ws, viewer="Lukasz")
    assert (lukasz.screened, lukasz.relevant_found) == (2, 1)


def test_single_verified_all_checks_every_decision(open_project: Opener) -> None:
    ws = open_project("single-verified", verify_sample="all")
    first = decide(ws, 1, TA, Vote.EXCLUDE, reviewer="Aoife")
    assert first.kind is DecisionKind.SCREEN and first.status is StageStatus.AWAITING_CHECK
    assert next_records(ws, "Lukasz", TA)[0] == 1, "the checker sees it in their queue"
    assert 1 not in next_records(ws, "Aoife", TA)
    check = decide(ws, 1, TA, Vote.EXCLUDE, reviewer="Lukasz")
    assert check.kind is DecisionKind.VERIFY and check.status is StageStatus.EXCLUDED
    decide(ws, 2, TA, Vote.EXCLUDE, reviewer="Aoife")
    assert decide(ws, 2, TA, Vote.INCLUDE, reviewer="Ingrid").status is StageStatus.CONFLICT


def test_single_verified_sample_is_stable_and_the_rest_is_final_at_once(open_project: Opener) -> None:
    ws = open_project("single-verified", verify_sample=2, verify_sampling="stratified")
    for record_id in range(1, 7):
        decide(ws, record_id, TA, Vote.INCLUDE if record_id % 3 == 0 else Vote.EXCLUDE, reviewer="Aoife")
    statuses = [status(ws, record_id) for record_id in range(1, 7)]
    assert statuses.count(StageStatus.AWAITING_CHECK) == 2
    waiting = {r for r in range(1, 7) if status(ws, r) is StageStatus.AWAITING_CHECK}
    assert any(r % 3 == 0 for r in waiting) and any(r % 3 for r in waiting), "both strata sampled"
    assert overview(ws).samples[TA] == waiting, "the same sample every time it is asked"


def test_full_text_needs_inclusion_first_and_a_protocol_reason_to_exclude(open_project: Opener) -> None:
    ws = open_project("single")
    with pytest.raises(InvalidTransition, match="title/abstract screening"):
        decide(ws, 1, FT, Vote.INCLUDE, reviewer="Aoife")
    decide(ws, 1, TA, Vote.INCLUDE, reviewer="Aoife")
    with pytest.raises(UserError, match="needs one of the protocol's reasons"):
        decide(ws, 1, FT, Vote.EXCLUDE, reviewer="Aoife")
    with pytest.raises(UserError, match="not an exclusion reason"):
        decide(ws, 1, FT, Vote.EXCLUDE, reviewer="Aoife", reason="too long")
    result = decide(ws, 1, FT, Vote.EXCLUDE, reviewer="Aoife", reason="2")
    assert result.state is RecordState.EXCLUDED_FULL_TEXT
    assert overview(ws).exclusion_reasons(FT) == {"Cancer pain management": 1}
    assert decide(ws, 1, FT, Vote.MAYBE, reviewer="Aoife").status is StageStatus.UNDECIDED


def test_duplicates_are_not_screened(open_project: Opener) -> None:
    ws = open_project("single")
    merge_records(ws, [1, 2])
    assert overview(ws).records[2].state is RecordState.DUPLICATE
    with pytest.raises(InvalidTransition, match="duplicate"):
        decide(ws, 2, TA, Vote.INCLUDE, reviewer="Aoife")
    assert 2 not in next_records(ws, "Aoife", TA)


def test_undo_returns_the_record_and_keeps_the_history(open_project: Opener) -> None:
    ws = open_project("single")
    decide(ws, 4, TA, Vote.EXCLUDE, reviewer="Aoife")
    undone = undo_decision(ws, reviewer="Aoife", stage=TA)
    assert undone.record_id == 4 and status(ws, 4) is StageStatus.TO_SCREEN
    with pytest.raises(Exception, match="no decision"):
        undo_decision(ws, reviewer="Aoife", stage=TA)
    decide(ws, 4, TA, Vote.INCLUDE, reviewer="Aoife")
    # Aoife's decision answers Lukasz as an unknown id does: ids cannot be probed for votes
    for wanted in (2, 999):
        with pytest.raises(NotFound, match=f"^no decision {wanted} of Lukasz's to undo\n"):
            undo_decision(ws, reviewer="Lukasz", stage=TA, decision_id=wanted)
    types = [e.type for e in read_log(ws) if e.type.startswith("screening.")]
    assert types == ["screening.decided", "screening.undone", "screening.decided"]
    with ws.unit_of_work(write=False) as uow:
        history = uow.screening.for_records([4])
    assert [(d.vote, d.active) for d in history] == [(Vote.EXCLUDE, False), (Vote.INCLUDE, True)]


def test_only_the_protocols_reviewers_may_decide(open_project: Opener) -> None:
    ws = open_project("single")
    with pytest.raises(UserError, match="not a reviewer"):
        decide(ws, 1, TA, Vote.INCLUDE, reviewer="Aofie")


def test_agreement_per_pair_counts_maybe_as_include_at_title_abstract(open_project: Opener) -> None:
    from synthesist.services.screening.views import agreement_by_pair

    ws = open_project("dual")
    votes = {
        1: ("include", "maybe"),
        2: ("exclude", "exclude"),
        3: ("include", "exclude"),
        4: ("exclude", "exclude"),
    }
    for record_id, (first, second) in votes.items():
        decide(ws, record_id, TA, Vote(first), reviewer="Aoife")
        decide(ws, record_id, TA, Vote(second), reviewer="Lukasz")
    resolve_conflict(ws, 3, TA, Vote.EXCLUDE, participants=["Aoife", "Lukasz"])  # consensus is not a rating
    [pair] = agreement_by_pair(ws, TA)
    assert pair.reviewers == ("Aoife", "Lukasz")
    # include/include 1, exclude/exclude 2, include/exclude 1: po = 3/4; pe = (2/4)(1/4) + (2/4)(3/4) = 1/2
    assert pair.agreement.n == 4 and pair.agreement.observed == pytest.approx(0.75)
    assert pair.agreement.kappa == pytest.approx(0.5)


def test_the_csv_export_carries_each_records_screening(open_project: Opener) -> None:
    import csv
    import io

    from synthesist.services.records.reading import export_records

    ws = open_project("single")
    decide(ws, 1, TA, Vote.INCLUDE, reviewer="Aoife")
    decide(ws, 1, FT, Vote.EXCLUDE, reviewer="Lukasz", reason="Not chronic back pain")
    decide(ws, 2, TA, Vote.EXCLUDE, reviewer="Aoife")
    handle = io.StringIO()
    export_records(ws, "csv", handle)
    rows = {row["record_id"]: row for row in csv.DictReader(io.StringIO(handle.getvalue()))}
    assert rows["1"]["screening_state"] == "excluded at full text"
    assert rows["1"]["title_abstract_decisions"] == "Aoife: include"
    assert rows["1"]["full_text_reason"] == "Not chronic back pain"
    assert rows["2"]["title_abstract_status"] == "excluded" and rows["2"]["full_text_status"] == ""
    assert rows["3"]["screening_state"] == "title/abstract screening"


# Importing decisions made elsewhere --------------------------------------------------------------


def test_a_rayyan_export_gives_each_reviewers_vote_and_reason(open_project: Opener, tmp_path: Path) -> None:
    from synthesist.services.screening.csv_import import import_decisions

    ws = open_project("dual")
    export = tmp_path / "rayyan.csv"
    export.write_text(
        "key,title,year,doi,notes\n"
        "r1,Patient-centredness in physiotherapy 1,2001,10.1016/j.physio.1,"
        '"RAYYAN-INCLUSION: {""Aoife""=>""Included"", ""Lukasz""=>""Included""}"\n'
        "r2,Patient-centredness in physiotherapy 2,2002,,"
        '"RAYYAN-INCLUSION: {""Aoife""=>""Excluded"", ""Lukasz""=>""Maybe""} | '
        'RAYYAN-EXCLUSION-REASONS: wrong population"\n',
        encoding="utf-8",
    )
    result = import_decisions(ws, export, stage=TA)
    assert result.rayyan and result.decisions == 4 and result.by_reviewer == {"Aoife": 2, "Lukasz": 2}
    assert status(ws, 1) is StageStatus.INCLUDED and status(ws, 2) is StageStatus.CONFLICT
    excluded = [d for d in overview(ws).decisions[2] if d.vote is Vote.EXCLUDE]
    assert excluded[0].reason == "wrong population"


def test_a_mapped_sheet_imports_all_or_nothing(open_project: Opener, tmp_path: Path) -> None:
    from synthesist.errors import InvalidRecordError
    from synthesist.services.screening.csv_import import import_decisions

    ws = open_project("single")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("ID;Vote;Who\n1;yes;Aoife\n2;no;Aoife\n99;no;Aoife\n", encoding="utf-8")
    mapping = {"record": "ID", "decision": "Vote", "reviewer": "Who"}
    with pytest.raises(InvalidRecordError, match=r"sheet.csv:4: no record 99"):
        import_decisions(ws, sheet, stage=TA, column_map=mapping)
    assert status(ws, 1) is StageStatus.TO_SCREEN, "nothing was imported"
    sheet.write_text("ID;Vote;Who\n1;yes;Aoife\n2;no;Aoife\n", encoding="utf-8")
    assert import_decisions(ws, sheet, stage=TA, column_map=mapping).decisions == 2
    assert status(ws, 1) is StageStatus.INCLUDED and status(ws, 2) is StageStatus.EXCLUDED


def test_a_list_of_excluded_titles_takes_one_vote_and_finds_records_by_title(
    open_project: Opener, tmp_path: Path
) -> None:
    from synthesist.services.screening.csv_import import import_decisions

    ws = open_project("single")
    merge_records(ws, [5, 6])  # 6 is a duplicate of 5: its decision lands on the primary
    listing = tmp_path / "excluded.csv"
    listing.write_text(
        "Title,Published Year\nPatient-centredness in physiotherapy 3,2003\n"
        "PATIENT-CENTREDNESS IN PHYSIOTHERAPY 6.,2006\n",
        encoding="utf-8",
    )
    result = import_decisions(ws, listing, stage=TA, reviewer="Ingrid", vote=Vote.EXCLUDE)
    assert overview(ws).records[6].state is RecordState.DUPLICATE
    assert result.records == {3, 5}
