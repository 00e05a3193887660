"""Which events of the log to read: by person, by type (or a whole area's types) and by date.

Storage turns an :class:`EventQuery` into SQL (``SqlEventRepository.newest`` and ``count``), so the
log page filters and pages a log of any length without reading it whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

__all__ = ["AREA_SUFFIX", "EventQuery"]

AREA_SUFFIX = ".*"  # "screening.*": every event type of the screening area


@dataclass(frozen=True, slots=True)
class EventQuery:
    actor: str | None = None  # who acted, as the log keeps it (a login, or a CLI user's name)
    event_type: str | None = None  # one type ("screening.decided") or an area ("screening.*")
    since: date | None = None  # from this day on (UTC), inclusive
    until: date | None = None  # up to the end of this day (UTC), inclusive

    @property
    def type_prefix(self) -> str | None:
        """``"screening."`` for the area ``"screening.*"``; None for one type or no type."""
        if self.event_type and self.event_type.endswith(AREA_SUFFIX):
            return self.event_type[: -len(AREA_SUFFIX)] + "."
        return None

    @property
    def starts(self) -> datetime | None:
        return datetime.combine(self.since, time.min, tzinfo=UTC) if self.since else None

    @property
    def ends_before(self) -> datetime | None:
        """The first moment after ``until``: the day is included whole."""
        return datetime.combine(self.until + timedelta(days=1), time.min, tzinfo=UTC) if self.until else None

    def __bool__(self) -> bool:
        return any((self.actor, self.event_type, self.since, self.until))
