"""Opening a link: ``/invite/{token}`` (sign up, or accept while signed in) and ``/reset/{token}``
(set a password). Outside any review: the token is the key, and an unknown, used, withdrawn or
expired link is said so. The sign-up and reset forms have no session yet, so they carry a
double-submit token (a cookie the form repeats, as the login form does): a third-party page cannot
create an account or sign someone in on their behalf."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from synthesist.errors import NotFound, UserError
from synthesist.review.accounts import Invitation, WebSession
from synthesist.services.accounts.invitations import (
    SignUp,
    accept_invitation,
    find_invitation,
    open_invitation,
    reset_password,
)
from synthesist.services.accounts.sessions import find_session, start_session
from synthesist.web.auth import SessionPost, web_state
from synthesist.web.render import render
from synthesist.web.return_address import login_address, safe_next
from synthesist.web.security import SESSION_COOKIE, check_csrf, new_login_token, set_session_cookie
from synthesist.workspace import Accounts, Workspace

__all__ = ["router"]

router = APIRouter()

LINK_CSRF_COOKIE = "synthesist_link_csrf"


def _holder(request: Request, invitation: Invitation) -> Accounts | Workspace:
    """Where the invitation is accepted: its review (so the membership is logged there), else the
    accounts the app serves."""
    state = web_state(request)
    if invitation.project_key is None:
        return state.accounts
    served = state.projects.get(invitation.project_key)
    if served is None:
        raise NotFound("the review this invitation is for is no longer served here")
    return served


def _opened(request: Request, token: str, *, reset: bool) -> Invitation:
    """The link's invitation if it is of the kind the address says (else 404, as for no link) and
    still usable (else why not: used, withdrawn, expired)."""
    accounts = web_state(request).accounts
    if find_invitation(accounts, token).is_reset != reset:
        raise NotFound("this link is not valid", hint="Check that the whole link was copied.")
    return open_invitation(accounts, token)


def _signed_in(request: Request) -> WebSession | None:
    return find_session(web_state(request).accounts, request.cookies.get(SESSION_COOKIE))


def _form_page(
    request: Request,
    template: str,
    invitation: Invitation,
    token: str,
    *,
    status_code: int = 200,
    **context: object,
) -> HTMLResponse:
    state = web_state(request)
    session = _signed_in(request)
    form_token = new_login_token()
    response = render(
        request,
        template,
        status_code=status_code,
        invitation=invitation,
        token=token,
        session_user=None if session is None else session.user,
        csrf_token=session.csrf_token if session is not None else "",
        form_token=form_token,
        **context,
    )
    response.set_cookie(
        LINK_CSRF_COOKIE, form_token, httponly=True, samesite="strict", secure=state.secure_cookies, path="/"
    )
    return response


@router.get("/invite/{token}", response_class=HTMLResponse)
def invitation_page(request: Request, token: str) -> Response:
    invitation = _opened(request, token, reset=False)
    # someone with an account logs in and comes straight back here to accept
    return _form_page(request, "invite.html", invitation, token, login_link=login_address(f"/invite/{token}"))


@router.post("/invite/{token}", response_class=HTMLResponse)
async def sign_up(
    request: Request,
    token: str,
    login: Annotated[str, Form()],
    password: Annotated[str, Form()],
    repeat: Annotated[str, Form()],
    display_name: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    form_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request.cookies.get(LINK_CSRF_COOKIE), form_token)
    state = web_state(request)
    invitation = _opened(request, token, reset=False)
    try:
        if password != repeat:
            raise UserError("the two passwords differ")
        account = await run_in_threadpool(
            accept_invitation,
            _holder(request, invitation),
            token,
            sign_up=SignUp(login, password, display_name=display_name or None, email=email or None),
        )
    except UserError as error:
        if error.http_status != 400 and error.http_status != 409:
            raise
        # the form again with what was typed (never the passwords) and the reason beside it
        return _form_page(
            request,
            "invite.html",
            invitation,
            token,
            status_code=error.http_status,
            message=error.message,
            hint=error.hint,
            login=login,
            display_name=display_name,
            email=email,
            login_link=login_address(f"/invite/{token}"),
        )
    session_token = await run_in_threadpool(start_session, state.accounts, account.id)
    target = f"/p/{invitation.project_key}" if invitation.project_key else "/"
    redirect = RedirectResponse(target, status_code=303)
    set_session_cookie(redirect, session_token, secure=state.secure_cookies)
    return redirect


@router.post("/invite/{token}/accept")
def accept(request: Request, token: str, session: SessionPost) -> Response:
    invitation = _opened(request, token, reset=False)
    accept_invitation(_holder(request, invitation), token, user=session.user)
    target = f"/p/{invitation.project_key}" if invitation.project_key else "/"
    return RedirectResponse(target, status_code=303)


@router.get("/reset/{token}", response_class=HTMLResponse)
def reset_page(request: Request, token: str, next_path: Annotated[str, Query(alias="next")] = "") -> Response:
    invitation = _opened(request, token, reset=True)
    target = safe_next(next_path)  # a reset link may say where to go afterwards, as /login does
    return _form_page(request, "reset.html", invitation, token, next=target, login_link=login_address(target))


@router.post("/reset/{token}", response_class=HTMLResponse)
async def reset(
    request: Request,
    token: str,
    password: Annotated[str, Form()],
    repeat: Annotated[str, Form()],
    form_token: Annotated[str, Form()] = "",
    next_path: Annotated[str, Form(alias="next")] = "",
) -> Response:
    check_csrf(request.cookies.get(LINK_CSRF_COOKIE), form_token)
    state = web_state(request)
    invitation = _opened(request, token, reset=True)
    target = safe_next(next_path)
    try:
        if password != repeat:
            raise UserError("the two passwords differ")
        account = await run_in_threadpool(reset_password, state.accounts, token, password)
    except UserError as error:
        if error.http_status != 400:
            raise
        return _form_page(
            request,
            "reset.html",
            invitation,
            token,
            status_code=400,
            message=error.message,
            hint=error.hint,
            next=target,
            login_link=login_address(target),
        )
    session_token = await run_in_threadpool(start_session, state.accounts, account.id)
    redirect = RedirectResponse(target or "/", status_code=303)
    set_session_cookie(redirect, session_token, secure=state.secure_cookies)
    return redirect
