"""Which span of a document a coder means: a segment (or a run of them), character offsets, or a
quoted phrase. Pure functions; every mistake is a :class:`~synthesist.errors.UserError` naming the
document and what was asked for.

A span is trimmed of the whitespace around it, so that a coding always starts and ends on a
visible character (segments carry their trailing whitespace; re-anchoring looks for words).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from synthesist.errors import UserError
from synthesist.synthesis.model import Document, SpanKind
from synthesist.synthesis.segments import Segment, segment_at, segments

__all__ = ["SpanRequest", "describe", "parse_kind", "resolve_span", "segment_range"]

_KINDS = {
    "quote": SpanKind.QUOTE,
    "q": SpanKind.QUOTE,
    "participant_quote": SpanKind.QUOTE,
    "participant-quote": SpanKind.QUOTE,
    "interpretation": SpanKind.INTERPRETATION,
    "i": SpanKind.INTERPRETATION,
    "author_interpretation": SpanKind.INTERPRETATION,
    "author-interpretation": SpanKind.INTERPRETATION,
}


@dataclass(frozen=True, slots=True)
class SpanRequest:
    """What a coder asked for: ``segment`` ("12" or "12-14"), ``span`` ("START:END") and/or
    ``text`` (a phrase, searched in the segments named, else in the whole document)."""

    segment: str | int | None = None
    span: str | tuple[int, int] | None = None
    text: str | None = None


def describe(document: Document) -> str:
    return f"document {document.id} ({document.title!r})"


def parse_kind(value: str | SpanKind) -> SpanKind:
    if isinstance(value, SpanKind):
        return value
    kind = _KINDS.get(value.strip().lower())
    if kind is None:
        raise UserError(
            f"{value!r} is not a kind of coded span",
            hint="Use quote (a participant's words) or interpretation (the authors').",
        )
    return kind


def segment_range(
    document: Document, value: str | int, parts: Sequence[Segment] | None = None
) -> tuple[int, int]:
    """The first and last segment numbers of ``value`` ("12", "12-14" or 12), checked."""
    parts = segments(document.text) if parts is None else parts
    text = str(value).strip()
    match = re.fullmatch(r"(\d+)(?:\s*-\s*(\d+))?", text)
    if match is None:
        raise UserError(f"{describe(document)}: {text!r} is not a segment number (12) or range (12-14)")
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    if not parts:
        raise UserError(f"{describe(document)} has no text to segment")
    if first < 1 or last > len(parts) or first > last:
        raise UserError(
            f"{describe(document)} has segments 1 to {len(parts)}; there is no segment {text}",
            hint=f"`synthesist doc show {document.id} --segments` numbers them.",
        )
    return first, last


def resolve_span(document: Document, request: SpanRequest) -> tuple[int, int]:
    """The ``(start, end)`` offsets the request means, trimmed of surrounding whitespace."""
    given = [name for name in ("segment", "span") if getattr(request, name) is not None]
    if len(given) > 1:
        raise UserError("give either --segment or --span, not both")
    if not given and not request.text:
        raise UserError("say which text to code: --segment N, --span START:END or --text PHRASE")
    length = len(document.text)
    start, end = 0, length
    if request.segment is not None:
        parts = segments(document.text)
        first, last = segment_range(document, request.segment, parts)
        start, end = parts[first - 1].start, parts[last - 1].end
    elif request.span is not None:
        start, end = _offsets(document, request.span)
    if request.text is not None:
        start, end = _find_phrase(document, request.text, start, end, scoped=bool(given))
    return _trimmed(document, start, end)


def _offsets(document: Document, span: str | tuple[int, int]) -> tuple[int, int]:
    if isinstance(span, tuple):
        start, end = span
    else:
        match = re.fullmatch(r"\s*(-?\d+)\s*:\s*(-?\d+)\s*", span)
        if match is None:
            raise UserError(f"{describe(document)}: {span!r} is not a span; write START:END, e.g. 120:245")
        start, end = int(match.group(1)), int(match.group(2))
    length = len(document.text)
    if start < 0 or end <= start:
        raise UserError(
            f"span {start}:{end} of {describe(document)} is empty or reversed (END must be > START)"
        )
    if start >= length:
        raise UserError(
            f"span {start}:{end} is outside {describe(document)}, whose text has {length} characters"
        )
    if end > length:
        raise UserError(
            f"span {start}:{end} crosses the end of {describe(document)}, whose text has {length} characters"
        )
    return start, end


def _find_phrase(document: Document, phrase: str, start: int, end: int, *, scoped: bool) -> tuple[int, int]:
    words = phrase.split()
    if not words:
        raise UserError(f"{describe(document)}: the phrase to code is empty")
    scope = document.text[start:end]
    found = [(m.start(), m.end()) for m in re.finditer(re.escape(phrase.strip()), scope)]
    if not found:  # the phrase as typed may wrap differently, or differ in case
        pattern = re.compile(r"\s+".join(re.escape(word) for word in words), re.IGNORECASE)
        found = [(m.start(), m.end()) for m in pattern.finditer(scope)]
    where = "in the segments given of" if scoped else "in"
    if not found:
        raise UserError(f"{phrase.strip()!r} is not {where} {describe(document)}")
    if len(found) > 1:
        parts = segments(document.text)
        numbers = sorted({seg.number for s, _ in found if (seg := segment_at(parts, start + s)) is not None})
        raise UserError(
            f"{phrase.strip()!r} occurs {len(found)} times {where} {describe(document)} "
            f"(segments {', '.join(map(str, numbers))})",
            hint="Add --segment N to say which, or quote more words.",
        )
    return start + found[0][0], start + found[0][1]


def _trimmed(document: Document, start: int, end: int) -> tuple[int, int]:
    text = document.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        raise UserError(f"the span asked for in {describe(document)} holds no text, only whitespace")
    return start, end
