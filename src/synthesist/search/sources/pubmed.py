"""PubMed through NCBI E-utilities: ``esearch`` with ``usehistory=y`` keeps the result set on NCBI's
history server (``WebEnv`` + ``query_key``), then ``efetch`` returns it as PubMed XML page by page.

NCBI allows 3 requests a second, 10 with an API key (``--api-key`` or ``NCBI_API_KEY``). The cursor
is the ``retstart`` of the next page; the ``WebEnv`` is not kept in it because NCBI forgets it after
a while, so a resumed run searches again (same query, same order) and fetches from where it was.
A living update limits by Entrez date (``datetype=edat``): the day a record entered PubMed.
"""

from __future__ import annotations

import json
from datetime import date

from lxml import etree

from synthesist.errors import MalformedResponse
from synthesist.importing.formats.pubmed_xml import book_record, journal_record
from synthesist.records.model import Record
from synthesist.search.sources.base import FetchedPage, SearchSource, SourceQuery
from synthesist.search.sources.http import HttpClient, require

__all__ = ["API_KEY_ENV", "PubmedSource"]

API_KEY_ENV = "NCBI_API_KEY"
EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


class PubmedSource(SearchSource):
    name = "pubmed"
    label = "PubMed"
    first_cursor = "0"
    default_page_size = 200

    def __init__(self, http: HttpClient, api_key: str | None = None, email: str | None = None) -> None:
        super().__init__(http)
        self._api_key = api_key
        self._email = email  # NCBI asks tools to send a contact address with "tool"
        self._history: dict[str, tuple[str, str, int]] = {}  # query -> (WebEnv, query_key, count)

    def _params(self) -> dict[str, str | int]:
        params: dict[str, str | int] = {"db": "pubmed", "tool": "synthesist"}
        if self._api_key:
            params["api_key"] = self._api_key
        if self._email:
            params["email"] = self._email
        return params

    def _dates(self, query: SourceQuery) -> dict[str, str | int]:
        if query.since is None:
            return {}
        until = query.until or date.today()
        return {"datetype": "edat", "mindate": f"{query.since:%Y/%m/%d}", "maxdate": f"{until:%Y/%m/%d}"}

    def _search(self, query: SourceQuery) -> tuple[str, str, int]:
        key = self.describe(query)
        if key not in self._history:
            params = {**self._params(), "term": query.text, "usehistory": "y", "retmax": 0, "retmode": "json"}
            data = self.http.get_json(f"{EUTILS}/esearch.fcgi", {**params, **self._dates(query)})
            result = require("PubMed", data, "esearchresult")
            if isinstance(result, dict) and result.get("ERROR"):
                raise MalformedResponse(
                    f"PubMed: the search was refused: {result['ERROR']}",
                    hint="Check the strategy's PubMed translation (synthesist search translate --to pubmed).",
                )
            count = _int("PubMed", require("PubMed", result, "count"), "esearchresult.count")
            webenv = str(require("PubMed", result, "webenv")) if count else ""
            query_key = str(require("PubMed", result, "querykey")) if count else ""
            self._history[key] = (webenv, query_key, count)
        return self._history[key]

    def fetch(self, query: SourceQuery, cursor: str, page_size: int) -> FetchedPage:
        webenv, query_key, count = self._search(query)
        start = int(cursor)
        if count == 0 or start >= count:
            return FetchedPage(b"<PubmedArticleSet></PubmedArticleSet>", ".xml", 0, count, None)
        params = {
            **self._params(),
            "WebEnv": webenv,
            "query_key": query_key,
            "retstart": start,
            "retmax": page_size,
            "retmode": "xml",
        }
        text = self.http.get_text(f"{EUTILS}/efetch.fcgi", params)
        body = text.encode("utf-8")
        articles = _articles(body)
        if not articles:
            raise MalformedResponse(
                f"PubMed: efetch returned no articles at retstart {start} of {count}",
                hint="NCBI's history may have expired; resume the run to search again from this page.",
            )
        following = start + len(articles)
        return FetchedPage(body, ".xml", len(articles), count, str(following) if following < count else None)

    def parse(self, body: bytes) -> list[Record]:
        return [
            book_record(element) if element.tag == "PubmedBookArticle" else journal_record(element)
            for element in _articles(body)
        ]

    def describe(self, query: SourceQuery) -> str:
        dates = self._dates(query)
        if not dates:
            return query.text
        return f"{query.text}\n(Entrez date {dates['mindate']} to {dates['maxdate']})"


def _articles(body: bytes) -> list[etree._Element]:
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as error:
        raise MalformedResponse(
            f"PubMed: efetch's answer is not well-formed XML ({error})",
            hint="The service may be having trouble; the run is kept, resume it later.",
        ) from None
    if root.tag != "PubmedArticleSet":
        raise MalformedResponse(
            f"PubMed: efetch's answer is <{root.tag}>, not <PubmedArticleSet>",
            hint="The service may be having trouble; the run is kept, resume it later.",
        )
    return [child for child in root if child.tag in ("PubmedArticle", "PubmedBookArticle")]


def _int(source: str, value: object, field: str) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise MalformedResponse(f"{source}: {field} is {json.dumps(value)}, not a number") from None
