"""Export files that arrive over the web: kept in the project folder, then imported in one call.

Each upload gets a folder of its own, ``imports/uploads/YYYYMMDD-HHMMSS-xxxxxx/``, and every file in
it keeps its (sanitised) name, so a batch's ``file_name`` and every ``file:line`` message name the
file as the reviewer knows it. The files stay there after a successful import as the copy of the
search that was imported; when the import is refused or fails in any way nothing was imported, so
the folder goes too. A server killed mid-import cannot clean up, so ``synthesist serve`` sweeps at
start-up: :func:`sweep_orphan_uploads` removes the upload folders (and the report uploads' temporary
folders) that are old enough to be no import's work in progress, hold no imported file and are named
by no queued or running job (``serve --site`` sweeps every review: :func:`sweep_site_uploads`).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from synthesist.errors import ImportFileError, UserError
from synthesist.review.jobs import JobStatus
from synthesist.services.records.imports import ImportRequest, ImportResult, import_files
from synthesist.services.records.reading import list_batches
from synthesist.workspace import Accounts, Workspace

__all__ = [
    "MAX_UPLOAD_BYTES",
    "ORPHAN_AGE",
    "TEMPORARY_UPLOAD_PREFIX",
    "UPLOADS_FOLDER",
    "Upload",
    "import_uploads",
    "safe_file_name",
    "save_uploads",
    "sweep_orphan_uploads",
    "sweep_site_uploads",
]

UPLOADS_FOLDER = Path("imports") / "uploads"
# Large enough for a 100,000-record RIS export, small enough that a wrong file (a video, a disk
# image) is refused before it fills the project folder.
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
_CHUNK = 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_NAME = 120
# The temporary folders a report upload is saved in before it is attached (the web's full-text route).
TEMPORARY_UPLOAD_PREFIX = "synthesist-upload-"
# Older than any import still running: an import of 100,000 records takes a minute or two.
ORPHAN_AGE = timedelta(hours=1)


@dataclass(frozen=True)
class Upload:
    """One uploaded file: the name the browser sent (not trusted) and its content."""

    name: str
    content: BinaryIO


def safe_file_name(name: str) -> str:
    """``name`` reduced to a plain file name that cannot leave its folder: no directories (either
    slash), no leading dots, only letters, digits, ``.``, ``_`` and ``-``; accents are dropped
    rather than the letters they sit on."""
    base = re.split(r"[\\/]", name)[-1]
    unaccented = "".join(c for c in unicodedata.normalize("NFKD", base) if not unicodedata.combining(c))
    cleaned = _UNSAFE.sub("_", unaccented)
    cleaned = re.sub(r"_+\.", ".", cleaned).strip("._-") or "upload"  # "My Search (2).ris": no "_."
    if len(cleaned) > _MAX_NAME:
        stem, dot, suffix = cleaned.rpartition(".")
        if dot and 0 < len(suffix) <= 10:
            cleaned = f"{stem[: _MAX_NAME - len(suffix) - 1]}.{suffix}"
        else:
            cleaned = cleaned[:_MAX_NAME]
    return cleaned


def import_uploads(
    workspace: Workspace,
    uploads: Sequence[Upload],
    request: ImportRequest,
    *,
    limit: int | None = None,
    now: datetime | None = None,
) -> ImportResult:
    """Save ``uploads`` in the project folder and import them as ``request`` says (its ``paths``
    are replaced by the saved files). All-or-nothing like :func:`import_files`: on any error the
    saved files are removed and the error is raised unchanged. ``limit`` is the largest file
    accepted, in bytes (default :data:`MAX_UPLOAD_BYTES`)."""
    if not uploads:
        raise ImportFileError("no file was chosen", hint="Choose one or more export files to import.")
    folder = _new_folder(workspace.project.root, now or datetime.now(UTC))
    try:
        paths = _save(folder, uploads, MAX_UPLOAD_BYTES if limit is None else limit)
        return import_files(workspace, replace(request, paths=paths))
    except BaseException:
        # nothing was imported, whatever stopped it (a refusal, a full disk, a crash, Ctrl+C)
        shutil.rmtree(folder, ignore_errors=True)
        raise


def save_uploads(
    workspace: Workspace,
    uploads: Sequence[Upload],
    *,
    limit: int | None = None,
    now: datetime | None = None,
) -> list[Path]:
    """Save ``uploads`` in a new upload folder of the project, for an import that runs later as a
    background job (``records.import``, which removes the folder when the import fails). On any
    error here the folder is removed and the error raised unchanged."""
    if not uploads:
        raise ImportFileError("no file was chosen", hint="Choose one or more export files to import.")
    folder = _new_folder(workspace.project.root, now or datetime.now(UTC))
    try:
        return _save(folder, uploads, MAX_UPLOAD_BYTES if limit is None else limit)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _new_folder(root: Path, now: datetime) -> Path:
    # the random part keeps two uploads in the same second (two reviewers) apart
    folder = root / UPLOADS_FOLDER / f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
    folder.mkdir(parents=True)
    return folder


def _save(folder: Path, uploads: Sequence[Upload], limit: int) -> list[Path]:
    paths: list[Path] = []
    for upload in uploads:
        name = safe_file_name(upload.name)
        target = folder / name
        counter = 2
        while target in paths:  # two files of one upload with the same name
            stem, dot, suffix = name.rpartition(".")
            target = folder / (f"{stem}-{counter}.{suffix}" if dot else f"{name}-{counter}")
            counter += 1
        _copy_limited(upload, target, limit)
        paths.append(target)
    return paths


def _copy_limited(upload: Upload, target: Path, limit: int) -> None:
    written = 0
    with open(target, "wb") as handle:
        while chunk := upload.content.read(_CHUNK):
            written += len(chunk)
            if written > limit:
                raise ImportFileError(
                    f"{upload.name}: the file is larger than {_size_text(limit)}; nothing was imported",
                    hint="Split the export into smaller files (most databases export in parts) and "
                    "import them together.",
                )
            handle.write(chunk)
    if written == 0:
        raise ImportFileError(
            f"{upload.name}: the file is empty; nothing was imported",
            hint="Export the search results again and choose the saved file.",
        )


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{size / 1024:g} KB" if size >= 1024 else f"{size} bytes"


def sweep_orphan_uploads(
    workspace: Workspace,
    *,
    older_than: timedelta = ORPHAN_AGE,
    now: datetime | None = None,
    temporary_folder: Path | None = None,
) -> list[Path]:
    """Remove what uploads left behind when a server was killed: the folders of
    ``imports/uploads/`` whose files were never imported (no batch has a file of the same name and
    SHA-256), and report uploads' folders in ``temporary_folder`` (default: the system's). Only
    folders untouched for ``older_than`` go, so an upload in progress is never taken, and never a
    folder a queued or running job names (an import waiting for a worker may wait longer than an
    hour when none runs). Returns the folders removed."""
    cutoff = (now or datetime.now(UTC)) - older_than
    imported = {(batch.file_name, batch.file_sha256) for batch in list_batches(workspace)}
    root = workspace.project.root
    uploads = root / UPLOADS_FOLDER
    candidates = _folders(uploads.iterdir() if uploads.is_dir() else [])
    waited_for = _folders_of_active_jobs(workspace)
    orphans = [
        folder
        for folder in candidates
        if folder.resolve() not in waited_for and not _holds_imported_file(folder, imported)
    ]
    scratch = Path(temporary_folder or tempfile.gettempdir())
    orphans += _folders(scratch.glob(f"{TEMPORARY_UPLOAD_PREFIX}*"))
    removed = [folder for folder in orphans if _last_change(folder) < cutoff]
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed


def sweep_site_uploads(accounts: Accounts) -> dict[str, list[Path]]:
    """:func:`sweep_orphan_uploads` for every review of a site (``serve --site`` at start); a review
    that cannot be opened (its folder gone, its review.toml broken) is passed over, as the web app
    would pass it over. Returns the folders removed, by review."""
    from synthesist.services.site import list_reviews, open_site_review

    removed: dict[str, list[Path]] = {}
    for review in list_reviews(accounts):
        try:
            workspace = open_site_review(accounts, review.key)
        except UserError:
            continue
        if workspace is None:
            continue
        try:
            swept = sweep_orphan_uploads(workspace)
        finally:
            workspace.close()
        if swept:
            removed[review.key] = swept
    return removed


def _folders_of_active_jobs(workspace: Workspace) -> set[Path]:
    """The folders the review's queued and running jobs name in their parameters (``folder``,
    relative to the review, as ``records.import`` has it)."""
    root = workspace.project.root
    with workspace.accounts.unit_of_work(write=False) as uow:
        active = uow.jobs.list(statuses=(JobStatus.QUEUED, JobStatus.RUNNING), limit=None)
    return {(root / str(job.params["folder"])).resolve() for job in active if job.params.get("folder")}


def _folders(paths: Iterable[Path]) -> list[Path]:
    return sorted(path for path in paths if path.is_dir() and not path.is_symlink())


def _holds_imported_file(folder: Path, imported: set[tuple[str, str]]) -> bool:
    names = {name for name, _ in imported}
    for path in folder.iterdir():
        # hashing only files whose name a batch carries keeps the sweep quick on a large project
        if path.is_file() and path.name in names:
            with open(path, "rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
            if (path.name, digest) in imported:
                return True
    return False


def _last_change(folder: Path) -> datetime:
    try:
        times = [folder.stat().st_mtime, *(path.stat().st_mtime for path in folder.iterdir())]
    except FileNotFoundError:  # another process is changing it right now: not an orphan
        return datetime.max.replace(tzinfo=UTC)
    return datetime.fromtimestamp(max(times), UTC)
