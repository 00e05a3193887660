"""The app factory and the one error handler.

``create_app`` serves one or more projects that share a database (a SQLite ``review.db`` holds one
project; a PostgreSQL database may hold several), because users and sessions live in that database.
Routes parse the request, call one service function and render a template; errors raised anywhere
become a response in :func:`_user_error` only.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from synthesist.errors import LoginRequired, UserError
from synthesist.web.body_limit import BodyLimit, upload_check_for
from synthesist.web.render import render
from synthesist.web.return_address import login_address
from synthesist.web.routes import (
    accounts,
    admin_users,
    appraisal,
    coding,
    dedup,
    extraction,
    fulltext,
    imports,
    invitations,
    members,
    outputs,
    projects,
    screening,
    styleguide,
)
from synthesist.web.routes import jobs as job_pages
from synthesist.web.routes import protocol as protocol_pages
from synthesist.web.routes import searches as search_pages
from synthesist.web.routes import site as site_pages
from synthesist.web.state import WebState
from synthesist.workspace import Workspace

__all__ = ["api_routes", "app_for", "create_app"]

STATIC = Path(__file__).parent / "static"


def create_app(workspaces: Workspace | Sequence[Workspace], *, secure_cookies: bool = False) -> FastAPI:
    """The web app for ``workspaces`` (opened by the caller, who also closes them)."""
    served = [workspaces] if isinstance(workspaces, Workspace) else list(workspaces)
    if not served:
        raise UserError("serve at least one project")
    urls = {ws.storage.display_url for ws in served}
    if len(urls) > 1:
        raise UserError(
            "the projects served together must share one database (users live in it)",
            hint=f"They use: {', '.join(sorted(urls))}.",
        )
    state = WebState(
        projects={ws.project.key: ws for ws in served},
        accounts=served[0].accounts,
        secure_cookies=secure_cookies,
    )
    return app_for(state)


def app_for(state: WebState) -> FastAPI:
    """The app over ``state``: a project's (above), or a site's, which finds its reviews in the site's
    registry on demand (web/site_state.py, web/factory.py)."""
    app = FastAPI(title="Synthesist", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.web = state
    # CSS and scripts go compressed (Pico's 82 KiB is 12 KiB gzipped: a phone's first page waits on it).
    # Pages are not: a page holds the session's CSRF token beside text the visitor chose (a search), and
    # compressing the two together leaks the token to an attacker who can watch sizes (BREACH).
    app.mount("/static", GZipMiddleware(StaticFiles(directory=STATIC), minimum_size=1024), name="static")
    app.include_router(accounts.router)
    app.include_router(site_pages.router)  # the home page, New review, /admin
    app.include_router(projects.router)
    for identity in (invitations, members, admin_users):  # links, a review's members, /admin/users
        app.include_router(identity.router)
    for module in (screening, fulltext, imports, dedup, extraction, appraisal, coding, outputs):
        app.include_router(module.router)
    app.include_router(job_pages.router)  # a review's jobs, and /admin/jobs
    app.include_router(protocol_pages.router)  # review.toml's sections as forms
    app.include_router(search_pages.router)  # live searches, living updates, citation searches
    app.include_router(styleguide.router)  # /styleguide: the design tokens and components, for administrators
    app.add_exception_handler(UserError, _user_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    # a bug (any other exception): Starlette's outermost middleware calls this, sends its page, then
    # re-raises, so the server still logs the traceback
    app.add_exception_handler(Exception, _server_error)
    app.add_middleware(SecurityHeaders)
    # outermost: counts every body as it arrives and refuses an oversized one before it is spooled
    app.add_middleware(BodyLimit, may_upload=upload_check_for(app.state.web))
    return app


# Pages load only our own scripts and styles (no inline ones), so a strict policy costs nothing and
# makes injected markup inert; no framing, so a page cannot be overlaid to steal clicks. Images may also
# be data: URLs: the vendored Pico CSS draws its checkbox ticks and select arrows as inline SVG images
# (an image runs no script).
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every response that does not set its own. Plain ASGI, not
    Starlette's ``BaseHTTPMiddleware``: that one runs the rest of the app in a task of its own with
    memory streams between, a few percent of every request's time on the screening page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)


def api_routes(app: FastAPI) -> list[APIRoute]:
    """Every route of the app, for the security tests that must cover each one. FastAPI 0.16x keeps
    an included router as one entry of ``app.routes``, so this walks into them (our routers carry
    their full paths; none is included with a prefix)."""
    found: list[APIRoute] = []
    pending: list[object] = list(app.routes)
    while pending:
        route = pending.pop(0)
        if isinstance(route, APIRoute):
            found.append(route)
        inner = getattr(route, "original_router", None)
        if inner is not None:
            pending.extend(inner.routes)
    return found


async def _user_error(request: Request, error: Exception) -> Response:
    """The one place where errors become responses: the status is the error's own."""
    assert isinstance(error, UserError)
    if isinstance(error, LoginRequired) and request.method == "GET" and not _wants_json(request):
        # back to this page once logged in (a POST is not repeated: its form is gone)
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(login_address(here), status_code=303)
    return _error_response(request, error.http_status, error.message, error.hint)


