"""The jobs' use cases: submit, look at, list and cancel jobs, and recover those a stopped server
left running.

A job's row lives with the accounts (``workspace.accounts``); its events go to the log of the review
it works on (``workspace.unit_of_work()``). For a review on its own, and for a review a PostgreSQL
site hosts, both are one database and the row and its event are one transaction; a review on SQLite
in a site keeps its log in its own ``review.db``, so the row is committed first and the event just
after (a crash between the two leaves a job without its "queued" event, never an event without job).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from synthesist.errors import Conflict, UserError
from synthesist.events import Event, JobFailed, JobQueued, JobWasCancelled
from synthesist.ports import UnitOfWork
from synthesist.review.jobs import JobStatus, JobView
from synthesist.services.jobs.context import runner_for
from synthesist.services.jobs.queue import enqueue
from synthesist.workspace import Accounts, Workspace

__all__ = [
    "MAX_ATTEMPTS",
    "STALE_AFTER",
    "SYSTEM_ACTOR",
    "cancel_job",
    "commit_both",
    "job_status",
    "list_jobs",
    "log_job_event",
    "queue_url_for",
    "recover_jobs",
    "row_and_log",
    "submit_job",
]

STALE_AFTER = timedelta(seconds=60)  # a running job's heartbeat older than this: its worker is gone
MAX_ATTEMPTS = 3  # starts of one job, counting the first, before a restart gives up on it
SYSTEM_ACTOR = "synthesist"  # who the log names for what the workers decide on their own
STOPPED_REASON = "the server stopped while it ran"


def queue_url_for(workspace: Workspace) -> str:
    """The site's queue, or, for a review on its own, a SQLite queue in its ``.synthesist/``."""
    if workspace.site is not None:
        return workspace.site.queue_url
    return f"sqlite:///{(workspace.project.root / '.synthesist' / 'queue.db').resolve()}"


@contextmanager
def row_and_log(workspace: Workspace) -> Iterator[tuple[UnitOfWork, UnitOfWork]]:
    """Units of work for the job's row and for the review's log: one when they share a database."""
    accounts, own = workspace.accounts.storage, workspace.storage
    if accounts.engine is own.engine and accounts.project_id == own.project_id:
        with workspace.unit_of_work() as uow:
            yield uow, uow
        return
    with workspace.accounts.unit_of_work() as rows, workspace.unit_of_work() as log:
        yield rows, log


def commit_both(row_uow: UnitOfWork, log_uow: UnitOfWork) -> None:
    row_uow.commit()
    if log_uow is not row_uow:
        log_uow.commit()


def log_job_event(workspace: Workspace, event: Event, actor: str | None = None) -> None:
    with workspace.unit_of_work() as uow:
        uow.events.append(event, actor or workspace.actor)
        uow.commit()


def submit_job(workspace: Workspace, kind: str, params: dict[str, Any], *, once: bool = False) -> int:
    """Queue a job of ``kind`` for the review; returns its id. With ``once``, a queued or running job
    of the same kind and parameters is returned instead of a second one, even when two processes
    submit at the same instant (the check and the insert are one transaction holding the review's
    registry row)."""
    runner_for(kind)  # an unknown kind is refused here, not in a worker later
    params = dict(params)
    with row_and_log(workspace) as (rows, log):
        if once:
            rows.jobs.lock_review()
            for active in rows.jobs.active(kind):
                if active.params == params:
                    return active.id
        job_id = rows.jobs.add(kind, params, workspace.actor, datetime.now(UTC))
        log.events.append(JobQueued(job_id=job_id, kind=kind, params=params), workspace.actor)
        commit_both(rows, log)
    try:
        enqueue(queue_url_for(workspace), job_id, workspace.project.root)
    except UserError as error:
        _fail(workspace, job_id, kind, error.message)
        raise
    return job_id


def _fail(workspace: Workspace, job_id: int, kind: str, reason: str) -> None:
    with row_and_log(workspace) as (rows, log):
        if rows.jobs.finish(job_id, JobStatus.FAILED, datetime.now(UTC), error=reason):
            log.events.append(JobFailed(job_id=job_id, kind=kind, reason=reason), SYSTEM_ACTOR)
        commit_both(rows, log)


