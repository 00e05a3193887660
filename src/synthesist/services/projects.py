"""Creating a review project."""

from __future__ import annotations

from pathlib import Path

from synthesist.events import ProjectCreated
from synthesist.review.project import PROTOCOL_FILE, new_project_files
from synthesist.workspace import Workspace, open_workspace

__all__ = ["init_project"]


def init_project(
    folder: Path, title: str | None, actor: str | None = None, *, protocol_from: Path | None = None
) -> Workspace:
    """Write ``review.toml``, create and migrate the database, log ``project.created``.

    If the database cannot be created, the review.toml just written is removed again, so a failed
    ``init`` leaves the folder as it was.
    """
    project = new_project_files(folder, title, protocol_from)
    try:
        workspace = open_workspace(project, actor, create=True)
    except BaseException:
        (project.root / PROTOCOL_FILE).unlink(missing_ok=True)
        raise
    with workspace.unit_of_work() as uow:
        uow.events.append(ProjectCreated(title=project.title, project_id=project.key), workspace.actor)
        uow.commit()
    return workspace
