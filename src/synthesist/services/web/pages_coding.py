"""Read model and form posts of the coding page: one findings document cut into its segments with the
viewer's codings marked, its pending suggestions and the codebook beside it, read from one unit of
work; taking a coding off and answering a suggestion, each one service call.

A reviewer sees their own codings and the consensus ones: a colleague's coding stays out of sight
until the coders compare (:func:`visible_to`), so it cannot steer them.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from synthesist.errors import Forbidden, UserError
from synthesist.services.synthesis.coding import (
    DocumentView,
    document_view,
    document_view_in,
    no_coding_of_yours,
    remove_coding,
    visible_to,
)
from synthesist.services.synthesis.snapshot import coding_snapshot_in
from synthesist.services.synthesis.suggest import accept_suggestion, reject_suggestion
from synthesist.services.web.coding import CodeTree, code_tree_of
from synthesist.synthesis.model import Coding, CodingOrigin
from synthesist.synthesis.segments import Segment
from synthesist.workspace import Workspace

__all__ = [
    "CodingDocumentPage",
    "Piece",
    "SegmentRow",
    "accept_pending",
    "coding_document_page",
    "reject_pending",
    "remove_own_coding",
]


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


@dataclass(frozen=True)
class CodingDocumentPage:
    view: DocumentView
    rows: tuple[SegmentRow, ...]
    codings: tuple[Coding, ...]  # the viewer's own and the agreed ones
    suggestions: tuple[Coding, ...]  # the assistant's, waiting for an answer
    tree: CodeTree


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


def coding_document_page(workspace: Workspace, document_id: int, viewer: str) -> CodingDocumentPage:
    with workspace.unit_of_work(write=False) as uow:
        view = document_view_in(uow, document_id)
        tree = code_tree_of(coding_snapshot_in(uow, workspace), view.document.id)
    mine = [c for c in view.codings if _visible(c, viewer)]
    pending = tuple(c for c in view.codings if c.origin is CodingOrigin.SUGGESTED)
    rows = _rows(view.document.text, view.segments, mine, view.code_names)
    return CodingDocumentPage(view, tuple(rows), tuple(mine), pending, tree)


def remove_own_coding(workspace: Workspace, document_id: int, coding_id: int, viewer: str) -> Coding:
    """Take one of the viewer's codings on the document off; a colleague's coding answers as an
    unknown id does, so ids cannot be probed."""
    view = document_view(workspace, document_id)
    found = next((c for c in view.codings if c.id == coding_id), None)
    if found is None or not visible_to(found, viewer):
        raise no_coding_of_yours(coding_id)
    if found.origin is not CodingOrigin.HUMAN:
        raise Forbidden(
            f"coding {coding_id} is {found.coder}'s; a coder takes off only their own codings",
            hint="Disagreements between coders are settled with synthesist code resolve.",
        )
    return remove_coding(workspace, coding_id)


def _pending(workspace: Workspace, document_id: int, suggestion_id: int) -> Coding:
    view = document_view(workspace, document_id)
    found = next(
        (c for c in view.codings if c.id == suggestion_id and c.origin is CodingOrigin.SUGGESTED), None
    )
    if found is None:
        raise UserError(f"suggestion {suggestion_id} is not waiting on this document; reload the page")
    return found


def accept_pending(workspace: Workspace, document_id: int, suggestion_id: int, viewer: str) -> Coding:
    """Accept a suggestion waiting on the document; returns the coding it became."""
    _pending(workspace, document_id, suggestion_id)
    return accept_suggestion(workspace, suggestion_id, reviewer=viewer)


def reject_pending(workspace: Workspace, document_id: int, suggestion_id: int, viewer: str) -> None:
    _pending(workspace, document_id, suggestion_id)
    reject_suggestion(workspace, suggestion_id, reviewer=viewer)
