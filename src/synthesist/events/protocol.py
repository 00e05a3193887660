"""Events of the protocol itself: ``review.toml`` edited through the web app.

A hand edit of the file is not an event (nothing sees it happen); an edit made through Synthesist is,
so the log says who changed the criteria or the screening mode, when, and from what to what.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from synthesist.events.base import Event, event_type

__all__ = ["ProtocolEdited"]


@event_type
@dataclass(frozen=True, slots=True)
class ProtocolEdited(Event):
    """One section of review.toml rewritten: ``changes`` are short ``key: before → after`` lines,
    ``sha256`` the new file's, so the file in version control can be matched to the log."""

    type: ClassVar[str] = "protocol.edited"
    section: str
    changes: list[str] = field(default_factory=list)
    sha256: str = ""

    def summary(self) -> str:
        shown = "; ".join(self.changes[:3])
        more = f" (and {len(self.changes) - 3} more)" if len(self.changes) > 3 else ""
        return (
            f"edited the protocol ({self.section}): {shown}{more}"
            if shown
            else f"edited the protocol ({self.section})"
        )
