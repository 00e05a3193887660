"""What the screening service tests share: a project of the twelve topic records opened as one or
several processes would open it, and a web app's state over it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import tomlkit

from synthesist.review.project import find_project
from synthesist.screening.model import Stage
from synthesist.services.projects import init_project
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.web.state import WebState
from synthesist.workspace import Workspace, open_workspace
from tests.helpers import TOPICS, topic_ris

TA, FT = Stage.TITLE_ABSTRACT, Stage.FULL_TEXT
REVIEWERS = ["Aoife", "Lukasz", "Ingrid"]

Opener = Callable[..., Workspace]


@pytest.fixture
def open_project(tmp_path: Path, database_url: str | None) -> Iterator[Opener]:
    """A project of the twelve records (ids 1-12 in TOPICS order), its screening set per test;
    ``again(ws)`` opens a second workspace on the same folder and database, as another process."""
    opened: list[Workspace] = []

    def opener(mode: str = "single", keywords: list[str] | None = None, **prioritisation: Any) -> Workspace:
        folder = tmp_path / f"review-{len(opened)}"
        init_project(folder, "Ranking test").close()
        document = tomlkit.parse((folder / "review.toml").read_text(encoding="utf-8"))
        screening = document["screening"]
        screening["exclusion_reasons"] = ["Not back pain"]
        screening["highlight_include"] = keywords or []
        for key in ("title_abstract", "full_text"):
            screening[key]["mode"] = mode
            screening[key]["reviewers"] = REVIEWERS
        for name, value in prioritisation.items():
            screening["prioritisation"][name] = value
        (folder / "review.toml").write_text(tomlkit.dumps(document), encoding="utf-8")
        workspace = open_workspace(find_project(folder), actor="tester")
        opened.append(workspace)
        export = folder / "records.ris"
        export.write_text(topic_ris(TOPICS), encoding="utf-8")
        import_files(workspace, ImportRequest(paths=[export], source="MEDLINE"))
        return workspace

    yield opener
    for workspace in opened:
        workspace.close()


@pytest.fixture
def again() -> Iterator[Callable[[Workspace], Workspace]]:
    opened: list[Workspace] = []

    def reopen(workspace: Workspace) -> Workspace:
        other = open_workspace(find_project(workspace.project.root), actor="tester")
        opened.append(other)
        return other

    yield reopen
    for workspace in opened:
        workspace.close()


def rid(workspace: Workspace, number: int) -> int:
    """The id of TOPICS' record ``number`` (on PostgreSQL ids do not start at 1 in every test)."""
    with workspace.unit_of_work(write=False) as uow:
        return min(uow.records.ids()) + number - 1


def app(workspace: Workspace) -> WebState:
    """A web app's state as one server process holds it."""
    return WebState(projects={workspace.project.key: workspace}, accounts=workspace.accounts)
