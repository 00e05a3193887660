"""Import failures through the service and `synthesist import`: a message, exit 1, nothing written.

A full disk, a cut UTF-16 file, BibTeX nested 50,000 braces deep (with and without --skip-invalid);
and the two cases that import with a warning: a UTF-8 file with one cp1252 line, identifiers that are
not identifiers. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import codecs
import sqlite3
from pathlib import Path

import psycopg.errors
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from synthesist.cli.main import app
from synthesist.errors import ImportFileError, InvalidRecordError, StorageFull
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.records.reading import list_batches, list_records, read_log
from synthesist.storage.unit_of_work import SqlUnitOfWork
from synthesist.workspace import Workspace
from tests.helpers import ris_text
from tests.importing.test_import_failures import nested_bibtex

SECRET_TITLE = "Patient-centredness in physiotherapy 2"  # record data that must not reach the message


def _counts(workspace: Workspace) -> tuple[int, int, int]:
    return list_records(workspace)[1], len(list_batches(workspace)), len(read_log(workspace))


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _disk_full(database_url: str | None) -> sa.exc.OperationalError:
    """What SQLAlchemy raises when the database's disk fills up, quoting the statement and its data."""
    cause: Exception
    if database_url is None:
        cause = sqlite3.OperationalError("database or disk is full")
    else:
        cause = psycopg.errors.DiskFull('could not extend file "base/16384/16385": No space left on device')
    return sa.exc.OperationalError("INSERT INTO records (title) VALUES (?)", {"title": SECRET_TITLE}, cause)


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch, database_url: str | None) -> None:
    def commit(self: SqlUnitOfWork) -> None:
        raise _disk_full(database_url)

    monkeypatch.setattr(SqlUnitOfWork, "commit", commit)


def test_a_full_disk_is_a_user_error_naming_where_without_record_data(
    workspace: Workspace, tmp_path: Path, database_url: str | None, full_disk: None
) -> None:
    path = _file(tmp_path, "scopus.ris", ris_text(3).encode())
    before = _counts(workspace)
    with pytest.raises(StorageFull) as caught:
        import_files(workspace, ImportRequest(paths=[path], source="Scopus"))
    shown = str(caught.value)
    assert "the disk is full" in shown and "nothing was written" in shown
    assert SECRET_TITLE not in shown and "INSERT" not in shown and "database_url" not in shown
    if database_url is None:
        assert str(workspace.project.root.resolve()) in caught.value.message
    else:
        assert "PostgreSQL server" in caught.value.message
    assert caught.value.exit_code == 1
    assert caught.value.__suppress_context__  # the SQL and its data stay out of a traceback too
    assert _counts(workspace) == before


def test_a_full_disk_through_the_cli_exits_1(
    runner: CliRunner, project_dir: Path, tmp_path: Path, full_disk: None
) -> None:
    path = _file(tmp_path, "scopus.ris", ris_text(3).encode())
    result = runner.invoke(app, ["import", str(path), "-s", "Scopus", "-p", str(project_dir)])
    assert result.exit_code == 1, result.output
    assert "the disk is full" in result.output and "Internal error" not in result.output
    assert SECRET_TITLE not in result.output and "database_url" not in result.output


