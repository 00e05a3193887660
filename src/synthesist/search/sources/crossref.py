"""Crossref's REST API (``/works?query=…``), paged with ``cursor`` (``*`` first, then
``next-cursor``; the last page comes back empty).

Crossref has **no Boolean search**: ``query`` is free text ranked by relevance, so AND, OR and NOT
cannot be expressed and every term of the strategy is sent as words; results far down the list
match only a word or two. Use ``--max`` and treat Crossref as a supplementary source. A living
update filters on ``from-index-date`` (when Crossref last indexed the work).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from synthesist.errors import MalformedResponse
from synthesist.records.clean import clean_doi, clean_text, parse_year
from synthesist.records.model import Author, Record
from synthesist.search.model import And, BlockRef, Combination, Heading, Near, Not, Or, Strategy, Term
from synthesist.search.sources.base import FetchedPage, SearchSource, SourceQuery, plain_text
from synthesist.search.sources.http import HttpClient, require

__all__ = ["CrossrefSource", "crossref_query", "crossref_record"]

WORKS_URL = "https://api.crossref.org/works"
NO_BOOLEAN_NOTE = (
    "Crossref has no Boolean search: the strategy's terms were sent as free text ranked by relevance "
    "(AND, OR, NOT, truncation, field tags and subject headings cannot be expressed)."
)


class CrossrefSource(SearchSource):
    name = "crossref"
    label = "Crossref"
    first_cursor = "*"
    default_page_size = 100  # Crossref allows up to 1000 rows
    notes = (NO_BOOLEAN_NOTE,)

    def __init__(self, http: HttpClient, *, email: str | None = None) -> None:
        super().__init__(http)
        self._email = email

    def _params(self, query: SourceQuery) -> dict[str, str | int]:
        text, _, extra = query.text.partition("\n")
        params: dict[str, str | int] = {"query": text}
        filters = [extra[len("filter:") :]] if extra.startswith("filter:") else []
        if query.since is not None:
            filters.append(f"from-index-date:{query.since.isoformat()}")
            filters.append(f"until-index-date:{(query.until or date.today()).isoformat()}")
        if filters:
            params["filter"] = ",".join(filters)
        if self._email:
            params["mailto"] = self._email
        return params

    def fetch(self, query: SourceQuery, cursor: str, page_size: int) -> FetchedPage:
        data = self.http.get_json(WORKS_URL, {**self._params(query), "rows": page_size, "cursor": cursor})
        if data.get("status") not in (None, "ok"):
            raise MalformedResponse(f"Crossref: status {data.get('status')!r}: {data.get('message')}")
        items = require("Crossref", data, "message", "items")
        if not isinstance(items, list):
            raise MalformedResponse("Crossref: message.items is not a list")
        total = int(require("Crossref", data, "message", "total-results"))
        following = data["message"].get("next-cursor")
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        # the last page has fewer items than asked (or none: Crossref then still gives a cursor)
        last = len(items) < page_size or not following
        return FetchedPage(body, ".json", len(items), total, None if last else str(following))

    def parse(self, body: bytes) -> list[Record]:
        return [crossref_record(item) for item in require("Crossref", json.loads(body), "message", "items")]

    def describe(self, query: SourceQuery) -> str:
        params = self._params(query)
        return f"query={params['query']}" + (f"\nfilter={params['filter']}" if "filter" in params else "")


def _first(values: Any) -> str | None:
    if isinstance(values, list):
        return plain_text(values[0]) if values else None
    return clean_text(values)


def _year(item: dict[str, Any]) -> int | None:
    for key in ("published-print", "published-online", "issued", "created"):
        parts = (item.get(key) or {}).get("date-parts") or []
        if parts and parts[0] and parts[0][0]:
            return parse_year(parts[0][0])
    return None


def crossref_record(item: dict[str, Any]) -> Record:
    authors = []
    for person in item.get("author") or []:
        if person.get("family"):
            authors.append(Author(family=person["family"], given=person.get("given") or ""))
        elif person.get("name"):
            authors.append(Author(family=person["name"], organisation=True))
    abstract = item.get("abstract")  # JATS: <jats:p>…</jats:p>
    subjects = item.get("subject") or []
    return Record(
        title=_first(item.get("title")),
        authors=authors,
        year=_year(item),
        journal=_first(item.get("container-title")),
        volume=clean_text(item.get("volume")),
        issue=clean_text(item.get("issue")),
        pages=clean_text(item.get("page")),
        doi=clean_doi(item.get("DOI")),
        issn=_first(item.get("ISSN")),
        abstract=plain_text(abstract),
        keywords=[str(subject) for subject in subjects],
        language=clean_text(item.get("language")),
        publication_type=clean_text(item.get("type")),
        url=clean_text(item.get("URL")),
        source_record_id=clean_doi(item.get("DOI")),
        raw={"crossref:DOI": [str(item.get("DOI", ""))]},
    )


def _excluded_blocks(combination: Combination) -> set[str]:
    if isinstance(combination, Not):
        return _excluded_blocks(combination.keep) | _block_names(combination.drop)
    if isinstance(combination, And | Or):
        return set().union(*(_excluded_blocks(part) for part in combination.parts))
    return set()


def _block_names(combination: Combination) -> set[str]:
    if isinstance(combination, BlockRef):
        return {combination.name}
    if isinstance(combination, Not):
        return _block_names(combination.keep) | _block_names(combination.drop)
    return set().union(*(_block_names(part) for part in combination.parts))


def crossref_query(strategy: Strategy) -> str:
    """The strategy's words as free text (Crossref's only kind of query), limits as a filter line."""
    words: list[str] = []
    for block in strategy.blocks:
        if block.name in _excluded_blocks(strategy.combine):
            continue  # a NOT block's words would only pull in what the strategy leaves out
        for item in block.items:
            if isinstance(item, Term):
                words.append(item.text)
            elif isinstance(item, Heading):
                words.append(item.label)
            elif isinstance(item, Near):
                words.extend(term.text for term in (*item.left, *item.right))
    unique = {w.replace("*", "").replace("?", "").strip().casefold(): None for w in words if w.strip()}
    cleaned = " ".join(unique)
    filters = []
    if strategy.limits.year_from:
        filters.append(f"from-pub-date:{strategy.limits.year_from}")
    if strategy.limits.year_to:
        filters.append(f"until-pub-date:{strategy.limits.year_to}")
    return cleaned + (f"\nfilter:{','.join(filters)}" if filters else "")
