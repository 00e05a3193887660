"""Logins act as the protocol's reviewers (issue 19): an account's display name, and the name a member's
decisions are recorded under, on the web as in the worked example ("Aoife Brennan" logs in as "aoife")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
import tomlkit
from fastapi.testclient import TestClient

from synthesist.errors import UserError
from synthesist.review.accounts import Role
from synthesist.review.project import find_project
from synthesist.screening.model import Stage
from synthesist.services.accounts.users import (
    acting_name,
    add_member,
    add_user,
    member_identity,
    set_display_name,
)
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.records.reading import read_log
from synthesist.services.screening.decisions import overview
from synthesist.web import create_app
from synthesist.workspace import Workspace, open_workspace
from tests.helpers import ris_text
from tests.web.conftest import PASSWORD, csrf_of, login


@pytest.fixture
def listed(workspace: Workspace) -> Iterator[Workspace]:
    """The project's screening lists its reviewers by their full names, as the worked example does."""
    path = workspace.project.protocol_path
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    for stage in ("title_abstract", "full_text"):
        document["screening"][stage]["reviewers"] = ["Aoife Brennan", "Łukasz Nowak"]
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    with closing(open_workspace(find_project(workspace.project.root), actor="tester")) as reopened:
        yield reopened


def test_a_login_acts_under_the_name_the_protocol_lists_it_by(listed: Workspace) -> None:
    aoife = add_user(listed, "aoife", PASSWORD, display_name="  aoife   BRENNAN ")
    assert aoife.display_name == "aoife BRENNAN"  # spaces tidied, case kept
    assert acting_name(listed, aoife) == "Aoife Brennan", (
        "matched case-insensitively, the protocol's spelling"
    )
    lukasz = add_user(listed, "Łukasz Nowak", PASSWORD)  # listed by login
    assert acting_name(listed, lukasz) == "Łukasz Nowak"
    olwen = add_user(listed, "olwen", PASSWORD, display_name="Olwen Davies")
    assert acting_name(listed, olwen) == "Olwen Davies", "not listed: the display name"
    plain = add_user(listed, "ingrid", PASSWORD)
    assert acting_name(listed, plain) == "ingrid"

    assert member_identity(listed, "aoife") is None, "not a member yet"
    add_member(listed, "aoife", Role.REVIEWER)
    assert member_identity(listed, "aoife") == (Role.REVIEWER, "Aoife Brennan")

    assert set_display_name(listed, "olwen", "").display_name is None
    with pytest.raises(UserError, match="up to 200 printable characters"):
        set_display_name(listed, "olwen", "Olwen\x1b[2J")
    logged = [e.payload for e in read_log(listed) if e.type == "users.display_name_set"]
    assert logged[-1] == {"user": "olwen", "display_name": None}


def test_on_the_web_the_login_screens_as_the_protocols_reviewer(listed: Workspace, tmp_path: Path) -> None:
    export = tmp_path / "records.ris"
    export.write_text(ris_text(3), encoding="utf-8")
    import_files(listed, ImportRequest(paths=[export], source="MEDLINE"))
    add_user(listed, "aoife", PASSWORD, display_name="Aoife Brennan")
    add_member(listed, "aoife", Role.REVIEWER)
    client = TestClient(create_app(listed), base_url="http://testserver")
    login(client, "aoife")
    url = f"/p/{listed.project.key}/screen/title-abstract"
    page = client.get(url)
    assert re.search(r"Signed in as <strong>Aoife Brennan</strong> \(aoife\)", page.text)
    record = re.search(r'name="record_id" value="(\d+)"', page.text)
    assert record is not None
    form = {"shortcut": "e", "record_id": record.group(1), "csrf_token": csrf_of(page.text), "skip": ""}
    assert client.post(url, data=form).status_code == 200
    [decision] = overview(listed).decisions[int(record.group(1))]
    assert decision.reviewer == "Aoife Brennan" and decision.stage is Stage.TITLE_ABSTRACT
    assert [e.actor for e in read_log(listed) if e.type == "screening.decided"] == ["aoife"], (
        "the log names the login"
    )


def test_a_member_the_protocol_does_not_list_is_told_before_pressing_a_key(
    listed: Workspace, tmp_path: Path
) -> None:
    export = tmp_path / "records.ris"
    export.write_text(ris_text(2), encoding="utf-8")
    import_files(listed, ImportRequest(paths=[export], source="MEDLINE"))
    add_user(listed, "ingrid", PASSWORD)
    add_member(listed, "ingrid", Role.REVIEWER)
    client = TestClient(create_app(listed), base_url="http://testserver")
    login(client, "ingrid")
    page = client.get(f"/p/{listed.project.key}/screen/title-abstract").text
    assert 'id="not-listed"' in page and "Aoife Brennan, Łukasz Nowak" in page
    assert 'synthesist users name ingrid "Full Name"' in page
    assert 'data-key="i"' not in page, "no Include button to press"
