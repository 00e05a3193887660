"""Events of accounts and project membership. Users belong to the database; an account event goes
to the project the command ran in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from synthesist.events.base import Event, event_type
from synthesist.wording import a_or_an

__all__ = [
    "DisplayNameSet",
    "MemberAdded",
    "MemberRemoved",
    "PasswordChanged",
    "UserAdded",
    "UserDisabled",
    "UserEnabled",
]


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


@event_type
@dataclass(frozen=True, slots=True)
class UserAdded(Event):
    """An account for the web app (users belong to the database; the event goes to the project the
    command ran in)."""

    type: ClassVar[str] = "users.added"
    user: str

    def summary(self) -> str:
        return f"added user {self.user}"


@event_type
@dataclass(frozen=True, slots=True)
class DisplayNameSet(Event):
    """The name pages and reports show for an account (and a protocol may list the person under)."""

    type: ClassVar[str] = "users.display_name_set"
    user: str
    display_name: str | None

    def summary(self) -> str:
        shown = repr(self.display_name) if self.display_name else "none (the login is shown)"
        return f"set the display name of {self.user} to {shown}"


@event_type
@dataclass(frozen=True, slots=True)
class PasswordChanged(Event):
    type: ClassVar[str] = "users.password_changed"
    user: str

    def summary(self) -> str:
        return f"changed the password of {self.user}"


@event_type
@dataclass(frozen=True, slots=True)
class MemberAdded(Event):
    """A user given a role in the project (or a new role: ``previous`` is the old one)."""

    type: ClassVar[str] = "members.added"
    user: str
    role: str
    previous: str | None = None

    def summary(self) -> str:
        changed = f" (was {self.previous})" if self.previous else ""
        return f"{self.user} is {a_or_an(self.role)}{changed}"


@event_type
@dataclass(frozen=True, slots=True)
class MemberRemoved(Event):
    type: ClassVar[str] = "members.removed"
    user: str
    role: str

    def summary(self) -> str:
        return f"removed {self.user} ({self.role}) from the project"
