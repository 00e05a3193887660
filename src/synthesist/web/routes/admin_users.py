"""The administrators' page of users: ``/admin/users`` lists every account; administrators invite
people to the site, disable and enable accounts, make password-reset links and name other
administrators. Anyone else signed in gets 403 (the page's existence is no secret; its content is)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from synthesist.errors import Forbidden, UserError
from synthesist.review.accounts import Invitation, InvitationState, UserAccount, WebSession
from synthesist.services.accounts.invitations import create_invitation, password_reset_link, revoke_invitation
from synthesist.services.accounts.mail import invitation_message, send_link
from synthesist.services.accounts.users import disable_user, enable_user
from synthesist.services.web.pages_members import users_page
from synthesist.web.auth import Session, SessionPost, web_state
from synthesist.web.render import render
from synthesist.web.routes.members import link_base
from synthesist.workspace import Accounts

__all__ = ["router"]

router = APIRouter(prefix="/admin/users")


def _admin(request: Request, session: WebSession) -> Accounts:
    """The accounts, acting as the administrator; 403 for anyone who is not one."""
    accounts = web_state(request).accounts
    with accounts.unit_of_work(write=False) as uow:
        account = uow.users.find(session.user)
    if account is None or not account.site_admin:
        raise Forbidden(
            "only a site administrator may manage users",
            hint="An administrator is named with: synthesist site admin LOGIN --site DIR",
        )
    return Accounts(accounts.storage, session.user, accounts.site)


def _page(
    request: Request,
    session: WebSession,
    accounts: Accounts,
    done: tuple[str, str, int | None] | None = None,
    **context: Any,
) -> HTMLResponse:
    """The list; with ``done`` (what was done, to which user or invitation), its confirmation."""
    users, invitations, now = users_page(accounts)
    confirmed = _confirmation(users, invitations, now, *done) if done else None
    return render(
        request,
        "admin_users.html",
        user=session.user,
        csrf_token=session.csrf_token,
        users=users,
        invitations=invitations,
        now=now,
        confirmed=confirmed,
        **context,
    )


def _back(**done: str | int) -> Response:
    """Back to the list, which confirms what was done (``done`` and what it was done to)."""
    return RedirectResponse(f"/admin/users?{urlencode(done)}", status_code=303)


def _confirmation(
    users: list[UserAccount],
    invitations: list[Invitation],
    now: datetime,
    done: str,
    user: str,
    invitation: int | None,
) -> str | None:
    """What the page says after a change redirected back to it (``?done=``), if the accounts and links
    shown still bear it out: an old or edited address confirms nothing."""
    account = next((u for u in users if u.name == user), None)
    if account is not None:
        if done == "disabled" and account.disabled:
            return f"{user} is disabled: they can no longer sign in. Enable them to let them in again."
        if done == "enabled" and not account.disabled:
            return f"{user} is enabled: they can sign in again with their old password."
        if done == "admin" and account.site_admin:
            return f"{user} is now an administrator of the site."
        if done == "not-admin" and not account.site_admin:
            return f"{user} is no longer an administrator of the site."
    withdrawn = next((i for i in invitations if i.id == invitation), None)
    if done == "withdrawn" and withdrawn is not None and withdrawn.state(now) is InvitationState.REVOKED:
        return "Invitation withdrawn: its link no longer works."
    return None


@router.get("", response_class=HTMLResponse)
def users(
    request: Request,
    session: Session,
    done: Annotated[str, Query()] = "",
    user: Annotated[str, Query()] = "",
    invitation: Annotated[int | None, Query()] = None,
) -> Response:
    return _page(request, session, _admin(request, session), (done, user, invitation) if done else None)


@router.post("/invite", response_class=HTMLResponse)
def invite(request: Request, session: SessionPost, email: Annotated[str, Form()] = "") -> Response:
    accounts = _admin(request, session)
    made = create_invitation(accounts, role=None, email=email or None)
    site = accounts.site
    url = made.url(link_base(request, site.public_url if site else None))
    subject, text = invitation_message(site.name if site else "Synthesist", made, url)
    mailed = send_link(site, made.email, subject, text)
    return _page(request, session, accounts, link=url, link_what="invitation to the site", mailed=mailed)


@router.post("/reset", response_class=HTMLResponse)
def reset_link(request: Request, session: SessionPost, user: Annotated[str, Form()]) -> Response:
    accounts = _admin(request, session)
    made = password_reset_link(accounts, user)
    site = accounts.site
    url = made.url(link_base(request, site.public_url if site else None))
    with accounts.unit_of_work(write=False) as uow:
        address = uow.users.get(user).email
    subject, text = invitation_message(site.name if site else "Synthesist", made, url)
    mailed = send_link(site, address, subject, text)
    return _page(
        request, session, accounts, link=url, link_what=f"password-reset link for {user}", mailed=mailed
    )


@router.post("/disable")
def disable(request: Request, session: SessionPost, user: Annotated[str, Form()]) -> Response:
    accounts = _admin(request, session)
    if user == session.user:
        raise UserError("you cannot disable your own account", hint="Ask another administrator.")
    disable_user(accounts, user)
    return _back(done="disabled", user=user)


@router.post("/enable")
def enable(request: Request, session: SessionPost, user: Annotated[str, Form()]) -> Response:
    enable_user(_admin(request, session), user)
    return _back(done="enabled", user=user)


@router.post("/admin")
def make_admin(
    request: Request,
    session: SessionPost,
    user: Annotated[str, Form()],
    admin: Annotated[bool, Form()] = True,
) -> Response:
    accounts = _admin(request, session)
    if user == session.user and not admin:
        raise UserError("you cannot remove your own administrator right", hint="Ask another administrator.")
    from synthesist.services.site import set_site_admin  # the site's registry service names administrators

    set_site_admin(accounts, user, admin)
    return _back(done="admin" if admin else "not-admin", user=user)


@router.post("/revoke")
def revoke(request: Request, session: SessionPost, invitation_id: Annotated[int, Form()]) -> Response:
    revoke_invitation(_admin(request, session), invitation_id)
    return _back(done="withdrawn", invitation=invitation_id)
