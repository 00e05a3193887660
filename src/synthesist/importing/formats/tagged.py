"""What the tagged text readers (MEDLINE, Web of Science, EndNote tagged, Cochrane text) share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from synthesist.records.clean import clean_text

__all__ = ["first_text"]


def first_text(raw: Mapping[str, Sequence[str]], *tags: str) -> str | None:
    """The first non-empty value among ``tags``, in that order of preference, cleaned.

    These are text formats written from the databases' web pages, so character references are
    decoded once and formatting tags removed (``entities=True``, see records/clean.py).
    """
    for tag in tags:
        for value in raw.get(tag, ()):
            text = clean_text(value, entities=True)
            if text:
                return text
    return None
