"""What a site knows about the reviews it hosts and the accounts it brings in: plain records that the
site's storage fills and its services and pages read. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["AccountCopy", "HostedReview", "MembershipCopy"]


@dataclass(frozen=True, slots=True)
class HostedReview:
    """A review in the site's registry (a row of its ``projects`` table with a folder)."""

    key: str
    title: str
    folder: str  # relative to the site's folder, e.g. "reviews/back-pain-3f9c2a"
    created_at: datetime
    members: int
    owners: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AccountCopy:
    """An account as ``site add`` copies it from a review's own database into the site's: everything
    that lets its owner log in as before (the password's hash, never the password)."""

    name: str
    password_hash: str
    display_name: str | None
    email: str | None
    disabled: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class MembershipCopy:
    user: str
    role: str
    added_by: str
