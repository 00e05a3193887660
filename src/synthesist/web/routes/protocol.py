"""The protocol page: review.toml's sections as forms (owners edit, other members read).

Each form saves one section through :func:`save_protocol_section`, which writes review.toml (comments
kept) only when the whole protocol passes the CLI's checks; a refused form comes back as typed with
each message beside its field. After a save the browser is sent back to the page (post/redirect/get),
so reloading it does not post the form again.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from synthesist.errors import ChangedMeanwhile, Forbidden, ProtocolEditRefused, UserError
from synthesist.services.protocol_edit.forms import EXTRACTION_FIELD_KEYS
from synthesist.services.web.pages_protocol import DUTIES_SECTION, protocol_page, save_protocol_section
from synthesist.web.auth import Access, Member
from synthesist.web.routes.projects import page

__all__ = ["router"]

router = APIRouter(prefix="/p/{key}")

# what the selects offer (the protocol's own choices; anything else is refused by its check)
CHOICES: dict[str, Any] = {
    "review_types": [
        "systematic review",
        "qualitative systematic review",
        "qualitative evidence synthesis",
        "scoping review",
        "mixed-methods review",
        "rapid review",
        "other",
    ],
    "modes": ["single", "single-verified", "dual"],
    "samplings": ["random", "stratified"],
    "field_types": [
        "short_text",
        "long_text",
        "number",
        "choice",
        "multi_choice",
        "date",
        "participant_counts",
    ],
    "record_sources": ["", "authors", "year", "title", "journal"],
    "levels": ["", "descriptive", "analytical"],
    "stages": [("title_abstract", "Title and abstract"), ("full_text", "Full text")],
    "field_keys": EXTRACTION_FIELD_KEYS,
}


def _page(
    request: Request,
    access: Access,
    *,
    saved: str | None = None,
    submitted: tuple[str, dict[str, list[str]]] | None = None,
    error: UserError | None = None,
) -> HTMLResponse:
    view = protocol_page(access.workspace, submitted=submitted, error=error)
    response = page(
        request,
        access,
        "protocol.html",
        view=view,
        saved=saved,
        can_edit=access.role.can_resolve(),
        duties_section=DUTIES_SECTION,
        **CHOICES,
    )
    if error is not None:
        response.status_code = error.http_status
    return response


@router.get("/protocol", response_class=HTMLResponse)
def protocol_view(request: Request, access: Member, saved: str | None = None) -> Response:
    return _page(request, access, saved=saved)


@router.post("/protocol", response_class=HTMLResponse)
async def protocol_save(request: Request, access: Member) -> Response:
    if not access.role.can_resolve():
        raise Forbidden(
            "only an owner of the review can edit its protocol",
            hint="Ask an owner to make the change, or to make you an owner.",
        )
    form = await request.form()
    data = {name: [value for value in form.getlist(name) if isinstance(value, str)] for name in form}
    section = (data.get("section") or [""])[-1]
    try:
        await run_in_threadpool(save_protocol_section, access.workspace, section, data)
    except (ProtocolEditRefused, ChangedMeanwhile) as error:
        return await run_in_threadpool(_page, request, access, submitted=(section, data), error=error)
    key = access.workspace.project.key
    return RedirectResponse(f"/p/{key}/protocol?saved={section}#{section}", status_code=303)
