"""The event base class and the registry of event types.

Every event type is a frozen dataclass subclassing :class:`Event`, with a unique ``type`` string
(what storage keeps, so it never changes once released) and registered by :func:`event_type`. The
types live in one module per area that emits them (``AREA_MODULES``); :func:`decode_event` turns a
stored row back into its dataclass, importing the area modules the first time it meets a type it
has not seen yet.
"""

from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, TypeVar

# The modules of ``synthesist.events`` that define event types, one per emitting area. They are imported
# on first use only: everyday commands (``status``, ``screen decide``) need a few, and building every
# event class would cost each start about 40 ms.
AREA_MODULES = (
    "accounts",
    "appraisal",
    "cerqual",
    "concept_model",
    "dedup",
    "extraction",
    "fulltext",
    "jobs",
    "protocol",
    "records",
    "screening",
    "search",
    "site",
    "synthesis",
)


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
    """Register an event class under its ``type`` (a class decorator); a second class may not take it."""
    if cls.type in _TYPES and _TYPES[cls.type] is not cls:
        raise ValueError(f"event type {cls.type!r} registered twice")
    _TYPES[cls.type] = cls
    return cls


def import_every_area() -> None:
    """Import every area module, so that every event type this version knows is registered."""
    for module in AREA_MODULES:
        importlib.import_module(f"synthesist.events.{module}")


def event_types() -> dict[str, type[Event]]:
    """Every registered event type by its ``type`` string, sorted."""
    import_every_area()
    return dict(sorted(_TYPES.items()))


def decode_event(type_name: str, payload: dict[str, Any]) -> Event | None:
    """The dataclass for a stored event, or ``None`` for a type this version does not know."""
    cls = _TYPES.get(type_name)
    if cls is None:
        import_every_area()  # a type of a module not imported yet, or one this version lacks
        cls = _TYPES.get(type_name)
    if cls is None:
        return None
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{key: value for key, value in payload.items() if key in names})


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
