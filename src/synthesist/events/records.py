"""Events of the project's creation and of records imported from export files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from synthesist.events.base import Event, event_type
from synthesist.wording import plural


@event_type
@dataclass(frozen=True, slots=True)
class ProjectCreated(Event):
    type: ClassVar[str] = "project.created"
    title: str
    project_id: str

    def summary(self) -> str:
        return f"created review project {self.title!r}"


@event_type
@dataclass(frozen=True, slots=True)
class BatchImported(Event):
    """One export file imported as a search batch (PRISMA: records identified from a source)."""

    type: ClassVar[str] = "records.imported"
    batch_id: int
    source: str
    file_name: str
    file_sha256: str
    format: str
    encoding: str | None
    records: int
    rejects: int
    searched_on: str | None = None
    other_method: str | None = None
    forced: bool = False

    def summary(self) -> str:
        what = (
            f"imported {plural(self.records, 'record')} from {self.file_name} ({self.format}) "
            f"as batch {self.batch_id}"
        )
        where = f"source {self.source!r}" + (
            f", other method {self.other_method!r}" if self.other_method else ""
        )
        rejects = f", {self.rejects} rejected" if self.rejects else ""
        forced = ", re-import forced" if self.forced else ""
        return f"{what}, {where}{rejects}{forced}"


@event_type
@dataclass(frozen=True, slots=True)
class ProjectRestored(Event):
    """The project was restored from a backup (``synthesist restore``); the events before this one are
    the backup's, as they were when it was taken."""

    type: ClassVar[str] = "project.restored"
    backup: str  # the archive's file name
    taken_at: str  # when the backup was taken (ISO 8601, UTC)
    synthesist_version: str  # the version that took it

    def summary(self) -> str:
        return f"restored from the backup {self.backup} taken {self.taken_at}"
