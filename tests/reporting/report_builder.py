"""A small project for the report tests, built through the services: the reference synthesis
(10 included studies, 7 themes, CASP appraisal 2/7/1, participants extracted) plus a second
database search with its strategy and date (two records excluded at title/abstract and one
duplicate of an included study, removed by deduplication), a CERQual finding and a conceptual
model link."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from synthesist.screening.model import Stage, Vote
from synthesist.services.cerqual.concept_model import add_link, add_outcome
from synthesist.services.cerqual.findings import add_finding, assess_component
from synthesist.services.dedup.runs import run_dedup
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.screening.decisions import decide
from synthesist.workspace import Workspace
from tests.synthesis.workspace_builder import reference_workspace

__all__ = ["normalise", "report_project"]

_CINAHL = (
    "TY  - JOUR\nAU  - Cooper, K.\nAU  - Smith, B. H.\n"
    "TI  - Study 3: partnership in back pain\nPY  - 2008\nER  - \n"
    "TY  - JOUR\nAU  - Brown, A.\nTI  - Knee replacement outcomes in older adults\nPY  - 2011\nER  - \n"
    "TY  - JOUR\nAU  - Green, C.\nTI  - Asthma education in schools\nPY  - 2005\nER  - \n"
)
QUERY = "1. back pain/ or low back pain/\n2. self-management.ti,ab.\n3. 1 and 2"


def report_project(folder: Path) -> Workspace:
    workspace = reference_workspace(folder, appraise=True, participants=True)
    export = folder / "cinahl.ris"
    export.write_text(_CINAHL, encoding="utf-8")
    with workspace.unit_of_work(write=False) as uow:
        before = set(uow.records.ids())
    import_files(
        workspace,
        ImportRequest(paths=[export], source="CINAHL", searched_on=date(2014, 6, 30), query=QUERY),
    )
    run_dedup(workspace)
    with workspace.unit_of_work(write=False) as uow:
        new = sorted(set(uow.records.ids()) - before)
        duplicates = {member for group in uow.dedup.groups() for member in group.duplicate_ids}
    for record_id in new:
        if record_id not in duplicates:
            decide(workspace, record_id, Stage.TITLE_ABSTRACT, Vote.EXCLUDE, reviewer="ben")
    add_finding(workspace, "Communication underpins the partnership", ["Effective communication"])
    assess_component(workspace, "F1", "coherence", "minor", "one study describes it less clearly")
    add_outcome(workspace, "Self-management", "Managing chronic back pain")
    add_link(workspace, "Effective communication", "Mutual understanding", "is foundation of")
    add_link(workspace, "Mutual understanding", "Self-management", "leads to")
    return workspace


def normalise(text: str) -> str:
    """Drop what changes between runs: the version, the date and the project id's random suffix."""
    text = re.sub(r"Synthesist \d+\.\d+\.\d+\S*", "Synthesist X", text)
    text = re.sub(
        r"on \d{4}-\d{2}-\d{2} from project (\S+?)-[0-9a-f]{6}\.", r"on DATE from project \1.", text
    )
    return text
