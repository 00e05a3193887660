"""What a worker does with a message: claim the job, run its runner, record how it ended.

A job writes nothing until it completes: the runners call the existing services, each one
transaction, so an error or a cancel (raised at a progress report, inside the service's transaction)
rolls back everything of that service call. The job's own row and events are written outside it.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import UTC, datetime
from pathlib import Path

from synthesist.errors import JobCancelled, UserError
from synthesist.events import JobFailed, JobFinished, JobStarted, JobWasCancelled
from synthesist.review.jobs import JobStatus, JobView
from synthesist.review.project import find_project
from synthesist.services.jobs.context import JobContext, runner_for
from synthesist.services.jobs.service import SYSTEM_ACTOR, commit_both, log_job_event, row_and_log
from synthesist.workspace import Workspace, open_workspace

__all__ = ["execute_job", "run_job"]

log = logging.getLogger(__name__)


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def execute_job(review_folder: Path, job_id: int) -> JobView | None:
    """Open the review and run the job (the queue's task); None when the review is gone."""
    try:
        workspace = open_workspace(find_project(review_folder), SYSTEM_ACTOR)
    except UserError:
        log.error("job %s: the review at %s cannot be opened", job_id, review_folder, exc_info=True)
        return None
    try:
        return run_job(workspace, job_id)
    finally:
        workspace.close()


def run_job(workspace: Workspace, job_id: int, *, worker: str | None = None) -> JobView:
    """Claim the queued job and run it to its end here; a job already taken, cancelled or finished is
    left as it is."""
    worker = worker or _worker_name()
    with workspace.accounts.unit_of_work() as uow:
        claimed = uow.jobs.claim(job_id, worker, datetime.now(UTC))
        job = uow.jobs.get(job_id)
        uow.commit()
    if not claimed:
        return job
    acting = workspace.acting_as(job.requested_by)
    started = JobStarted(job_id=job.id, kind=job.kind, attempt=job.attempts, worker=worker)
    log_job_event(acting, started, SYSTEM_ACTOR)  # the worker's doing; the work itself is the requester's
    context = JobContext(workspace.accounts, job).start()
    try:
        result = runner_for(job.kind)(acting, dict(job.params), context)
    except JobCancelled:
        context.stop()
        _end(acting, job, JobStatus.CANCELLED, message="cancelled while it ran; nothing was written")
    except UserError as error:
        context.stop()
        _end(acting, job, JobStatus.FAILED, error=str(error))
    except Exception as error:  # a bug: the job fails with the reason, the worker goes on
        context.stop()
        log.exception("job %s (%s) failed", job.id, job.kind)
        _end(acting, job, JobStatus.FAILED, error=f"internal error: {type(error).__name__}: {error}")
    else:
        context.stop()
        _end(acting, job, JobStatus.DONE, result=result)
    with workspace.accounts.unit_of_work(write=False) as uow:
        return uow.jobs.get(job_id)


def _end(
    workspace: Workspace,
    job: JobView,
    status: JobStatus,
    *,
    result: dict[str, object] | None = None,
    error: str | None = None,
    message: str | None = None,
) -> None:
    now = datetime.now(UTC)
    with row_and_log(workspace) as (rows, log_uow):
        if status is JobStatus.DONE:
            summary = str((result or {}).get("summary", ""))
            rows.jobs.finish(job.id, status, now, result=result, message=summary or "done")
            log_uow.events.append(
                JobFinished(job_id=job.id, kind=job.kind, summary_text=summary), SYSTEM_ACTOR
            )
        elif status is JobStatus.CANCELLED:
            rows.jobs.finish(job.id, status, now, message=message)
            log_uow.events.append(
                JobWasCancelled(job_id=job.id, kind=job.kind, while_running=True), SYSTEM_ACTOR
            )
        else:
            rows.jobs.finish(job.id, status, now, error=error, message="failed; nothing was written")
            log_uow.events.append(JobFailed(job_id=job.id, kind=job.kind, reason=error or ""), SYSTEM_ACTOR)
        commit_both(rows, log_uow)
