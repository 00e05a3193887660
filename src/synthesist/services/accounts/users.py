"""Accounts and project membership for the web app.

Passwords are hashed with argon2id (argon2-cffi's defaults follow RFC 9106's recommendations); a
hash made with older parameters is re-hashed at the next successful login. Users belong to the
database, so a user added from one project can be made a member of any project in the same
database; each membership change is an event in that project's log.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from synthesist.errors import Conflict, LoginFailed, NotFound, TooManyAttempts, UserError
from synthesist.events import (
    DisplayNameSet,
    EmailSet,
    MemberAdded,
    MemberRemoved,
    PasswordChanged,
    UserAdded,
    UserDisabled,
    UserEnabled,
)
from synthesist.review.accounts import Membership, Role, UserAccount
from synthesist.services.accounts.identity import acting_name
from synthesist.workspace import Accounts, Workspace

if TYPE_CHECKING:
    from synthesist.ports import UnitOfWork

__all__ = [
    "ADDRESS_LOGIN_ATTEMPTS",
    "LOGIN_ATTEMPTS",
    "LOGIN_WINDOW",
    "MIN_PASSWORD_LENGTH",
    "PASSWORD_CHECKS_AT_ONCE",
    "acting_name",
    "add_member",
    "add_user",
    "authenticate",
    "check_display_name",
    "check_email",
    "check_login",
    "disable_user",
    "enable_user",
    "hash_new_password",
    "list_users",
    "member_identity",
    "members",
    "new_account",
    "parse_role",
    "remove_member",
    "role_of",
    "set_display_name",
    "set_email",
    "set_password",
]

MIN_PASSWORD_LENGTH = 8
LOGIN_ATTEMPTS = 5  # failed logins per user name and address ...
ADDRESS_LOGIN_ATTEMPTS = 30  # ... and per address, on any names ...
LOGIN_WINDOW = timedelta(minutes=15)  # ... within this window; then logins are refused until it passes

_hasher = PasswordHasher()
# Hashing is CPU-bound by design (argon2id, ~0.1 s and 64 MiB each, on four threads of its own): at
# most one hash per two cores runs at a time, in threads of lower priority, so a flood of logins
# queues here instead of taking the cores (and gigabytes of memory) from the reviewers at work.
PASSWORD_CHECKS_AT_ONCE = max(1, (os.cpu_count() or 2) // 2)


def _lower_priority() -> None:
    # Linux sets the nice value per thread, and argon2's lane threads inherit it; elsewhere this is
    # refused or unsupported, and hashing simply runs at normal priority.
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


_hashing = ThreadPoolExecutor(
    PASSWORD_CHECKS_AT_ONCE, thread_name_prefix="password-hashing", initializer=_lower_priority
)


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise UserError(
            f"{text!r} is not a role", hint=f"Use one of: {', '.join(role.value for role in Role)}."
        ) from None


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 200 or any(ch.isspace() and ch != " " for ch in name):
        raise UserError("a user name is 1 to 200 characters on one line")
    return name


def add_user(
    workspace: Accounts | Workspace,
    name: str,
    password: str,
    *,
    display_name: str | None = None,
    email: str | None = None,
) -> UserAccount:
    name = _check_name(name)
    shown = _check_display_name(display_name)
    address = check_email(email)
    _check_password(password)
    hashed = _hash(password)
    with _accounts(workspace).unit_of_work() as uow:
        user = new_account(uow, workspace.actor, name, hashed, display_name=shown, email=address)
        uow.commit()
    return user


def new_account(
    uow: UnitOfWork,
    actor: str,
    name: str,
    password_hash: str,
    *,
    display_name: str | None = None,
    email: str | None = None,
) -> UserAccount:
    """Add an account inside the caller's unit of work (checked values), with its events."""
    user_id = uow.users.add(name, password_hash)
    uow.events.append(UserAdded(name), actor)
    if display_name:
        uow.users.set_display_name(user_id, display_name)
        uow.events.append(DisplayNameSet(name, display_name), actor)
    if email:
        uow.users.set_email(user_id, email)
        uow.events.append(EmailSet(name), actor)
    return uow.users.get(name)


