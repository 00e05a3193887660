"""The import service: batches, all-or-nothing, --skip-invalid, re-imports, events (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from synthesist.errors import AlreadyImported, ImportFileError, InvalidRecordError, UnknownPlugin
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.records.reading import list_batches, list_records, project_status, read_log
from synthesist.workspace import Workspace
from tests.helpers import ris_text

BROKEN_RECORD = "TY  - JOUR\nTI  - A record that never ends\n"


def _counts(workspace: Workspace) -> tuple[int, int, int]:
    records = list_records(workspace)[1]
    return records, len(list_batches(workspace)), len(read_log(workspace))


def test_import_creates_a_batch_with_every_record_and_one_event(workspace: Workspace, write_file) -> None:
    path = write_file("medline.ris", ris_text(12))
    result = import_files(
        workspace,
        ImportRequest(
            paths=[path], source="MEDLINE (Ovid)", searched_on=date(2014, 6, 30), query="back pain.mp."
        ),
    )
    assert result.records == 12 and result.rejects == 0
    [batch] = list_batches(workspace)
    assert (batch.source, batch.format, batch.record_count, batch.searched_on) == (
        "MEDLINE (Ovid)", "ris", 12, date(2014, 6, 30),
    )  # fmt: skip
    assert batch.query == "back pain.mp." and batch.imported_by == "tester"
    records, _ = list_records(workspace, limit=3)
    assert [r.position for r in records] == [1, 2, 3]
    assert records[0].record.source_record_id == "1"
    assert records[0].record.authors[0].family == "Cooper"
    event = read_log(workspace)[-1]
    assert event.type == "records.imported"
    assert event.payload["records"] == 12 and event.payload["batch_id"] == batch.id
    assert event.actor == "tester"


def test_a_malformed_record_stops_the_import_and_nothing_is_written(workspace: Workspace, write_file) -> None:
    good = write_file("cinahl.ris", ris_text(3))
    bad = write_file("embase.ris", ris_text(2) + "\n" + BROKEN_RECORD)
    before = _counts(workspace)
    with pytest.raises(InvalidRecordError) as caught:
        import_files(workspace, ImportRequest(paths=[good, bad], source="CINAHL"))
    assert str(caught.value).startswith("embase.ris:")
    assert caught.value.line > 1
    assert _counts(workspace) == before


def test_skip_invalid_imports_the_rest_and_lists_each_reject(workspace: Workspace, write_file) -> None:
    path = write_file("psycinfo.ris", ris_text(4) + "\n" + BROKEN_RECORD)
    result = import_files(workspace, ImportRequest(paths=[path], source="PsycINFO", skip_invalid=True))
    [item] = result.files
    assert item.records == 4 and len(item.rejects) == 1
    assert item.reject_report is not None
    with open(item.reject_report, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1 and rows[0]["file"] == "psycinfo.ris" and rows[0]["reason"]
    assert list_batches(workspace)[0].reject_count == 1


def test_the_same_file_twice_is_refused_unless_forced(workspace: Workspace, write_file) -> None:
    path = write_file("cochrane.ris", ris_text(5))
    import_files(workspace, ImportRequest(paths=[path], source="Cochrane Library"))
    with pytest.raises(AlreadyImported, match="already imported as batch"):
        import_files(workspace, ImportRequest(paths=[path], source="Cochrane Library"))
    result = import_files(workspace, ImportRequest(paths=[path], source="Cochrane Library", force=True))
    assert result.records == 5
    assert [b.forced for b in list_batches(workspace)] == [False, True]
    assert list_records(workspace)[1] == 10


def test_other_methods_are_counted_apart_from_databases(workspace: Workspace, write_file) -> None:
    import_files(workspace, ImportRequest(paths=[write_file("m.ris", ris_text(7))], source="MEDLINE"))
    other = write_file("refs.ris", ris_text(2, start=100))
    import_files(workspace, ImportRequest(paths=[other], other_method="reference lists"))
    status = project_status(workspace)
    assert (status.from_databases, status.from_other_methods, status.total) == (7, 2, 9)
    assert status.stages["imported"] == 9


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"%PDF-1.7\n\x00\x01binary", "binary"),
        (b"   \n\n  ", "white space"),
        (b"Just some notes about my search, not an export.\n", "not a recognised export format"),
    ],
)
def test_files_that_are_not_exports_get_a_clear_error(
    workspace: Workspace, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "export.ris"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        import_files(workspace, ImportRequest(paths=[path], source="MEDLINE"))
    assert list_batches(workspace) == []


def test_wrong_format_and_unknown_format_are_refused(workspace: Workspace, write_file) -> None:
    path = write_file("medline.ris", ris_text(2))
    with pytest.raises(ImportFileError, match="does not look like bibtex"):
        import_files(workspace, ImportRequest(paths=[path], source="MEDLINE", format="bibtex"))
    with pytest.raises(UnknownPlugin, match="Available formats"):
        import_files(workspace, ImportRequest(paths=[path], source="MEDLINE", format="marc21"))


def test_a_source_is_required(workspace: Workspace, write_file) -> None:
    with pytest.raises(ImportFileError, match="--source"):
        import_files(workspace, ImportRequest(paths=[write_file("x.ris", ris_text(1))]))


def test_a_source_missing_from_the_protocol_gets_a_warning(workspace: Workspace, write_file) -> None:
    result = import_files(workspace, ImportRequest(paths=[write_file("x.ris", ris_text(1))], source="Scopus"))
    databases = workspace.project.protocol.search.databases
    if databases:
        assert result.warnings and "not among the databases" in result.warnings[0]
    else:
        assert result.warnings == []


def test_export_to_a_file_picks_the_format_from_the_extension(
    workspace: Workspace, write_file, tmp_path: Path
) -> None:
    from synthesist.cli.files import text_file
    from synthesist.services.records.reading import export_format, export_records

    import_files(workspace, ImportRequest(paths=[write_file("m.ris", ris_text(3))], source="MEDLINE"))
    target = tmp_path / "out" / "records.bib"
    assert export_format(target) == "bibtex"
    assert export_format(target, "csv") == "csv"
    with text_file(target) as handle:
        assert export_records(workspace, "bibtex", handle) == 3
    assert target.read_text(encoding="utf-8").startswith("@")
    with pytest.raises(UnknownPlugin, match="cannot tell the format"):
        export_format(tmp_path / "records.docx")
