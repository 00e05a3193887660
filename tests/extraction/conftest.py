"""A project with four included studies for the extraction tests: records 1 and 2 grouped as
"Cooper 2008", records 3 and 4 each a study of its own; record 5 excluded at full text."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from synthesist.review.extraction_settings import ExtractionSection
from synthesist.screening.model import Stage, Vote
from synthesist.services.fulltext.reports import group_study
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.screening.decisions import decide
from synthesist.workspace import Workspace

RIS = "TY  - JOUR\nAU  - {family}, {given}\nAU  - Smith, B. H.\nTI  - {title}\nPY  - {year}\nER  - \n"

STUDIES = [
    ("Cooper", "Karen", "Patient-centredness in physiotherapy", 2008),
    ("Cooper", "Karen", "Patient-centredness in physiotherapy: a second report", 2009),
    ("Matthias", "Marianne S.", "Self-management support and communication", 2010),
    ("Östlund", "Gunnel", "Patients' perspectives on rehabilitation", 2001),
    ("Slade", "Susan C.", "People with non-specific low back pain", 2009),
]

TA, FT = Stage.TITLE_ABSTRACT, Stage.FULL_TEXT


@pytest.fixture
def studies(workspace: Workspace, tmp_path: Path) -> Workspace:
    export = tmp_path / "included.ris"
    export.write_text(
        "\n".join(RIS.format(family=f, given=g, title=t, year=y) for f, g, t, y in STUDIES), encoding="utf-8"
    )
    import_files(workspace, ImportRequest(paths=[export], source="MEDLINE"))
    for record_id in range(1, 6):
        decide(workspace, record_id, TA, Vote.INCLUDE, reviewer="aoife")
    for record_id in range(1, 5):
        decide(workspace, record_id, FT, Vote.INCLUDE, reviewer="aoife")
    decide(workspace, 5, FT, Vote.EXCLUDE, reviewer="aoife", reason="not chronic back pain")
    group_study(workspace, [1, 2], label="Cooper 2008")
    return workspace


@pytest.fixture
def with_form() -> Callable[..., Workspace]:
    """Give a workspace another [extraction] section (as if review.toml said so)."""

    def change(workspace: Workspace, **settings: object) -> Workspace:
        current = workspace.project.protocol.extraction.model_dump()
        section = ExtractionSection.model_validate({**current, **settings})
        protocol = workspace.project.protocol.model_copy(update={"extraction": section})
        workspace.project = dataclasses.replace(workspace.project, protocol=protocol)
        return workspace

    return change


def act_as(workspace: Workspace, name: str) -> Workspace:
    workspace.actor = name
    return workspace
