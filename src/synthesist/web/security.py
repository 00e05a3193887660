"""Cookies and CSRF: the pieces of request security that do not need a project.

CSRF uses the synchronizer-token pattern: each server-side session has its own random token, every
form carries it in a hidden ``csrf_token`` field (scripts may send ``X-CSRF-Token``), and any POST
without the right one is refused with 403. The login form, which has no session yet, uses a
double-submit cookie instead (a random cookie that the form must repeat), so a third-party page
cannot log a victim into the attacker's account.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request
from fastapi.responses import Response

from synthesist.errors import Forbidden

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "LOGIN_CSRF_COOKIE",
    "SESSION_COOKIE",
    "check_csrf",
    "clear_session_cookie",
    "new_login_token",
    "set_login_cookie",
    "set_session_cookie",
]

SESSION_COOKIE = "synthesist_session"
LOGIN_CSRF_COOKIE = "synthesist_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


def set_session_cookie(response: Response, token: str, *, secure: bool) -> None:
    # HttpOnly: no script can read it; SameSite=Lax: not sent on cross-site POSTs (a second line of
    # defence beside the CSRF token); Secure when served over https so it never travels in clear.
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=secure, path="/")


def clear_session_cookie(response: Response, *, secure: bool) -> None:
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax", secure=secure, path="/")


def new_login_token() -> str:
    return secrets.token_urlsafe(32)


def set_login_cookie(response: Response, token: str, *, secure: bool) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/login"
    )


async def submitted_token(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    form = await request.form()
    value = form.get(CSRF_FIELD)
    return value if isinstance(value, str) else ""


def check_csrf(expected: str | None, submitted: str) -> None:
    """Refuse (403) unless ``submitted`` is the expected token; compared in constant time."""
    if not expected or not submitted or not hmac.compare_digest(expected.encode(), submitted.encode()):
        raise Forbidden(
            "the form's security token is missing or out of date", hint="Reload the page and try again."
        )
