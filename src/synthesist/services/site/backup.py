"""Backing a whole site up into one archive, and restoring it (``synthesist backup|restore --site``).

The archive (``.tar.gz``) holds the site's folder under ``site/`` (``site.toml`` and every review's
folder: ``review.toml``, uploads, full texts; no database file and not the task queue), a consistent
snapshot of the site's database (accounts, registry, and on PostgreSQL every review's rows) under
``databases/site.*``, one of each review that keeps its own ``review.db`` under
``databases/reviews/<key>.db``, and last ``manifest.json`` with a SHA-256 per file. A restore checks
every file before anything is written, into a new or empty folder and empty databases only, as the
single review's backup does (:mod:`synthesist.services.backup`, whose checks this reuses)."""

from __future__ import annotations

import json
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from synthesist import __version__
from synthesist.errors import Conflict, ImportFileError
from synthesist.events import ProjectRestored
from synthesist.review.project import DATABASE_FILE, PROTOCOL_FILE, find_project, resolve_database_url
from synthesist.review.site import SITE_FILE, Site, load_site
from synthesist.services.backup_archive import (
    add_bytes,
    add_files_hashed,
    checked_members,
    clear_folder,
    open_archive,
    read_manifest,
)
from synthesist.services.site.registry import list_reviews, open_site_review
from synthesist.workspace import Accounts, open_accounts, restore_database

__all__ = ["SiteBackupSummary", "SiteRestoreSummary", "restore_site", "write_site_backup"]

FORMAT = "synthesist-site-backup/1"
_SKIPPED = {
    name
    for base in (DATABASE_FILE, "site.db", "queue.db")
    for name in (base, f"{base}-wal", f"{base}-shm", f"{base}-journal")
}
_SITE_SNAPSHOTS = {"sqlite": "databases/site.db", "postgresql": "databases/site.dump"}


@dataclass(frozen=True)
class SiteBackupSummary:
    reviews: int
    files: int  # files of the site's folder
    databases: int  # snapshots: the site's and each review's own
    bytes: int
    database: str  # the site database's kind


@dataclass(frozen=True)
class SiteRestoreSummary:
    folder: Path
    reviews: list[str]
    users: int
    records: int  # over every review
    taken_at: str


def write_site_backup(
    accounts: Accounts, handle: IO[bytes], *, skip: Path | None = None
) -> SiteBackupSummary:
    site = accounts.site
    assert site is not None, "a site's accounts"
    reviews = list_reviews(accounts)
    with tempfile.TemporaryDirectory(prefix="synthesist-site-backup-") as scratch:
        files: dict[str, Path] = {}
        kind = accounts.storage.snapshot(Path(scratch) / "site")
        files[_SITE_SNAPSHOTS[kind]] = Path(scratch) / "site"
        own_databases: dict[str, str] = {}
        for review in reviews:
            workspace = open_site_review(accounts, review.key)
            if workspace is None:
                continue  # registered, folder gone: nothing to back up but its rows
            try:
                if workspace.project.database_url != site.database_url:
                    target = Path(scratch) / f"review-{len(own_databases)}"
                    own_databases[review.key] = workspace.storage.snapshot(target)
                    files[f"databases/reviews/{review.key}.db"] = target
            finally:
                workspace.close()
        folder_files = {
            f"site/{path.relative_to(site.root).as_posix()}": path for path in _site_files(site, skip)
        }
        files.update(folder_files)
        with tarfile.open(fileobj=handle, mode="w:gz") as archive:
            hashes = add_files_hashed(archive, files)
            manifest = {
                "format": FORMAT,
                "synthesist_version": __version__,
                "taken_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "site": site.name,
                "database": kind,
                "database_url": site.configured_database_url,
                "reviews": [review.key for review in reviews],
                "review_databases": own_databases,
                "files": hashes,
            }
            add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False).encode())
        size = sum(path.stat().st_size for path in files.values())
    return SiteBackupSummary(len(reviews), len(folder_files), len(files) - len(folder_files), size, kind)


def _site_files(site: Site, skip: Path | None) -> list[Path]:
    found = []
    for path in sorted(site.root.rglob("*")):
        if path.is_symlink() or not path.is_file() or path.name in _SKIPPED:
            continue
        if skip is not None and path.resolve() == skip.resolve():
            continue
        found.append(path)
    return found