def set_email(workspace: Accounts | Workspace, name: str, email: str | None) -> UserAccount:
    """Set (or, with ``None`` or "", clear) the address invitations and reset links may be sent to."""
    address = check_email(email)
    with _accounts(workspace).unit_of_work() as uow:
        user = uow.users.get(name)
        uow.users.set_email(user.id, address)
        uow.events.append(EmailSet(name, cleared=address is None), workspace.actor)
        changed = uow.users.get(name)
        uow.commit()
    return changed


def check_email(email: str | None) -> str | None:
    """The address trimmed, ``None`` for none; refused unless it looks like one (name@domain)."""
    address = (email or "").strip()
    if not address:
        return None
    if len(address) > 254 or not _EMAIL.fullmatch(address):
        raise UserError(
            f"{address!r} is not an e-mail address", hint="For example: aoife.brennan@example.org"
        )
    return address


_EMAIL = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+")


def set_display_name(workspace: Accounts | Workspace, name: str, display_name: str | None) -> UserAccount:
    """The name pages and reports show for ``name`` (none: the login); a protocol may list the person
    under it, so the login acts as that reviewer (:func:`acting_name`)."""
    shown = _check_display_name(display_name)
    with _accounts(workspace).unit_of_work() as uow:
        user = uow.users.get(name)
        uow.users.set_display_name(user.id, shown)
        uow.events.append(DisplayNameSet(name, shown), workspace.actor)
        changed = uow.users.get(name)
        uow.commit()
    return changed


def _check_display_name(display_name: str | None) -> str | None:
    shown = " ".join(display_name.split()) if display_name else None
    if shown and (len(shown) > 200 or any(not character.isprintable() for character in shown)):
        raise UserError(
            "a display name is up to 200 printable characters",
            hint='For example: --display-name "Aoife Brennan"',
        )
    return shown or None


def set_password(workspace: Accounts | Workspace, name: str, password: str) -> None:
    """Change a password; the user's open sessions end, so a stolen session dies with the old one."""
    _check_password(password)
    hashed = _hash(password)
    with _accounts(workspace).unit_of_work() as uow:
        user = uow.users.get(name)
        uow.users.set_password(user.id, hashed)
        uow.users.delete_sessions_of(user.id)
        uow.events.append(PasswordChanged(name), workspace.actor)
        uow.commit()


def disable_user(workspace: Accounts | Workspace, name: str) -> UserAccount:
    """Stop a user from logging in: their open sessions end at once, their memberships and
    decisions stay (``enable_user`` lets them in again with the same password)."""
    return _set_disabled(workspace, name, disabled=True)


def enable_user(workspace: Accounts | Workspace, name: str) -> UserAccount:
    """Let a disabled user log in again (with their old password)."""
    return _set_disabled(workspace, name, disabled=False)


def _set_disabled(workspace: Accounts | Workspace, name: str, *, disabled: bool) -> UserAccount:
    with _accounts(workspace).unit_of_work() as uow:
        user = uow.users.get(name)
        if user.disabled == disabled:
            state = "disabled" if disabled else "enabled"
            raise Conflict(
                f"{name} is already {state}",
                hint="`synthesist users list` shows who is disabled.",
            )
        uow.users.set_disabled(user.id, disabled)
        if disabled:
            uow.users.delete_sessions_of(user.id)
        uow.events.append(UserDisabled(name) if disabled else UserEnabled(name), workspace.actor)
        changed = uow.users.get(name)
        uow.commit()
    return changed


def list_users(workspace: Accounts | Workspace) -> list[UserAccount]:
    with _accounts(workspace).unit_of_work(write=False) as uow:
        return uow.users.list()


def add_member(workspace: Workspace, name: str, role: Role) -> Membership:
    """Give a user a role in the workspace's project (or change it)."""
    with _accounts(workspace).unit_of_work() as uow:
        user = uow.users.get(name)
        previous = next((m.role for m in uow.users.members() if m.user == name), None)
        if previous == role.value:
            return Membership(workspace.project.key, name, role.value)
        uow.users.set_member(user.id, role.value, by=workspace.actor)
        uow.events.append(MemberAdded(name, role.value, previous), workspace.actor)
        uow.commit()
    return Membership(workspace.project.key, name, role.value)


def remove_member(workspace: Workspace, name: str) -> Membership:
    with _accounts(workspace).unit_of_work() as uow:
        user = uow.users.get(name)
        current = next((m for m in uow.users.members() if m.user == name), None)
        if current is None:
            raise NotFound(f"{name} is not a member of {workspace.project.key}")
        uow.users.remove_member(user.id)
        uow.events.append(MemberRemoved(name, current.role), workspace.actor)
        uow.commit()
    return current


