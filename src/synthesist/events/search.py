"""Events of live searches, living updates and citation searches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from synthesist.events.base import Event, event_type
from synthesist.wording import plural


@event_type
@dataclass(frozen=True, slots=True)
class SearchRunCompleted(Event):
    """A run's pages were all fetched and its records imported (PRISMA-S: the search as run, its
    date and hits). ``kind``: search, update (living update), backward or forward (citations)."""

    type: ClassVar[str] = "search.run_completed"
    run_id: int
    strategy: str
    source: str
    kind: str
    query: str
    searched_on: str
    total: int | None
    fetched: int
    already_present: int
    imported: int
    batch_id: int | None
    since: str | None = None

    def summary(self) -> str:
        what = {"update": "living update of", "backward": "backward citation search for",
                "forward": "forward citation search for"}.get(self.kind, "search")  # fmt: skip
        hits = f"{self.total} hits, " if self.total is not None else ""
        return (
            f"{what} {self.strategy!r} on {self.source} (run {self.run_id}): {hits}{self.fetched} fetched, "
            f"{self.imported} imported"
            + (f", {self.already_present} already in the project" if self.already_present else "")
        )


@event_type
@dataclass(frozen=True, slots=True)
class SearchRunInterrupted(Event):
    """A run stopped before all its pages were in; nothing of it was imported, and it can resume."""

    type: ClassVar[str] = "search.run_interrupted"
    run_id: int
    source: str
    pages: int
    reason: str

    def summary(self) -> str:
        return (
            f"search run {self.run_id} on {self.source} interrupted after "
            f"{plural(self.pages, 'page')}: {self.reason}"
        )
