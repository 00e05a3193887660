"""The coding page: the studies' findings documents, one document cut into its segments with the
coder's codings marked, the codebook beside it, and forms to code a span, take a coding off and
accept or reject the assistant's suggestions.

A span is chosen by selecting words with the mouse (``coding.js`` fills the form's hidden offsets
and the words seen there), or, without the script or from the keyboard, by ticking adjacent
segments and optionally typing a phrase within them — the same requests as ``synthesist code apply
--span``, ``--segment`` and ``--text``. A reviewer sees their own codings and the consensus ones:
a colleague's coding stays out of sight until the coders compare, so it cannot steer them.

A coding the service refuses for one of its inputs (its ``field`` names it: no code or two, a new code's
name that is taken, a selection that holds no text or is not in the document any more) shows the
page again with the message beside that field and everything the coder typed or selected kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from synthesist.errors import UserError
from synthesist.services.synthesis.coding import list_documents
from synthesist.services.synthesis.suggest import suggest
from synthesist.services.web.coding import SpanChoice, code_selection
from synthesist.services.web.pages_coding import (
    accept_pending,
    coding_document_page,
    reject_pending,
    remove_own_coding,
)
from synthesist.synthesis.model import SpanKind
from synthesist.web.auth import Member, Reviewer
from synthesist.web.refusals import said
from synthesist.web.routes.projects import page

__all__ = ["router"]

router = APIRouter(prefix="/p/{key}")

KIND_WORDS = {SpanKind.QUOTE: "participant quote", SpanKind.INTERPRETATION: "author interpretation"}


@router.get("/coding", response_class=HTMLResponse)
def coding_overview(request: Request, access: Member) -> Response:
    return page(request, access, "coding.html", documents=list_documents(access.workspace))


@router.get("/coding/{document_id}", response_class=HTMLResponse)
def coding_document(
    request: Request,
    access: Member,
    document_id: int,
    done: Annotated[str, Query()] = "",
) -> Response:
    return _document_page(request, access, document_id, done=done)


@dataclass(frozen=True)
class KeptApply:
    """What a refused "Apply a code" form held, shown again with ``error`` beside ``field`` (the
    service's input at fault: code, new_code, theme, kind or selection)."""

    field: str
    error: str
    code: str = ""
    new_code: str = ""
    theme: str = ""
    kind: str = "interpretation"
    start: str = ""
    end: str = ""
    quote: str = ""
    segments: frozenset[int] = frozenset()
    phrase: str = ""
    memo: str = ""


def _document_page(
    request: Request, access: Member, document_id: int, *, done: str = "", kept: KeptApply | None = None
) -> Response:
    shown = coding_document_page(access.workspace, document_id, access.reviewer)
    return page(
        request,
        access,
        "coding_document.html",
        view=shown.view,
        rows=shown.rows,
        codings=shown.codings,
        suggestions=shown.suggestions,
        tree=shown.tree,
        kinds=KIND_WORDS,
        can_code=access.role.can_screen(),
        done=done,
        kept=kept,
    )


def _back(access: Reviewer, document_id: int, message: str, anchor: str = "") -> Response:
    query = urlencode({"done": message})
    target = f"/p/{access.workspace.project.key}/coding/{document_id}?{query}{anchor}"
    return RedirectResponse(target, status_code=303)


def _int_or_none(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.lstrip("-").isdigit():
        raise UserError(f"{text!r} is not a character offset; select the text again", field="selection")
    return int(text)


@router.post("/coding/{document_id}/apply")
def coding_apply(
    request: Request,
    access: Reviewer,
    document_id: int,
    code: Annotated[str, Form()] = "",
    new_code: Annotated[str, Form()] = "",
    theme: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "interpretation",
    start: Annotated[str, Form()] = "",
    end: Annotated[str, Form()] = "",
    quote: Annotated[str, Form()] = "",
    segment: Annotated[list[int] | None, Form()] = None,
    phrase: Annotated[str, Form()] = "",
    memo: Annotated[str, Form()] = "",
) -> Response:
    """Code the span; a refusal of one input shows the page again (not a redirect: the form's
    values would be lost), the message beside the field at fault and every value kept."""
    try:
        choice = SpanChoice(
            start=_int_or_none(start),
            end=_int_or_none(end),
            quote=quote,
            segments=segment or [],
            phrase=phrase,
        )
        coding = code_selection(
            access.workspace,
            document_id,
            choice,
            code=code,
            new_code=new_code,
            theme=theme,
            kind=kind,
            memo=memo,
        )
    except UserError as refused:
        if refused.field is None:  # not the form's fault: the error page says it
            raise
        kept = KeptApply(
            refused.field,
            said(refused),
            code=code,
            new_code=new_code,
            theme=theme,
            kind=kind,
            start=start,
            end=end,
            quote=quote,
            segments=frozenset(segment or []),
            phrase=phrase,
            memo=memo,
        )
        response = _document_page(request, access, document_id, kept=kept)
        response.status_code = refused.http_status
        return response
    name = new_code.strip() or code.strip()
    return _back(access, document_id, f"Coded “{name}” (coding {coding.id}).", f"#coding-{coding.id}")


@router.post("/coding/{document_id}/remove/{coding_id}")
def coding_remove(access: Reviewer, document_id: int, coding_id: int) -> Response:
    remove_own_coding(access.workspace, document_id, coding_id, access.reviewer)
    return _back(access, document_id, f"Removed coding {coding_id}.")


@router.post("/coding/{document_id}/suggest")
def coding_suggest(access: Reviewer, document_id: int) -> Response:
    result = suggest(access.workspace, document_id)
    count = len(result.suggestions)
    message = f"The assistant made {count} new suggestion{'s' if count != 1 else ''}."
    return _back(access, document_id, message, "#suggestions")


@router.post("/coding/{document_id}/suggestions/{suggestion_id}/accept")
def suggestion_accept(access: Reviewer, document_id: int, suggestion_id: int) -> Response:
    made = accept_pending(access.workspace, document_id, suggestion_id, access.reviewer)
    return _back(
        access, document_id, f"Accepted suggestion {suggestion_id} as coding {made.id}.", f"#coding-{made.id}"
    )


@router.post("/coding/{document_id}/suggestions/{suggestion_id}/reject")
def suggestion_reject(access: Reviewer, document_id: int, suggestion_id: int) -> Response:
    reject_pending(access.workspace, document_id, suggestion_id, access.reviewer)
    return _back(access, document_id, f"Rejected suggestion {suggestion_id}.", "#suggestions")
