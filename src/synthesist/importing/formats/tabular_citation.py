"""Combined citation cells of tabular exports -> journal, year, volume, issue and pages.

Several platforms put the whole citation in one column instead of (or beside) dedicated ones:

- Embase.com "Source": ``Cancer (2004) 3:3 (152-160)``, ``BMJ Open (2020) 10:5 Article Number: e034567``
- PubMed "Citation": ``Physiotherapy. 2008 Sep;94(3):244-52. doi: 10.1016/... Epub 2008 Jul 9.``
- Web of Science (web view copied to a sheet): ``PHYSIOTHERAPY Volume: 94 Issue: 3 Pages: 244-252
  Published: SEP 2008``
- ProQuest: ``Physiotherapy; London Vol. 94, Iss. 3,  (Sep 2008): 244-252.``
- Vancouver and APA references in Covidence, EPPI-Reviewer or hand-made sheets:
  ``Physiotherapy 2008;94(3):244-52``, ``Physiotherapy, 94(3), 244-252``.

A cell in none of these shapes gives nothing: a wrong year or page is worse than a missing one, and
the cell itself stays in the record's raw fields either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from synthesist.records.clean import clean_text, parse_year

__all__ = ["CitationParts", "parse_citation"]

_YEAR = r"(?P<year>1[5-9]\d\d|20\d\d|21\d\d)"
_EMBASE = re.compile(
    r"^(?P<journal>.+?)\s*\(" + _YEAR + r"\)"
    r"(?:\s+(?P<volume>[^\s:()]+)(?::(?P<issue>[^().:]+?)(?=\s*\(|\s+Article\s+Number|\s*$))?)?"
    r"(?:\s*\((?P<pages>[^()]+)\)|\s+Article\s+Number:?\s*(?P<article>\S+))?"
    r"(?:\s.*)?$",
    re.IGNORECASE,
)
# The journal ends at the first ". YEAR": NLM abbreviations have no full stops of their own.
_PUBMED = re.compile(
    r"^(?P<journal>[^;]+?)\.\s+" + _YEAR + r"(?:[^;:.]*)"
    r"(?:;\s*(?P<volume>[^():;.\s][^():;]*?)?\s*(?:\((?P<issue>[^()]+)\))?(?::\s*(?P<pages>[^\s;]+?))?)?"
    r"\.?(?:\s.*)?$"
)
_WOS_LABEL = re.compile(r"\b(Volume|Issue|Pages|Article Number|Published|DOI|Part|Supplement):\s*", re.I)
_PROQUEST = re.compile(
    r"^(?P<journal>[^;]+?)(?:;[^;]*?)?\s+Vol\.\s*(?P<volume>[^,]+),"
    r"(?:\s*Iss\.\s*(?P<issue>[^,]+),)?\s*\((?P<date>[^()]*)\)(?::\s*(?P<pages>[^\s,;]+))?",
    re.IGNORECASE,
)
_VANCOUVER = re.compile(
    r"^(?P<journal>[^\d;:()]+?)[.,]?\s+" + _YEAR + r"[^;:]*;\s*(?P<volume>[^():;\s]+)"
    r"\s*(?:\((?P<issue>[^()]+)\))?:\s*(?P<pages>[^\s;,]+)"
)
_APA = re.compile(
    r"^(?P<journal>[^\d;:()]+?),\s*(?P<volume>\d+)\s*(?:\((?P<issue>[^()]+)\))?,\s*"
    r"(?:pp?\.\s*)?(?P<pages>[A-Za-z]?\d+(?:\s*[-–]\s*[A-Za-z]?\d+)?)\.?$"
)


@dataclass(frozen=True, slots=True)
class CitationParts:
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None


def _pages(text: str | None) -> str | None:
    cleaned = clean_text(text)
    return cleaned.rstrip(".,").replace("–", "-").replace(" ", "") if cleaned else None


def _from_match(match: re.Match[str]) -> CitationParts:
    groups = match.groupdict()
    journal = clean_text(groups.get("journal"))
    return CitationParts(
        journal=journal.rstrip(".,") if journal else None,
        year=parse_year(groups.get("year") or groups.get("date")),
        volume=clean_text(groups.get("volume")),
        issue=clean_text(groups.get("issue")),
        pages=_pages(groups.get("pages")) or _pages(groups.get("article")),
    )


def _wos(text: str) -> CitationParts | None:
    pieces = _WOS_LABEL.split(text)
    if len(pieces) < 3:
        return None
    labels_and_values = zip(pieces[1::2], pieces[2::2], strict=True)
    labelled = {label.lower(): value.strip().rstrip(".,") for label, value in labels_and_values}
    if not {"volume", "pages"} & labelled.keys():
        return None
    return CitationParts(
        journal=clean_text(pieces[0]),
        year=parse_year(labelled.get("published")),
        volume=clean_text(labelled.get("volume")),
        issue=clean_text(labelled.get("issue")),
        pages=_pages(labelled.get("pages")) or _pages(labelled.get("article number")),
    )


def parse_citation(cell: str) -> CitationParts | None:
    """The parts of a combined citation cell, or ``None`` when the cell is in no known shape."""
    text = clean_text(cell)
    if text is None or len(text) > 500 or text.startswith("In:"):
        return None  # a book chapter's "In: Editors, Book..." cannot be split reliably
    for pattern in (_EMBASE, _PROQUEST, _PUBMED, _VANCOUVER, _APA):
        match = pattern.match(text)
        if match is not None:
            parts = _from_match(match)
            if parts.year or parts.volume or parts.pages:
                return parts
    return _wos(text)
