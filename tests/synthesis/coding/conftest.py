"""A project with three included studies for the coding tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthesist.workspace import Workspace
from tests.synthesis_helpers import include_studies

STUDIES = [("Cooper", 2008), ("Matthias", 2010), ("Östlund", 2001)]


@pytest.fixture
def studies(workspace: Workspace, tmp_path: Path) -> Workspace:
    include_studies(workspace, tmp_path, STUDIES)
    return workspace


def act_as(workspace: Workspace, name: str) -> Workspace:
    workspace.actor = name
    return workspace
