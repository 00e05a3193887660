"""A background job as stored: what pages and commands show of long work that runs in the task
queue's workers (an import, deduplication, a live search, a report build, training a ranking).

Pure: storage fills these, the jobs services and the adapters read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

__all__ = ["ACTIVE_STATUSES", "JobStatus", "JobView"]


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


@dataclass(frozen=True, slots=True)
class JobView:
    id: int
    project_key: str
    kind: str
    params: dict[str, Any]
    status: JobStatus
    progress_done: int
    progress_total: int | None
    message: str | None
    cursor: dict[str, Any] | None
    result: dict[str, Any] | None
    error: str | None
    requested_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    heartbeat_at: datetime | None
    cancel_requested: bool
    attempts: int
    worker: str | None

    @property
    def finished(self) -> bool:
        return self.status.finished

    @property
    def percent(self) -> int | None:
        """How far it is, 0-100, when the job knows its total."""
        if self.status is JobStatus.DONE:
            return 100
        if not self.progress_total:
            return None
        return max(0, min(100, round(100 * self.progress_done / self.progress_total)))

    def as_json(self) -> dict[str, Any]:
        """What the job page's script and ``jobs show --json`` read (no cursor: it is the worker's)."""
        return {
            "id": self.id,
            "review": self.project_key,
            "kind": self.kind,
            "params": self.params,
            "status": self.status.value,
            "done": self.progress_done,
            "total": self.progress_total,
            "percent": self.percent,
            "message": self.message,
            "result": self.result,
            "error": self.error,
            "requested_by": self.requested_by,
            "created_at": self.created_at.isoformat(),
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "cancel_requested": self.cancel_requested,
            "attempts": self.attempts,
        }
