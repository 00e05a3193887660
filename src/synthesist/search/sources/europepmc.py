"""Europe PMC's REST search (``/search``, ``resultType=core``: abstracts, authors, keywords, MeSH),
paged with ``cursorMark``: the first page has ``*`` and each answer gives ``nextCursorMark``; the
last page gives the same mark again (or none). A living update adds
``CREATION_DATE:[since TO until]``, the day the record entered Europe PMC.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from synthesist.errors import MalformedResponse
from synthesist.records.clean import clean_doi, clean_pmid, clean_text, parse_year
from synthesist.records.model import Author, Record
from synthesist.search.sources.base import FetchedPage, SearchSource, SourceQuery, plain_text
from synthesist.search.sources.http import require

__all__ = ["EuropePmcSource"]

SEARCH_URL = "https://www.ebi.ac.uk/europepmc/webservices/rest/search"


class EuropePmcSource(SearchSource):
    name = "europepmc"
    label = "Europe PMC"
    first_cursor = "*"
    default_page_size = 500  # the API allows up to 1000

    def _query(self, query: SourceQuery) -> str:
        if query.since is None:
            return query.text
        until = query.until or date.today()
        return f"({query.text}) AND CREATION_DATE:[{query.since.isoformat()} TO {until.isoformat()}]"

    def fetch(self, query: SourceQuery, cursor: str, page_size: int) -> FetchedPage:
        params: dict[str, str | int] = {
            "query": self._query(query),
            "resultType": "core",
            "format": "json",
            "pageSize": page_size,
            "cursorMark": cursor,
        }
        data = self.http.get_json(SEARCH_URL, params)
        results = require("Europe PMC", data, "resultList", "result")
        if not isinstance(results, list):
            raise MalformedResponse("Europe PMC: resultList.result is not a list")
        total = int(require("Europe PMC", data, "hitCount"))
        following = data.get("nextCursorMark")
        # the last page: fewer results than asked, or the same cursor mark given back
        last = len(results) < page_size or not following or following == cursor
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        return FetchedPage(body, ".json", len(results), total, None if last else str(following))

    def parse(self, body: bytes) -> list[Record]:
        data = json.loads(body)
        return [europepmc_record(item) for item in require("Europe PMC", data, "resultList", "result")]

    def describe(self, query: SourceQuery) -> str:
        return self._query(query)


def _authors(item: dict[str, Any]) -> list[Author]:
    listed = (item.get("authorList") or {}).get("author") or []
    authors = []
    for person in listed:
        if person.get("collectiveName"):
            authors.append(Author(family=person["collectiveName"], organisation=True))
        elif person.get("lastName"):
            authors.append(Author(family=person["lastName"], given=person.get("firstName") or ""))
        elif person.get("fullName"):
            authors.append(Author.parse(person["fullName"]))
    if not authors and item.get("authorString"):
        authors = [Author.parse(name) for name in str(item["authorString"]).rstrip(".").split(", ")]
    return authors


def europepmc_record(item: dict[str, Any]) -> Record:
    journal_info = item.get("journalInfo") or {}
    journal = journal_info.get("journal") or {}
    keywords = list((item.get("keywordList") or {}).get("keyword") or [])
    headings = (item.get("meshHeadingList") or {}).get("meshHeading") or []
    types = (item.get("pubTypeList") or {}).get("pubType") or []
    raw: dict[str, list[str]] = {"europepmc:id": [f"{item.get('source', '')}:{item.get('id', '')}"]}
    if headings:
        raw["MH"] = [str(h.get("descriptorName")) for h in headings if h.get("descriptorName")]
    if item.get("pmcid"):
        raw["PMC"] = [str(item["pmcid"])]
    return Record(
        title=plain_text(item.get("title")),
        authors=_authors(item),
        year=parse_year(journal_info.get("yearOfPublication") or item.get("pubYear")),
        journal=clean_text(journal.get("title") or item.get("journalTitle")),
        volume=clean_text(journal_info.get("volume")),
        issue=clean_text(journal_info.get("issue")),
        pages=clean_text(item.get("pageInfo")),
        doi=clean_doi(item.get("doi")),
        pmid=clean_pmid(item.get("pmid")),
        issn=clean_text(journal.get("issn") or journal.get("essn")),
        abstract=plain_text(item.get("abstractText")),
        keywords=[str(word) for word in keywords],
        language=clean_text(item.get("language")),
        publication_type=clean_text(str(types[0])) if types else None,
        source_record_id=f"{item.get('source', '')}:{item.get('id', '')}",
        raw=raw,
    )
