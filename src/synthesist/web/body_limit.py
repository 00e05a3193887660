"""A cap on the size of a request body, counted as the bytes arrive, before anything is parsed.

Starlette parses a form by spooling its files to a temporary file before a route (or its login and
CSRF checks) sees it, so a route's own size check comes after the disk has taken whatever was sent,
and a declared ``Content-Length`` proves nothing: a chunked request declares none. This pure ASGI
middleware therefore counts the body as the server hands it over and stops the request with 413
(and a page that names the limit) as soon as it passes the limit of its kind of route:

* the login form, and anything outside a project: :attr:`BodyLimits.small`;
* a project page's form (screening, extraction, coding...): :attr:`BodyLimits.form`;
* an export upload (``POST /p/KEY/import``) and a report upload
  (``POST /p/KEY/records/ID/reports``): their own sizes, but only for a reviewer of that project
  with a live session. Anyone else gets the small limit, so a request that will be refused for
  want of a login or a role never gets to fill the temporary folder first.

A declared length over the limit is refused before a byte of the body is read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from html import escape

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from synthesist.services.accounts.sessions import find_session
from synthesist.services.accounts.users import role_of
from synthesist.services.records.uploads import MAX_UPLOAD_BYTES as MAX_EXPORT_BYTES
from synthesist.web.routes.fulltext import MAX_UPLOAD_BYTES as MAX_REPORT_BYTES
from synthesist.web.security import SESSION_COOKIE
from synthesist.web.state import WebState

__all__ = ["BodyLimit", "BodyLimits", "reviewer_may_upload"]

_KIB = 1024
_MIB = 1024 * 1024
# Room for a form's other fields and the multipart headers around an uploaded file.
_FORM_OVERHEAD = _MIB
# How many exports one import form may carry at their full size.
EXPORTS_PER_IMPORT = 5

_IMPORT = re.compile(r"^/p/(?P<key>[^/]+)/import/?$")
_REPORT = re.compile(r"^/p/(?P<key>[^/]+)/records/\d+/reports/?$")


@dataclass(frozen=True)
class BodyLimits:
    """The largest body, in bytes, of each kind of request."""

    # A name, a password and a token; also every upload route without a reviewer's session.
    small: int = 64 * _KIB
    # A project page's form, whose free-text fields (an extraction's notes) may run long.
    form: int = _MIB
    report: int = MAX_REPORT_BYTES + _FORM_OVERHEAD
    imports: int = EXPORTS_PER_IMPORT * MAX_EXPORT_BYTES + _FORM_OVERHEAD


# (project key, session cookie) -> may this request upload to the project? Called off the event
# loop, since it reads the database.
UploadCheck = Callable[[str, str | None], bool]


def reviewer_may_upload(state: WebState, key: str, token: str | None) -> bool:
    """Whether ``token`` is a live session of a reviewer (or owner) of project ``key``: the same
    test the upload routes make, before any of the body is read."""
    workspace = state.projects.get(key)
    session = find_session(state.accounts, token)
    if workspace is None or session is None:
        return False
    role = role_of(workspace, session.user)
    return role is not None and role.can_screen()


def upload_check_for(state: WebState) -> UploadCheck:
    return partial(reviewer_may_upload, state)


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when the body passes its limit; whatever the app answers to it is
    replaced by the 413 page."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=f"the request body is larger than {limit} bytes")


class BodyLimit:
    def __init__(
        self, app: ASGIApp, limits: BodyLimits | None = None, may_upload: UploadCheck | None = None
    ) -> None:
        self.app = app
        self.limits = limits or BodyLimits()
        self.may_upload = may_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = await self._limit_for(scope)
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, limit)
            return
        await _LimitedRequest(self.app, limit)(scope, receive, send)

    async def _limit_for(self, scope: Scope) -> int:
        path: str = scope["path"]
        if scope["method"] == "POST":
            for pattern, allowed in ((_IMPORT, self.limits.imports), (_REPORT, self.limits.report)):
                found = pattern.match(path)
                if found:
                    token = HTTPConnection(scope).cookies.get(SESSION_COOKIE)
                    may = self.may_upload is not None and await run_in_threadpool(
                        self.may_upload, found["key"], token
                    )
                    return allowed if may else self.limits.small
        return self.limits.form if path.startswith("/p/") else self.limits.small


class _LimitedRequest:
    """One request whose body is counted; once it passes ``limit`` the app's own answer (a parse
    error, a 500) is dropped and the 413 page sent instead."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.received = 0
        self.exceeded = False
        self.started = False  # the app's own response has begun: it can no longer be replaced
        self.refused = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def counted_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                self.received += len(message.get("body", b""))
                if self.received > self.limit:
                    self.exceeded = True
                    raise BodyTooLarge(self.limit)
            return message

        async def guarded_send(message: Message) -> None:
            if self.refused:
                return
            if message["type"] == "http.response.start" and self.exceeded and not self.started:
                self.refused = True
                await _refuse(send, self.limit)
                return
            if message["type"] == "http.response.start":
                self.started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not self.exceeded or self.started:
                raise
            # the app gave up on the cut body without answering: the answer is ours
        if self.exceeded and not self.started and not self.refused:
            self.refused = True
            await _refuse(send, self.limit)


def _declared_length(scope: Scope) -> int | None:
    declared = dict(scope["headers"]).get(b"content-length", b"")
    return int(declared) if declared.isdigit() else None


def _size_text(size: int) -> str:
    if size >= _MIB:
        return f"{size / _MIB:.0f} MB"
    return f"{size / _KIB:.0f} KB"


async def _refuse(send: Send, limit: int) -> None:
    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Too large</title>'
        "</head><body><main><h1>This request is too large</h1><p>"
        + escape(
            f"The server accepts at most {_size_text(limit)} in this request. "
            "Upload large files one at a time, or import them from the command line."
        )
        + "</p></main></body></html>"
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"content-security-policy", b"default-src 'self'; frame-ancestors 'none'"),
                (b"x-content-type-options", b"nosniff"),
                (b"x-frame-options", b"DENY"),
                # the rest of the body is not read: the connection cannot carry another request
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
