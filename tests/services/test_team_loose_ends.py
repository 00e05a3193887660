"""Loose ends of the team server, on SQLite and PostgreSQL: a title edited in the protocol reaches the
site's registry; the start-up sweep of uploads spares the folders of queued and running jobs (one
review, and every review of a site); a job submitted "once" from two places at the same instant is
queued once."""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import tomlkit

from synthesist.review.jobs import JobStatus
from synthesist.review.project import find_project
from synthesist.services.jobs import cancel_job, list_jobs, submit_job
from synthesist.services.jobs.queue import EAGER_ENV
from synthesist.services.protocol_edit.editing import edit_protocol
from synthesist.services.records.reading import read_log
from synthesist.services.records.uploads import (
    UPLOADS_FOLDER,
    Upload,
    save_uploads,
    sweep_orphan_uploads,
    sweep_site_uploads,
)
from synthesist.services.site import list_reviews, open_site_review
from synthesist.workspace import Accounts, Workspace, open_workspace
from tests.helpers import ris_text
from tests.site_helpers import make_site, populate


@pytest.fixture(autouse=True)
def _queued_not_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Jobs stay queued: no worker runs in these tests (the sweep must spare what they wait for)."""
    monkeypatch.delenv(EAGER_ENV, raising=False)


@pytest.fixture
def site(tmp_path: Path, database_url: str | None) -> Iterator[tuple[Accounts, str, str]]:
    accounts = make_site(tmp_path / "site", database_url)
    try:
        key_a, key_b = populate(accounts)
        yield accounts, key_a, key_b
    finally:
        accounts.close()


def _open(accounts: Accounts, key: str, actor: str = "olwen") -> Workspace:
    opened = open_site_review(accounts, key, actor)
    assert opened is not None
    return opened


def _retitle(title: str) -> Callable[[tomlkit.TOMLDocument], None]:
    def change(document: tomlkit.TOMLDocument) -> None:
        review = document["review"]
        assert isinstance(review, tomlkit.items.Table)
        review["title"] = title

    return change


def _titles(accounts: Accounts) -> dict[str, str]:
    return {review.key: review.title for review in list_reviews(accounts)}


# -- 1. the title, from the protocol page to the registry ------------------------------------------


def test_a_title_edited_in_the_protocol_reaches_the_sites_registry(site: tuple[Accounts, str, str]) -> None:
    accounts, key_a, key_b = site
    workspace = _open(accounts, key_a)
    try:
        edit_protocol(workspace, "review", _retitle("Exercise therapy for knee osteoarthritis"))
        assert workspace.project.title == "Exercise therapy for knee osteoarthritis"
        assert any(event.type == "protocol.edited" for event in read_log(workspace))
    finally:
        workspace.close()
    titles = _titles(accounts)
    assert titles[key_a] == "Exercise therapy for knee osteoarthritis"
    assert titles[key_b] == "Yoga for back pain", "another review's row is untouched"


def test_a_title_changed_by_hand_reaches_the_registry_when_the_review_is_next_opened(
    site: tuple[Accounts, str, str],
) -> None:
    """The CLI cannot set the title, but a text editor can: any command (or a server start) opens
    the review, and that opening brings the registry row in line with review.toml."""
    accounts, key_a, _ = site
    assert accounts.site is not None
    protocol = accounts.site.root / "reviews" / key_a / "review.toml"
    text = protocol.read_text(encoding="utf-8")
    protocol.write_text(
        text.replace('title = "Exercise for knee pain"', 'title = "Knee pain, by hand"'), encoding="utf-8"
    )
    assert _titles(accounts)[key_a] == "Exercise for knee pain"
    opened = open_workspace(find_project(protocol.parent), "olwen")  # what every CLI command does
    opened.close()
    assert _titles(accounts)[key_a] == "Knee pain, by hand"


def test_a_review_on_its_own_keeps_its_own_row_in_step(workspace: Workspace) -> None:
    edit_protocol(workspace, "review", _retitle("Renamed on its own"))
    with workspace.accounts.unit_of_work(write=False) as uow:
        # the row the review's database holds for it (no folder: not a hosted review)
        assert uow.site.set_title("Renamed on its own") is False, "the edit wrote the title already"


# -- 2. the sweep spares what queued jobs wait for ---------------------------------------------------


def _age(folder: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    for path in [*folder.rglob("*"), folder]:
        os.utime(path, (then, then))


def _queued_import(workspace: Workspace, start: int) -> tuple[int, Path]:
    paths = save_uploads(workspace, [Upload("waiting.ris", io.BytesIO(ris_text(2, start=start).encode()))])
    folder = paths[0].parent
    params = {"folder": str(folder.relative_to(workspace.project.root)), "files": [paths[0].name]}
    return submit_job(workspace, "records.import", params), folder


def _orphan(workspace: Workspace, name: str) -> Path:
    folder = workspace.project.root / UPLOADS_FOLDER / name
    folder.mkdir(parents=True)
    (folder / "never.ris").write_text(ris_text(1, start=900), encoding="utf-8")
    return folder


def test_the_sweep_spares_the_folder_of_a_queued_import(workspace: Workspace, tmp_path: Path) -> None:
    job_id, waiting = _queued_import(workspace, 300)
    orphan = _orphan(workspace, "20260101-000000-abcdef")
    _age(waiting, 5)  # no worker has run for hours
    _age(orphan, 5)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    assert sweep_orphan_uploads(workspace, temporary_folder=scratch) == [orphan]
    assert waiting.is_dir() and not orphan.exists()
    cancel_job(workspace, job_id)  # nobody will import it now: the next sweep takes it
    assert sweep_orphan_uploads(workspace, temporary_folder=scratch) == [waiting]


def test_the_site_sweep_goes_through_every_review(site: tuple[Accounts, str, str]) -> None:
    accounts, key_a, key_b = site
    a, b = _open(accounts, key_a, "aoife"), _open(accounts, key_b, "lukasz")
    try:
        _, waiting = _queued_import(a, 400)
        orphan_a = _orphan(a, "20260101-000000-aaaaaa")
        orphan_b = _orphan(b, "20260101-000000-bbbbbb")
        for folder in (waiting, orphan_a, orphan_b):
            _age(folder, 3)
    finally:
        a.close()
        b.close()
    swept = sweep_site_uploads(accounts)
    assert {key: [f.name for f in folders] for key, folders in swept.items()} == {
        key_a: [orphan_a.name],
        key_b: [orphan_b.name],
    }
    assert waiting.is_dir()


def test_serve_site_sweeps_at_start(site: tuple[Accounts, str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """``serve --site`` sweeps before it starts the web processes (uvicorn itself is not run here)."""
    import uvicorn

    from synthesist.cli.project.serve_many import serve_many

    accounts, key_a, _ = site
    a = _open(accounts, key_a)
    try:
        orphan = _orphan(a, "20260101-000000-cccccc")
        _age(orphan, 2)
    finally:
        a.close()
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
    assert accounts.site is not None
    serve_many(
        accounts.site.root,
        None,
        workers=2,
        host="127.0.0.1",
        port=0,
        secure_cookies=False,
        proxy={"proxy_headers": False},
    )
    assert not orphan.exists()


# -- 4. once means once, across processes --------------------------------------------------------------


def _submit_at_once(workspaces: list[Workspace], params: dict[str, object]) -> list[int]:
    barrier = threading.Barrier(len(workspaces))
    ids: list[int] = []
    errors: list[BaseException] = []

    def submit(ws: Workspace) -> None:
        try:
            barrier.wait()
            ids.append(submit_job(ws, "dedup.run", params, once=True))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=submit, args=(ws,)) for ws in workspaces]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return ids


def test_two_submits_at_the_same_instant_queue_one_job(workspace: Workspace) -> None:
    # each thread its own workspace and engine, as two web processes have
    others = [open_workspace(find_project(workspace.project.root), actor) for actor in ("aoife", "lukasz")]
    try:
        for round_ in range(5):
            ids = _submit_at_once(others, {"scope": "all", "round": round_})
            assert len(ids) == 2 and ids[0] == ids[1], ids
        active = list_jobs(workspace, statuses=(JobStatus.QUEUED, JobStatus.RUNNING))
        assert len(active) == 5
    finally:
        for other in others:
            other.close()


def test_two_submits_at_once_in_a_site_review_queue_one_job(site: tuple[Accounts, str, str]) -> None:
    accounts, key_a, _ = site
    others = [_open(accounts, key_a, actor) for actor in ("aoife", "olwen")]
    try:
        for round_ in range(5):
            ids = _submit_at_once(others, {"scope": "new", "round": round_})
            assert len(ids) == 2 and ids[0] == ids[1], ids
        assert len(list_jobs(others[0], statuses=(JobStatus.QUEUED,))) == 5
    finally:
        for other in others:
            other.close()
