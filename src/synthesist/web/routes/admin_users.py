"""The administrators' page of users: ``/admin/users`` lists every account; administrators invite
people to the site, disable and enable accounts, make password-reset links and name other
administrators. Anyone else signed in gets 403 (the page's existence is no secret; its content is)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from synthesist.errors import Forbidden, UserError
from synthesist.review.accounts import WebSession
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


def _page(request: Request, session: WebSession, accounts: Accounts, **context: Any) -> HTMLResponse:
    users, invitations, now = users_page(accounts)
    return render(
        request,
        "admin_users.html",
        user=session.user,
        csrf_token=session.csrf_token,
        users=users,
        invitations=invitations,
        now=now,
        **context,
    )


def _back() -> Response:
    return RedirectResponse("/admin/users", status_code=303)


@router.get("", response_class=HTMLResponse)
def users(request: Request, session: Session) -> Response:
    return _page(request, session, _admin(request, session))


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
    return _back()


@router.post("/enable")
def enable(request: Request, session: SessionPost, user: Annotated[str, Form()]) -> Response:
    enable_user(_admin(request, session), user)
    return _back()


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
    return _back()


@router.post("/revoke")
def revoke(request: Request, session: SessionPost, invitation_id: Annotated[int, Form()]) -> Response:
    revoke_invitation(_admin(request, session), invitation_id)
    return _back()
