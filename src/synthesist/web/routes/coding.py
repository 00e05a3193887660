"""The coding page: the studies' findings documents, one document cut into its segments with the
coder's codings marked, the codebook beside it, and forms to code a span, take a coding off and
accept or reject the assistant's suggestions.

A span is chosen by selecting words with the mouse (``coding.js`` fills the form's hidden offsets
and the words seen there), or, without the script or from the keyboard, by ticking adjacent
segments and optionally typing a phrase within them — the same requests as ``synthesist code apply
--span``, ``--segment`` and ``--text``. A reviewer sees their own codings and the consensus ones:
a colleague's coding stays out of sight until the coders compare, so it cannot steer them.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from synthesist.errors import Forbidden, UserError
from synthesist.services.synthesis.coding import (
    document_view,
    list_documents,
    no_coding_of_yours,
    remove_coding,
    visible_to,
)
from synthesist.services.synthesis.suggest import accept_suggestion, reject_suggestion, suggest
from synthesist.services.web.coding import SpanChoice, code_selection, code_tree
from synthesist.synthesis.model import Coding, CodingOrigin, SpanKind
from synthesist.synthesis.segments import Segment
from synthesist.web.auth import Member, Reviewer
from synthesist.web.routes.projects import page

__all__ = ["router"]

router = APIRouter(prefix="/p/{key}")

KIND_WORDS = {SpanKind.QUOTE: "participant quote", SpanKind.INTERPRETATION: "author interpretation"}


@dataclass(frozen=True)
class Piece:
    """A run of a segment's text with the same codings over it (``start``: its offset in the text)."""

    start: int
    text: str
    codes: list[str]  # the names of the codings over it, none for uncoded text


@dataclass(frozen=True)
class SegmentRow:
    segment: Segment
    pieces: list[Piece]
    codings: list[Coding]  # the visible codings that start in this segment


def _visible(coding: Coding, user: str) -> bool:
    """The viewer's own codings and the agreed ones; never a colleague's, and suggestions are
    listed apart (the same rule as the log's: ``visible_to``)."""
    return coding.origin is not CodingOrigin.SUGGESTED and visible_to(coding, user)


def _rows(
    text: str, parts: tuple[Segment, ...], codings: list[Coding], names: dict[int, str]
) -> list[SegmentRow]:
    rows = []
    for segment in parts:
        cuts = {segment.start, segment.end}
        for coding in codings:
            for at in (coding.start, coding.end):
                if segment.start < at < segment.end:
                    cuts.add(at)
        bounds = sorted(cuts)
        pieces = []
        for start, end in pairwise(bounds):
            over = [
                names.get(c.code_id, f"code {c.code_id}") for c in codings if c.start < end and start < c.end
            ]
            pieces.append(Piece(start, text[start:end], sorted(set(over), key=str.casefold)))
        starting = [c for c in codings if segment.start <= c.start < segment.end]
        rows.append(SegmentRow(segment, pieces, starting))
    return rows


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
    view = document_view(access.workspace, document_id)
    mine = [c for c in view.codings if _visible(c, access.user)]
    pending = [c for c in view.codings if c.origin is CodingOrigin.SUGGESTED]
    tree = code_tree(access.workspace, view.document.id)
    return page(
        request,
        access,
        "coding_document.html",
        view=view,
        rows=_rows(view.document.text, view.segments, mine, view.code_names),
        codings=mine,
        suggestions=pending,
        tree=tree,
        kinds=KIND_WORDS,
        can_code=access.role.can_screen(),
        done=done,
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
        raise UserError(f"{text!r} is not a character offset; select the text again")
    return int(text)


@router.post("/coding/{document_id}/apply")
def coding_apply(
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
    choice = SpanChoice(
        start=_int_or_none(start),
        end=_int_or_none(end),
        quote=quote,
        segments=segment or [],
        phrase=phrase,
    )
    coding = code_selection(
        access.workspace, document_id, choice, code=code, new_code=new_code, theme=theme, kind=kind, memo=memo
    )
    name = new_code.strip() or code.strip()
    return _back(access, document_id, f"Coded “{name}” (coding {coding.id}).", f"#coding-{coding.id}")


@router.post("/coding/{document_id}/remove/{coding_id}")
def coding_remove(access: Reviewer, document_id: int, coding_id: int) -> Response:
    view = document_view(access.workspace, document_id)
    found = next((c for c in view.codings if c.id == coding_id), None)
    if found is None or not visible_to(found, access.user):
        # a colleague's coding answers as an unknown id does, so ids cannot be probed
        raise no_coding_of_yours(coding_id)
    if found.origin is not CodingOrigin.HUMAN:
        raise Forbidden(
            f"coding {coding_id} is {found.coder}'s; a coder takes off only their own codings",
            hint="Disagreements between coders are settled with synthesist code resolve.",
        )
    remove_coding(access.workspace, coding_id)
    return _back(access, document_id, f"Removed coding {coding_id}.")


@router.post("/coding/{document_id}/suggest")
def coding_suggest(access: Reviewer, document_id: int) -> Response:
    result = suggest(access.workspace, document_id)
    count = len(result.suggestions)
    message = f"The assistant made {count} new suggestion{'s' if count != 1 else ''}."
    return _back(access, document_id, message, "#suggestions")


def _pending(access: Reviewer, document_id: int, suggestion_id: int) -> Coding:
    view = document_view(access.workspace, document_id)
    found = next(
        (c for c in view.codings if c.id == suggestion_id and c.origin is CodingOrigin.SUGGESTED), None
    )
    if found is None:
        raise UserError(f"suggestion {suggestion_id} is not waiting on this document; reload the page")
    return found


@router.post("/coding/{document_id}/suggestions/{suggestion_id}/accept")
def suggestion_accept(access: Reviewer, document_id: int, suggestion_id: int) -> Response:
    _pending(access, document_id, suggestion_id)
    made = accept_suggestion(access.workspace, suggestion_id, reviewer=access.user)
    return _back(
        access, document_id, f"Accepted suggestion {suggestion_id} as coding {made.id}.", f"#coding-{made.id}"
    )


@router.post("/coding/{document_id}/suggestions/{suggestion_id}/reject")
def suggestion_reject(access: Reviewer, document_id: int, suggestion_id: int) -> Response:
    _pending(access, document_id, suggestion_id)
    reject_suggestion(access.workspace, suggestion_id, reviewer=access.user)
    return _back(access, document_id, f"Rejected suggestion {suggestion_id}.", "#suggestions")
