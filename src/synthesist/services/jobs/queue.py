"""The task queue: Huey, from the site's ``queue_url`` (or a review's own ``.synthesist/queue.db``).

Huey carries only ``(job id, review folder)``; everything a page shows is the job's row. Storages:
``sqlite:///PATH`` (the embedded default: a file, no service), ``redis://`` and ``postgresql://``
(Huey's PostgresStorage on psycopg 3) when workers run on other machines. A fragment names the
queue (``redis://host:6379/0#evidence-unit``; default ``synthesist``) so that sites sharing one Redis
database or one PostgreSQL database do not take each other's jobs. The consumer runs
process workers, so a CPU-bound job (deduplication, training) does not share one interpreter's lock
with the others.

``SYNTHESIST_JOBS_EAGER=1`` makes Huey run each job in the submitting process at once (its
"immediate" mode): for tests, and for scripts that want the result before going on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from synthesist.errors import UserError

if TYPE_CHECKING:
    from huey import Huey
    from huey.api import TaskWrapper

__all__ = [
    "EAGER_ENV",
    "QUEUE_NAME",
    "EmbeddedWorkers",
    "enqueue",
    "huey_for",
    "run_consumer",
    "split_queue_name",
    "start_embedded_workers",
]

log = logging.getLogger(__name__)

EAGER_ENV = "SYNTHESIST_JOBS_EAGER"
QUEUE_NAME = "synthesist"
TASK_NAME = "synthesist.run_job"
POLL_AT_MOST = 1.0  # seconds between an idle consumer's looks at a polled (SQLite) queue

_QUEUES: dict[tuple[str, bool], tuple[Huey, TaskWrapper]] = {}


def _eager() -> bool:
    return os.environ.get(EAGER_ENV, "") not in ("", "0", "false")


def split_queue_name(url: str) -> tuple[str, str]:
    """``(address, queue name)`` from a queue URL whose optional ``#fragment`` names the queue."""
    address, _, name = url.partition("#")
    return address, name.strip() or QUEUE_NAME


def _make_huey(url: str, eager: bool) -> Huey:
    import huey

    url, name = split_queue_name(url)
    if eager:
        return huey.MemoryHuey(name, immediate=True, results=False, utc=True)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return huey.SqliteHuey(name, filename=str(path), results=False, utc=True)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return huey.RedisHuey(name, url=url, results=False, utc=True)
    if url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        dsn = url.replace("postgresql+psycopg://", "postgresql://", 1)
        return huey.PostgresHuey(name, dsn=dsn, results=False, utc=True)
    raise UserError(
        f"queue_url {url!r} is not a queue Synthesist can use",
        hint='Use "sqlite:///PATH/queue.db", "redis://HOST:6379/0" or "postgresql://USER@HOST/DB"'
        ' (add "#NAME" to name the queue when several sites share one server).',
    )


def _run_message(job_id: int, review_folder: str) -> None:
    from synthesist.services.jobs.execute import execute_job

    execute_job(Path(review_folder), job_id)


def huey_for(url: str) -> tuple[Huey, TaskWrapper]:
    """The queue at ``url`` and its one task, made once per process."""
    eager = _eager()
    found = _QUEUES.get((url, eager))
    if found is None:
        queue = _make_huey(url, eager)
        task = queue.task(name=TASK_NAME, retries=0)(_run_message)
        found = _QUEUES[(url, eager)] = (queue, task)
    return found


def enqueue(url: str, job_id: int, review_folder: Path) -> None:
    """Put the job on the queue (in eager mode: run it now)."""
    _, task = huey_for(url)
    try:
        task(job_id, str(review_folder))
    except UserError:
        raise
    except Exception as error:
        shown = url.split("@")[-1]  # no password in the message
        raise UserError(
            f"the job queue at {shown} cannot be reached: {error}",
            hint="Check queue_url in site.toml and that its service (Redis, PostgreSQL) runs.",
        ) from error


JOB_NICENESS = 10


def run_consumer(url: str, workers: int = 1) -> None:
    """Consume the queue here until SIGINT (finish the jobs running) or SIGTERM (stop at once)."""
    # Jobs give way to the pages: a training or an import on a 2-core machine would otherwise take a
    # core from the reviewers waiting for their next record (the load benchmark's p95 doubled).
    # The worker processes Huey starts inherit the niceness.
    with contextlib.suppress(OSError):
        os.nice(JOB_NICENESS)
    queue, _ = huey_for(url)
    # A SQLite queue is polled, and Huey's backoff lets an idle consumer wait up to 10 s between
    # looks: a job submitted to a quiet server could sit "queued" that long. One look a second is a
    # cheap query; Redis and PostgreSQL block on the queue instead and are not affected.
    consumer = queue.create_consumer(
        workers=max(1, workers), worker_type="process", periodic=False, max_delay=POLL_AT_MOST
    )
    consumer.run()


@dataclass
class EmbeddedWorkers:
    """The consumer process that ``synthesist serve`` starts; ``stop()`` ends it."""

    process: subprocess.Popen[Any]
    queue_url: str

    def stop(self, timeout: float = 20) -> None:
        if self.process.poll() is not None:
            return
        # SIGINT: Huey lets the running jobs finish; a job still running after the timeout is
        # killed, and the next start re-queues it from its heartbeat (see recover_jobs)
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_embedded_workers(queue_url: str, processes: int = 1) -> EmbeddedWorkers:
    """A Huey consumer with ``processes`` process workers, in a child process of its own."""
    command = [
        sys.executable,
        "-m",
        "synthesist.services.jobs.consumer",
        "--queue-url",
        queue_url,
        "--workers",
        str(max(1, processes)),
        "--exit-with-parent",
    ]
    return EmbeddedWorkers(subprocess.Popen(command), queue_url)
