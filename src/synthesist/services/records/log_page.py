"""The log a page at a time: filtered and paged in the database, so a page costs the same on a log of
a hundred events or 100,000, and redacted for the person asking as the whole log would be.

The filter form offers everyone who appears in the log and every event type it holds. Reading those
means going through the whole log (about a third of a second at 100,000 events on SQLite), so they
are kept per review in the process and brought up to date from the events logged since: the log is
append-only, so the lists only grow. They are read whole again now and then, because on PostgreSQL
a transaction can commit an event older than one already seen.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from synthesist.events import LoggedEvent
from synthesist.events.query import EventQuery
from synthesist.ports import UnitOfWork
from synthesist.services.records.reading import redact_log
from synthesist.workspace import Workspace

__all__ = ["LOG_PAGE_SIZE", "LogPage", "read_log_page"]

LOG_PAGE_SIZE = 50
_FULL_READ_EVERY = 60.0  # seconds between whole reads of the people and event types


@dataclass(frozen=True)
class LogPage:
    """One page of the log, newest first, as its viewer may see it, with what the filters offer."""

    events: list[LoggedEvent]
    query: EventQuery
    total: int  # events matching the filters
    first: int  # the place of the page's first event among them (1: the newest); 0 on an empty page
    newer: bool  # matching events newer than this page exist
    older: bool
    actors: list[str]  # everyone in the whole log, for the person filter
    types: list[str]  # every event type in the whole log

    @property
    def last(self) -> int:
        return self.first + len(self.events) - 1 if self.events else 0


def read_log_page(
    workspace: Workspace,
    query: EventQuery | None = None,
    *,
    before: int | None = None,
    after: int | None = None,
    size: int = LOG_PAGE_SIZE,
) -> LogPage:
    """A page of the log matching ``query``, newest first: the newest events, or with ``before`` the
    ones just older than that event id, with ``after`` the ones just newer (keyset paging: no
    event is shown twice or skipped between pages). Paged past either end, the newest page."""
    query = query or EventQuery()
    with workspace.unit_of_work(write=False) as uow:
        events = uow.events.newest(query, limit=size, before=before, after=after)
        if not events and (before is not None or after is not None):
            events = uow.events.newest(query, limit=size)
        total = uow.events.count(query)
        newer = uow.events.count(query, after=events[0].id) if events else 0
        actors, types = _facets(uow, workspace)
    return LogPage(
        events=redact_log(workspace, events),
        query=query,
        total=total,
        first=newer + 1 if events else 0,
        newer=newer > 0,
        older=newer + len(events) < total,
        actors=sorted(actors),
        types=sorted(types),
    )


@dataclass(frozen=True)
class _Facets:
    upto: int  # the newest event id read
    actors: frozenset[str]
    types: frozenset[str]
    read_at: float  # time.monotonic() of the last whole read


# per database (its engine), per review (its project id there); weak, so that an engine let go of
# takes its entries with it
_KNOWN: WeakKeyDictionary[object, dict[int, _Facets]] = WeakKeyDictionary()
_LOCK = threading.Lock()


def _facets(uow: UnitOfWork, workspace: Workspace) -> tuple[frozenset[str], frozenset[str]]:
    """Everyone in the log and every event type in it, read only from the events logged since the
    last call (whole every :data:`_FULL_READ_EVERY` seconds)."""
    newest = uow.events.newest(EventQuery(), limit=1)
    upto = newest[0].id if newest else 0
    with _LOCK:
        known = _KNOWN.setdefault(workspace.storage.engine, {}).get(workspace.storage.project_id)
    now = time.monotonic()
    if known is not None and now - known.read_at < _FULL_READ_EVERY and upto >= known.upto:
        if upto == known.upto:
            return known.actors, known.types
        actors = known.actors | frozenset(uow.events.actors(after=known.upto))
        types = known.types | frozenset(uow.events.types(after=known.upto))
        facets = _Facets(upto, actors, types, known.read_at)
    else:
        facets = _Facets(upto, frozenset(uow.events.actors()), frozenset(uow.events.types()), now)
    with _LOCK:
        _KNOWN.setdefault(workspace.storage.engine, {})[workspace.storage.project_id] = facets
    return facets.actors, facets.types
