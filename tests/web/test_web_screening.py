"""Screening through the web app: the keyboard form, undo and skip, a dual conflict and its consensus."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from synthesist.screening.model import Stage, StageStatus
from synthesist.services.screening import overview
from tests.web.conftest import Served, csrf_of


def _current(page: str) -> int | None:
    found = re.search(r'name="record_id" value="(\d+)"', page)
    return int(found.group(1)) if found else None


def _press(client: TestClient, url: str, shortcut: str, **fields: object) -> str:
    page = client.get(url)
    data = {"shortcut": shortcut, "csrf_token": csrf_of(page.text), "skip": "", **fields}
    record_id = _current(page.text)
    if record_id is not None and "record_id" not in fields:
        data["record_id"] = record_id
    response = client.post(url, data=data)
    assert response.status_code == 200, response.text
    return response.text


def test_screening_ten_records_with_the_keyboard_form(served: Served) -> None:
    client = served.client("outsider")  # owner of project B, single screening
    url = f"/p/{served.b.project.key}/screen/title-abstract"
    page = client.get(url)
    assert "Why now:" in page.text and '<mark class="kw-include">' in page.text, "keywords highlighted"
    assert 'data-key="i"' in page.text and "/static/keys.js" in page.text
    for shortcut in "iemieiemie":
        _press(client, url, shortcut)
    view = overview(served.b)
    decided = [rid for rid, p in view.records.items() if p.at(Stage.TITLE_ABSTRACT).final]
    assert len(decided) == 10
    guidance = re.search(r'<p id="stopping">(.*?)</p>', client.get(url).text)
    assert guidance is not None and "10 of" in guidance.group(1) and "screened" in guidance.group(1)
    # u undoes the latest decision; n skips a record without deciding it
    _press(client, url, "u")
    assert sum(1 for p in overview(served.b).records.values() if p.at(Stage.TITLE_ABSTRACT).final) == 9
    first = _current(client.get(url).text)
    after_skip = _press(client, url, "n")
    assert _current(after_skip) != first
    progress = client.get(f"/p/{served.b.project.key}").text
    assert "included" in progress and "excluded" in progress


def test_two_reviewers_disagree_and_the_owner_resolves_the_conflict(served: Served) -> None:
    key = served.a.project.key
    url = f"/p/{key}/screen/title-abstract"
    aoife, lukasz, olwen = (served.client(name) for name in ("aoife", "lukasz", "olwen"))
    _press(aoife, url, "i", record_id=5)
    _press(lukasz, url, "e", record_id=5)
    assert overview(served.a).records[5].at(Stage.TITLE_ABSTRACT) is StageStatus.CONFLICT

    conflicts = olwen.get(f"/p/{key}/conflicts/title-abstract")
    assert "Record 5" in conflicts.text and "Record the consensus" in conflicts.text
    reviewer_view = aoife.get(f"/p/{key}/conflicts/title-abstract")
    assert "Record 5" in reviewer_view.text and "Record the consensus" not in reviewer_view.text
    form = {"vote": "include", "participants": "aoife, lukasz", "csrf_token": csrf_of(reviewer_view.text)}
    assert aoife.post(f"/p/{key}/conflicts/title-abstract/5", data=form).status_code == 403

    form["csrf_token"] = csrf_of(conflicts.text)
    resolved = olwen.post(f"/p/{key}/conflicts/title-abstract/5", data=form)
    assert resolved.status_code == 200 and "No conflicts" in resolved.text
    assert overview(served.a).records[5].at(Stage.TITLE_ABSTRACT) is StageStatus.INCLUDED
    agreement = olwen.get(f"/p/{key}/agreement").text
    assert "aoife &amp; lukasz" in agreement
    log = olwen.get(f"/p/{key}/log").text
    assert "screening.decided" in log and "olwen" in log, "the consensus is logged in the owner's name"
