"""Web sessions, kept on the server: the browser holds a random token, the database its SHA-256,
the session's CSRF token and when it expires. Logging out, a password change or disabling a user
ends a session at once, and no signing secret has to be stored or rotated."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from synthesist.review.accounts import Role, WebSession
from synthesist.services.accounts.identity import acting_name
from synthesist.workspace import Accounts, Workspace

__all__ = [
    "SESSION_LIFETIME",
    "end_session",
    "find_member_session",
    "find_session",
    "start_session",
    "token_digest",
]

SESSION_LIFETIME = timedelta(hours=12)  # a working day; then log in again


def token_digest(token: str) -> str:
    """What is stored for a token given out (a session's cookie, an invitation link): its SHA-256 only,
    so a leaked table opens nothing."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(workspace: Accounts | Workspace, user_id: int) -> str:
    """A new session for the user; returns the token for the cookie (shown nowhere else)."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with _accounts(workspace).unit_of_work() as uow:
        uow.users.delete_expired_sessions(now)  # housekeeping on the way in: no cron job needed
        uow.users.add_session(token_digest(token), user_id, secrets.token_urlsafe(32), now + SESSION_LIFETIME)
        uow.commit()
    return token


def find_session(workspace: Accounts | Workspace, token: str | None) -> WebSession | None:
    """The live session for a cookie's token; ``None`` when absent, expired or the user disabled."""
    if not token:
        return None
    with _accounts(workspace).unit_of_work(write=False) as uow:
        found = uow.users.session(token_digest(token))
    if found is None or found.disabled or found.expires_at <= datetime.now(UTC):
        return None
    return found


def find_member_session(
    workspace: Workspace, token: str | None
) -> tuple[WebSession, tuple[Role, str] | None] | None:
    """:func:`find_session` with the user's role in ``workspace``'s review and the name they act
    under there (``None`` for a non-member), read in one query."""
    if not token:
        return None
    with workspace.accounts.unit_of_work(write=False) as uow:
        found = uow.users.session_member(token_digest(token))
    if found is None:
        return None
    session, role, account = found
    if session.disabled or session.expires_at <= datetime.now(UTC):
        return None
    return session, None if role is None else (Role(role), acting_name(workspace, account))


def end_session(workspace: Accounts | Workspace, token: str | None) -> None:
    if not token:
        return
    with _accounts(workspace).unit_of_work() as uow:
        uow.users.delete_session(token_digest(token))
        uow.commit()


def _accounts(holder: Accounts | Workspace) -> Accounts:
    """Where the accounts are: a review's own database, or the site's that hosts it."""
    return holder.accounts if isinstance(holder, Workspace) else holder
