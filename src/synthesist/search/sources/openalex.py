"""OpenAlex works: search (Boolean AND/OR/NOT and quoted phrases), filters, cursor paging, and the
citation graph (a work's ``referenced_works``; ``cites:W…`` for the works citing it).

Requests carry ``mailto`` (OpenAlex's polite pool) and, when given, an ``api_key`` (OpenAlex now
meters usage; a free key raises the daily allowance). A living update filters on
``from_publication_date``: ``from_created_date`` (when OpenAlex added a work) is for premium keys
only, so a work published earlier but indexed late is missed — the report says so.

A query of this source is either a search (``search=…``) or, for citation searching, a filter
(``filter:cites:W1`` / ``filter:ids.openalex:W1|W2``), both as one text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from synthesist.errors import MalformedResponse
from synthesist.records.clean import clean_doi, clean_pmid, clean_text, parse_year
from synthesist.records.model import Author, Record
from synthesist.search.model import (
    And,
    BlockRef,
    Combination,
    Field,
    Heading,
    Item,
    Not,
    Or,
    Strategy,
    Term,
)
from synthesist.search.sources.base import FetchedPage, SearchSource, SourceQuery
from synthesist.search.sources.http import HttpClient, require

__all__ = [
    "FILTER_PREFIX",
    "MAX_OR_VALUES",
    "OpenAlexSource",
    "filter_list",
    "openalex_query",
    "openalex_record",
    "short_id",
]

WORKS_URL = "https://api.openalex.org/works"
FILTER_PREFIX = "filter:"
_NON_WORD = re.compile(r"[^\w\s'-]")
MAX_OR_VALUES = 50  # values ORed with | in one filter: OpenAlex allows 50 (100 in newer versions)

_LANGUAGES = {"english": "en", "french": "fr", "german": "de", "spanish": "es", "italian": "it",
              "portuguese": "pt", "dutch": "nl", "chinese": "zh", "japanese": "ja"}  # fmt: skip


class OpenAlexSource(SearchSource):
    name = "openalex"
    label = "OpenAlex"
    first_cursor = "*"
    default_page_size = 100
    notes = (
        "OpenAlex has no truncation or proximity: truncated words are sent as their stem (OpenAlex "
        "stems words itself) and proximity as AND.",
        "Subject headings are searched as phrases in the text: OpenAlex has no MeSH or Emtree.",
    )
    update_notes = (
        "OpenAlex updates take works published since the last run (from_publication_date): the date "
        "OpenAlex added a work (from_created_date) needs a premium key, so a work published earlier "
        "but indexed since is not found by the update.",
    )

    def __init__(self, http: HttpClient, *, email: str | None = None, api_key: str | None = None) -> None:
        super().__init__(http)
        self._email = email
        self._api_key = api_key

    def _params(self, query: SourceQuery) -> dict[str, str | int]:
        params: dict[str, str | int] = {}
        filters: list[str] = []
        if query.text.startswith(FILTER_PREFIX):
            filters.append(query.text[len(FILTER_PREFIX) :])
        else:
            search, _, extra = query.text.partition("\n")
            params["search"] = search
            if extra.startswith(FILTER_PREFIX):
                filters.append(extra[len(FILTER_PREFIX) :])
        if query.since is not None:
            filters.append(f"from_publication_date:{query.since.isoformat()}")
            filters.append(f"to_publication_date:{(query.until or date.today()).isoformat()}")
        if filters:
            params["filter"] = ",".join(filters)
        if self._email:
            params["mailto"] = self._email
        if self._api_key:
            params["api_key"] = self._api_key
        return params

    def fetch(self, query: SourceQuery, cursor: str, page_size: int) -> FetchedPage:
        parts = _filter_list(query)
        if not parts:
            return self._fetch_one(query, cursor, page_size)
        # A list of filters (citation searching: ids in chunks of MAX_OR_VALUES) is paged as one
        # result set: the cursor is "<filter index>:<OpenAlex cursor>".
        index, inner = (0, cursor) if cursor == self.first_cursor else _split_cursor(cursor)
        part = SourceQuery(FILTER_PREFIX + parts[index], since=query.since, until=query.until)
        page = self._fetch_one(part, inner, page_size)
        if page.next_cursor is not None:
            following: str | None = f"{index}:{page.next_cursor}"
        else:
            following = f"{index + 1}:*" if index + 1 < len(parts) else None
        # the total is the first filter's until every filter has answered: OpenAlex counts per query
        return FetchedPage(page.body, page.suffix, page.records, page.total, following)

    def _fetch_one(self, query: SourceQuery, cursor: str, page_size: int) -> FetchedPage:
        params = {**self._params(query), "per_page": page_size, "cursor": cursor}
        data = self.http.get_json(WORKS_URL, params)
        results = require("OpenAlex", data, "results")
        if not isinstance(results, list):
            raise MalformedResponse("OpenAlex: results is not a list")
        total = require("OpenAlex", data, "meta", "count")
        following = data["meta"].get("next_cursor")
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        last = not results or not following
        return FetchedPage(body, ".json", len(results), int(total), None if last else str(following))

    def parse(self, body: bytes) -> list[Record]:
        return [openalex_record(work) for work in require("OpenAlex", json.loads(body), "results")]

    def describe(self, query: SourceQuery) -> str:
        parts = _filter_list(query)
        if parts:
            return "\n".join(
                self.describe(SourceQuery(FILTER_PREFIX + p, query.since, query.until)) for p in parts
            )
        params = self._params(query)
        parts = [f"search={params['search']}"] if "search" in params else []
        if "filter" in params:
            parts.append(f"filter={params['filter']}")
        return "\n".join(parts)

    def works(self, filter_text: str) -> list[dict[str, Any]]:
        """Every work matching one filter (used to resolve studies; a few results at most)."""
        query = SourceQuery(FILTER_PREFIX + filter_text)
        data = self.http.get_json(WORKS_URL, {**self._params(query), "per_page": 50})
        results = require("OpenAlex", data, "results")
        return list(results) if isinstance(results, list) else []

    def search_titles(self, title: str) -> list[dict[str, Any]]:
        # only the words: "," separates filters, "|" means OR and "!" NOT in a filter's value
        words = " ".join(_NON_WORD.sub(" ", title).split())
        query = SourceQuery(FILTER_PREFIX + "title.search:" + words)
        data = self.http.get_json(WORKS_URL, {**self._params(query), "per_page": 5})
        results = require("OpenAlex", data, "results")
        return list(results) if isinstance(results, list) else []


def filter_list(filters: Iterable[str]) -> str:
    """Several filters run one after the other as one query (see ``OpenAlexSource.fetch``)."""
    return "\n".join(FILTER_PREFIX + text for text in filters)


def _filter_list(query: SourceQuery) -> list[str]:
    lines = query.text.split("\n")
    if len(lines) < 2 or not all(line.startswith(FILTER_PREFIX) for line in lines):
        return []
    return [line[len(FILTER_PREFIX) :] for line in lines]


def _split_cursor(cursor: str) -> tuple[int, str]:
    index, _, inner = cursor.partition(":")
    if not index.isdigit() or not inner:
        raise MalformedResponse(f"OpenAlex: the saved cursor {cursor!r} is not <filter index>:<cursor>")
    return int(index), inner


def short_id(openalex_id: str) -> str:
    """``W2741809807`` from ``https://openalex.org/W2741809807``."""
    return openalex_id.rstrip("/").rsplit("/", 1)[-1]


