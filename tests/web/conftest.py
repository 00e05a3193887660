"""A served app over two projects that share one database (SQLite file or PostgreSQL), with users:
aoife and lukasz review project A in blind dual mode, olwen owns it, and "outsider" is a member of
project B only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import tomlkit
from fastapi import FastAPI
from fastapi.testclient import TestClient

from synthesist.review.accounts import Role
from synthesist.review.project import find_project
from synthesist.services.accounts.users import add_member, add_user
from synthesist.services.projects import init_project
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.web import create_app
from synthesist.workspace import Workspace, open_workspace
from tests.helpers import ris_text

PASSWORD = "correct horse battery"
REVIEWERS = ["aoife", "lukasz", "olwen"]
REASONS = ["Not chronic back pain", "Wrong design"]


@dataclass
class Served:
    a: Workspace
    b: Workspace
    app: FastAPI

    def client(self, name: str | None = None) -> TestClient:
        client = TestClient(self.app, base_url="http://testserver")
        if name:
            login(client, name)
        return client


def _configure(folder: Path, mode: str, database: str | None, reviewers: list[str]) -> None:
    document = tomlkit.parse((folder / "review.toml").read_text(encoding="utf-8"))
    if database:
        document["database_url"] = database
    screening = document["screening"]
    screening["exclusion_reasons"] = REASONS
    screening["highlight_include"] = ["physiotherapy"]
    for key in ("title_abstract", "full_text"):
        screening[key]["mode"] = mode
        screening[key]["reviewers"] = reviewers
    (folder / "review.toml").write_text(tomlkit.dumps(document), encoding="utf-8")


@pytest.fixture(autouse=True)
def _jobs_run_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Background jobs (an import, a deduplication) run in the request's own process, as Huey's
    immediate mode does: the pages' tests see the finished job's page. tests/web/test_web_jobs.py
    turns this off where it watches a job queued and running."""
    monkeypatch.setenv("SYNTHESIST_JOBS_EAGER", "1")


@pytest.fixture
def served(tmp_path: Path, database_url: str | None) -> Iterator[Served]:
    init_project(tmp_path / "a", "Project A").close()
    _configure(tmp_path / "a", "dual", None, REVIEWERS)
    a = open_workspace(find_project(tmp_path / "a"), actor="tester")
    init_project(tmp_path / "b", "Project B").close()
    # on SQLite, project B moves into A's review.db: users live in the database the projects share
    _configure(tmp_path / "b", "single", None if database_url else a.project.database_url, ["outsider"])
    b = open_workspace(find_project(tmp_path / "b"), actor="tester", create=True)
    for ws in (a, b):
        export = ws.project.root / "records.ris"
        export.write_text(ris_text(12), encoding="utf-8")
        import_files(ws, ImportRequest(paths=[export], source="MEDLINE"))
    for name in (*REVIEWERS, "outsider"):
        add_user(a, name, PASSWORD)
    add_member(a, "aoife", Role.REVIEWER)
    add_member(a, "lukasz", Role.REVIEWER)
    add_member(a, "olwen", Role.OWNER)
    add_member(b, "outsider", Role.OWNER)
    app = create_app([a, b])
    try:
        yield Served(a, b, app)
    finally:
        a.close()
        b.close()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]*)"', html)
    assert found, "the page has a form with a CSRF token"
    return found.group(1)


def login(client: TestClient, name: str, password: str = PASSWORD) -> None:
    form = client.get("/login")
    response = client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
