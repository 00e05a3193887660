"""What both backups (a review's and a site's) share: writing files into a ``.tar.gz`` with each
file's SHA-256 taken as it is archived, and reading one back with every file checked against its
manifest before anything is written."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from synthesist.errors import ImportFileError

__all__ = [
    "add_bytes",
    "add_files_hashed",
    "checked_members",
    "clear_folder",
    "open_archive",
    "read_manifest",
]


def add_files_hashed(archive: tarfile.TarFile, files: dict[str, Path]) -> dict[str, str]:
    """Add each file under its name; returns the SHA-256 of each, hashed as it is archived (read once,
    so a file changed meanwhile still matches its checksum)."""
    hashes: dict[str, str] = {}
    for name, path in files.items():
        info = archive.gettarinfo(str(path), arcname=name)
        with path.open("rb") as raw:
            reader = _HashingReader(raw)
            archive.addfile(info, reader)
        hashes[name] = reader.digest.hexdigest()
    return hashes


class _HashingReader:
    """A file's reader that hashes what tarfile reads from it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        block = self._raw.read(size)
        self.digest.update(block)
        return block


def _stream_sha256(handle: IO[bytes] | None) -> str:
    digest = hashlib.sha256()
    while handle is not None and (block := handle.read(1 << 20)):
        digest.update(block)
    return digest.hexdigest()


def add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def open_archive(path: Path) -> tarfile.TarFile:
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file", hint="Give the path of a `synthesist backup` archive.")
    try:
        return tarfile.open(path, mode="r:gz")
    except (tarfile.TarError, OSError, EOFError):
        raise ImportFileError(
            f"{path.name}: not a Synthesist backup, or a damaged one (not a .tar.gz archive)",
            hint="Use a file written by `synthesist backup`.",
        ) from None


def read_manifest(archive: tarfile.TarFile, damaged: ImportFileError) -> dict[str, Any]:
    """The archive's ``manifest.json`` as a dict with ``format`` and ``files``; ``damaged`` is raised
    when it is missing or unreadable (the caller checks what else its kind of backup needs)."""
    try:
        handle = archive.extractfile(archive.getmember("manifest.json"))
        manifest = json.loads(handle.read()) if handle else None
    except (KeyError, tarfile.TarError, OSError, ValueError):
        raise damaged from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise damaged
    return manifest


def checked_members(archive: tarfile.TarFile, manifest: dict[str, Any], name: str) -> list[tarfile.TarInfo]:
    """The archive's files, each checked against the manifest before anything is written."""
    expected: dict[str, str] = manifest["files"]
    members = [member for member in archive.getmembers() if member.name != "manifest.json"]
    found = {member.name for member in members}
    if found != set(expected):
        missing = sorted(set(expected) - found)[:3] or sorted(found - set(expected))[:3]
        raise ImportFileError(
            f"{name}: the archive's files do not match its manifest ({', '.join(missing)})",
            hint="The backup is incomplete or was altered; use another copy.",
        )
    for member in members:
        path = PurePosixPath(member.name)
        if not member.isfile() or path.is_absolute() or ".." in path.parts:
            raise ImportFileError(f"{name}: {member.name!r} is not a plain file inside the backup")
        if _stream_sha256(archive.extractfile(member)) != expected[member.name]:
            raise ImportFileError(
                f"{name}: {member.name} does not match its checksum",
                hint="The backup is damaged; use another copy.",
            )
    return members


def clear_folder(folder: Path, created: bool) -> None:
    """Undo a failed restore: the folder as it was (it was new or empty)."""
    if created:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for path in folder.iterdir():
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
