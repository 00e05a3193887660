"""The app factory and the one error handler.

``create_app`` serves one or more projects that share a database (a SQLite ``review.db`` holds one
project; a PostgreSQL database may hold several), because users and sessions live in that database.
Routes parse the request, call one service function and render a template; errors raised anywhere
become a response in :func:`_user_error` only.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
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
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
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


def _wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json") or "application/json" in request.headers.get("accept", "")


def _error_response(request: Request, status: int, message: str, hint: str | None) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": message, "hint": hint}, status_code=status)
    return render(request, "error.html", status_code=status, message=message, hint=hint)
