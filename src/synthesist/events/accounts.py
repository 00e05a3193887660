"""Account events beside ``users.added`` and ``users.password_changed``: a user disabled or enabled
again (users belong to the database; the event goes to the project the command ran in)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from synthesist.events import Event, event_type

__all__ = ["UserDisabled", "UserEnabled"]


@event_type
@dataclass(frozen=True, slots=True)
class UserDisabled(Event):
    """The user may no longer log in; their open sessions ended with it."""

    type: ClassVar[str] = "users.disabled"
    user: str

    def summary(self) -> str:
        return f"disabled user {self.user} (their open sessions ended)"


@event_type
@dataclass(frozen=True, slots=True)
class UserEnabled(Event):
    type: ClassVar[str] = "users.enabled"
    user: str

    def summary(self) -> str:
        return f"enabled user {self.user} again"