# Errors the framework raises before a route runs get the same two shapes as ours, instead of
# FastAPI's bare {"detail": ...}: an unknown address, a method the address does not take, a form
# missing a field.
_HTTP_MESSAGES = {
    404: ("there is no page at this address", "Check the address, or start again from the list of reviews."),
    405: ("this address does not take that kind of request", "Use the page's own links and buttons."),
}


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    message, hint = _HTTP_MESSAGES.get(error.status_code, (str(error.detail), None))
    response = _error_response(request, error.status_code, message, hint)
    for name, value in (error.headers or {}).items():
        response.headers[name] = value
    return response


async def _invalid_request(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    fields = sorted({str(problem["loc"][-1]) for problem in error.errors() if problem.get("loc")})
    message = (
        f"the form is missing or has a wrong value for: {', '.join(fields)}" if fields else "bad request"
    )
    return _error_response(request, 400, message, "Reload the page and fill in the form again.")


SERVER_ERROR = (
    "something went wrong on the server",
    "This is a fault in Synthesist, not in what you did. Each change is saved whole or not at all, so "
    "nothing was half-saved: go back, reload the page and check whether your last change is there. "
    "If this happens again, tell the site's administrator the time and the address; the server's log "
    "has the details.",
)


async def _server_error(request: Request, error: Exception) -> Response:
    """A bug's page, in the app's layout like every other error page. If the page itself cannot be
    drawn (the templates are what broke), plain text says the same."""
    try:
        return _error_response(request, 500, *SERVER_ERROR)
    except Exception:  # the bug being reported is the one that matters, not this one
        return PlainTextResponse(". ".join(SERVER_ERROR), status_code=500)


def _wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json") or "application/json" in request.headers.get("accept", "")


_STATUS_WORDS = {
    400: "The form could not be used",
    403: "Not allowed",
    404: "Not found",
    405: "Not found",
    409: "Not done: something changed",
    413: "Too large",
    422: "Not done",
    429: "Too many attempts",
    500: "Server error",
    503: "Not available now",
}


def _error_response(request: Request, status: int, message: str, hint: str | None) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": message, "hint": hint}, status_code=status)
    return render(
        request,
        "error.html",
        status_code=status,
        status=status,
        status_word=_STATUS_WORDS.get(status, "Not done" if status < 500 else "Server error"),
        message=message,
        hint=hint,
        back=_same_site_referer(request),
        review_home=_review_home(request.url.path),
    )


def _same_site_referer(request: Request) -> str | None:
    """The page the visitor came from, as a path, when it is one of ours (never another site's)."""
    referer = urlsplit(request.headers.get("referer", ""))
    if not referer.path or referer.netloc != request.url.netloc:
        return None
    back = referer.path + (f"?{referer.query}" if referer.query else "")
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return None if request.method == "GET" and back == here else back


def _review_home(path: str) -> str | None:
    parts = path.split("/")
    return f"/p/{parts[2]}" if len(parts) > 3 and parts[1] == "p" and parts[2] else None