def restore_site(archive_path: Path, folder: Path, *, database_url: str | None = None) -> SiteRestoreSummary:
    """Restore the site backup at ``archive_path`` into ``folder`` (new or empty). Its database goes
    where the restored ``site.toml`` says, or to ``database_url`` (an empty PostgreSQL database)."""
    if folder.exists() and any(folder.iterdir()):
        raise Conflict(f"{folder} is not empty", hint="Restore into a new folder; nothing was written.")
    with open_archive(archive_path) as archive:
        try:
            manifest = _manifest(archive, archive_path.name)
            members = checked_members(archive, manifest, archive_path.name)
        except (tarfile.TarError, EOFError, OSError, zlib.error):
            raise ImportFileError(
                f"{archive_path.name}: the archive is cut short or damaged",
                hint="Use another copy of the backup; nothing was written.",
            ) from None
        created = not folder.exists()
        folder.mkdir(parents=True, exist_ok=True)
        try:
            with tempfile.TemporaryDirectory(prefix="synthesist-site-restore-") as scratch:
                for member in members:
                    archive.extract(member, scratch, filter="data")
                shutil.copytree(Path(scratch) / "site", folder, dirs_exist_ok=True)
                if database_url is not None:
                    _point_at(folder, manifest, database_url)
                site = load_site(folder)
                kind = manifest["database"]
                restore_database(site.database_url, Path(scratch) / _SITE_SNAPSHOTS[kind], kind)
                for key in manifest["review_databases"]:
                    root = site.review_folder(key)
                    url = resolve_database_url(root, find_project(root).protocol.database_url)
                    restore_database(url, Path(scratch) / "databases" / "reviews" / f"{key}.db", "sqlite")
        except BaseException:
            clear_folder(folder, created)
            raise
    return _restored(load_site(folder), archive_path.name, manifest)


def _restored(site: Site, archive_name: str, manifest: dict[str, Any]) -> SiteRestoreSummary:
    accounts = open_accounts(site)  # brings an older backup's schema up to date
    try:
        taken_at = str(manifest["taken_at"])
        with accounts.unit_of_work() as uow:
            uow.events.append(
                ProjectRestored(archive_name, taken_at, str(manifest["synthesist_version"])), accounts.actor
            )
            users = len(uow.users.list())
            uow.commit()
        records = 0
        keys = [review.key for review in list_reviews(accounts)]
        for key in keys:
            workspace = open_site_review(accounts, key)
            if workspace is None:
                continue
            try:
                with workspace.unit_of_work(write=False) as uow:
                    records += uow.records.count()
            finally:
                workspace.close()
    finally:
        accounts.close()
    return SiteRestoreSummary(site.root, keys, users, records, taken_at)


def _manifest(archive: tarfile.TarFile, name: str) -> dict[str, Any]:
    damaged = ImportFileError(
        f"{name}: not a Synthesist site backup, or a damaged one (no readable manifest.json)",
        hint="Use a file written by `synthesist backup --site DIR` (a single review's backup restores "
        "with `synthesist restore ARCHIVE FOLDER`).",
    )
    manifest = read_manifest(archive, damaged)
    if manifest.get("format") != FORMAT or manifest.get("database") not in _SITE_SNAPSHOTS:
        raise damaged
    if not isinstance(manifest.get("review_databases"), dict):
        raise damaged
    return manifest


def _point_at(folder: Path, manifest: dict[str, Any], url: str) -> None:
    """Write ``url`` into the restored site.toml, and into each review.toml that named the site's old
    database (their rows are in it), comments and layout kept."""
    import tomlkit

    path = folder / SITE_FILE
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    document["database_url"] = url
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    old = manifest.get("database_url")
    for protocol in sorted((folder / "reviews").glob(f"*/{PROTOCOL_FILE}")):
        review = tomlkit.parse(protocol.read_text(encoding="utf-8"))
        if old is not None and review.get("database_url") == old:
            review["database_url"] = url
            protocol.write_text(tomlkit.dumps(review), encoding="utf-8")
