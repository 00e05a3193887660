"""Coded studies in project A of ``tests/web/conftest.py`` (blind dual screening by aoife and
lukasz): two studies included at both stages by both reviewers, a findings document each, an
analytical theme with a descriptive theme under it, and codes with key terms the assistant can
match. Built through the services, on SQLite or PostgreSQL, in well under a second."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from synthesist.screening.model import Stage, Vote
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.screening.decisions import decide
from synthesist.services.synthesis.codes import create_code
from synthesist.services.synthesis.documents import add_document
from synthesist.services.synthesis.themes import create_theme
from synthesist.synthesis.model import ThemeLevel
from synthesist.workspace import Workspace
from tests.synthesis_helpers import FINDINGS

__all__ = ["ANALYTICAL", "DESCRIPTIVE", "CodedProject", "add_coded_studies"]

ANALYTICAL = "Partnership with the physiotherapist"
DESCRIPTIVE = "Being listened to"
SECOND_TEXT = (
    "Participants described waiting a long time for an appointment. "
    "They felt listened to when the physiotherapist asked about their daily life.\n"
    "Exercise advice was hard to follow without a written plan."
)
_RIS = (
    "TY  - JOUR\nAU  - {family}, A.\nTI  - Experiences of back pain care ({family})\nPY  - {year}\nER  - \n"
)


@dataclass(frozen=True)
class CodedProject:
    documents: list[int]  # document ids: Cooper 2008, Slade 2009
    studies: list[str]


def add_coded_studies(workspace: Workspace, folder: Path) -> CodedProject:
    studies = [("Cooper", 2008), ("Slade", 2009)]
    export = folder / "included-for-coding.ris"
    export.write_text("\n".join(_RIS.format(family=f, year=y) for f, y in studies), encoding="utf-8")
    with workspace.unit_of_work(write=False) as uow:
        before = set(uow.records.ids())
    import_files(workspace, ImportRequest(paths=[export], source="CINAHL"))
    with workspace.unit_of_work(write=False) as uow:
        new = sorted(set(uow.records.ids()) - before)
    for record_id in new:
        for stage in (Stage.TITLE_ABSTRACT, Stage.FULL_TEXT):
            for reviewer in ("aoife", "lukasz"):
                decide(workspace, record_id, stage, Vote.INCLUDE, reviewer=reviewer)
    labels = [f"{family} {year}" for family, year in studies]
    documents = [
        add_document(workspace, labels[0], text=FINDINGS, title="Findings").id,
        add_document(workspace, labels[1], text=SECOND_TEXT, title="Results").id,
    ]
    create_theme(workspace, ANALYTICAL, level=ThemeLevel.ANALYTICAL, key_terms="partnership, trust")
    create_theme(
        workspace, DESCRIPTIVE, level=ThemeLevel.DESCRIPTIVE, parent=ANALYTICAL, key_terms="listened"
    )
    create_theme(workspace, "Access to care", level=ThemeLevel.ANALYTICAL, key_terms="waiting, access")
    create_code(workspace, "being listened to", key_terms="listened, understood", themes=[DESCRIPTIVE])
    create_code(workspace, "waiting times", key_terms="waiting, appointments", themes=["Access to care"])
    return CodedProject(documents, labels)
