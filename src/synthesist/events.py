"""Typed, append-only events: the review's audit trail.

Every state change is written as one event, in the same transaction as the change itself. PRISMA
counts, agreement statistics, the audit trail and "undo" all read from this log. Events are
immutable dataclasses; storage keeps ``type``, ``actor``, ``occurred_at`` and the payload (the
dataclass fields) and refuses UPDATE and DELETE on the table (database triggers).

Add an event type by subclassing :class:`Event` with a unique ``type`` and decorating it with
:func:`event_type`; :func:`decode_event` turns a stored row back into the dataclass.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, TypeVar

__all__ = [
    "BatchImported",
    "Event",
    "LoggedEvent",
    "ProjectCreated",
    "decode_event",
    "event_type",
    "event_types",
]


@dataclass(frozen=True, slots=True)
class Event:
    type: ClassVar[str] = "event"

    def payload(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def summary(self) -> str:
        """One line for ``synthesist log``."""
        return ", ".join(f"{key}={value}" for key, value in self.payload().items() if value not in (None, ""))


_E = TypeVar("_E", bound=type[Event])
_TYPES: dict[str, type[Event]] = {}


def event_type(cls: _E) -> _E:
    if cls.type in _TYPES and _TYPES[cls.type] is not cls:
        raise ValueError(f"event type {cls.type!r} registered twice")
    _TYPES[cls.type] = cls
    return cls


def event_types() -> dict[str, type[Event]]:
    return dict(sorted(_TYPES.items()))


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    """An event as stored: with its sequence number, actor and time."""

    id: int
    type: str
    actor: str
    occurred_at: datetime
    payload: dict[str, Any]

    def decoded(self) -> Event | None:
        return decode_event(self.type, self.payload)


def decode_event(type_name: str, payload: dict[str, Any]) -> Event | None:
    """The dataclass for a stored event, or ``None`` for a type this version does not know."""
    cls = _TYPES.get(type_name)
    if cls is None:
        return None
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{key: value for key, value in payload.items() if key in names})


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
            f"imported {self.records} records from {self.file_name} ({self.format}) as batch {self.batch_id}"
        )
        where = f"source {self.source!r}" + (
            f", other method {self.other_method!r}" if self.other_method else ""
        )
        rejects = f", {self.rejects} rejected" if self.rejects else ""
        forced = ", re-import forced" if self.forced else ""
        return f"{what}, {where}{rejects}{forced}"
