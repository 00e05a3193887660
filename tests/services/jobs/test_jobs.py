"""Jobs without a queue consumer: the service functions and a worker's run of one job in this process
(``run_job``), on SQLite and PostgreSQL: submit, progress, cancel (queued and running), failure
writing nothing, once-only submission, and the recovery of jobs a stopped server left running."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from synthesist.errors import Conflict, NotFound, UnknownPlugin
from synthesist.review.jobs import JobStatus
from synthesist.services.jobs import cancel_job, job_status, list_jobs, recover_jobs, submit_job
from synthesist.services.jobs.execute import run_job
from synthesist.services.jobs.service import MAX_ATTEMPTS
from synthesist.services.records.reading import list_batches, read_log
from synthesist.services.records.uploads import Upload, save_uploads
from synthesist.workspace import Workspace
from tests.helpers import ris_text


def _types(ws: Workspace) -> list[str]:
    return [event.type for event in read_log(ws) if event.type.startswith("job.")]


def _import_job(ws: Workspace, text: str, name: str = "second.ris") -> int:
    import io

    paths = save_uploads(ws, [Upload(name, io.BytesIO(text.encode("utf-8")))])
    folder = paths[0].parent.relative_to(ws.project.root)
    return submit_job(
        ws,
        "records.import",
        {
            "folder": str(folder),
            "files": [p.name for p in paths],
            "source": "Embase",
            "searched_on": "2024-05-01",
        },
    )


def test_an_import_job_runs_and_is_logged_in_the_reviews_log(review: Workspace) -> None:
    job_id = _import_job(review, ris_text(4, start=100))
    queued = job_status(review, job_id)
    assert queued.status is JobStatus.QUEUED and queued.requested_by == "aoife"
    assert (review.project.root / ".synthesist" / "queue.db").is_file()  # the review's own queue
    done = run_job(review, job_id)
    assert done.status is JobStatus.DONE, done.error
    assert done.result is not None and done.result["records"] == 4
    assert done.result["summary"] == "4 records imported"
    assert done.attempts == 1 and done.started_at and done.finished_at
    assert len(list_batches(review)) == 2
    assert _types(review) == ["job.queued", "job.started", "job.finished"]
    assert [job.id for job in list_jobs(review)] == [job_id]


def test_a_failing_import_writes_nothing_and_says_why(review: Workspace) -> None:
    # the fixture's export again: refused as imported before
    job_id = _import_job(review, ris_text(6), name="again.ris")
    folder = review.project.root / "imports" / "uploads"
    assert any(folder.iterdir())
    failed = run_job(review, job_id)
    assert failed.status is JobStatus.FAILED
    assert failed.error and "imported" in failed.error
    assert len(list_batches(review)) == 1  # only the fixture's
    assert not any(folder.iterdir()), "the upload folder of a failed import goes"
    assert _types(review) == ["job.queued", "job.started", "job.failed"]


def test_a_runner_bug_fails_the_job_with_the_reason(review: Workspace) -> None:
    job_id = submit_job(review, "tests.broken", {})
    failed = run_job(review, job_id)
    assert failed.status is JobStatus.FAILED
    assert failed.error == "internal error: RuntimeError: a bug in a runner"


def test_an_unknown_kind_is_refused_when_submitted(review: Workspace) -> None:
    with pytest.raises(UnknownPlugin, match="no job of kind 'nonsense'"):
        submit_job(review, "nonsense", {})
    assert list_jobs(review) == []


def test_once_returns_the_job_already_waiting(review: Workspace) -> None:
    first = submit_job(review, "dedup.run", {"scope": "new"}, once=True)
    assert submit_job(review, "dedup.run", {"scope": "new"}, once=True) == first
    assert submit_job(review, "dedup.run", {"scope": "all"}, once=True) != first
    run_job(review, first)
    assert submit_job(review, "dedup.run", {"scope": "new"}, once=True) != first  # that one is done


def test_a_queued_job_cancelled_never_runs(review: Workspace) -> None:
    job_id = submit_job(review, "dedup.run", {"scope": "new"})
    cancelled = cancel_job(review, job_id)
    assert cancelled.status is JobStatus.CANCELLED
    assert run_job(review, job_id).status is JobStatus.CANCELLED  # the worker skips it
    with pytest.raises(Conflict, match="finished already"):
        cancel_job(review, job_id)
    assert _types(review) == ["job.queued", "job.cancelled"]


def test_a_running_job_cancelled_stops_at_its_next_progress_and_writes_nothing(review: Workspace) -> None:
    job_id = submit_job(review, "tests.slow_import", {"steps": 200})
    finished = []
    worker = threading.Thread(target=lambda: finished.append(run_job(review, job_id)))
    worker.start()
    deadline = time.monotonic() + 20
    while job_status(review, job_id).progress_done < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    running = job_status(review, job_id)
    assert running.status is JobStatus.RUNNING and running.progress_total == 200
    assert running.message and running.message.startswith("step ")
    assert cancel_job(review, job_id).cancel_requested
    worker.join(30)
    assert finished and finished[0].status is JobStatus.CANCELLED
    assert len(list_batches(review)) == 1
    assert _types(review) == ["job.queued", "job.started", "job.cancelled"]


def test_progress_is_written_at_most_twice_a_second(review: Workspace) -> None:
    job_id = submit_job(review, "tests.slow_import", {"steps": 30})
    seen: set[int] = set()
    worker = threading.Thread(target=run_job, args=(review, job_id))
    worker.start()
    while worker.is_alive():
        seen.add(job_status(review, job_id).progress_done)
        time.sleep(0.02)
    worker.join()
    # 30 steps over 1.5 s: about three writes, never one per step
    assert 1 <= len(seen - {0}) <= 6, seen
    assert job_status(review, job_id).status is JobStatus.DONE


def test_another_reviews_job_is_not_found(review: Workspace, tmp_path: Path) -> None:
    from synthesist.services.projects import init_project

    job_id = submit_job(review, "dedup.run", {})
    other = init_project(tmp_path / "other", "Other")
    try:
        if other.accounts.storage.engine.url == review.accounts.storage.engine.url:
            with pytest.raises(NotFound):
                job_status(other, job_id)
            with pytest.raises(NotFound):
                cancel_job(other, job_id)
    finally:
        other.close()


def _stale(ws: Workspace, job_id: int, attempts: int) -> None:
    """As a worker killed mid-job leaves it: running, its heartbeat two minutes old."""
    long_ago = datetime.now(UTC) - timedelta(minutes=2)
    for _ in range(attempts):
        with ws.accounts.unit_of_work() as uow:
            assert uow.jobs.claim(job_id, "dead-worker", long_ago)
            if _ < attempts - 1:
                uow.jobs.requeue(job_id, long_ago)
            uow.commit()


def test_recovery_queues_a_dead_job_again_then_gives_up(review: Workspace) -> None:
    job_id = submit_job(review, "dedup.run", {})
    fresh = submit_job(review, "dedup.run", {"scope": "all"})
    _stale(review, job_id, 1)
    with review.accounts.unit_of_work() as uow:  # running, with a live heartbeat: left alone
        uow.jobs.claim(fresh, "live-worker", datetime.now(UTC))
        uow.commit()
    recovered = recover_jobs(review)
    assert [job.id for job in recovered] == [job_id]
    assert recovered[0].status is JobStatus.QUEUED
    assert job_status(review, fresh).status is JobStatus.RUNNING
    again = run_job(review, job_id)
    assert again.status is JobStatus.DONE and again.attempts == 2

    doomed = submit_job(review, "dedup.run", {"scope": "new", "n": 2})
    _stale(review, doomed, MAX_ATTEMPTS)
    [failed] = recover_jobs(review)
    assert failed.status is JobStatus.FAILED
    assert failed.error == f"the server stopped while it ran ({MAX_ATTEMPTS} attempts)"
    assert _types(review)[-1] == "job.failed"


def test_a_search_job_resumes_the_run_its_cursor_names(review: Workspace) -> None:
    """A restarted search job does not start a second run: the cursor names the run to resume,
    and a run found complete is simply reported."""
    from synthesist.search.runs import NewSearchRun, RunKind

    with review.unit_of_work() as uow:
        run_id = uow.search_runs.add(
            NewSearchRun(
                strategy="main",
                source="pubmed",
                kind=RunKind.SEARCH,
                query="back pain",
                query_as_run="back pain",
                since=None,
                max_records=None,
                page_size=10,
                cursor=None,
                started_by="aoife",
            )
        )
        uow.search_runs.complete(run_id, batch_id=None, imported=0, already_present=0)
        uow.commit()
    job_id = submit_job(review, "search.run", {"strategy": "main", "source": "pubmed"})
    with review.accounts.unit_of_work() as uow:
        uow.jobs.save_cursor(job_id, {"run_id": run_id}, datetime.now(UTC))
        uow.commit()
    done = run_job(review, job_id)
    assert done.status is JobStatus.DONE, done.error
    assert done.result is not None and done.result["runs"] == [run_id]


def test_a_job_that_reports_no_progress_still_beats_its_heart(
    review: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from synthesist.services.jobs import context

    monkeypatch.setattr(context, "HEARTBEAT_SECONDS", 0.3)
    job_id = submit_job(review, "tests.quiet", {"seconds": 2})
    worker = threading.Thread(target=run_job, args=(review, job_id))
    worker.start()
    beats = set()
    while worker.is_alive():
        job = job_status(review, job_id)
        if job.status is JobStatus.RUNNING and job.heartbeat_at is not None:
            beats.add(job.heartbeat_at)
        time.sleep(0.1)
    worker.join()
    assert len(beats) >= 3, beats  # the claim's, then one every 0.3 s or so
    assert job_status(review, job_id).status is JobStatus.DONE