def test_a_disk_io_error_is_a_user_error_too(
    workspace: Workspace, tmp_path: Path, database_url: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    error: Exception = sqlite3.OperationalError("disk I/O error")
    if database_url is not None:
        error = psycopg.errors.IoError("could not write block 7 of relation base/16384/16385")

    def commit(self: SqlUnitOfWork) -> None:
        raise sa.exc.OperationalError("COMMIT", {}, error)

    monkeypatch.setattr(SqlUnitOfWork, "commit", commit)
    with pytest.raises(StorageFull, match="I/O error"):
        import_files(
            workspace, ImportRequest(paths=[_file(tmp_path, "a.ris", ris_text(1).encode())], source="S")
        )


def test_other_database_errors_are_not_taken_for_a_full_disk(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def commit(self: SqlUnitOfWork) -> None:
        raise sa.exc.OperationalError("COMMIT", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(SqlUnitOfWork, "commit", commit)
    with pytest.raises(sa.exc.OperationalError):
        import_files(
            workspace, ImportRequest(paths=[_file(tmp_path, "a.ris", ris_text(1).encode())], source="S")
        )


def test_a_cut_utf16_file_is_refused_with_nothing_written(
    workspace: Workspace, runner: CliRunner, project_dir: Path, tmp_path: Path
) -> None:
    path = _file(tmp_path, "wos.ris", ris_text(3).encode("utf-16")[:-1])
    before = _counts(workspace)
    with pytest.raises(ImportFileError, match="ends in the middle of a character"):
        import_files(workspace, ImportRequest(paths=[path], source="Web of Science", skip_invalid=True))
    result = runner.invoke(app, ["import", str(path), "-s", "WoS", "--skip-invalid", "-p", str(project_dir)])
    assert result.exit_code == 1 and "cut short" in result.output and "Internal error" not in result.output
    assert _counts(workspace) == before


def test_a_utf16_file_cut_inside_a_character_pair_names_the_line(
    workspace: Workspace, tmp_path: Path
) -> None:
    text = ris_text(2) + "TY  - JOUR\nTI  - 𝛼 outside the basic plane\nER  - \n"
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    cut = data[: data.index("𝛼".encode("utf-16-le")) + 2]  # the first half of the pair only
    path = _file(tmp_path, "pair.ris", cut)
    before = _counts(workspace)
    with pytest.raises(ImportFileError, match=r"pair\.ris:\d+: cannot be read as utf-16"):
        import_files(workspace, ImportRequest(paths=[path], source="S"))
    assert _counts(workspace) == before


def test_deeply_nested_bibtex_stops_the_import_or_is_skipped(
    workspace: Workspace, runner: CliRunner, project_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "nested.bib"
    path.write_text(nested_bibtex(50_000), encoding="utf-8")
    before = _counts(workspace)
    with pytest.raises(InvalidRecordError, match=r"nested\.bib:1: braces are nested more than"):
        import_files(workspace, ImportRequest(paths=[path], source="Scopus"))
    assert _counts(workspace) == before
    refused = runner.invoke(app, ["import", str(path), "-s", "Scopus", "-p", str(project_dir)])
    assert refused.exit_code == 1 and "braces are nested" in refused.output
    skipped = runner.invoke(
        app, ["import", str(path), "-s", "Scopus", "--skip-invalid", "-p", str(project_dir)]
    )
    assert skipped.exit_code == 0, skipped.output
    [batch] = list_batches(workspace)
    assert (batch.record_count, batch.reject_count) == (1, 1)


def test_a_utf8_file_with_a_cp1252_line_imports_with_a_warning_naming_it(
    workspace: Workspace, runner: CliRunner, project_dir: Path, tmp_path: Path
) -> None:
    data = (
        "TY  - JOUR\nTI  - Café one\nER  - \n".encode()
        + "TY  - JOUR\nTI  - Résumé two\nER  - \n".encode("cp1252")
        + "TY  - JOUR\nTI  - Naïve three über\nER  - \n".encode()
    )
    path = _file(tmp_path, "mixed.ris", data)
    result = import_files(workspace, ImportRequest(paths=[path], source="CINAHL"))
    assert [warning for warning in result.warnings if "mixed.ris: line 5 is not UTF-8" in warning]
    titles = [item.record.title for item in list_records(workspace)[0]]
    assert titles == ["Café one", "Résumé two", "Naïve three über"]
    again = runner.invoke(app, ["import", str(path), "-s", "CINAHL", "--force", "-p", str(project_dir)])
    assert again.exit_code == 0 and "line 5 is not UTF-8" in " ".join(again.output.split())


def test_invalid_identifiers_are_dropped_kept_raw_and_counted(
    workspace: Workspace, runner: CliRunner, project_dir: Path, tmp_path: Path
) -> None:
    medline = (
        "PMID- notanumber\nTI  - First\nLID - 10.1000/ok [doi]\n\n"
        "PMID- 12345678\nTI  - Second\nLID - not-a-doi [doi]\n\n"
        "PMID- 23456789\nTI  - Third\n"
    )
    path = _file(tmp_path, "pubmed.nbib", medline.encode())
    result = import_files(workspace, ImportRequest(paths=[path], source="MEDLINE"))
    assert result.records == 3 and result.rejects == 0
    [warning] = [warning for warning in result.warnings if "not valid" in warning]
    assert "2 identifiers not valid" in warning and "PMID 'notanumber'" in warning and "not-a-doi" in warning
    first, second, third = (item.record for item in list_records(workspace)[0])
    assert first.pmid is None and first.doi == "10.1000/ok" and first.raw["PMID"] == ["notanumber"]
    assert second.pmid == "12345678" and second.doi is None
    assert any("not-a-doi" in value for values in second.raw.values() for value in values)
    assert third.pmid == "23456789"
    cli = runner.invoke(app, ["import", str(path), "-s", "MEDLINE", "--force", "-p", str(project_dir)])
    assert cli.exit_code == 0 and "2 identifiers not valid" in " ".join(cli.output.split())


def test_a_full_disk_while_opening_the_database_does_not_blame_database_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import synthesist.storage as storage

    def upgrade(engine: sa.Engine) -> None:
        raise _disk_full(None)

    monkeypatch.setattr(storage, "upgrade", upgrade)
    database = tmp_path / "review.db"
    with pytest.raises(StorageFull) as caught:
        storage.open_storage(f"sqlite:///{database}", project_key="k", title="t", create=True)
    assert str(tmp_path.resolve()) in caught.value.message
    assert "database_url" not in str(caught.value) and SECRET_TITLE not in str(caught.value)
