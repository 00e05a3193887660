"""Screening through the web app: the keyboard form, undo and skip, a dual conflict and its consensus."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from synthesist.screening.model import Stage, StageStatus, Vote
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.screening import overview_cache as screening_overviews
from synthesist.services.screening.decisions import decide, overview, resolve_conflict, undo_decision
from synthesist.web.state import WebState
from tests.helpers import ris_text
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


def test_progress_counts_every_reviewers_decisions_and_the_full_text_panel_is_full_text_only(
    served: Served,
) -> None:
    """The progress line comes from the overview the queue read to choose the record (one read per
    page): it must count a colleague's decisions made since the reviewer's last page."""
    key = served.a.project.key
    aoife, lukasz = served.client("aoife"), served.client("lukasz")
    url = f"/p/{key}/screen/title-abstract"
    first = aoife.get(url).text
    assert re.search(r'<p id="progress">0 of 12 records decided', first)
    assert "fulltext-panel" not in first and "/static/fulltext.css" not in first
    for record_id in (1, 2):
        _press(aoife, url, "i", record_id=record_id)
        _press(lukasz, url, "i", record_id=record_id)
    assert re.search(r'<p id="progress">2 of 12 records decided', aoife.get(url).text)
    full_text = aoife.get(f"/p/{key}/screen/full-text").text
    assert re.search(r'<p id="progress">0 of 2 records decided', full_text)
    assert 'class="fulltext-panel"' in full_text and "No report is attached to this record yet." in full_text


def test_reviewers_screening_at_the_same_time_each_decide_a_record_once(served: Served) -> None:
    """Requests of two reviewers run in parallel threads (each queue has its own lock): every
    decision the server acknowledged is stored once, and nobody is shown a record twice."""
    key = served.a.project.key
    url = f"/p/{key}/screen/title-abstract"
    decided: dict[str, list[int]] = {"aoife": [], "lukasz": []}

    def screen(name: str) -> None:
        client = served.client(name)
        page = client.get(url).text
        for _ in range(5):
            record_id = _current(page)
            assert record_id is not None and record_id not in decided[name]
            data = {"shortcut": "e", "record_id": record_id, "csrf_token": csrf_of(page), "skip": ""}
            response = client.post(url, data=data)
            assert response.status_code == 200, response.text
            decided[name].append(record_id)
            page = response.text

    threads = [threading.Thread(target=screen, args=(name,)) for name in decided]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    view = overview(served.a)
    for name, records in decided.items():
        assert len(records) == 5
        stored = [
            d.record_id
            for decisions in view.decisions.values()
            for d in decisions
            if d.reviewer == name and d.stage is Stage.TITLE_ABSTRACT and d.active
        ]
        assert sorted(stored) == sorted(records), f"{name}: each acknowledged decision stored once"


def test_the_queues_overview_read_record_by_record_equals_a_full_read(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The queue reads again only the records whose decisions changed since its last read (the
    log says which); after decisions, an undo, a consensus and an import, what it holds is what a
    full read gives."""
    reads: list[list[int] | None] = []
    real = screening_overviews.overview_in

    def counted(uow: Any, workspace: Any, only: Any = None) -> Any:
        reads.append(None if only is None else list(only))
        return real(uow, workspace, only=only)

    monkeypatch.setattr(screening_overviews, "overview_in", counted)
    state = WebState(projects={served.a.project.key: served.a}, accounts=served.a.accounts)
    ws, stage = served.a, Stage.TITLE_ABSTRACT

    def same_as_a_full_read() -> None:
        _, held = state.next_with_overview(ws, "aoife", stage, [])
        fresh = overview(ws)
        assert held.records == fresh.records
        assert {k: [d.id for d in v] for k, v in held.decisions.items() if v} == {
            k: [d.id for d in v] for k, v in fresh.decisions.items() if v
        }

    same_as_a_full_read()
    decide(ws, 3, stage, Vote.INCLUDE, reviewer="lukasz")
    decide(ws, 4, stage, Vote.EXCLUDE, reviewer="lukasz")
    reads.clear()
    same_as_a_full_read()
    assert reads == [[3, 4]], "only the two records decided since are read again"
    decide(ws, 3, stage, Vote.EXCLUDE, reviewer="aoife")  # a conflict
    undo_decision(ws, reviewer="lukasz", stage=stage)
    same_as_a_full_read()
    resolve_conflict(ws, 3, stage, Vote.INCLUDE, participants=["aoife", "lukasz"])
    same_as_a_full_read()
    export = ws.project.root / "more.ris"
    export.write_text(ris_text(2, start=100), encoding="utf-8")
    import_files(ws, ImportRequest(paths=[export], source="Embase"))  # not a decision: a full read
    reads.clear()
    same_as_a_full_read()
    assert reads == [None]
    assert len(overview(ws).records) == 14


def test_a_third_vote_and_an_undo_after_the_votes_are_compared_are_refused_with_409(served: Served) -> None:
    key = served.a.project.key
    url = f"/p/{key}/screen/title-abstract"
    aoife, lukasz, olwen = (served.client(name) for name in ("aoife", "lukasz", "olwen"))
    _press(aoife, url, "i", record_id=7)
    _press(lukasz, url, "e", record_id=7)
    page = olwen.get(url)
    form = {"shortcut": "i", "record_id": 7, "csrf_token": csrf_of(page.text), "skip": ""}
    third = olwen.post(url, data=form)
    assert third.status_code == 409
    assert "already has its two votes" in third.text and "aoife and lukasz" in third.text
    page = lukasz.get(url)
    undo = lukasz.post(url, data={"shortcut": "u", "csrf_token": csrf_of(page.text), "skip": ""})
    assert undo.status_code == 409 and "cannot be undone" in undo.text and "seen aoife&#39;s" in undo.text
    assert overview(served.a).records[7].at(Stage.TITLE_ABSTRACT) is StageStatus.CONFLICT


def test_a_record_with_its_two_votes_is_offered_by_no_server_process(served: Served) -> None:
    """Two apps over one database stand for two server processes, each with its own queues in memory:
    once a record has the two votes dual screening takes, neither offers it to a third reviewer."""
    from synthesist.web import create_app
    from tests.web.conftest import login

    second = create_app([served.a, served.b])
    url = f"/p/{served.a.project.key}/screen/title-abstract"
    olwen_first, olwen_second = served.client("olwen"), TestClient(second, base_url="http://testserver")
    login(olwen_second, "olwen")
    offered = _current(olwen_first.get(url).text)
    assert offered is not None and _current(olwen_second.get(url).text) == offered
    lukasz_second = TestClient(second, base_url="http://testserver")
    login(lukasz_second, "lukasz")
    _press(served.client("aoife"), url, "i", record_id=offered)  # through the first process
    _press(lukasz_second, url, "e", record_id=offered)  # through the second
    for olwen in (olwen_first, olwen_second):
        assert _current(olwen.get(url).text) not in (offered, None)
