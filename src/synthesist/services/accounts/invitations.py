"""Invitations and password-reset links: single-use, expiring links, the token's SHA-256 stored.

An invitation joins the site (a new account, no review) or a review with a role; whoever opens it
signs up (login, display name, e-mail, password) or, already signed in, accepts it. A reset link
(one day) lets an account's owner set a password: how people brought in by ``users from-protocol``
get their first one. Using a link is one conditional UPDATE in the same transaction as what it does,
so a link works once even when opened twice at the same moment.

Where the rows go: the accounts database (the review's own, or its site's). An invitation to a review
is made and accepted through that review's :class:`Workspace`, so the membership and its events land
in that review's log; one to the site goes through the site's :class:`Accounts`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from synthesist.errors import Conflict, NotFound, UserError
from synthesist.events import (
    InvitationAccepted,
    InvitationCreated,
    InvitationRevoked,
    MemberAdded,
    PasswordChanged,
    PasswordResetLinkMade,
)
from synthesist.review.accounts import Invitation, InvitationState, Role, UserAccount
from synthesist.services.accounts.sessions import token_digest
from synthesist.services.accounts.users import (
    check_display_name,
    check_email,
    check_login,
    hash_new_password,
    new_account,
)
from synthesist.workspace import Accounts, Workspace

if TYPE_CHECKING:
    from synthesist.ports import UnitOfWork

__all__ = [
    "INVITATION_LIFETIME",
    "RESET_LIFETIME",
    "SignUp",
    "accept_invitation",
    "create_invitation",
    "find_invitation",
    "list_invitations",
    "open_invitation",
    "password_reset_link",
    "reset_link_in",
    "reset_password",
    "revoke_invitation",
]

INVITATION_LIFETIME = timedelta(days=7)  # long enough to reach someone on leave for a week
RESET_LIFETIME = timedelta(days=1)  # a reset link opens an account: short-lived

_ROLE_RANK = {Role.VIEWER: 0, Role.REVIEWER: 1, Role.OWNER: 2}


def _accounts(holder: Accounts | Workspace) -> Accounts:
    return holder.accounts if isinstance(holder, Workspace) else holder


def create_invitation(
    holder: Accounts | Workspace,
    *,
    role: Role | None,
    email: str | None = None,
    created_by: str | None = None,
    lifetime: timedelta = INVITATION_LIFETIME,
    emailed: bool = False,
) -> Invitation:
    """A new link: to the workspace's review with ``role`` (give a Workspace), or to the site with
    no role (give the site's Accounts). The returned invitation carries its token, which is shown
    once and stored nowhere (``.url(base)`` is the link to send)."""
    for_project = isinstance(holder, Workspace)
    if for_project and role is None:
        raise UserError("an invitation to a review needs a role", hint="Choose owner, reviewer or viewer.")
    if not for_project and role is not None:
        raise UserError("an invitation to the site gives no role; invite to a review for that")
    address = check_email(email)
    token = secrets.token_urlsafe(32)
    by = created_by or holder.actor
    expires = datetime.now(UTC) + lifetime
    with _accounts(holder).unit_of_work() as uow:
        invitation_id = uow.invitations.add(
            token_digest(token),
            for_project=for_project,
            role=None if role is None else role.value,
            email=address,
            created_by=by,
            expires_at=expires,
        )
        uow.events.append(
            InvitationCreated(
                invitation_id, None if role is None else role.value, expires.isoformat(), emailed
            ),
            by,
        )
        made = uow.invitations.get(invitation_id)
        uow.commit()
    assert made is not None
    return _with_token(made, token)


def find_invitation(holder: Accounts | Workspace, token: str) -> Invitation:
    """The invitation or reset link behind a token, whatever its state; an unknown token is
    :class:`NotFound` (said the same way for any wrong token, so none can be told from another)."""
    with _accounts(holder).unit_of_work(write=False) as uow:
        found = uow.invitations.find(token_digest(token)) if token else None
    if found is None:
        raise NotFound(
            "this link is not valid",
            hint="Check that the whole link was copied, or ask for a new one.",
        )
    return found


def _usable(found: Invitation, now: datetime) -> None:
    state = found.state(now)
    if state is InvitationState.OPEN:
        return
    what = "password-reset link" if found.is_reset else "invitation"
    told = {
        InvitationState.USED: f"this {what} has been used already; a link works once",
        InvitationState.EXPIRED: f"this {what} expired on {found.expires_at:%Y-%m-%d %H:%M} UTC",
        InvitationState.REVOKED: f"this {what} was withdrawn",
    }[state]
    raise Conflict(told, hint=f"Ask {found.created_by} for a new one.")


def open_invitation(holder: Accounts | Workspace, token: str) -> Invitation:
    """The invitation behind a token, refused unless it can still be used (not used, withdrawn or
    expired; each said as such)."""
    found = find_invitation(holder, token)
    _usable(found, datetime.now(UTC))
    return found


@dataclass(frozen=True)
class SignUp:
    """What a person gives to create their account from an invitation."""

    login: str
    password: str = field(repr=False)
    display_name: str | None = None
    email: str | None = None


def accept_invitation(
    holder: Accounts | Workspace,
    token: str,
    *,
    user: str | None = None,
    sign_up: SignUp | None = None,
) -> UserAccount:
    """Use an invitation: as the signed-in ``user``, or creating the account ``sign_up`` describes.
    An invitation to a review makes the account a member with its role (a member already keeps the
    higher of their role and the invited one); the membership, the account and the link's use are
    one transaction, logged in the review's log. Give the review's Workspace for a review's
    invitation, the site's Accounts for the site's."""
    if (user is None) == (sign_up is None):
        raise UserError("accept an invitation either signed in or by signing up")
    found = open_invitation(holder, token)
    if found.is_reset:
        raise UserError("this is a password-reset link, not an invitation", hint="Open it at /reset/…")
    if found.project_key is not None and not (
        isinstance(holder, Workspace) and holder.project.key == found.project_key
    ):
        raise UserError(f"this invitation is to the review {found.project_key}; open it there")
    hashed = None
    if sign_up is not None:
        login = check_login(sign_up.login)
        shown = check_display_name(sign_up.display_name)
        address = check_email(sign_up.email)
        hashed = hash_new_password(sign_up.password)  # outside the transaction: it takes ~0.1 s
    now = datetime.now(UTC)
    actor_of_log = holder.actor
    with _accounts(holder).unit_of_work() as uow:
        if sign_up is not None:
            assert hashed is not None
            account = new_account(uow, login, login, hashed, display_name=shown, email=address)
            actor_of_log = login
        else:
            assert user is not None
            account = uow.users.get(user)
            actor_of_log = user
        if not uow.invitations.use(found.id, account.id, now):
            # another request used it meanwhile: nothing of this one stays
            raise Conflict("this invitation has been used already; a link works once")
        if found.role is not None:
            current = next((m.role for m in uow.users.members() if m.user == account.name), None)
            kept = Role(current) if current is not None else None
            if kept is None or _ROLE_RANK[found.role] > _ROLE_RANK[kept]:
                uow.users.set_member(account.id, found.role.value, by=found.created_by)
                uow.events.append(MemberAdded(account.name, found.role.value, current), actor_of_log)
        uow.events.append(
            InvitationAccepted(
                found.id, account.name, None if found.role is None else found.role.value, sign_up is not None
            ),
            actor_of_log,
        )
        uow.commit()
    return account


def list_invitations(holder: Accounts | Workspace) -> list[Invitation]:
    """The review's invitations (a Workspace) or the site's (Accounts), newest first."""
    with _accounts(holder).unit_of_work(write=False) as uow:
        return uow.invitations.list(for_project=isinstance(holder, Workspace))


def revoke_invitation(holder: Accounts | Workspace, invitation_id: int) -> Invitation:
    """Withdraw an unused invitation of this review (or of the site): its link stops working."""
    with _accounts(holder).unit_of_work() as uow:
        found = uow.invitations.get(invitation_id)
        mine = found is not None and (
            found.project_key == holder.project.key
            if isinstance(holder, Workspace)
            else found.project_key is None
        )
        if found is None or not mine or found.is_reset:
            raise NotFound(f"there is no invitation {invitation_id} here")
        if not uow.invitations.revoke(invitation_id, datetime.now(UTC)):
            raise Conflict(f"invitation {invitation_id} was used or withdrawn already")
        uow.events.append(InvitationRevoked(invitation_id), holder.actor)
        changed = uow.invitations.get(invitation_id)
        uow.commit()
    assert changed is not None
    return changed


def password_reset_link(
    holder: Accounts | Workspace, login: str, *, lifetime: timedelta = RESET_LIFETIME
) -> Invitation:
    """A single-use link (one day) for ``login`` to set a new password; carries its token once."""
    with _accounts(holder).unit_of_work() as uow:
        made = reset_link_in(uow, holder.actor, uow.users.get(login), lifetime)
        uow.commit()
    return made


def reset_link_in(
    uow: UnitOfWork, actor: str, account: UserAccount, lifetime: timedelta = RESET_LIFETIME
) -> Invitation:
    """A reset link for ``account`` made inside the caller's unit of work (with its event)."""
    token = secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + lifetime
    invitation_id = uow.invitations.add(
        token_digest(token),
        for_project=False,
        role=None,
        email=None,
        created_by=actor,
        expires_at=expires,
        reset_user_id=account.id,
    )
    uow.events.append(PasswordResetLinkMade(account.name, invitation_id, expires.isoformat()), actor)
    made = uow.invitations.get(invitation_id)
    assert made is not None
    return _with_token(made, token)


def reset_password(holder: Accounts | Workspace, token: str, password: str) -> UserAccount:
    """Set the password a reset link is for; the link is used up and the account's open sessions end."""
    found = open_invitation(holder, token)
    if not found.is_reset or found.reset_user is None:
        raise UserError("this is an invitation, not a password-reset link", hint="Open it at /invite/…")
    hashed = hash_new_password(password)
    with _accounts(holder).unit_of_work() as uow:
        account = uow.users.get(found.reset_user)
        if not uow.invitations.use(found.id, account.id, datetime.now(UTC)):
            raise Conflict("this password-reset link has been used already; a link works once")
        uow.users.set_password(account.id, hashed)
        uow.users.delete_sessions_of(account.id)
        uow.events.append(PasswordChanged(account.name), account.name)
        uow.commit()
    return account


def _with_token(invitation: Invitation, token: str) -> Invitation:
    return replace(invitation, token=token)
