"""The app as ``uvicorn`` builds it in each of its worker processes (``synthesist serve --workers N``).

uvicorn starts N processes only from an import string, so the settings go through the environment:
:data:`SITE_ENV` (a site's folder) or :data:`PROJECT_ENV` (a review's folder), and
:data:`SECURE_COOKIES_ENV`. Each process opens its own databases; nothing correctness depends on is
shared between them in memory (sessions, CSRF tokens and the login limit are in the database).

    uvicorn --factory synthesist.web.factory:app_from_environment --workers 4
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from synthesist.errors import UserError
from synthesist.review.project import find_project
from synthesist.review.site import load_site
from synthesist.web.app import app_for, create_app
from synthesist.web.site_state import SiteReviews, site_web_state
from synthesist.workspace import open_workspace

__all__ = ["PROJECT_ENV", "SECURE_COOKIES_ENV", "SITE_ENV", "app_from_environment", "create_site_app"]

SITE_ENV = "SYNTHESIST_SERVE_SITE"
PROJECT_ENV = "SYNTHESIST_SERVE_PROJECT"
SECURE_COOKIES_ENV = "SYNTHESIST_SERVE_SECURE_COOKIES"


THREADS_ENV = "SYNTHESIST_WEB_THREADS"


def limit_request_threads() -> None:
    """At most ``$SYNTHESIST_WEB_THREADS`` (default 8) requests of a process run at once; the rest
    wait their turn. Requests are mostly Python work under one interpreter lock: forty threads (the
    default) thrash it on two cores and every request waits longer. Logins have their own limit."""
    from anyio import to_thread

    try:
        threads = max(1, int(os.environ.get(THREADS_ENV, "8")))
    except ValueError:
        threads = 8
    to_thread.current_default_thread_limiter().total_tokens = threads


def create_site_app(site_folder: Path, *, secure_cookies: bool = False) -> FastAPI:
    """The app serving every review of the site in ``site_folder``, found in its registry on demand;
    its databases are closed when the app shuts down."""
    state = site_web_state(load_site(site_folder), secure_cookies=secure_cookies)
    reviews = state.projects
    assert isinstance(reviews, SiteReviews)
    app = app_for(state)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        limit_request_threads()
        yield
        reviews.close()

    app.router.lifespan_context = lifespan
    return app


def app_from_environment() -> FastAPI:
    """uvicorn's factory: a site's app, or a review's, from the environment ``serve`` set."""
    secure = os.environ.get(SECURE_COOKIES_ENV) == "1"
    site = os.environ.get(SITE_ENV)
    if site:
        return create_site_app(Path(site), secure_cookies=secure)
    project = os.environ.get(PROJECT_ENV)
    if not project:
        raise UserError(f"set {SITE_ENV} (a site's folder) or {PROJECT_ENV} (a review's folder)")
    workspace = open_workspace(find_project(Path(project)))
    app = create_app(workspace, secure_cookies=secure)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        limit_request_threads()
        yield
        workspace.close()

    app.router.lifespan_context = lifespan
    return app
