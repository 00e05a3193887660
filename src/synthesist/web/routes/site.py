"""A site's own pages: the home page (the user's reviews), "New review", and the administrators'
landing page and list of every review (``/admin``, ``/admin/reviews``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from synthesist.errors import Forbidden, UserError
from synthesist.services.site import ORIGINS, NewReview, create_review, may_create_reviews
from synthesist.services.site.creation import MAX_PROTOCOL_BYTES
from synthesist.services.web.pages_site import admin_page, home_page
from synthesist.web.admin_auth import SiteAdmin
from synthesist.web.auth import Session, SessionPost, web_state
from synthesist.web.render import render
from synthesist.web.site_state import SiteReviews

__all__ = ["router"]

router = APIRouter()


def _is_site(request: Request) -> bool:
    return isinstance(web_state(request).projects, SiteReviews)


@router.get("/", response_class=HTMLResponse)
def project_list(request: Request, session: Session) -> Response:
    state = web_state(request)
    view = home_page(state.accounts, state.projects, session.user, site=_is_site(request))
    return render(request, "projects.html", user=session.user, csrf_token=session.csrf_token, view=view)


def _may_create(request: Request, login: str) -> None:
    if not _is_site(request):
        raise Forbidden(
            "this server serves a review on its own: new reviews are created on a site",
            hint="Create one with `synthesist init DIR`, or serve a site: synthesist serve --site DIR",
        )
    if not may_create_reviews(web_state(request).accounts, login):
        raise Forbidden(
            "only site administrators create reviews on this site",
            hint="Ask an administrator to create it and make you its owner.",
        )


@router.get("/reviews/new", response_class=HTMLResponse)
def new_review_form(request: Request, session: Session) -> Response:
    _may_create(request, session.user)
    return _form(request, session.user, session.csrf_token)


def _form(
    request: Request,
    login: str,
    csrf_token: str,
    *,
    title: str = "",
    origin: str = "blank",
    errors: dict[str, str] | None = None,
    hint: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "review_new.html",
        status_code=status_code,
        user=login,
        csrf_token=csrf_token,
        title=title,
        origin=origin if origin in ORIGINS else "blank",
        errors=errors or {},
        hint=hint,
        limit_kb=MAX_PROTOCOL_BYTES // 1000,
    )


@router.post("/reviews/new")
async def new_review(
    request: Request,
    session: SessionPost,
    title: Annotated[str, Form()] = "",
    origin: Annotated[str, Form()] = "blank",
) -> Response:
    _may_create(request, session.user)
    text: str | None = None
    upload = (await request.form()).get("protocol")
    if origin == "upload" and isinstance(upload, UploadFile) and upload.filename:
        raw = await upload.read(MAX_PROTOCOL_BYTES + 1)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return _form(
                request,
                session.user,
                session.csrf_token,
                title=title,
                origin=origin,
                errors={"protocol": "this file is not UTF-8 text: is it a review.toml?"},
                status_code=400,
            )
    request_made = NewReview(title=title, origin=origin, protocol_text=text)
    try:
        # writes files and the databases: off the event loop
        project = await run_in_threadpool(
            create_review, web_state(request).accounts, session.user, request_made
        )
    except Forbidden:
        raise
    except UserError as error:
        # beside the field it is about: an uploaded protocol's problems (named by line, as the CLI
        # names them) beside the file, anything else beside the title
        field = "protocol" if origin == "upload" else "title"
        return _form(
            request,
            session.user,
            session.csrf_token,
            title=title,
            origin=origin,
            errors={field: error.message},
            hint=error.hint,
            status_code=error.http_status,
        )
    return RedirectResponse(f"/p/{project.key}", status_code=303)


@router.get("/admin", response_class=HTMLResponse)
def admin_home(request: Request, admin: SiteAdmin) -> Response:
    view = admin_page(web_state(request).accounts)
    return render(request, "admin.html", user=admin.user, csrf_token=admin.csrf_token, view=view)


@router.get("/admin/reviews", response_class=HTMLResponse)
def admin_reviews(request: Request, admin: SiteAdmin) -> Response:
    view = admin_page(web_state(request).accounts)
    return render(request, "admin_reviews.html", user=admin.user, csrf_token=admin.csrf_token, view=view)
