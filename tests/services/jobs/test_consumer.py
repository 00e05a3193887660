"""Jobs through a real Huey consumer in a child process (what ``synthesist serve`` starts and what
``synthesist worker`` runs): on the review's own SQLite queue, and on Redis for a site whose
``queue_url`` names it. Restart: a job left running by a dead worker is queued again at start and
finished by the new consumer."""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from synthesist.review.jobs import JobStatus, JobView
from synthesist.review.project import find_project
from synthesist.review.site import new_site_files
from synthesist.services.jobs import job_status, recover_jobs, start_embedded_workers, submit_job
from synthesist.services.jobs.queue import huey_for, split_queue_name
from synthesist.services.jobs.service import queue_url_for
from synthesist.services.projects import init_project
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.records.reading import read_log
from synthesist.workspace import Workspace, open_workspace
from tests.helpers import ris_text

REDIS_URL = os.environ.get("SYNTHESIST_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")  # make test sets it


def _wait(ws: Workspace, job_id: int, seconds: float = 60) -> JobView:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = job_status(ws, job_id)
        if job.finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish: {job_status(ws, job_id)}")


def _with_duplicates(ws: Workspace) -> None:
    export = ws.project.root / "dups.ris"
    export.write_text(ris_text(5) + "\n" + ris_text(5), encoding="utf-8")
    import_files(ws, ImportRequest(paths=[export], source="MEDLINE"))


def test_a_consumer_on_the_reviews_sqlite_queue_runs_jobs(project_dir: Path) -> None:
    ws = open_workspace(find_project(project_dir), actor="olwen")
    workers = None
    try:
        _with_duplicates(ws)
        assert queue_url_for(ws).startswith("sqlite:///") and queue_url_for(ws).endswith(
            ".synthesist/queue.db"
        )
        job_id = submit_job(ws, "dedup.run", {"scope": "new"})
        workers = start_embedded_workers(queue_url_for(ws), 1)
        done = _wait(ws, job_id)
        assert done.status is JobStatus.DONE, done.error
        assert done.result is not None and done.result["duplicates"] == 5
        assert done.worker and done.worker.split(":")[0] == socket.gethostname()
        types = [event.type for event in read_log(ws)]
        assert types[-4:] == ["job.queued", "job.started", "dedup.run", "job.finished"]
        assert next(e for e in read_log(ws) if e.type == "job.started").actor == "synthesist"
        assert next(e for e in read_log(ws) if e.type == "dedup.run").actor == "olwen"  # who asked
    finally:
        if workers is not None:
            workers.stop()
        ws.close()
    assert workers.process.returncode is not None


def _redis_or_skip() -> None:
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.ping()
    except Exception as error:
        pytest.skip(f"Redis is not running at {REDIS_URL} ({error}); start it with: redis-server")


@pytest.fixture
def site_review(tmp_path: Path, database_url: str | None) -> Iterator[Workspace]:
    """A review in a site whose queue is Redis (accounts and jobs in the site's database), on a
    queue of its own: test processes running at once share the Redis database, as sites may."""
    _redis_or_skip()
    queue_url = f"{REDIS_URL}#test-{uuid.uuid4().hex[:12]}"
    site = new_site_files(tmp_path / "site", "Team")
    settings = site.settings_path
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(
            '# queue_url = "redis://localhost:6379/0"', f'queue_url = "{queue_url}"'
        ),
        encoding="utf-8",
    )
    init_project(site.review_folder("back-pain"), "Back pain").close()
    ws = open_workspace(find_project(site.review_folder("back-pain")), actor="olwen")
    try:
        assert ws.site is not None and ws.site.queue_url == queue_url
        _with_duplicates(ws)
        yield ws
    finally:
        ws.close()
        huey_for(queue_url)[0].storage.flush_all()


def test_a_consumer_on_redis_runs_a_sites_jobs_and_recovers_a_dead_one(site_review: Workspace) -> None:
    ws = site_review
    assert ws.accounts.storage is not ws.storage  # the job rows live with the site's accounts
    first = submit_job(ws, "dedup.run", {"scope": "new"})
    # a job a killed worker left running: claimed two minutes ago, never heard of since
    stale = submit_job(ws, "report.build", {"formats": ["md"]})
    with ws.accounts.unit_of_work() as uow:
        uow.jobs.claim(stale, "dead", datetime.now(UTC) - timedelta(minutes=2))
        uow.commit()
    assert ws.site is not None
    from synthesist.workspace import open_accounts

    accounts = open_accounts(ws.site)
    try:
        [recovered] = recover_jobs(accounts)  # the site as a whole, as `synthesist worker --site` does
    finally:
        accounts.close()
    assert recovered.id == stale and recovered.status is JobStatus.QUEUED
    workers = start_embedded_workers(ws.site.queue_url, 2)
    try:
        done = _wait(ws, first)
        assert done.status is JobStatus.DONE, done.error
        built = _wait(ws, stale, 120)
        assert built.status is JobStatus.DONE, built.error
        assert built.attempts == 2
        assert built.result is not None
        report = ws.project.root / built.result["folder"] / built.result["files"]["md"]
        assert report.is_file() and report.read_text(encoding="utf-8").startswith("#")
    finally:
        workers.stop()


def test_a_queue_urls_fragment_names_the_queue() -> None:
    assert split_queue_name("redis://h:6379/0#evidence-unit") == ("redis://h:6379/0", "evidence-unit")
    assert split_queue_name("redis://h:6379/0") == ("redis://h:6379/0", "synthesist")
    assert split_queue_name("sqlite:////srv/site/queue.db#") == ("sqlite:////srv/site/queue.db", "synthesist")
