"""What a running job sees of itself: :class:`JobContext` (progress, cancellation, its cursor), and
the registry of runners by job kind.

Progress is kept in memory and written by a reporter thread at most twice a second, which also
beats the heart and reads whether someone cancelled the job. The services the runners call report
progress from inside their own transactions; on SQLite a review on its own keeps its jobs in the
same file, so a progress write made there would wait for the very write lock its caller holds. In
the thread it only waits, and the service's own thread never blocks on it.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from synthesist.errors import JobCancelled, UnknownPlugin
from synthesist.review.jobs import JobView
from synthesist.workspace import Accounts, Workspace

__all__ = [
    "HEARTBEAT_SECONDS",
    "PROGRESS_INTERVAL",
    "JobContext",
    "Runner",
    "known_kinds",
    "register_runner",
    "runner_for",
]

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.5  # seconds between progress writes: at most two a second per job
HEARTBEAT_SECONDS = 10.0  # a running job's row is touched at least this often, even without progress


class JobContext:
    """Handed to a runner: ``progress(done, total, message)`` (raises :class:`JobCancelled` once a
    cancel was requested), ``cursor`` (what an earlier attempt saved) and ``save_cursor``."""

    def __init__(self, accounts: Accounts, job: JobView, *, interval: float = PROGRESS_INTERVAL) -> None:
        self.job_id = job.id
        self.attempt = job.attempts
        self._accounts = accounts
        self._cursor = dict(job.cursor) if job.cursor else None
        self._interval = interval
        self._lock = threading.Lock()
        self._pending: tuple[int, int | None, str | None] | None = None
        self._cancelled = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def cursor(self) -> dict[str, Any] | None:
        return self._cursor

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        with self._lock:
            self._pending = (done, total, message)
        self.check()

    def check(self) -> None:
        """Raise :class:`JobCancelled` when a cancel was requested (as read by the reporter)."""
        if self._cancelled.is_set():
            raise JobCancelled(f"job {self.job_id} was cancelled; nothing of it was written")

    def save_cursor(self, cursor: dict[str, Any]) -> None:
        """Where a later attempt resumes from (written at once: the runner decides how often)."""
        self._cursor = dict(cursor)
        with self._accounts.unit_of_work() as uow:
            uow.jobs.save_cursor(self.job_id, self._cursor, datetime.now(UTC))
            uow.commit()

    # the reporter thread
    def start(self) -> JobContext:
        self._thread = threading.Thread(target=self._report, name=f"job-{self.job_id}-reporter", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _report(self) -> None:
        last_beat = time.monotonic()
        while not self._stop.wait(self._interval):
            try:
                last_beat = self._report_once(last_beat)
            except Exception:  # a failed write is retried at the next tick; the job goes on
                log.warning("job %s: could not record progress", self.job_id, exc_info=True)

    def _report_once(self, last_beat: float) -> float:
        with self._accounts.unit_of_work(write=False) as uow:
            if uow.jobs.cancel_requested(self.job_id):
                self._cancelled.set()
        with self._lock:
            pending, self._pending = self._pending, None
        now = time.monotonic()
        if pending is None and now - last_beat < HEARTBEAT_SECONDS:
            return last_beat
        with self._accounts.unit_of_work() as uow:
            if pending is None:
                uow.jobs.heartbeat(self.job_id, datetime.now(UTC))
            else:
                uow.jobs.progress(self.job_id, *pending, datetime.now(UTC))
            uow.commit()
        return now


# A runner does the job's work by calling the services (each one transaction) and returns the result
# shown on the job's page (JSON: numbers, strings, lists and dicts).
Runner = Callable[[Workspace, dict[str, Any], JobContext], dict[str, Any]]

_RUNNERS: dict[str, Runner] = {}
# Kinds whose runners register themselves when their module is imported: a worker imports the module
# the first time it meets the kind, so no process loads every area's code up front.
_RUNNER_MODULES = {
    "records.import": "synthesist.services.jobs.runners",
    "dedup.run": "synthesist.services.jobs.runners",
    "search.run": "synthesist.services.jobs.runners",
    "search.update": "synthesist.services.jobs.runners",
    "search.citations": "synthesist.services.jobs.runners",
    "report.build": "synthesist.services.jobs.runners",
    "screening.rank": "synthesist.services.screening.ranking_store",
}


def register_runner(kind: str, runner: Runner) -> None:
    """Make ``kind`` a job that workers run with ``runner`` (a later registration replaces it)."""
    _RUNNERS[kind] = runner


def known_kinds() -> list[str]:
    return sorted({*_RUNNERS, *_RUNNER_MODULES})


def runner_for(kind: str) -> Runner:
    found = _RUNNERS.get(kind)
    if found is None and kind in _RUNNER_MODULES:
        try:
            importlib.import_module(_RUNNER_MODULES[kind])
        except ImportError:
            log.warning("the module of job kind %s cannot be imported", kind, exc_info=True)
        found = _RUNNERS.get(kind)
    if found is None:
        raise UnknownPlugin(
            f"there is no job of kind {kind!r}", hint=f"The kinds of job are: {', '.join(known_kinds())}."
        )
    return found
