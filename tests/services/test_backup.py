"""Backup and restore (``synthesist backup|restore``), on SQLite and PostgreSQL: a project backed up,
its folder and database gone, restored elsewhere, holds every record, decision, full text and event
(plus ``project.restored``); a damaged archive, a non-empty folder or database writes nothing."""

from __future__ import annotations

import io
import os
import stat
import tarfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from synthesist.cli.main import app as cli
from synthesist.errors import Conflict, ImportFileError, UserError
from synthesist.review.project import DATABASE_ENV, find_project
from synthesist.screening.model import Stage, Vote
from synthesist.services.backup import restore_backup, write_backup
from synthesist.services.fulltext.reports import attach_report
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.records.reading import read_log
from synthesist.services.screening.decisions import decide, overview
from synthesist.workspace import Workspace, open_workspace
from tests.fulltext.pdfs import write_pdf
from tests.helpers import ris_text
from tests.postgres_databases import postgres_database


@pytest.fixture
def empty_database(database_url: str | None) -> Iterator[str | None]:
    """A second, empty database to restore into (PostgreSQL); None on SQLite (review.db is new)."""
    if database_url is None:
        yield None
        return
    with postgres_database() as url:
        yield url


def _reviewed(workspace: Workspace, tmp_path: Path) -> None:
    export = tmp_path / "records.ris"
    export.write_text(ris_text(5), encoding="utf-8")
    import_files(workspace, ImportRequest(paths=[export], source="MEDLINE"))
    decide(workspace, 1, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer="Aoife")
    decide(workspace, 2, Stage.TITLE_ABSTRACT, Vote.EXCLUDE, reviewer="Aoife")
    attach_report(workspace, 1, write_pdf(tmp_path / "cooper.pdf", ["Findings about partnership"]))


def _backup(workspace: Workspace) -> bytes:
    handle = io.BytesIO()
    write_backup(workspace, handle)
    return handle.getvalue()


def test_a_project_restored_from_its_backup_holds_everything(
    workspace: Workspace,
    tmp_path: Path,
    empty_database: str | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _reviewed(workspace, tmp_path)
    archive = tmp_path / "backup.tar.gz"
    archive.write_bytes(_backup(workspace))
    before_log = [(e.type, e.payload) for e in read_log(workspace)]
    before_states = {r: p.state for r, p in overview(workspace).records.items()}
    report = next((workspace.project.root / "fulltext").rglob("*.pdf")).read_bytes()

    if empty_database is not None:  # the restored project's database is the new one
        monkeypatch.setenv(DATABASE_ENV, empty_database)
    summary = restore_backup(archive, tmp_path / "restored", database_url=empty_database)
    assert summary.records == 5 and summary.events == len(before_log) + 1
    with closing(open_workspace(find_project(tmp_path / "restored"))) as restored:
        log = [(e.type, e.payload) for e in read_log(restored)]
        assert log[:-1] == before_log and log[-1][0] == "project.restored"
        assert log[-1][1]["backup"] == "backup.tar.gz"
        assert {r: p.state for r, p in overview(restored).records.items()} == before_states
        assert next((restored.project.root / "fulltext").rglob("*.pdf")).read_bytes() == report
        assert restored.project.key == workspace.project.key


def test_a_damaged_or_misplaced_restore_writes_nothing(
    workspace: Workspace, tmp_path: Path, empty_database: str | None
) -> None:
    _reviewed(workspace, tmp_path)
    good = _backup(workspace)
    # one byte of the review.toml changed inside the archive: refused before anything is written
    tampered = io.BytesIO()
    with (
        tarfile.open(fileobj=io.BytesIO(good), mode="r:gz") as source,
        tarfile.open(fileobj=tampered, mode="w:gz") as target,
    ):
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "project/review.toml":
                data = data.replace(b"title", b"Title", 1)
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    (tmp_path / "tampered.tar.gz").write_bytes(tampered.getvalue())
    with pytest.raises(ImportFileError, match=r"project/review\.toml does not match its checksum"):
        restore_backup(tmp_path / "tampered.tar.gz", tmp_path / "new", database_url=empty_database)
    assert not (tmp_path / "new").exists()
    (tmp_path / "not-a-backup.tar.gz").write_bytes(b"hello")
    with pytest.raises(ImportFileError, match="not a Synthesist backup"):
        restore_backup(tmp_path / "not-a-backup.tar.gz", tmp_path / "new")

    (tmp_path / "good.tar.gz").write_bytes(good)
    with pytest.raises(Conflict, match="is not empty"):
        restore_backup(tmp_path / "good.tar.gz", workspace.project.root)
    if empty_database is None:
        return
    # PostgreSQL: the project's own (full) database is refused, and the folder is cleared again
    with pytest.raises(UserError, match=r"is not empty \(\d+ tables\)"):
        restore_backup(tmp_path / "good.tar.gz", tmp_path / "new", database_url=os.environ[DATABASE_ENV])
    assert not (tmp_path / "new").exists()


def test_the_commands_back_up_privately_and_restore(
    workspace: Workspace, tmp_path: Path, runner: CliRunner, database_url: str | None
) -> None:
    if database_url is not None:
        pytest.skip("the commands are the same on PostgreSQL; the service test covers its restore")
    _reviewed(workspace, tmp_path)
    archive = tmp_path / "kept" / "review-backup.tar.gz"
    made = runner.invoke(cli, ["backup", "-o", str(archive), "--project", str(workspace.project.root)])
    assert made.exit_code == 0, made.output
    assert "Restore with: synthesist restore" in made.output
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600, "a backup holds the whole review"
    restored = runner.invoke(cli, ["restore", str(archive), str(tmp_path / "again")])
    assert restored.exit_code == 0, restored.output
    assert "5 records" in restored.output and (tmp_path / "again" / "review.db").is_file()
