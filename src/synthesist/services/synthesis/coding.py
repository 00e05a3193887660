"""Coding: applying a code to a span of a document, removing a coding, and what a document looks
like with its codings.

Stable API (used by tests of the synthesis outputs, keyword arguments)::

    apply_code(workspace, document, code, *, segment=None, span=None, text=None,
               kind="interpretation", coder=None, memo="") -> Coding
        document: its id (3, "D3") or its study's label when the study has one document;
        code: a code's name; exactly one of segment ("12" or "12-14"), span ("START:END" or a
        tuple) or text (a phrase, searched within the segments given, else in the document);
        kind: "quote" (a participant's words) or "interpretation" (the authors'); coder: default
        the workspace's actor.

Overlaps: many codes may share a span, and different coders may code the same words. One coder
applying the *same* code to text overlapping their own earlier coding of it is refused, naming that
coding: silently merging would change an earlier decision, and two overlapping copies would count
the same words twice. (Merging and splitting codes fold such overlaps instead, see
:mod:`synthesist.services.synthesis.codes`.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from synthesist.errors import Conflict, InvalidTransition, NotFound, UserError
from synthesist.events import CodingApplied, CodingRemoved
from synthesist.ports import UnitOfWork
from synthesist.services.synthesis.documents import load_document, study_labels
from synthesist.services.synthesis.refs import coding_id, find_code
from synthesist.synthesis.entries import CodingStatus, NewCoding, StoredCoding
from synthesist.synthesis.model import ASSISTANT, Code, Coding, CodingOrigin, Document, SpanKind
from synthesist.synthesis.segments import Segment, segments
from synthesist.synthesis.spans import SpanRequest, describe, parse_kind, resolve_span
from synthesist.workspace import Workspace

__all__ = [
    "DocumentSummary",
    "DocumentView",
    "apply_code",
    "apply_in",
    "check_coder",
    "document_view",
    "document_view_in",
    "list_documents",
    "remove_coding",
]


@dataclass(frozen=True)
class DocumentSummary:
    document: Document
    study: str
    codings: int  # active human and consensus codings
    suggestions: int  # active (pending) suggestions
    flagged: int  # codings re-anchored or lost
    coders: list[str]


@dataclass(frozen=True)
class DocumentView:
    document: Document
    study: str
    segments: tuple[Segment, ...]
    codings: list[Coding]  # active, suggestions included, by start
    code_names: dict[int, str]


def check_coder(name: str, *, consensus: bool = False) -> str:
    clean = name.strip()
    if not clean:
        raise UserError("name the coder", hint="Pass --as NAME.")
    if clean == ASSISTANT:
        raise UserError(f"{ASSISTANT!r} is the name of the coding assistant, not of a person")
    if " & " in clean and not consensus:
        raise UserError(f"{clean!r}: ' & ' joins the names of a consensus; a coder is one person")
    return clean


def apply_code(
    workspace: Workspace,
    document: str | int,
    code: str,
    *,
    segment: str | int | None = None,
    span: str | tuple[int, int] | None = None,
    text: str | None = None,
    kind: str | SpanKind = SpanKind.INTERPRETATION,
    coder: str | None = None,
    memo: str = "",
) -> Coding:
    """Apply ``code`` to a span of ``document`` as ``coder`` (see the module docstring)."""
    who = check_coder(coder if coder is not None else workspace.actor)
    span_kind = parse_kind(kind)
    with workspace.unit_of_work() as uow:
        doc = load_document(uow, document)
        found = find_code(uow.synthesis.codes(), code)
        start, end = resolve_span(doc, SpanRequest(segment=segment, span=span, text=text))
        coding = apply_in(uow, workspace, doc, found, start, end, kind=span_kind, coder=who, memo=memo)
        uow.commit()
    return coding


def apply_in(
    uow: UnitOfWork,
    workspace: Workspace,
    document: Document,
    code: Code,
    start: int,
    end: int,
    *,
    kind: SpanKind,
    coder: str,
    origin: CodingOrigin = CodingOrigin.HUMAN,
    memo: str = "",
    score: float | None = None,
    source_coding_id: int | None = None,
    log: bool = True,
) -> Coding:
    """Store one coding in the caller's transaction, after the overlap check (suggestions are
    checked by the assistant itself). ``log=False``: the caller writes one event for many."""
    if origin is not CodingOrigin.SUGGESTED:
        clash = overlapping(uow.synthesis.codings(document_ids=[document.id]), code.id, coder, start, end)
        if clash is not None:
            raise Conflict(
                f"{coder} already coded {code.name!r} on [{clash.start}:{clash.end}] of {describe(document)} "
                f"(coding {clash.id}), which overlaps [{start}:{end}]",
                hint="One coder applies a code once to a passage: remove the earlier coding first "
                f"(synthesist code remove {clash.id}) and code the whole passage.",
            )
    new = NewCoding(
        document_id=document.id,
        code_id=code.id,
        start=start,
        end=end,
        coder=coder,
        kind=kind,
        text=document.text[start:end],
        page=document.page_at(start),
        origin=origin,
        memo=memo.strip(),
        score=score,
        source_coding_id=source_coding_id,
    )
    new_id = uow.synthesis.add_coding(new)
    if log:
        event = CodingApplied(
            coding_id=new_id,
            document_id=document.id,
            code_id=code.id,
            code=code.name,
            coder=coder,
            start=start,
            end=end,
            kind=kind.value,
            text=new.text,
            page=new.page,
            origin=origin.value,
            memo=new.memo,
        )
        uow.events.append(event, workspace.actor)
    return uow.synthesis.get_coding(new_id).coding


def overlapping(
    codings: Sequence[StoredCoding], code_id: int, coder: str, start: int, end: int
) -> Coding | None:
    """An active coding of ``code_id`` by ``coder`` that shares a character with [start, end)."""
    for stored in codings:
        other = stored.coding
        if (
            stored.active
            and other.code_id == code_id
            and other.coder == coder
            and other.origin is not CodingOrigin.SUGGESTED
            and other.start < end
            and start < other.end
        ):
            return other
    return None


def visible_to(coding: Coding, viewer: str) -> bool:
    """Whether ``viewer`` may see ``coding``'s code, span and words: their own codings, the agreed
    ones and the assistant's suggestions; a colleague's coding stays hidden so it cannot steer them."""
    return coding.origin is not CodingOrigin.HUMAN or coding.coder == viewer


def no_coding_of_yours(coding: int) -> NotFound:
    """One answer for an unknown coding and a colleague's: a different one would let ids be probed
    for codings that are hidden from the person asking."""
    return NotFound(
        f"no coding {coding} of yours",
        hint="`synthesist doc show DOC --codings` lists codings; a coder takes off only their own, "
        "and disagreements between coders are settled with `synthesist code resolve`.",
    )


def remove_coding(workspace: Workspace, coding: str | int) -> Coding:
    """Take one of the actor's codings off (it is stamped removed, never deleted). Suggestions are
    rejected instead; a colleague's coding is answered as unknown (:func:`no_coding_of_yours`)."""
    wanted = coding_id(coding)
    with workspace.unit_of_work() as uow:
        try:
            stored = uow.synthesis.get_coding(wanted)
        except NotFound:
            raise no_coding_of_yours(wanted) from None
        if not visible_to(stored.coding, workspace.actor):
            raise no_coding_of_yours(wanted)
        if not stored.active:
            raise InvalidTransition(f"coding {stored.id} is {stored.status.value} already")
        if stored.coding.origin is CodingOrigin.SUGGESTED:
            raise InvalidTransition(
                f"coding {stored.id} is a suggestion",
                hint=f"Reject it: synthesist synthesis reject {stored.id}",
            )
        uow.synthesis.set_status([stored.id], CodingStatus.REMOVED, by=workspace.actor)
        old = stored.coding
        code = next(c.name for c in uow.synthesis.codes() if c.id == old.code_id)
        event = CodingRemoved(old.id, old.document_id, code, old.coder, old.start, old.end)
        uow.events.append(event, workspace.actor)
        uow.commit()
    return old


