"""The web app's protocol kept current: several processes serve a review, the CLI and a text editor
may change review.toml too, so each request compares the file's signature (modification time, size,
inode: an atomic replace gives a new inode even within one clock tick) with the one the protocol was
read at, and reads the file again only when it differs. A ``stat`` per request is cheap; holding a
protocol another process has changed would not be correct.
"""

from __future__ import annotations

import threading
from pathlib import Path

from synthesist.review.project import Project
from synthesist.review.protocol import Protocol
from synthesist.workspace import Workspace

__all__ = ["current_project", "remember"]

_Signature = tuple[int, int, int]
_seen: dict[Path, tuple[_Signature, Project]] = {}
_lock = threading.Lock()


def _signature(path: Path) -> _Signature:
    status = path.stat()
    return (status.st_mtime_ns, status.st_size, status.st_ino)


def remember(project: Project) -> None:
    """``project`` is what review.toml holds now (just written by this process)."""
    signature = _signature(project.protocol_path)
    with _lock:
        _seen[project.protocol_path] = (signature, project)


def current_project(workspace: Workspace) -> Project:
    """The workspace's project as review.toml has it now; the workspace is updated to hold it.

    A file that no longer passes the protocol's checks raises :class:`ProtocolError` with the CLI's
    message, as every command would.
    """
    path = workspace.project.protocol_path
    try:
        signature = _signature(path)
    except OSError:
        return workspace.project  # the folder is being moved (site add): keep serving what was read
    with _lock:
        seen = _seen.get(path)
    if seen is None or seen[0] != signature:
        # the signature taken before reading: a change made meanwhile is read on the next request
        seen = (signature, Project(workspace.project.root, Protocol.load(path)))
        with _lock:
            _seen[path] = seen
    if workspace.project is not seen[1]:
        workspace.project = seen[1]
    return seen[1]
