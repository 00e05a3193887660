"""Events of background jobs, written in the log of the review the job works on.

The job's row (progress, cursor, result) lives with the accounts and changes many times a second; the
log keeps what an audit needs: who asked for which work, when it ran, and how it ended. What the job
itself changed (records imported, duplicates merged) is logged by the service it ran, as when the
command line runs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from synthesist.events.base import Event, event_type

__all__ = ["JobFailed", "JobFinished", "JobQueued", "JobStarted", "JobWasCancelled"]


@event_type
@dataclass(frozen=True, slots=True)
class JobQueued(Event):
    type: ClassVar[str] = "job.queued"
    job_id: int
    kind: str
    params: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        return f"job {self.job_id} ({self.kind}) queued"


@event_type
@dataclass(frozen=True, slots=True)
class JobStarted(Event):
    type: ClassVar[str] = "job.started"
    job_id: int
    kind: str
    attempt: int
    worker: str

    def summary(self) -> str:
        again = f", attempt {self.attempt}" if self.attempt > 1 else ""
        return f"job {self.job_id} ({self.kind}) started on {self.worker}{again}"


@event_type
@dataclass(frozen=True, slots=True)
class JobFinished(Event):
    type: ClassVar[str] = "job.finished"
    job_id: int
    kind: str
    summary_text: str = ""

    def summary(self) -> str:
        return f"job {self.job_id} ({self.kind}) finished" + (
            f": {self.summary_text}" if self.summary_text else ""
        )


@event_type
@dataclass(frozen=True, slots=True)
class JobFailed(Event):
    """The job stopped with an error, or a restart found it dead too often; nothing of it was written."""

    type: ClassVar[str] = "job.failed"
    job_id: int
    kind: str
    reason: str

    def summary(self) -> str:
        return f"job {self.job_id} ({self.kind}) failed: {self.reason}"


@event_type
@dataclass(frozen=True, slots=True)
class JobWasCancelled(Event):
    type: ClassVar[str] = "job.cancelled"
    job_id: int
    kind: str
    while_running: bool

    def summary(self) -> str:
        when = "while it ran" if self.while_running else "before it started"
        return f"job {self.job_id} ({self.kind}) cancelled {when}; nothing of it was written"
