"""Who may do what in a project: roles as an enum with capability methods (taguette's habit), and
the account records the web app works with. Pure; storage fills them, services and the web app
ask them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = ["Membership", "Role", "UserAccount", "WebSession"]


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
