"""Who may do what in a project: roles as an enum with capability methods (taguette's habit), and
the account records the web app works with. Pure; storage fills them, services and the web app
ask them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = ["Invitation", "InvitationState", "Membership", "Role", "UserAccount", "WebSession"]


class Role(StrEnum):
    OWNER = "owner"
    REVIEWER = "reviewer"
    VIEWER = "viewer"

    def can_view(self) -> bool:
        return True

    def can_screen(self) -> bool:
        return self in (Role.OWNER, Role.REVIEWER)

    def can_resolve(self) -> bool:
        """Consensus decisions settle the team's disagreements, so only an owner records them."""
        return self is Role.OWNER

    def can_manage(self) -> bool:
        return self is Role.OWNER


@dataclass(frozen=True, slots=True)
class UserAccount:
    id: int
    name: str
    password_hash: str
    created_at: datetime
    disabled: bool
    display_name: str | None = None  # "Aoife Brennan" for the login "aoife"
    email: str | None = None  # where invitations and reset links may be sent
    site_admin: bool = False  # may manage the site's users, reviews and jobs

    @property
    def shown_name(self) -> str:
        return self.display_name or self.name


@dataclass(frozen=True, slots=True)
class Membership:
    project_key: str
    user: str
    role: str


@dataclass(frozen=True, slots=True)
class WebSession:
    user_id: int
    user: str
    csrf_token: str
    expires_at: datetime
    disabled: bool


class InvitationState(StrEnum):
    OPEN = "open"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class Invitation:
    """A single-use, expiring link: to join the site (``project_key`` None), to join a review with a
    role, or to set a password (``reset_user``: the account's login). The token itself is known only
    when the link is made (``token``); afterwards only its SHA-256 is stored."""

    id: int
    project_key: str | None
    role: Role | None
    email: str | None
    created_by: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    used_by: str | None = None
    revoked_at: datetime | None = None
    reset_user: str | None = None
    project_title: str | None = None
    token: str | None = None

    def state(self, now: datetime) -> InvitationState:
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if self.used_at is not None:
            return InvitationState.USED
        if self.expires_at <= now:
            return InvitationState.EXPIRED
        return InvitationState.OPEN

    @property
    def is_reset(self) -> bool:
        return self.reset_user is not None

    @property
    def path(self) -> str:
        """The link's path on the web app (only while the token is known)."""
        if self.token is None:
            raise ValueError("the token of a stored invitation is not known (only its SHA-256 is kept)")
        return f"/reset/{self.token}" if self.is_reset else f"/invite/{self.token}"

    def url(self, base: str) -> str:
        return base.rstrip("/") + self.path
