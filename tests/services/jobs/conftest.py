"""Fixtures for the jobs tests: a review with records, and runners that only tests register."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from synthesist.review.project import find_project
from synthesist.services.jobs import JobContext, register_runner
from synthesist.services.jobs.queue import EAGER_ENV
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.workspace import Workspace, open_workspace
from tests.helpers import ris_text


@pytest.fixture(autouse=True)
def _not_eager(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(EAGER_ENV, raising=False)


@pytest.fixture
def review(project_dir: Path) -> Iterator[Workspace]:
    ws = open_workspace(find_project(project_dir), actor="aoife")
    export = project_dir / "first.ris"
    export.write_text(ris_text(6), encoding="utf-8")
    import_files(ws, ImportRequest(paths=[export], source="MEDLINE"))
    try:
        yield ws
    finally:
        ws.close()


def slow_import(workspace: Workspace, params: dict[str, Any], context: JobContext) -> dict[str, Any]:
    """Reports progress for a while, then imports a file: cancelled before the end, nothing is written."""
    steps = int(params.get("steps", 40))
    for step in range(steps):
        context.progress(step, steps, f"step {step}")
        time.sleep(0.05)
    path = workspace.project.root / "slow.ris"
    path.write_text(ris_text(3, start=500), encoding="utf-8")
    result = import_files(workspace, ImportRequest(paths=[path], source="CINAHL"))
    return {"summary": "imported", "records": result.records}


def broken(workspace: Workspace, params: dict[str, Any], context: JobContext) -> dict[str, Any]:
    raise RuntimeError("a bug in a runner")


register_runner("tests.slow_import", slow_import)
register_runner("tests.broken", broken)


def quiet(workspace: Workspace, params: dict[str, Any], context: JobContext) -> dict[str, Any]:
    """Works without reporting progress: only the heartbeat says it is alive."""
    time.sleep(float(params.get("seconds", 1.5)))
    return {"summary": "slept"}


register_runner("tests.quiet", quiet)