def _abstract(inverted: dict[str, list[int]] | None) -> str | None:
    if not inverted:
        return None
    words: dict[int, str] = {}
    for word, positions in inverted.items():
        for position in positions:
            words[position] = word
    return " ".join(words[position] for position in sorted(words)) or None


def _pages(biblio: dict[str, Any]) -> str | None:
    first, last = biblio.get("first_page"), biblio.get("last_page")
    if first and last and last != first:
        return f"{first}-{last}"
    return clean_text(first)


def openalex_record(work: dict[str, Any]) -> Record:
    ids = work.get("ids") or {}
    location = work.get("primary_location") or {}
    venue = location.get("source") or {}
    biblio = work.get("biblio") or {}
    authors = []
    for authorship in work.get("authorships") or []:
        name = (authorship.get("author") or {}).get("display_name") or authorship.get("raw_author_name")
        if name:
            authors.append(Author.parse(str(name)))
    pmid = ids.get("pmid")
    openalex_id = short_id(str(work.get("id") or ""))
    raw: dict[str, list[str]] = {"openalex:id": [openalex_id]}
    if work.get("referenced_works"):
        raw["openalex:referenced_works"] = [short_id(str(w)) for w in work["referenced_works"]]
    return Record(
        title=clean_text(work.get("title") or work.get("display_name")),
        authors=authors,
        year=parse_year(work.get("publication_year")),
        journal=clean_text(venue.get("display_name")),
        volume=clean_text(biblio.get("volume")),
        issue=clean_text(biblio.get("issue")),
        pages=_pages(biblio),
        doi=clean_doi(work.get("doi")),
        pmid=clean_pmid(str(pmid).rstrip("/").rsplit("/", 1)[-1]) if pmid else None,
        issn=clean_text(venue.get("issn_l")),
        abstract=clean_text(_abstract(work.get("abstract_inverted_index"))),
        keywords=[str(k.get("display_name")) for k in work.get("keywords") or [] if k.get("display_name")],
        language=clean_text(work.get("language")),
        publication_type=clean_text(work.get("type")),
        source_record_id=openalex_id,
        raw=raw,
    )


