"""Background jobs (the ``jobs`` table): the row the task queue's message points at.

The rows live with the accounts (a review's own database, or the site's), bound to the review's
registry row; ``list_all`` reaches across the reviews of a site for the administrators' page and
for the recovery a worker runs at start. Every change of status is one conditional UPDATE, so two
workers (or a worker and a cancel) cannot both move a job out of the same state.
"""

from __future__ import annotations

import builtins
from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from synthesist.errors import NotFound
from synthesist.review.jobs import JobStatus, JobView
from synthesist.storage import schema

__all__ = ["SqlJobRepository"]


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class SqlJobRepository:
    def __init__(self, connection: sa.Connection, project_id: int) -> None:
        self._connection = connection
        self._project_id = project_id

    def _select(self) -> sa.Select[Any]:
        j, p = schema.jobs, schema.projects
        return sa.select(j, p.c.key.label("project_key")).join(p, p.c.id == j.c.project_id)

    def add(self, kind: str, params: dict[str, Any], requested_by: str, now: datetime) -> int:
        inserted = self._connection.execute(
            schema.jobs.insert()
            .values(
                project_id=self._project_id,
                kind=kind,
                params=params,
                status=JobStatus.QUEUED.value,
                progress_done=0,
                requested_by=requested_by,
                created_at=now,
                cancel_requested=False,
                attempts=0,
            )
            .returning(schema.jobs.c.id)
        )
        return int(inserted.scalar_one())

    def find(self, job_id: int, *, any_review: bool = False) -> JobView | None:
        query = self._select().where(schema.jobs.c.id == job_id)
        if not any_review:
            query = query.where(schema.jobs.c.project_id == self._project_id)
        row = self._connection.execute(query).mappings().first()
        return None if row is None else _job(row)

    def get(self, job_id: int, *, any_review: bool = False) -> JobView:
        found = self.find(job_id, any_review=any_review)
        if found is None:
            raise NotFound(f"there is no job {job_id}", hint="`synthesist jobs list` shows the jobs.")
        return found

    def lock_review(self) -> None:
        """Hold the review's registry row until the transaction ends, so that checking for an
        active job and queueing one are not interleaved by another process (PostgreSQL's
        ``FOR NO KEY UPDATE``; SQLite renders none: its write transactions begin IMMEDIATE, one at a
        time). Not ``FOR UPDATE``: that would also block the foreign-key check of the job's event,
        which the review's own connection inserts meanwhile, and the submit would wait on itself."""
        p = schema.projects
        self._connection.execute(
            sa.select(p.c.id).where(p.c.id == self._project_id).with_for_update(key_share=True)
        )

    def active(self, kind: str) -> builtins.list[JobView]:
        """The queued or running jobs of ``kind`` in this review (oldest first)."""
        j = schema.jobs
        query = (
            self._select()
            .where(
                j.c.project_id == self._project_id,
                j.c.kind == kind,
                j.c.status.in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]),
            )
            .order_by(j.c.id)
        )
        return [_job(row) for row in self._connection.execute(query).mappings()]

    def list(
        self,
        *,
        all_reviews: bool = False,
        statuses: Collection[JobStatus] = (),
        limit: int | None = None,
    ) -> builtins.list[JobView]:
        """Newest first: this review's jobs, or every review's (``all_reviews``)."""
        j = schema.jobs
        query = self._select().order_by(j.c.id.desc())
        if not all_reviews:
            query = query.where(j.c.project_id == self._project_id)
        if statuses:
            query = query.where(j.c.status.in_([status.value for status in statuses]))
        if limit is not None:
            query = query.limit(limit)
        return [_job(row) for row in self._connection.execute(query).mappings()]

    def folder_of(self, job_id: int) -> tuple[str, str | None]:
        """The review's key and its folder in the site (None for a review on its own)."""
        j, p = schema.jobs, schema.projects
        row = self._connection.execute(
            sa.select(p.c.key, p.c.folder).join(j, j.c.project_id == p.c.id).where(j.c.id == job_id)
        ).one()
        return str(row.key), row.folder

    def _update(self, job_id: int, *, where: sa.ColumnElement[bool] | None = None, **values: Any) -> bool:
        j = schema.jobs
        condition = j.c.id == job_id
        if where is not None:
            condition = condition & where
        return bool(self._connection.execute(j.update().where(condition).values(**values)).rowcount)

    def claim(self, job_id: int, worker: str, now: datetime) -> bool:
        """Queued → running for ``worker``, unless another worker (or a cancel) came first."""
        j = schema.jobs
        return self._update(
            job_id,
            where=(j.c.status == JobStatus.QUEUED.value) & (j.c.cancel_requested == sa.false()),
            status=JobStatus.RUNNING.value,
            started_at=now,
            heartbeat_at=now,
            worker=worker,
            attempts=j.c.attempts + 1,
        )

    def progress(self, job_id: int, done: int, total: int | None, message: str | None, now: datetime) -> bool:
        """Record progress (and beat the heart); returns whether a cancel was requested meanwhile."""
        self._update(job_id, progress_done=done, progress_total=total, message=message, heartbeat_at=now)
        return self.cancel_requested(job_id)

    def cancel_requested(self, job_id: int) -> bool:
        j = schema.jobs
        found = self._connection.execute(sa.select(j.c.cancel_requested).where(j.c.id == job_id)).scalar()
        return bool(found)

    def heartbeat(self, job_id: int, now: datetime) -> None:
        j = schema.jobs
        self._update(job_id, where=j.c.status == JobStatus.RUNNING.value, heartbeat_at=now)

    def save_cursor(self, job_id: int, cursor: dict[str, Any], now: datetime) -> None:
        self._update(job_id, cursor=cursor, heartbeat_at=now)

    def request_cancel(self, job_id: int, now: datetime) -> JobStatus | None:
        """Cancel a queued job at once, or ask a running one to stop at its next progress report;
        returns the status it was in, or None when it had finished already."""
        j = schema.jobs
        if self._update(
            job_id,
            where=j.c.status == JobStatus.QUEUED.value,
            status=JobStatus.CANCELLED.value,
            cancel_requested=True,
            finished_at=now,
            message="cancelled before it started",
        ):
            return JobStatus.QUEUED
        if self._update(job_id, where=j.c.status == JobStatus.RUNNING.value, cancel_requested=True):
            return JobStatus.RUNNING
        return None

    def finish(
        self,
        job_id: int,
        status: JobStatus,
        now: datetime,
        *,
        result: dict[str, Any] | None = None,
        error: str | None = None,
        message: str | None = None,
    ) -> bool:
        """Running (or queued, for a job that could not start) → a finished status."""
        j = schema.jobs
        values: dict[str, Any] = {
            "status": status.value,
            "finished_at": now,
            "result": result,
            "error": error,
        }
        if message is not None:
            values["message"] = message
        if status is JobStatus.DONE:
            values["progress_done"] = sa.func.coalesce(j.c.progress_total, j.c.progress_done)
        active = j.c.status.in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value])
        return self._update(job_id, where=active, **values)

    def requeue(self, job_id: int, now: datetime) -> bool:
        """Running → queued again (a worker died under it); attempts count the starts."""
        j = schema.jobs
        return self._update(
            job_id,
            where=j.c.status == JobStatus.RUNNING.value,
            status=JobStatus.QUEUED.value,
            worker=None,
            heartbeat_at=None,
            message="queued again after the server stopped while it ran",
        )

    def stale(self, before: datetime, *, all_reviews: bool) -> builtins.list[JobView]:
        """Running jobs whose heartbeat is older than ``before`` (or missing)."""
        j = schema.jobs
        stopped = (j.c.heartbeat_at.is_(None)) | (j.c.heartbeat_at < before)
        query = self._select().where(j.c.status == JobStatus.RUNNING.value, stopped).order_by(j.c.id)
        if not all_reviews:
            query = query.where(j.c.project_id == self._project_id)
        return [_job(row) for row in self._connection.execute(query).mappings()]


def _job(row: sa.RowMapping) -> JobView:
    return JobView(
        id=int(row["id"]),
        project_key=str(row["project_key"]),
        kind=str(row["kind"]),
        params=dict(row["params"] or {}),
        status=JobStatus(row["status"]),
        progress_done=int(row["progress_done"] or 0),
        progress_total=row["progress_total"],
        message=row["message"],
        cursor=row["cursor"],
        result=row["result"],
        error=row["error"],
        requested_by=str(row["requested_by"]),
        created_at=_aware(row["created_at"]) or datetime.now(UTC),
        started_at=_aware(row["started_at"]),
        finished_at=_aware(row["finished_at"]),
        heartbeat_at=_aware(row["heartbeat_at"]),
        cancel_requested=bool(row["cancel_requested"]),
        attempts=int(row["attempts"] or 0),
        worker=row["worker"],
    )
