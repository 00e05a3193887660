"""Events of accounts and project membership. Users belong to the database; an account event goes
to the project the command ran in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from synthesist.events.base import Event, event_type
from synthesist.wording import a_or_an

__all__ = [
    "DisplayNameSet",
    "EmailSet",
    "InvitationAccepted",
    "InvitationCreated",
    "InvitationRevoked",
    "MemberAdded",
    "MemberRemoved",
    "PasswordChanged",
    "PasswordResetLinkMade",
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


@event_type
@dataclass(frozen=True, slots=True)
class EmailSet(Event):
    """An account's e-mail address set or cleared (the address itself stays out of the append-only log)."""

    type: ClassVar[str] = "users.email_set"
    user: str
    cleared: bool = False

    def summary(self) -> str:
        return (
            f"cleared the e-mail address of {self.user}"
            if self.cleared
            else f"set the e-mail address of {self.user}"
        )


@event_type
@dataclass(frozen=True, slots=True)
class InvitationCreated(Event):
    """A single-use link to join the site (``role`` None) or the review with a role; only its
    SHA-256 is stored, and the address it was sent to stays out of the log."""

    type: ClassVar[str] = "invitations.created"
    invitation_id: int
    role: str | None
    expires_at: str
    emailed: bool = False

    def summary(self) -> str:
        what = f"to join as {a_or_an(self.role)}" if self.role else "to join the site"
        return f"made invitation {self.invitation_id} {what} (until {self.expires_at[:16]})"


@event_type
@dataclass(frozen=True, slots=True)
class InvitationAccepted(Event):
    type: ClassVar[str] = "invitations.accepted"
    invitation_id: int
    user: str
    role: str | None
    new_account: bool

    def summary(self) -> str:
        who = f"{self.user} (a new account)" if self.new_account else self.user
        role = f" as {a_or_an(self.role)}" if self.role else ""
        return f"{who} accepted invitation {self.invitation_id}{role}"


@event_type
@dataclass(frozen=True, slots=True)
class InvitationRevoked(Event):
    type: ClassVar[str] = "invitations.revoked"
    invitation_id: int

    def summary(self) -> str:
        return f"revoked invitation {self.invitation_id}"


@event_type
@dataclass(frozen=True, slots=True)
class PasswordResetLinkMade(Event):
    """A single-use link for ``user`` to set a password (the token is never logged)."""

    type: ClassVar[str] = "users.reset_link_made"
    user: str
    invitation_id: int
    expires_at: str

    def summary(self) -> str:
        return f"made a password-reset link for {self.user} (until {self.expires_at[:16]})"