# -- the strategy model as an OpenAlex search


def _term(text: str, phrase: bool) -> str:
    # OpenAlex has no wildcards: it stems words itself, so a truncated word goes as its stem
    words = text.replace("*", "").replace("?", "").replace('"', "").strip()
    return f'"{words}"' if phrase or " " in words else words


def _item(item: Item) -> str:
    if isinstance(item, Term):
        return _term(item.text, item.phrase)
    if isinstance(item, Heading):
        return _term(item.label, True)
    return f"({_group(item.left)} AND {_group(item.right)})"


def _group(terms: Iterable[Term]) -> str:
    parts = [_term(t.text, t.phrase) for t in terms]
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def _combine(strategy: Strategy, combination: Combination) -> str:
    if isinstance(combination, BlockRef):
        items = [_item(item) for item in strategy.block(combination.name).items]
        return items[0] if len(items) == 1 else "(" + " OR ".join(items) + ")"
    if isinstance(combination, And):
        return "(" + " AND ".join(_combine(strategy, part) for part in combination.parts) + ")"
    if isinstance(combination, Or):
        return "(" + " OR ".join(_combine(strategy, part) for part in combination.parts) + ")"
    assert isinstance(combination, Not)
    return f"({_combine(strategy, combination.keep)} NOT {_combine(strategy, combination.drop)})"


def _title_abstract_only(strategy: Strategy) -> bool:
    """Every free-text item is limited to title and/or abstract (and there are no headings, which
    OpenAlex can only look for as phrases anywhere)."""
    items = [item for block in strategy.blocks for item in block.items]
    return bool(items) and all(
        not isinstance(item, Heading) and item.fields and item.fields <= {Field.TITLE, Field.ABSTRACT}
        for item in items
    )


def openalex_query(strategy: Strategy) -> str:
    """The strategy as an OpenAlex ``search`` (first line) and its limits as a filter (second line);
    a strategy searching titles and abstracts only becomes a ``title_and_abstract.search`` filter."""
    text = _combine(strategy, strategy.combine)
    if text.startswith("(") and text.endswith(")") and not isinstance(strategy.combine, BlockRef):
        text = text[1:-1]
    filters = []
    limits = strategy.limits
    if limits.year_from or limits.year_to:
        filters.append(f"publication_year:{limits.year_from or ''}-{limits.year_to or ''}")
    languages = [_LANGUAGES[name.casefold()] for name in limits.languages if name.casefold() in _LANGUAGES]
    if languages:
        filters.append("language:" + "|".join(languages))
    if _title_abstract_only(strategy):
        return FILTER_PREFIX + ",".join([f"title_and_abstract.search:{text}", *filters])
    return text + (f"\n{FILTER_PREFIX}{','.join(filters)}" if filters else "")
