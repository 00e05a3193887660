"""Where the protocol's include and exclude keywords occur in a text. Pure; the terminal and the web
app each turn the spans into their own markup."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Span", "keyword_spans"]


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    kind: str  # "include" or "exclude"


@lru_cache(maxsize=64)
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for all terms, longest first (so "low back pain" wins over "back pain"). A term
    matches at word starts and lets hyphens and spaces stand for each other ("self management")."""
    cleaned = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    parts = [r"[\s\-–]+".join(re.escape(word) for word in re.split(r"[\s\-–]+", term)) for term in cleaned]
    return re.compile(r"\b(?:" + "|".join(parts) + r")", re.IGNORECASE)


def keyword_spans(text: str, include: Sequence[str], exclude: Sequence[str]) -> list[Span]:
    """Non-overlapping spans of the keywords in ``text``, in order; an exclude term found where an
    include term also matches wins (a warning matters more than an encouragement)."""
    found: list[Span] = []
    for kind, terms in (("exclude", exclude), ("include", include)):
        pattern = _pattern(tuple(terms))
        if pattern is None:
            continue
        for match in pattern.finditer(text):
            if not any(match.start() < span.end and span.start < match.end() for span in found):
                found.append(Span(match.start(), match.end(), kind))
    return sorted(found, key=lambda span: span.start)