def list_documents(workspace: Workspace) -> list[DocumentSummary]:
    with workspace.unit_of_work(write=False) as uow:
        documents = uow.synthesis.documents()
        labels = study_labels(uow)
        codings = uow.synthesis.codings()
    summaries = []
    for document in documents:
        mine = [stored.coding for stored in codings if stored.coding.document_id == document.id]
        human = [c for c in mine if c.origin is not CodingOrigin.SUGGESTED]
        summaries.append(
            DocumentSummary(
                document=document,
                study=labels.get(document.study_id, f"S{document.study_id}"),
                codings=len(human),
                suggestions=len(mine) - len(human),
                flagged=sum(1 for c in mine if c.anchor.value != "ok"),
                coders=sorted({c.coder for c in human}),
            )
        )
    return summaries


def document_view(workspace: Workspace, document: str | int) -> DocumentView:
    with workspace.unit_of_work(write=False) as uow:
        return document_view_in(uow, document)


def document_view_in(uow: UnitOfWork, document: str | int) -> DocumentView:
    """:func:`document_view` inside a unit of work the caller already has open."""
    doc = load_document(uow, document)
    label = study_labels(uow).get(doc.study_id, f"S{doc.study_id}")
    codings = sorted(
        (stored.coding for stored in uow.synthesis.codings(document_ids=[doc.id])),
        key=lambda c: (c.start, c.end, c.id),
    )
    names = {code.id: code.name for code in uow.synthesis.codes()}
    return DocumentView(doc, label, segments(doc.text), codings, names)
