"""Events of full texts: reports attached or not retrieved, records grouped into studies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from synthesist.events.base import Event, event_type
from synthesist.wording import plural


@event_type
@dataclass(frozen=True, slots=True)
class ReportAttached(Event):
    """A full-text document attached to a record (PRISMA: a report retrieved), its text extracted."""

    type: ClassVar[str] = "fulltext.attached"
    report_id: int
    record_id: int
    file_name: str
    stored_path: str
    sha256: str
    media_type: str
    pages: int
    text_status: str

    def summary(self) -> str:
        return (
            f"attached {self.file_name} to record {self.record_id} as report {self.report_id} "
            f"({plural(self.pages, 'page')}, text {self.text_status})"
        )


@event_type
@dataclass(frozen=True, slots=True)
class NotRetrievedMarked(Event):
    """A record's full text was sought but could not be obtained (PRISMA: reports not retrieved)."""

    type: ClassVar[str] = "fulltext.not_retrieved"
    failure_id: int
    record_id: int
    reason: str

    def summary(self) -> str:
        return f"full text of record {self.record_id} not retrieved: {self.reason}"


@event_type
@dataclass(frozen=True, slots=True)
class NotRetrievedWithdrawn(Event):
    """A "not retrieved" mark withdrawn: a report was attached after all (``report_id``), or the
    mark was a mistake (``report_id`` None)."""

    type: ClassVar[str] = "fulltext.not_retrieved_withdrawn"
    failure_id: int
    record_id: int
    reason: str
    report_id: int | None = None

    def summary(self) -> str:
        why = f"report {self.report_id} attached" if self.report_id is not None else "withdrawn"
        return f"record {self.record_id} is no longer marked not retrieved ({why})"


@event_type
@dataclass(frozen=True, slots=True)
class StudyGrouped(Event):
    """Records grouped into one study (PRISMA 2020: one study, several reports); ``added`` are the
    records that joined, ``record_ids`` all of the study's records afterwards."""

    type: ClassVar[str] = "fulltext.study_grouped"
    study_id: int
    label: str
    record_ids: list[int]
    added: list[int]
    created: bool = False
    old_label: str | None = None

    def summary(self) -> str:
        ids = ", ".join(str(record_id) for record_id in self.record_ids)
        verb = "formed" if self.created else "now has"
        renamed = f" (was {self.old_label!r})" if self.old_label and self.old_label != self.label else ""
        return f"study {self.study_id} {self.label!r}{renamed} {verb} records {ids}"


@event_type
@dataclass(frozen=True, slots=True)
class StudyUngrouped(Event):
    """Records taken out of a study; each is a study of its own again."""

    type: ClassVar[str] = "fulltext.study_ungrouped"
    study_id: int
    label: str
    record_ids: list[int]
    dissolved: bool = False  # no record was left, so the study was removed

    def summary(self) -> str:
        ids = ", ".join(str(record_id) for record_id in self.record_ids)
        left = " (study dissolved)" if self.dissolved else ""
        return f"records {ids} taken out of study {self.study_id} {self.label!r}{left}"