def members(workspace: Workspace) -> list[Membership]:
    with _accounts(workspace).unit_of_work(write=False) as uow:
        return uow.users.members()


def role_of(workspace: Workspace, name: str) -> Role | None:
    """The user's role in the workspace's project, ``None`` for a non-member."""
    found = next((m for m in members(workspace) if m.user == name), None)
    return None if found is None else Role(found.role)


def member_identity(workspace: Workspace, name: str) -> tuple[Role, str] | None:
    """A member's role and the name they act under (:func:`acting_name`), read together; ``None``
    for a non-member."""
    with _accounts(workspace).unit_of_work(write=False) as uow:
        found = uow.users.member(name)
    if found is None:
        return None
    role, account = found
    return Role(role), acting_name(workspace, account)


def authenticate(workspace: Accounts | Workspace, name: str, password: str, *, address: str) -> UserAccount:
    """The user, if the password is right and the account not disabled; a refusal never says which
    of name and password was wrong (a disabled account is named as such only with the right
    password).

    Each attempt is counted before the password is checked, in a short transaction of its own, so
    simultaneous attempts cannot slip past the limit: after :data:`LOGIN_ATTEMPTS` attempts for this
    name from this address, or :data:`ADDRESS_LOGIN_ATTEMPTS` from this address on any names, within
    :data:`LOGIN_WINDOW`, every attempt is refused (even a right one) until the window has passed. A
    successful login gives its attempt back. The password is checked outside any transaction (it
    takes ~0.1 s of CPU on purpose; inside one, a flood of logins would hold SQLite's write lock).
    """
    now = datetime.now(UTC)
    with _accounts(workspace).unit_of_work() as uow:
        # cut to the columns' sizes: no user name is longer, and an address never is
        refused_by = uow.users.take_login_attempt(
            address[:100],
            name[:200],
            per_address=ADDRESS_LOGIN_ATTEMPTS,
            per_account=LOGIN_ATTEMPTS,
            window=LOGIN_WINDOW,
            now=now,
        )
        if refused_by is not None:
            whose = "from your address" if refused_by == "address" else "for this user name"
            raise TooManyAttempts(
                f"too many failed logins {whose}; try again in {LOGIN_WINDOW.seconds // 60} minutes"
            )
        user = uow.users.find(name)
        uow.commit()
    ok = _password_matches(None if user is None else user.password_hash, password)
    if not ok or user is None or user.disabled:
        # the attempt stays counted: that is the failure
        if ok and user is not None and user.disabled:
            # said only to whoever knows the password, so it reveals nothing to a guesser
            raise LoginFailed(
                "this account is disabled; ask the project's owner to enable it again "
                "(synthesist users enable NAME)"
            )
        raise LoginFailed("wrong user name or password")
    rehashed = _hash(password) if _hasher.check_needs_rehash(user.password_hash) else None
    with _accounts(workspace).unit_of_work() as uow:
        if rehashed is not None:
            uow.users.set_password(user.id, rehashed)
        uow.users.settle_successful_login(address[:100], name)
        uow.commit()
    return user


def _password_matches(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; for a missing user (``None``) a dummy hash is checked, so that
    an unknown name takes as long as a wrong password and names cannot be found by timing."""
    return _hashing.submit(_verify, password_hash, password).result()


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False


def check_login(name: str) -> str:
    """A login as it will be stored (trimmed), refused unless 1 to 200 characters on one line."""
    return _check_name(name)


def check_display_name(display_name: str | None) -> str | None:
    """A display name as it will be stored (spaces collapsed; ``None`` for none), or refused."""
    return _check_display_name(display_name)


def hash_new_password(password: str) -> str:
    """A new password checked (length) and hashed, for a write the caller makes in its own unit of
    work (signing up through an invitation, a reset link)."""
    _check_password(password)
    return _hash(password)


def _hash(password: str) -> str:
    return _hashing.submit(_hasher.hash, password).result()


@cache
def _dummy_hash() -> str:
    # made on first use, not at import: the CLI's start-up time is measured and this takes ~0.1 s
    return _hasher.hash(secrets.token_urlsafe(16))


def _accounts(holder: Accounts | Workspace) -> Accounts:
    """Where the accounts are: a review's own database, or the site's that hosts it."""
    return holder.accounts if isinstance(holder, Workspace) else holder
