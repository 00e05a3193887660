"""Background jobs on Huey: long work (imports, deduplication, live searches, living updates,
citation searching, report builds, training the screening ranking) runs in worker processes, shows
its progress, can be cancelled, writes nothing until it completes and survives a restart.

- ``context.py``: :class:`JobContext` (what a runner sees) and the runners by kind
- ``service.py``: submit, look at, list, cancel and recover jobs (one transaction each)
- ``queue.py``: the Huey queue from a ``queue_url``, the consumer, the workers ``serve`` starts
- ``execute.py``: what a worker does with a message
- ``runners.py``: the built-in kinds
"""

from __future__ import annotations

from synthesist.errors import JobCancelled
from synthesist.review.jobs import JobStatus, JobView
from synthesist.services.jobs.context import JobContext, Runner, known_kinds, register_runner
from synthesist.services.jobs.queue import EmbeddedWorkers, run_consumer, start_embedded_workers
from synthesist.services.jobs.service import (
    cancel_job,
    job_status,
    list_jobs,
    queue_url_for,
    recover_jobs,
    submit_job,
)

__all__ = [
    "EmbeddedWorkers",
    "JobCancelled",
    "JobContext",
    "JobStatus",
    "JobView",
    "Runner",
    "cancel_job",
    "job_status",
    "known_kinds",
    "list_jobs",
    "queue_url_for",
    "recover_jobs",
    "register_runner",
    "run_consumer",
    "start_embedded_workers",
    "submit_job",
]
