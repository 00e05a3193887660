"""Writing what a service returned to the file a command was given.

Services return a file's content (or, for the records export, stream to a handle); where it goes is
the command's business. Every file is written to a temporary file in the same folder and then renamed
over the target, so a failed write or export leaves no half file behind and never damages an earlier
file of the same name (the rename is atomic on one file system).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

__all__ = ["private_binary_file", "text_file", "write_file", "write_files"]


@contextmanager
def _replacing(path: Path, *, private: bool = False) -> Iterator[Path]:
    """A new file beside ``path``, renamed over it when the block ends without an error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.parent / f".{path.name}.{secrets.token_hex(6)}"
    # created as open() creates a file (0666 less the umask), not private as mkstemp would make it,
    # unless asked (a backup holds the whole review); O_EXCL: never another's file of the same name
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o666))
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_file(path: Path, content: bytes) -> None:
    """``content`` as the file ``path`` (its folder made if missing)."""
    with _replacing(path) as temporary:
        temporary.write_bytes(content)


def write_files(folder: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Each relative name's content under ``folder``, in the mapping's order; returns the paths."""
    written = []
    for name, content in files.items():
        write_file(folder / name, content)
        written.append(folder / name)
    return written


@contextmanager
def text_file(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text handle that becomes the file ``path`` when the block ends without an error (for
    what is streamed rather than held in memory: a records export of a million records)."""
    with _replacing(path) as temporary, temporary.open("w", encoding="utf-8", newline="") as handle:
        yield handle


@contextmanager
def private_binary_file(path: Path) -> Iterator[BinaryIO]:
    """A binary handle, readable by its owner only, that becomes ``path`` when the block ends without
    an error (a backup: the whole review, streamed)."""
    with _replacing(path, private=True) as temporary, temporary.open("wb") as handle:
        yield handle
