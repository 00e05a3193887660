"""Logging in and out."""

from __future__ import annotations

import asyncio
import weakref
from functools import partial
from typing import Annotated

from anyio import CapacityLimiter, to_thread
from fastapi import APIRouter, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from synthesist.errors import LoginFailed
from synthesist.services.accounts.sessions import end_session, start_session
from synthesist.services.accounts.users import PASSWORD_CHECKS_AT_ONCE, authenticate
from synthesist.web.auth import SessionPost, web_state
from synthesist.web.render import render
from synthesist.web.return_address import safe_next
from synthesist.web.security import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    check_csrf,
    clear_session_cookie,
    new_login_token,
    set_login_cookie,
    set_session_cookie,
)

__all__ = ["router"]

router = APIRouter()


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next_path: Annotated[str, Query(alias="next")] = "") -> Response:
    token = new_login_token()
    # where to go once logged in: only a path on this site (see return_address.py)
    response = render(request, "login.html", csrf_token=token, next=safe_next(next_path))
    set_login_cookie(response, token, secure=web_state(request).secure_cookies)
    return response


# Logins wait for a password check here, as coroutines, not in the thread pool every other route
# shares: a flood of logins then holds one thread per password check that can run at once, and the
# reviewers' requests keep the rest (a sync route would hold a pool thread while it waits).
# One limiter per event loop: an anyio limiter belongs to the loop that first uses it, and waking a
# waiter of another loop hangs it (a server has one loop; tests run several clients, each its own).
_password_checks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)


def _password_check_limiter() -> CapacityLimiter:
    loop = asyncio.get_running_loop()
    limiter = _password_checks.get(loop)
    if limiter is None:
        limiter = _password_checks[loop] = CapacityLimiter(PASSWORD_CHECKS_AT_ONCE)
    return limiter


@router.post("/login")
async def login(
    request: Request,
    name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next_path: Annotated[str, Form(alias="next")] = "",
) -> Response:
    state = web_state(request)
    check_csrf(request.cookies.get(LOGIN_CSRF_COOKIE), csrf_token)
    target = safe_next(next_path)
    address = request.client.host if request.client else "unknown"
    try:
        user = await to_thread.run_sync(
            partial(authenticate, state.accounts, name, password, address=address),
            limiter=_password_check_limiter(),
        )
    except LoginFailed as error:
        # the form again, not the error page, with the error's own status (401); a refusal for too
        # many attempts (429) goes to the app's one error handler like every other error
        return render(
            request,
            "login.html",
            status_code=error.http_status,
            csrf_token=csrf_token,
            message=error.message,
            name=name,
            next=target,
        )
    token = await run_in_threadpool(start_session, state.accounts, user.id)
    redirect = RedirectResponse(target or "/", status_code=303)
    set_session_cookie(redirect, token, secure=state.secure_cookies)
    redirect.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return redirect


@router.post("/logout")
def logout(request: Request, session: SessionPost) -> Response:
    state = web_state(request)
    end_session(state.accounts, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response, secure=state.secure_cookies)
    return response


# The home page (the user's reviews) is in routes/site.py, with the site's other pages.
