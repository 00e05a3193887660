"""Finding a coding again when its document's text is replaced. A pure function.

A coding keeps the words it was made on (``Coding.text``). When a new version of the document's
text comes in, :func:`reanchor` looks for those words in it:

1. every exact occurrence of the coded words; if there is none, every occurrence that differs only
   in whitespace (a PDF extracted again wraps its lines elsewhere);
2. one occurrence: the coding moves there;
3. several: the one whose surroundings (up to 40 characters before and after in the old text) agree
   best with the new text wins, if it is the only best and its surroundings agree at all; otherwise
   the coding is ``LOST`` (ambiguous) — it is never moved to a guess;
4. none: ``LOST``.

A coding whose words are found where they were (same offsets) keeps its status; one that moved is
``REANCHORED``; a ``LOST`` coding keeps its old offsets, which a reviewer fixes or removes
(``synthesist doc anchors``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from synthesist.synthesis.model import AnchorStatus

__all__ = ["CONTEXT", "Anchor", "reanchor"]

CONTEXT = 40  # characters of surroundings compared when the coded words occur more than once


@dataclass(frozen=True, slots=True)
class Anchor:
    start: int
    end: int
    status: AnchorStatus
    reason: str = ""  # why it is lost: "not found" or "found N times"


def reanchor(old_text: str, new_text: str, start: int, end: int, coded: str, status: AnchorStatus) -> Anchor:
    """Where the coded words ``old_text[start:end]`` (== ``coded`` when the coding was healthy) are
    in ``new_text``."""
    words = coded or old_text[start:end]
    if not words.strip():
        return Anchor(start, end, AnchorStatus.LOST, "no coded text to look for")
    candidates = _occurrences(new_text, words)
    if not candidates:
        return Anchor(start, end, AnchorStatus.LOST, "not found in the new text")
    if len(candidates) == 1:
        return _moved(candidates[0], start, end, status)
    before = old_text[max(0, start - CONTEXT) : start] if old_text[start:end] == words else ""
    after = old_text[end : end + CONTEXT] if old_text[start:end] == words else ""
    scores = [_context_score(new_text, found, before, after) for found in candidates]
    best = max(scores)
    if best == 0 or scores.count(best) > 1:
        return Anchor(start, end, AnchorStatus.LOST, f"found {len(candidates)} times")
    return _moved(candidates[scores.index(best)], start, end, status)


def _moved(found: tuple[int, int], start: int, end: int, status: AnchorStatus) -> Anchor:
    if found == (start, end):
        return Anchor(start, end, status)
    return Anchor(found[0], found[1], AnchorStatus.REANCHORED)


def _occurrences(text: str, words: str) -> list[tuple[int, int]]:
    exact = [(m.start(), m.start() + len(words)) for m in re.finditer(re.escape(words), text)]
    if exact:
        return exact
    pattern = r"\s+".join(re.escape(part) for part in words.split())
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def _context_score(text: str, found: tuple[int, int], before: str, after: str) -> int:
    """How many characters next to the occurrence agree with the old surroundings."""
    left = text[max(0, found[0] - len(before)) : found[0]]
    right = text[found[1] : found[1] + len(after)]
    score = 0
    for old, new in zip(reversed(before), reversed(left), strict=False):
        if old != new:
            break
        score += 1
    for old, new in zip(after, right, strict=False):
        if old != new:
            break
        score += 1
    return score
