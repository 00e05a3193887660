"""What every live source offers: fetch one page of results from a cursor, parse a stored page.

A run stores every page exactly as the source sent it (``body``) before it moves on, so a run that
stops half-way keeps what it fetched and the records are parsed from the stored pages only when
all are in. ``cursor`` is an opaque string the source understands (a retstart, a cursorMark...):
the first page has ``first_cursor``, and ``FetchedPage.next_cursor`` is None after the last.
"""

from __future__ import annotations

import html
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from synthesist.records.model import Record
from synthesist.search.sources.http import HttpClient

__all__ = ["FetchedPage", "SearchSource", "SourceQuery", "plain_text"]

_MARKUP = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class SourceQuery:
    """A query in the source's own syntax. ``since``: only records the source added on or after that
    day (a living update); ``until`` closes that window (defaults to the day of the run)."""

    text: str
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class FetchedPage:
    body: bytes
    suffix: str  # ".json" or ".xml": how the page is stored in the run folder
    records: int
    total: int | None  # hits the source reports for the whole query
    next_cursor: str | None


class SearchSource(ABC):
    name: ClassVar[str]  # "pubmed"
    label: ClassVar[str]  # "PubMed": the source as the report and PRISMA name it
    first_cursor: ClassVar[str]
    default_page_size: ClassVar[int]
    notes: ClassVar[tuple[str, ...]] = ()  # what this source cannot do that a librarian should know
    update_notes: ClassVar[tuple[str, ...]] = ()  # how its living updates choose "new" records

    def __init__(self, http: HttpClient) -> None:
        self.http = http

    @abstractmethod
    def fetch(self, query: SourceQuery, cursor: str, page_size: int) -> FetchedPage:
        """One page of results from ``cursor``."""

    @abstractmethod
    def parse(self, body: bytes) -> list[Record]:
        """The records of a stored page."""

    @abstractmethod
    def describe(self, query: SourceQuery) -> str:
        """The query exactly as sent, date window included, for the batch and the report."""

    def close(self) -> None:
        self.http.close()


def plain_text(value: object) -> str | None:
    """Text without the HTML/JATS markup some APIs put in titles and abstracts (``<i>``,
    ``<h4>Background</h4>``, ``<jats:p>``), entities decoded, spaces collapsed; None when empty."""
    if value is None:
        return None
    text = " ".join(html.unescape(_MARKUP.sub(" ", str(value))).split())
    return text or None
