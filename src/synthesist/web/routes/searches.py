"""Live searches in the browser: the review's search runs and strategies, and three forms that queue
what ``synthesist search run|rerun|citations`` does in the terminal — a live search of a strategy on
a free source, a living update of the searches run before, a citation search of the included
studies. Each runs as a background job (a search fetches page after page for minutes); the form
redirects to the job's page, which follows it.

Members read the page; reviewers and owners start searches (the records a search imports wait for
screening like any import). A form's mistake is shown on the page beside the forms, nothing queued.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from synthesist.errors import UserError
from synthesist.services.web.pages_search import (
    DIRECTIONS,
    searches_page,
    start_citation_search,
    start_live_search,
    start_living_update,
)
from synthesist.web.auth import Access, Member, Reviewer
from synthesist.web.routes.jobs import KIND_NAMES
from synthesist.web.routes.projects import page

__all__ = ["router"]

router = APIRouter(prefix="/p/{key}")


def _page(
    request: Request, access: Access, *, error: UserError | None = None, form: str = ""
) -> HTMLResponse:
    response = page(
        request,
        access,
        "searches.html",
        shown=searches_page(access.workspace),
        can_search=access.role.can_screen(),
        directions=DIRECTIONS,
        kinds=KIND_NAMES,
        error=error,
        error_form=form,  # which form the error belongs to, so it is shown beside that one
    )
    if error is not None:
        response.status_code = error.http_status
    return response


@router.get("/searches", response_class=HTMLResponse)
def searches(request: Request, access: Member) -> Response:
    return _page(request, access)


def _queued(request: Request, access: Access, form: str, submit: Callable[[], int]) -> Response:
    try:
        job_id = submit()
    except UserError as error:
        return _page(request, access, error=error, form=form)
    return RedirectResponse(f"/p/{access.workspace.project.key}/jobs/{job_id}", status_code=303)


@router.post("/searches/run", response_class=HTMLResponse)
def run(
    request: Request,
    access: Reviewer,
    strategy: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "",
    max_records: Annotated[str, Form()] = "",
) -> Response:
    """A live search (``search.run``): a strategy on a source, at most ``max_records`` records."""
    workspace = access.workspace
    return _queued(
        request, access, "run", lambda: start_live_search(workspace, strategy, source, max_records)
    )


@router.post("/searches/update", response_class=HTMLResponse)
def update(request: Request, access: Reviewer, saved: Annotated[str, Form()] = "") -> Response:
    """A living update (``search.update``) of every saved search, or of one (``STRATEGY@SOURCE``)."""
    return _queued(request, access, "update", lambda: start_living_update(access.workspace, saved))


@router.post("/searches/citations", response_class=HTMLResponse)
def citations(request: Request, access: Reviewer, direction: Annotated[str, Form()] = "both") -> Response:
    """A citation search of the included studies through OpenAlex (``search.citations``)."""
    return _queued(request, access, "citations", lambda: start_citation_search(access.workspace, direction))
