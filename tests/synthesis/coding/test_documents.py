"""Documents: added from pasted text, a file or a report's pages (page numbers kept); replaced by
a new version with every coding re-anchored or flagged, never shifted; bad input names what is
wrong and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthesist.errors import NotFound, UserError
from synthesist.services.fulltext.reports import list_reports
from synthesist.services.synthesis.codes import create_code
from synthesist.services.synthesis.coding import apply_code
from synthesist.services.synthesis.documents import (
    add_document,
    anchor_problems,
    place_coding,
    replace_document,
)
from synthesist.services.synthesis.snapshot import coding_snapshot
from synthesist.synthesis.model import AnchorStatus, DocumentSource
from synthesist.synthesis.spans import SpanRequest
from synthesist.workspace import Workspace
from tests.fulltext.pdfs import write_pdf
from tests.synthesis_helpers import FINDINGS, include_studies


def counts(ws: Workspace) -> tuple[int, int, int]:
    with ws.unit_of_work(write=False) as uow:
        return (
            len(uow.synthesis.documents()),
            len(uow.synthesis.codings(active_only=False)),
            len(uow.events.list()),
        )


def test_pasted_text_becomes_a_document_of_the_study_with_its_event(studies: Workspace) -> None:
    document = add_document(studies, "Cooper 2008", text=FINDINGS.replace("\n", "\r\n"), title="Findings")
    assert document.source is DocumentSource.PASTED and document.title == "Findings"
    assert document.text == FINDINGS, "line ends normalised, so offsets do not depend on the platform"
    snapshot = coding_snapshot(studies)
    assert snapshot.documents == (document,)
    assert snapshot.study_labels[document.study_id] == "Cooper 2008"
    with studies.unit_of_work(write=False) as uow:
        assert [e.type for e in uow.events.list()][-1] == "synthesis.document_added"


def test_a_report_s_pages_become_a_document_that_knows_its_pages(
    workspace: Workspace, tmp_path: Path
) -> None:
    pdf = write_pdf(
        tmp_path / "cooper.pdf", ["Title page", "Methods were used.", "Patients valued trust.", "End."]
    )
    include_studies(workspace, tmp_path, [("Cooper", 2008)], reports=[pdf])
    [report] = list_reports(workspace)
    document = add_document(workspace, "Cooper 2008", report_id=report.id, pages="2-3")
    assert [page.number for page in document.pages] == [2, 3]
    assert document.text == "Methods were used.\n\nPatients valued trust."
    create_code(workspace, "trust")
    coding = apply_code(workspace, document.id, "trust", text="valued trust", kind="interpretation")
    assert coding.page == 3


def test_a_docx_file_becomes_a_document(studies: Workspace, tmp_path: Path) -> None:
    import docx

    path = tmp_path / "findings.docx"
    word = docx.Document()
    word.add_paragraph("Patients valued being listened to.")
    word.add_paragraph("Trust grew over time.")
    word.save(str(path))
    document = add_document(studies, "Matthias 2010", file=path)
    assert document.source is DocumentSource.DOCX and document.title == "findings.docx"
    assert document.text == "Patients valued being listened to.\nTrust grew over time."


@pytest.mark.parametrize(
    ("study", "kwargs", "message"),
    [
        ("Cooper 2008", {"text": "  \n "}, "has no text to code"),
        ("Cooper 2008", {}, "give the text in one way"),
        ("Cooper 2008", {"text": "a", "file": Path("x.txt")}, "give the text in one way"),
        ("Cooper 2008", {"text": "a", "pages": "2-3"}, "--pages goes with --report"),
        ("Cooper 2008", {"report_id": 999}, "no report 999"),
        ("Nobody 1999", {"text": "a"}, "no included study called 'Nobody 1999'"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    studies: Workspace, study: str, kwargs: dict[str, object], message: str
) -> None:
    before = counts(studies)
    with pytest.raises((UserError, NotFound), match=message):
        add_document(studies, study, **kwargs)  # type: ignore[arg-type]
    assert counts(studies) == before


def test_a_report_of_another_study_or_pages_out_of_range_are_refused(
    workspace: Workspace, tmp_path: Path
) -> None:
    pdf = write_pdf(tmp_path / "c.pdf", ["One", "Two"])
    include_studies(workspace, tmp_path, [("Cooper", 2008), ("May", 2001)], reports=[pdf, None])
    [report] = list_reports(workspace)
    before = counts(workspace)
    with pytest.raises(
        UserError, match=f"report {report.id} belongs to record {report.record_id}, which is not a"
    ):
        add_document(workspace, "May 2001", report_id=report.id)
    with pytest.raises(UserError, match=f"report {report.id} has pages 1 to 2; pages 2-5 are not in it"):
        add_document(workspace, "Cooper 2008", report_id=report.id, pages="2-5")
    assert counts(workspace) == before


def test_the_same_text_twice_for_one_study_is_refused(studies: Workspace) -> None:
    first = add_document(studies, "Cooper 2008", text=FINDINGS)
    with pytest.raises(UserError, match=f"already has this text as document {first.id}"):
        add_document(studies, "Cooper 2008", text=FINDINGS)


def test_a_new_version_reanchors_or_flags_every_coding_and_never_shifts_one(studies: Workspace) -> None:
    document = add_document(studies, "Cooper 2008", text=FINDINGS)
    for name in ("listened", "trust", "information", "access"):
        create_code(studies, name)
    kept = apply_code(studies, document.id, "listened", text="really listened to me", kind="quote")
    gone = apply_code(studies, document.id, "trust", text="Trust grew over time", kind="interpretation")
    moved = apply_code(studies, document.id, "information", text="more information", kind="interpretation")
    new_text = FINDINGS.replace("Trust grew over time, e.g.", "Over time,").replace(
        "Some patients", "Several of the patients interviewed"
    )
    result = replace_document(studies, document.id, text=new_text)
    assert result.document.version == 2
    assert [c.id for c in result.unchanged] == [kept.id], "text before the edits keeps its offsets"
    assert [c.id for c in result.lost] == [gone.id]
    assert [c.id for c in result.reanchored] == [moved.id]
    snapshot = coding_snapshot(studies)
    by_id = {c.id: c for c in snapshot.codings}
    assert new_text[by_id[moved.id].start : by_id[moved.id].end] == "more information"
    assert by_id[moved.id].anchor is AnchorStatus.REANCHORED
    assert by_id[gone.id].anchor is AnchorStatus.LOST and by_id[gone.id].start == gone.start
    assert [stored.id for _, stored in anchor_problems(studies)] == [gone.id, moved.id]
    with studies.unit_of_work(write=False) as uow:
        event = uow.events.list()[-1]
    assert event.type == "synthesis.document_replaced"
    assert event.payload["lost"] == [gone.id] and event.payload["reanchored"] == [moved.id]

    placed = place_coding(studies, gone.id, SpanRequest(text="Over time"))
    assert placed.anchor is AnchorStatus.OK and placed.text == "Over time"
    assert [stored.id for _, stored in anchor_problems(studies)] == [moved.id]


def test_replacing_with_the_same_text_is_refused(studies: Workspace) -> None:
    document = add_document(studies, "Cooper 2008", text=FINDINGS)
    with pytest.raises(UserError, match="is the same as the old one"):
        replace_document(studies, document.id, text=FINDINGS)
