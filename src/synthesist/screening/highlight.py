"""Where the protocol's include and exclude keywords occur in a text. Pure; the terminal and the web
app each turn the spans into their own markup.

A keyword matches whole words only: ``rat`` marks "rat" and "Rat", never "Ratings" or the "rat" of
"inter-rater". A keyword ending in ``*`` matches the words that start with it, and the whole word
is marked: ``rat*`` marks "rats" and "Ratings". A keyword of several words is a phrase, its words in
that order, with spaces and hyphens standing for each other ("self management" marks
"self-management"). Matching ignores case. The same conventions rank records at the cold start
(``screening/prioritise/keywords.py``), so a keyword means one thing wherever the protocol uses it.

Words are runs of Unicode letters, digits, underscores and combining marks: "é" is part of a word
whether it is stored as one character or as "e" with a combining accent, and a Devanagari vowel
sign does not split its word.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import chain

__all__ = ["Span", "is_word_character", "keyword_spans"]

# What separates the words of a phrase: white space, a hyphen, the Unicode hyphens and an en dash.
_SEPARATOR = r"[\s\-\u2010\u2011\u2013]+"
_SPLIT = re.compile(_SEPARATOR)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    kind: str  # "include" or "exclude"


def is_word_character(character: str) -> bool:
    """A letter, digit or underscore (what ``\\w`` matches), or a combining mark (what it does not,
    though an accent or a vowel sign belongs to the word it sits in)."""
    return character.isalnum() or character == "_" or unicodedata.category(character).startswith("M")


@cache
def _word_class() -> str:
    """A regular-expression class for :func:`is_word_character`: ``\\w`` and the combining marks,
    listed as ranges (Python's ``re`` has no ``\\p{M}``). Built once, on first use (about 30 ms)."""
    ranges: list[tuple[int, int]] = []
    # no marks between the ideographs at U+20000 and the variation selectors supplement at U+E0100
    for code in chain(range(0x20000), range(0xE0000, sys.maxunicode + 1)):
        if unicodedata.category(chr(code)).startswith("M"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    marks = "".join(f"\\U{low:08x}-\\U{high:08x}" if high > low else f"\\U{low:08x}" for low, high in ranges)
    return rf"[\w{marks}]"


def _term_pattern(term: str) -> str | None:
    """The pattern of one keyword without its word boundaries; ``None`` for an empty one."""
    stripped = term.strip()
    truncated = stripped.endswith("*")
    words = [word for word in _SPLIT.split(stripped.rstrip("*").strip()) if word]
    if not words:
        return None
    pattern = _SEPARATOR.join(re.escape(word) for word in words)
    # a truncated keyword runs to the end of the word it starts, so the whole word is marked
    return pattern + f"{_word_class()}*" if truncated else pattern


@lru_cache(maxsize=64)
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for all terms, longest first (so "low back pain" wins over "back pain"), each
    matching only where no word character stands just before or just after it."""
    cleaned = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
    parts = [part for part in (_term_pattern(term) for term in cleaned) if part is not None]
    if not parts:
        return None
    word = _word_class()
    return re.compile(rf"(?<!{word})(?:{'|'.join(parts)})(?!{word})", re.IGNORECASE)


def keyword_spans(text: str, include: Sequence[str], exclude: Sequence[str]) -> list[Span]:
    """Non-overlapping spans of the keywords in ``text``, in order; an exclude term found where an
    include term also matches wins (a warning matters more than an encouragement)."""
    found: list[Span] = []
    for kind, terms in (("exclude", exclude), ("include", include)):
        pattern = _pattern(tuple(terms))
        if pattern is None:
            continue
        for match in pattern.finditer(text):
            if match.end() > match.start() and not any(
                match.start() < span.end and span.start < match.end() for span in found
            ):
                found.append(Span(match.start(), match.end(), kind))
    return sorted(found, key=lambda span: span.start)
