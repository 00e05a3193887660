"""Light cleaning applied by every importer, so the same record reads the same from any format.

This is *not* deduplication normalisation (lower-casing, diacritics...): it only removes what is
clearly packaging (URL prefixes of DOIs, runs of white space) and keeps the source's spelling.
"""

from __future__ import annotations

import re

__all__ = ["clean_doi", "clean_pmid", "clean_text", "parse_year", "split_keywords"]

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|doi\s+)", re.IGNORECASE)
_DOI_SHAPE = re.compile(r"10\.\d{4,9}/\S+")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d|21\d\d)(?!\d)")
_PMID = re.compile(r"^\s*(?:PMID:?\s*)?(\d{1,9})\b")


def clean_text(value: str | None) -> str | None:
    """Collapse white space; ``None`` for an empty value."""
    if value is None:
        return None
    # str.split() with no argument splits on every Unicode space, like \s+, at a fifth of the cost
    text = " ".join(value.split())
    return text or None


def clean_doi(value: str | None) -> str | None:
    """``https://doi.org/10.1/ABC`` -> ``10.1/ABC``; keeps case (DOIs are case-insensitive)."""
    text = clean_text(value)
    if text is None:
        return None
    text = _DOI_PREFIX.sub("", text).strip()
    match = _DOI_SHAPE.search(text)
    if match:
        return match.group(0).rstrip(".,;")
    return text or None


def clean_pmid(value: str | None) -> str | None:
    """``PMID: 12345 [Indexed for MEDLINE]`` -> ``12345``."""
    if value is None:
        return None
    match = _PMID.match(value)
    return match.group(1) if match else clean_text(value)


def parse_year(value: str | int | None) -> int | None:
    """The first plausible four-digit year in ``2010///``, ``2010 Mar``, ``Spring 2009``..."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    match = _YEAR.search(value)
    return int(match.group(1)) if match else None


def split_keywords(values: list[str], separators: str = ";") -> list[str]:
    """Split keyword fields that hold several terms, drop blanks, keep order and duplicates out."""
    seen: set[str] = set()
    result: list[str] = []
    pattern = re.compile("[" + re.escape(separators) + "]")
    for value in values:
        for part in pattern.split(value):
            term = clean_text(part)
            if term and term not in seen:
                seen.add(term)
                result.append(term)
    return result
