"""Keeping attached files in the project folder: ``fulltext/record-N/<original name>``.

A stored file is never overwritten: a different file with a name already used gets a new name
(``paper-2.pdf``). The copy is written to a temporary file beside its place, flushed to disk, then
hard-linked into place — linking fails if the name exists, so even two people attaching at once
cannot replace each other's file — and a half-written copy is never seen under the real name.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Collection, Iterator
from pathlib import Path, PurePosixPath

__all__ = [
    "FOLDER",
    "candidate_names",
    "file_digest",
    "relative_path",
    "remove_copy",
    "safe_name",
    "store_copy",
]

FOLDER = "fulltext"
# Characters that Windows or macOS refuse in file names, and control characters.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def file_digest(path: Path) -> tuple[str, int]:
    """The file's SHA-256 (hex) and size in bytes, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def safe_name(name: str) -> str:
    """A file name that is safe on every system the project folder may be copied to."""
    cleaned = _UNSAFE.sub("_", PurePosixPath(name.replace("\\", "/")).name).strip(" .")
    return cleaned or "report"


def candidate_names(name: str) -> Iterator[str]:
    """``name``, then ``stem-2.suffix``, ``stem-3.suffix`` ..."""
    path = PurePosixPath(name)
    yield name
    number = 2
    while True:
        yield f"{path.stem}-{number}{path.suffix}"
        number += 1


def relative_path(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def store_copy(source: Path, root: Path, record_id: int, name: str, taken: Collection[str] = ()) -> Path:
    """Copy ``source`` to ``root/fulltext/record-N/`` under ``name`` (made safe), or the first variant
    that is neither in ``taken`` (names the database already holds) nor on disk. Returns the copy."""
    folder = root / FOLDER / f"record-{record_id}"
    folder.mkdir(parents=True, exist_ok=True)
    fd, temporary_name = tempfile.mkstemp(prefix=".attaching-", dir=folder)
    temporary = Path(temporary_name)
    try:
        with os.fdopen(fd, "wb") as target, open(source, "rb") as handle:
            shutil.copyfileobj(handle, target, 1 << 20)
            target.flush()
            os.fsync(target.fileno())
        for candidate in candidate_names(safe_name(name)):
            if candidate in taken:
                continue
            place = folder / candidate
            try:
                os.link(temporary, place)
            except FileExistsError:
                continue
            except OSError:  # a file system without hard links (FAT, some network shares)
                if place.exists():
                    continue
                os.replace(temporary, place)
            return place
        raise AssertionError("unreachable: candidate_names never ends")  # pragma: no cover
    finally:
        temporary.unlink(missing_ok=True)


def remove_copy(path: Path) -> None:
    """Remove a copy whose database row was not written, and its record folder if now empty."""
    path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # other reports of the record are still there
        path.parent.rmdir()
