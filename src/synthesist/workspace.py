"""The composition root: a project on disk bound to its storage and the person acting.

CLI and web app both start here; services receive a :class:`Workspace` and use its unit of work.
This is the one place outside ``storage/`` that knows storage exists (it wires, it does not query).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from synthesist.ports import UnitOfWork
from synthesist.review.project import Project, find_project
from synthesist.storage import Storage, open_storage

__all__ = ["ACTOR_ENV", "Workspace", "current_actor", "open_workspace", "restore_database", "workspace"]

ACTOR_ENV = "SYNTHESIST_USER"


def current_actor(explicit: str | None = None) -> str:
    """Who is acting: ``--as NAME``, ``SYNTHESIST_USER``, else the operating-system user."""
    if explicit:
        return explicit
    name = os.environ.get(ACTOR_ENV)
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass
class Workspace:
    project: Project
    storage: Storage
    actor: str

    def unit_of_work(self, *, write: bool = True) -> UnitOfWork:
        return self.storage.unit_of_work(write=write)

    def close(self) -> None:
        self.storage.close()


def open_workspace(project: Project, actor: str | None = None, *, create: bool = False) -> Workspace:
    storage = open_storage(project.database_url, project_key=project.key, title=project.title, create=create)
    return Workspace(project=project, storage=storage, actor=current_actor(actor))


@contextmanager
def workspace(
    project_dir: str | os.PathLike[str] | None = None, actor: str | None = None
) -> Iterator[Workspace]:
    """Find the project (from ``project_dir`` or the current folder up) and open it; closed on leaving."""
    opened = open_workspace(find_project(Path(project_dir) if project_dir is not None else None), actor)
    try:
        yield opened
    finally:
        opened.close()


def restore_database(url: str, snapshot: Path, kind: str) -> None:
    """Put a database snapshot back where ``url`` points (see :mod:`synthesist.storage.snapshots`)."""
    from synthesist.storage.snapshots import restore_snapshot

    restore_snapshot(url, snapshot, kind)
