"""A served project with three included studies for the extraction and appraisal pages: a form of
every field type, the CASP qualitative checklist, and users aoife and lukasz (reviewers), olwen
(owner) and vera (viewer). The extraction and appraisal modes are the caller's."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from synthesist.review.accounts import Role
from synthesist.review.project import find_project
from synthesist.screening.model import Stage, Vote
from synthesist.services.accounts.users import add_member, add_user
from synthesist.services.projects import init_project
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.screening.decisions import decide
from synthesist.web import create_app
from synthesist.workspace import Workspace, open_workspace
from tests.helpers import ris_text
from tests.web.conftest import PASSWORD, login

FORM = """
[[extraction.fields]]
name = "authors"
type = "short_text"
from_record = "authors"
required = true

[[extraction.fields]]
name = "country"
label = "Country"
required = true
help = "Where the study was conducted."

[[extraction.fields]]
name = "design"
label = "Design"
type = "choice"
choices = ["Interviews", "Focus groups", "Mixed"]
required = true

[[extraction.fields]]
name = "methods"
label = "Methods of data collection"
type = "multi_choice"
choices = ["Semi-structured interviews", "Focus groups", "Observation"]

[[extraction.fields]]
name = "participants"
label = "Participants"
type = "participant_counts"
groups = ["patients", "professionals"]
help = "How many took part, by group."

[[extraction.fields]]
name = "mean_age"
label = "Mean age"
type = "number"
unit = "years"
min = 0
max = 120

[[extraction.fields]]
name = "findings"
label = "Main findings"
type = "long_text"
"""

REQUIRED_VALUES = {"v.country": "Norway", "v.design": "Interviews"}


@dataclass
class Included:
    ws: Workspace
    app: FastAPI
    refs: list[str]  # the studies' references (record ids: each record is a study of its own)

    @property
    def key(self) -> str:
        return self.ws.project.key

    def client(self, name: str) -> TestClient:
        client = TestClient(self.app, base_url="http://testserver")
        login(client, name)
        return client


def _write_protocol(folder: Path, extraction_mode: str, appraisal_mode: str) -> None:
    path = folder / "review.toml"
    text = path.read_text(encoding="utf-8")
    start, middle, end = text.index("[extraction]"), text.index("[appraisal]"), text.index("[synthesis]")
    extraction = f'[extraction]\nmode = "{extraction_mode}"\n{FORM}\n\n'
    appraisal = f'[appraisal]\ntool = "casp-qualitative"\nmode = "{appraisal_mode}"\n\n\n'
    text = text[:start] + extraction + appraisal + text[end:]
    assert start < middle < end, "review.toml has its sections in the expected order"
    path.write_text(text, encoding="utf-8")


Builder = Callable[..., Included]


@pytest.fixture
def included(tmp_path: Path, database_url: str | None) -> Iterator[Builder]:
    opened: list[Workspace] = []

    def build(extraction: str = "single", appraisal: str = "single") -> Included:
        folder = tmp_path / f"review-{len(opened)}"
        init_project(folder, "Included studies").close()
        _write_protocol(folder, extraction, appraisal)
        ws = open_workspace(find_project(folder), actor="tester")
        opened.append(ws)
        export = folder / "records.ris"
        export.write_text(ris_text(3), encoding="utf-8")
        import_files(ws, ImportRequest(paths=[export], source="MEDLINE"))
        with ws.unit_of_work(write=False) as uow:
            record_ids = uow.records.ids()  # on PostgreSQL projects share the id sequence
        for record_id in record_ids:
            decide(ws, record_id, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer="tester")
            decide(ws, record_id, Stage.FULL_TEXT, Vote.INCLUDE, reviewer="tester")
        for name, role in (
            ("aoife", Role.REVIEWER),
            ("lukasz", Role.REVIEWER),
            ("olwen", Role.OWNER),
            ("vera", Role.VIEWER),
        ):
            add_user(ws, name, PASSWORD)
            add_member(ws, name, role)
        return Included(ws, create_app(ws), [str(record_id) for record_id in record_ids])

    yield build
    for ws in opened:
        ws.close()