def job_status(workspace: Workspace, job_id: int) -> JobView:
    """The review's job ``job_id`` (NotFound for another review's)."""
    with workspace.accounts.unit_of_work(write=False) as uow:
        return uow.jobs.get(job_id)


def list_jobs(
    target: Accounts | Workspace, *, statuses: Collection[JobStatus] = (), limit: int | None = 100
) -> list[JobView]:
    """Newest first: a review's jobs (given its workspace), or every review's (given a site's accounts)."""
    accounts = target.accounts if isinstance(target, Workspace) else target
    with accounts.unit_of_work(write=False) as uow:
        return uow.jobs.list(all_reviews=not isinstance(target, Workspace), statuses=statuses, limit=limit)


def cancel_job(workspace: Workspace, job_id: int) -> JobView:
    """Cancel a queued job at once; ask a running one to stop at its next progress report (it then
    rolls back, writing nothing). A finished job cannot be cancelled."""
    with row_and_log(workspace) as (rows, log):
        job = rows.jobs.get(job_id)
        was = rows.jobs.request_cancel(job_id, datetime.now(UTC))
        if was is None:
            raise Conflict(
                f"job {job_id} has finished already ({job.status.value}); there is nothing to cancel",
                hint="Only a queued or running job can be cancelled.",
            )
        if was is JobStatus.QUEUED:
            log.events.append(
                JobWasCancelled(job_id=job_id, kind=job.kind, while_running=False), workspace.actor
            )
        commit_both(rows, log)
        return rows.jobs.get(job_id)


def recover_jobs(target: Accounts | Workspace, *, now: datetime | None = None) -> list[JobView]:
    """At a worker's or server's start: each running job whose heartbeat is older than
    :data:`STALE_AFTER` lost its worker. It is queued again (resuming from its saved cursor) while it
    has had fewer than :data:`MAX_ATTEMPTS` starts, else marked failed with the reason. ``target``:
    a review's workspace, or a site's accounts (every review of the site). Returns the jobs as left."""
    accounts = target.accounts if isinstance(target, Workspace) else target
    moment = now or datetime.now(UTC)
    with accounts.unit_of_work(write=False) as uow:
        stale = uow.jobs.stale(moment - STALE_AFTER, all_reviews=not isinstance(target, Workspace))
    recovered = []
    for job in stale:
        if isinstance(target, Workspace):
            recovered.append(_recover(target, job, moment))
            continue
        workspace = _open_site_review(accounts, job.id)
        if workspace is None:
            continue
        try:
            recovered.append(_recover(workspace, job, moment))
        finally:
            workspace.close()
    return recovered


def _recover(workspace: Workspace, job: JobView, now: datetime) -> JobView:
    again = job.attempts < MAX_ATTEMPTS
    with row_and_log(workspace) as (rows, log):
        if again and rows.jobs.requeue(job.id, now):
            log.events.append(JobQueued(job_id=job.id, kind=job.kind, params=job.params), SYSTEM_ACTOR)
        elif not again:
            reason = f"{STOPPED_REASON} ({job.attempts} attempts)"
            if rows.jobs.finish(job.id, JobStatus.FAILED, now, error=reason):
                log.events.append(JobFailed(job_id=job.id, kind=job.kind, reason=reason), SYSTEM_ACTOR)
        commit_both(rows, log)
    if again:
        enqueue(queue_url_for(workspace), job.id, workspace.project.root)
    return job_status(workspace, job.id)


def _open_site_review(accounts: Accounts, job_id: int) -> Workspace | None:
    """The workspace of the review a site's job works on (None when its folder is gone)."""
    from synthesist.review.project import find_project
    from synthesist.workspace import open_workspace

    if accounts.site is None:
        raise UserError("recovering every review's jobs needs a site", hint="Pass the review's workspace.")
    with accounts.unit_of_work(write=False) as uow:
        _, folder = uow.jobs.folder_of(job_id)
    if folder is None:
        return None
    root = Path(folder) if Path(folder).is_absolute() else accounts.site.root / folder
    if not (root / "review.toml").is_file():
        return None
    return open_workspace(find_project(root), SYSTEM_ACTOR, site_accounts=accounts.storage)
