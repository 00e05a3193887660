"""Full texts: attaching reports, the retrieval states, studies, and files that follow the transaction."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthesist.errors import InvalidTransition, NotFound, UserError
from synthesist.fulltext.model import TextStatus
from synthesist.screening.model import RecordState, Stage, StageStatus, Vote
from synthesist.services.dedup.review import merge_records
from synthesist.services.fulltext.reports import (
    attach_report,
    group_study,
    included_totals,
    list_reports,
    list_studies,
    mark_not_retrieved,
    not_retrieved_marks,
    report_text,
    ungroup_records,
    withdraw_not_retrieved,
)
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.records.reading import read_log
from synthesist.services.screening.decisions import decide, next_records, overview
from synthesist.storage.fulltext_repository import SqlFulltextRepository
from synthesist.workspace import Workspace
from tests.fulltext.pdfs import write_pdf
from tests.helpers import ris_text

TA, FT = Stage.TITLE_ABSTRACT, Stage.FULL_TEXT


@pytest.fixture
def ws(workspace: Workspace, tmp_path: Path) -> Workspace:
    """Six records: 1-4 included at title/abstract (full text sought), 5 excluded, 6 not screened."""
    export = tmp_path / "records.ris"
    export.write_text(ris_text(6), encoding="utf-8")
    import_files(workspace, ImportRequest(paths=[export], source="MEDLINE"))
    for record_id in (1, 2, 3, 4):
        decide(workspace, record_id, TA, Vote.INCLUDE, reviewer="Aoife")
    decide(workspace, 5, TA, Vote.EXCLUDE, reviewer="Aoife")
    return workspace


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    return tmp_path / "downloads"


def state(ws: Workspace, record_id: int) -> RecordState:
    return overview(ws).records[record_id].state


def test_attaching_copies_the_file_and_keeps_its_text_by_page(ws: Workspace, downloads: Path) -> None:
    source = write_pdf(
        downloads / "cooper-2008.pdf", ["Title page", "Findings: patients valued being heard."]
    )
    assert state(ws, 1) is RecordState.SOUGHT

    result = attach_report(ws, 1, source)

    report = result.report
    copy = ws.project.root / "fulltext" / "record-1" / "cooper-2008.pdf"
    assert report.stored_path == "fulltext/record-1/cooper-2008.pdf"
    assert copy.read_bytes() == source.read_bytes()
    assert (report.page_count, report.text_status, report.attached_by) == (2, TextStatus.EXTRACTED, "tester")
    assert result.state is RecordState.FULL_TEXT and state(ws, 1) is RecordState.FULL_TEXT
    assert [p.number for p in report_text(ws, report.id).pages] == [1, 2]
    assert report_text(ws, report.id, page=2).pages[0].text == "Findings: patients valued being heard."
    with pytest.raises(NotFound, match=f"report {report.id} has no page 3; it has pages 1 to 2"):
        report_text(ws, report.id, page=3)
    [event] = read_log(ws, types=["fulltext.attached"])
    assert event.payload["record_id"] == 1 and event.payload["pages"] == 2
    assert event.payload["sha256"] == report.sha256
    assert [r.id for r in list_reports(ws, 1)] == [report.id] and list_reports(ws, 2) == []


def test_the_same_file_is_refused_and_a_name_is_never_reused(ws: Workspace, downloads: Path) -> None:
    first = attach_report(ws, 1, write_pdf(downloads / "paper.pdf", ["Main paper"])).report
    with pytest.raises(UserError, match=f"already attached to record 1 as report {first.id}"):
        attach_report(ws, 1, downloads / "paper.pdf")
    supplement = attach_report(ws, 1, write_pdf(downloads / "other" / "paper.pdf", ["Supplement"])).report
    assert supplement.stored_path == "fulltext/record-1/paper-2.pdf"
    assert (ws.project.root / first.stored_path).read_bytes() == (downloads / "paper.pdf").read_bytes()
    elsewhere = attach_report(ws, 2, downloads / "paper.pdf")
    assert elsewhere.report.stored_path == "fulltext/record-2/paper.pdf"
    assert elsewhere.warnings == (
        f"the same file is attached to record 1 (report {first.id}): are the two records duplicates?",
    )


def test_reports_attach_only_where_the_state_allows(ws: Workspace, downloads: Path) -> None:
    source = write_pdf(downloads / "a.pdf", ["Text"])
    with pytest.raises(InvalidTransition, match="record 5 is excluded at title/abstract"):
        attach_report(ws, 5, source)
    with pytest.raises(InvalidTransition, match="record 6 is title/abstract screening"):
        attach_report(ws, 6, source)
    merge_records(ws, [1, 3])  # 3 becomes the duplicate of 1
    with pytest.raises(InvalidTransition, match="record 3 is duplicate") as caught:
        attach_report(ws, 3, source)
    assert "primary" in str(caught.value)
    with pytest.raises(NotFound, match="no record 99"):
        attach_report(ws, 99, source)
    assert not (ws.project.root / "fulltext").exists(), "nothing was copied"
    # After the full-text decision too: extraction and coding still need the report.
    decide(ws, 4, FT, Vote.INCLUDE, reviewer="Aoife")
    result = attach_report(ws, 4, source)
    assert result.state is RecordState.INCLUDED and result.report.record_id == 4


def test_a_damaged_file_is_refused_before_anything_is_written(ws: Workspace, downloads: Path) -> None:
    downloads.mkdir()
    (downloads / "login.pdf").write_text("<html>Please sign in</html>", encoding="utf-8")
    with pytest.raises(UserError, match=r"login\.pdf: is not a PDF"):
        attach_report(ws, 1, downloads / "login.pdf")
    assert not (ws.project.root / "fulltext").exists() and list_reports(ws) == []


def test_not_retrieved_then_attached_withdraws_the_mark(ws: Workspace, downloads: Path) -> None:
    with pytest.raises(UserError, match="say why"):
        mark_not_retrieved(ws, 2, "  ")
    mark = mark_not_retrieved(ws, 2, "Not held by the library; authors did not reply")
    assert mark.marked_by == "tester" and state(ws, 2) is RecordState.NOT_RETRIEVED
    assert overview(ws).records[2].full_text is StageStatus.NOT_OPEN
    assert 2 not in next_records(ws, "Aoife", FT), "it cannot be assessed without its report"
    with pytest.raises(InvalidTransition, match="full text not retrieved"):
        decide(ws, 2, FT, Vote.INCLUDE, reviewer="Aoife")
    with pytest.raises(InvalidTransition, match="already marked not retrieved by tester"):
        mark_not_retrieved(ws, 2, "again")
    assert [m.record_id for m in not_retrieved_marks(ws)] == [2]

    result = attach_report(ws, 2, write_pdf(downloads / "interlibrary-loan.pdf", ["Arrived late"]))

    assert result.withdrawn is not None and result.withdrawn.id == mark.id
    assert result.state is RecordState.FULL_TEXT and not_retrieved_marks(ws) == []
    with ws.unit_of_work(write=False) as uow:
        [history] = uow.fulltext.retrieval_history(2)
    assert history.withdrawn_at is not None and history.withdrawn_by == "tester", "the mark is kept"
    types = [e.type for e in read_log(ws) if e.type.startswith("fulltext.")]
    assert types == ["fulltext.not_retrieved", "fulltext.attached", "fulltext.not_retrieved_withdrawn"]
    withdrawn = read_log(ws, types=["fulltext.not_retrieved_withdrawn"])[0]
    assert withdrawn.payload["report_id"] == result.report.id


def test_only_a_sought_record_is_marked_not_retrieved_and_a_mistake_can_be_withdrawn(
    ws: Workspace, downloads: Path
) -> None:
    attach_report(ws, 1, write_pdf(downloads / "a.pdf", ["Text"]))
    with pytest.raises(InvalidTransition, match="record 1 is full-text assessment"):
        mark_not_retrieved(ws, 1, "lost")
    with pytest.raises(InvalidTransition, match="record 5 is excluded at title/abstract"):
        mark_not_retrieved(ws, 5, "lost")
    with pytest.raises(InvalidTransition, match="not marked not retrieved"):
        withdraw_not_retrieved(ws, 3)
    mark_not_retrieved(ws, 3, "wrong record")
    withdraw_not_retrieved(ws, 3)
    assert state(ws, 3) is RecordState.SOUGHT
    mark_not_retrieved(ws, 3, "really not available")  # a new mark after a withdrawn one
    assert state(ws, 3) is RecordState.NOT_RETRIEVED


def test_full_text_decisions_need_no_attached_report(ws: Workspace) -> None:
    result = decide(ws, 3, FT, Vote.EXCLUDE, reviewer="Aoife", reason="Not chronic back pain")
    assert result.state is RecordState.EXCLUDED_FULL_TEXT


def test_records_are_grouped_into_studies(ws: Workspace) -> None:
    study = group_study(ws, [2, 1])
    assert study.label == "Cooper 2001" and study.record_ids == (1, 2)
    views = list_studies(ws)
    assert [(v.study.id, v.study.record_ids) for v in views] == [
        (study.id, (1, 2)),
        (None, (3,)),
        (None, (4,)),
    ]
    assert views[1].study.label == "Cooper 2003", "a record not grouped is a study of its own"

    grown = group_study(ws, [2, 3], label="Cooper 2001 (with follow-up)")
    assert grown.id == study.id and grown.record_ids == (1, 2, 3) and grown.label.endswith("follow-up)")
    other = group_study(ws, [4], label="Smith 2004")
    with pytest.raises(UserError, match="different studies"):
        group_study(ws, [3, 4])
    with pytest.raises(InvalidTransition, match="record 5 is excluded at title/abstract"):
        group_study(ws, [1, 5])
    with pytest.raises(UserError, match="label cannot be empty"):
        group_study(ws, [1], label=" ")

    decide(ws, 1, FT, Vote.INCLUDE, reviewer="Aoife")
    decide(ws, 2, FT, Vote.INCLUDE, reviewer="Aoife")
    decide(ws, 3, FT, Vote.EXCLUDE, reviewer="Aoife", reason="Not chronic back pain")
    assert included_totals(list_studies(ws)) == (1, 2), "one study included, with two reports"
    assert [v.study.id for v in list_studies(ws, included_only=True)] == [study.id]

    [event] = ungroup_records(ws, [4])
    assert event.dissolved and event.study_id == other.id
    ungroup_records(ws, [3])
    assert [v.study.record_ids for v in list_studies(ws)] == [(1, 2), (3,), (4,)]
    with pytest.raises(UserError, match="record 4 is not in a study"):
        ungroup_records(ws, [4])
    types = [e.type for e in read_log(ws) if e.type.startswith("fulltext.study")]
    assert types == ["fulltext.study_grouped"] * 3 + ["fulltext.study_ungrouped"] * 2
    assert read_log(ws, types=["fulltext.study_grouped"])[1].payload["added"] == [3]


def test_a_failed_transaction_removes_the_copied_file(
    ws: Workspace, downloads: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_pdf(downloads / "cooper.pdf", ["Text"])

    def fail(self: SqlFulltextRepository, report_id: int, pages: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(SqlFulltextRepository, "add_pages", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        attach_report(ws, 1, source)
    assert not (ws.project.root / "fulltext" / "record-1").exists()
    monkeypatch.undo()
    assert list_reports(ws) == [] and read_log(ws, types=["fulltext.attached"]) == []
    assert attach_report(ws, 1, source).report.stored_path == "fulltext/record-1/cooper.pdf"
