"""Backing a project up into one archive, and restoring it (``synthesist backup`` and ``restore``).

The archive (``.tar.gz``) holds the project folder (``review.toml``, full texts, uploaded exports,
everything but the database files) under ``project/``, a consistent snapshot of the database under
``database/``, taken while the project may be in use, and last ``manifest.json``: format, versions,
when, the database kind and a SHA-256 per file, taken as each file was archived. A restore checks
every file against the manifest before anything is written, puts the folder and the database back,
brings the schema up to date if the backup is older, and logs ``project.restored``. Nothing is
written to an existing folder or a database that holds tables.
"""

from __future__ import annotations

import json
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from synthesist import __version__
from synthesist.errors import Conflict, ImportFileError
from synthesist.events import ProjectRestored
from synthesist.review.project import DATABASE_FILE, find_project, resolve_database_url
from synthesist.services.backup_archive import (
    add_bytes,
    add_files_hashed,
    checked_members,
    clear_folder,
    open_archive,
    read_manifest,
)
from synthesist.workspace import Workspace, open_workspace, restore_database

__all__ = ["BackupSummary", "RestoreSummary", "restore_backup", "write_backup"]

FORMAT = "synthesist-backup/1"
_DATABASE_FILES = {DATABASE_FILE, f"{DATABASE_FILE}-wal", f"{DATABASE_FILE}-shm", f"{DATABASE_FILE}-journal"}
_SNAPSHOT_NAMES = {"sqlite": "review.db", "postgresql": "postgresql.dump"}


@dataclass(frozen=True)
class BackupSummary:
    files: int  # project files besides the database
    bytes: int  # of the files and the snapshot, before compression
    database: str  # sqlite or postgresql


@dataclass(frozen=True)
class RestoreSummary:
    folder: Path
    files: int
    database: str
    taken_at: str
    records: int
    events: int


def write_backup(workspace: Workspace, handle: IO[bytes], *, skip: Path | None = None) -> BackupSummary:
    """Write the project's backup archive to ``handle``. ``skip``: a file inside the project folder
    not to include (the archive itself, when the caller writes it there)."""
    root = workspace.project.root
    with tempfile.TemporaryDirectory(prefix="synthesist-backup-") as scratch:
        snapshot = Path(scratch) / "snapshot"
        kind = workspace.storage.snapshot(snapshot)
        files = {f"project/{path.relative_to(root).as_posix()}": path for path in _project_files(root, skip)}
        files[f"database/{_SNAPSHOT_NAMES[kind]}"] = snapshot
        with tarfile.open(fileobj=handle, mode="w:gz") as archive:
            hashes = add_files_hashed(archive, files)
            manifest = {
                "format": FORMAT,
                "synthesist_version": __version__,
                "taken_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "project_id": workspace.project.key,
                "title": workspace.project.title,
                "database": kind,
                "files": hashes,
            }
            add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False).encode())
        size = sum(path.stat().st_size for path in files.values())
    return BackupSummary(files=len(files) - 1, bytes=size, database=kind)


def restore_backup(archive_path: Path, folder: Path, *, database_url: str | None = None) -> RestoreSummary:
    """Restore the backup at ``archive_path`` into ``folder`` (new or empty). The database goes where
    the restored ``review.toml`` says, or to ``database_url`` (an empty PostgreSQL database, say)."""
    if folder.exists() and any(folder.iterdir()):
        raise Conflict(f"{folder} is not empty", hint="Restore into a new folder; nothing was written.")
    with open_archive(archive_path) as archive:
        manifest = _manifest(archive, archive_path.name)
        members = checked_members(archive, manifest, archive_path.name)
        created = not folder.exists()
        folder.mkdir(parents=True, exist_ok=True)
        try:
            with tempfile.TemporaryDirectory(prefix="synthesist-restore-") as scratch:
                for member in members:
                    archive.extract(member, scratch, filter="data")
                shutil.copytree(Path(scratch) / "project", folder, dirs_exist_ok=True)
                project = find_project(folder)
                if database_url is not None:
                    _remember_database(folder, database_url)
                    project = find_project(folder)
                url = database_url or resolve_database_url(folder, project.protocol.database_url)
                kind = manifest["database"]
                restore_database(url, Path(scratch) / "database" / _SNAPSHOT_NAMES[kind], kind)
        except BaseException:
            clear_folder(folder, created)
            raise
    workspace = open_workspace(find_project(folder))  # brings an older backup's schema up to date
    try:
        taken_at = str(manifest["taken_at"])
        with workspace.unit_of_work() as uow:
            uow.events.append(
                ProjectRestored(archive_path.name, taken_at, str(manifest["synthesist_version"])),
                workspace.actor,
            )
            uow.commit()
        with workspace.unit_of_work(write=False) as uow:
            records, events = uow.records.count(), len(uow.events.list())
    finally:
        workspace.close()
    return RestoreSummary(folder, len(members) - 1, manifest["database"], taken_at, records, events)


def _project_files(root: Path, skip: Path | None) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        if path.parent == root and path.name in _DATABASE_FILES:
            continue
        if skip is not None and path.resolve() == skip.resolve():
            continue
        yield path


def _manifest(archive: tarfile.TarFile, name: str) -> dict[str, Any]:
    damaged = ImportFileError(
        f"{name}: not a Synthesist backup, or a damaged one (no readable manifest.json)",
        hint="Use a file written by `synthesist backup`.",
    )
    manifest = read_manifest(archive, damaged)
    if manifest.get("format") != FORMAT or manifest.get("database") not in _SNAPSHOT_NAMES:
        raise damaged
    return manifest


def _remember_database(folder: Path, url: str) -> None:
    """Point the restored review.toml at ``url`` (its comments and layout kept)."""
    import tomlkit

    path = folder / "review.toml"
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    document["database_url"] = url
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
