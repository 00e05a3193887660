"""A document's text cut into segments: sentences, and lines. A pure function of the text.

Segments are what coders point at (``code apply DOC CODE --segment 12``), what suggestions are
made for, and the units over which two coders' agreement is counted. They tile the text: the first
starts at 0, each starts where the one before ends, the last ends at ``len(text)`` — no gaps, no
overlaps, and the same text always gives the same segments, so a segment number stays put as long
as the text does. Whitespace between two segments belongs to the first one (``content_start`` and
``content_end`` give the span without it).

Where a segment starts:

* at the first non-blank character of every line — text from a PDF comes in printed lines, so it is
  coded line by line, as Thomas & Harden (2008) coded; blank lines only separate;
* after a sentence end inside a line: ``.``, ``!`` or ``?`` (and any closing quotes or brackets),
  then whitespace, then a capital letter, a digit or an opening quote or bracket. A full stop ends no
  sentence after a common abbreviation ("et al.", "e.g.", "i.e.", "p.", "pp.", "Fig.", "Dr." ...) or
  after a single capital initial ("K. Cooper"); decimals ("3.5") never have the space it needs.

This is deliberately simple: no language model, no dictionary beyond the list of abbreviations
below, so what it does can be predicted and explained.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["ABBREVIATIONS", "Segment", "segment_at", "segments"]

# lower case, without the final full stop
ABBREVIATIONS = frozenset(
    {
        "al",  # et al.
        "e.g",
        "i.e",
        "etc",
        "cf",
        "vs",
        "viz",
        "approx",
        "ca",
        "p",
        "pp",
        "fig",
        "figs",
        "tab",
        "no",
        "nos",
        "vol",
        "ed",
        "eds",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "jr",
        "sr",
        "inc",
        "ltd",
    }
)

_OPENERS = "\"'“‘([«"
# a sentence end: the mark, any closers, the whitespace, and the next character (looked at, not taken)
_SENTENCE_END = re.compile(
    r"[.!?]+[\"'”’)\]»]*[ \t\u00a0]+(?=[A-Z0-9\u00c0-\u00de" + re.escape(_OPENERS) + r"])"
)
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")


@dataclass(frozen=True, slots=True)
class Segment:
    """Segment ``number`` (from 1) of a text: ``text[start:end]``, trailing whitespace included."""

    number: int
    start: int
    end: int
    content_start: int
    content_end: int

    def text(self, document_text: str) -> str:
        """The segment's words, without the whitespace around them."""
        return document_text[self.content_start : self.content_end]


def segments(text: str) -> tuple[Segment, ...]:
    """The segments of ``text`` (none for a text without a visible character)."""
    starts = _content_starts(text)
    if not starts:
        return ()
    found: list[Segment] = []
    for index, content_start in enumerate(starts):
        start = 0 if index == 0 else content_start
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        content_end = len(text[:end].rstrip())
        found.append(Segment(index + 1, start, end, content_start, content_end))
    return tuple(found)


def segment_at(parts: Sequence[Segment], offset: int) -> Segment | None:
    """The segment holding the character at ``offset``."""
    index = bisect_right([part.start for part in parts], offset) - 1
    if index < 0 or offset >= parts[index].end:
        return None
    return parts[index]


def _content_starts(text: str) -> list[int]:
    starts: list[int] = []
    position = 0
    for line in text.splitlines(keepends=True):
        stripped = len(line) - len(line.lstrip())
        if line.strip():
            starts.append(position + stripped)
            starts += [position + at for at in _sentence_starts(line)]
        position += len(line)
    return starts


def _sentence_starts(line: str) -> list[int]:
    """Offsets in ``line`` where a new sentence begins (not the line's first)."""
    found = []
    for match in _SENTENCE_END.finditer(line):
        before = line[: match.start() + 1]
        if line[match.start()] == "." and _abbreviation(before):
            continue
        if line[match.end() :].strip():
            found.append(match.end())
    return found


def _abbreviation(text: str) -> bool:
    """Whether the full stop ending ``text`` belongs to an abbreviation or an initial."""
    word = _WORD_BEFORE.search(text)
    if word is None:
        return False
    token = word.group(1).lower()
    if token in ABBREVIATIONS or token.split(".")[-1] in ABBREVIATIONS:
        return True
    return len(word.group(1)) == 1 and word.group(1).isupper()  # an initial: "K. Cooper"
