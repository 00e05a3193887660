"""Export files that arrive over the web: kept in the project folder, then imported in one call.

Each upload gets a folder of its own, ``imports/uploads/YYYYMMDD-HHMMSS-xxxxxx/``, and every file in
it keeps its (sanitised) name, so a batch's ``file_name`` and every ``file:line`` message name the
file as the reviewer knows it. The files stay there after a successful import as the copy of the
search that was imported; when the import is refused nothing was imported, so the folder goes too.
"""

from __future__ import annotations

import re
import secrets
import shutil
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from synthesist.errors import ImportFileError, UserError
from synthesist.services.imports import ImportRequest, ImportResult, import_files
from synthesist.workspace import Workspace

__all__ = ["MAX_UPLOAD_BYTES", "UPLOADS_FOLDER", "Upload", "import_uploads", "safe_file_name"]

UPLOADS_FOLDER = Path("imports") / "uploads"
# Large enough for a 100,000-record RIS export, small enough that a wrong file (a video, a disk
# image) is refused before it fills the project folder.
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
_CHUNK = 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_NAME = 120


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
    except (UserError, OSError):
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
