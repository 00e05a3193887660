"""Each source's client on recorded responses: paging, back-off on 429, giving up on 5xx, clear
errors on malformed answers, and the mapping of each API's fields to records. No database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from synthesist.errors import MalformedResponse, SourceUnavailable
from synthesist.search.sources import SOURCES, SourceQuery, open_source
from synthesist.search.sources.base import SearchSource
from tests.search_live.replay import QUERIES, Replay, garbage, too_many_requests


def _all_pages(client: SearchSource, query: SourceQuery, page_size: int = 2) -> list[bytes]:
    bodies = []
    cursor: str | None = client.first_cursor
    while cursor is not None:
        page = client.fetch(query, cursor, page_size)
        bodies.append(page.body)
        cursor = page.next_cursor
    return bodies


@pytest.mark.parametrize("source", list(SOURCES))
def test_every_page_is_fetched_and_parsed(source: str) -> None:
    replay = Replay()
    client = open_source(source, replay.options())
    bodies = _all_pages(client, SourceQuery(QUERIES[source]))
    assert len(bodies) == 3
    records = [record for body in bodies for record in client.parse(body)]
    assert len(records) == 5
    first = records[0]
    assert first.title is not None and first.title.startswith("Therapeutic alliance in physiotherapy")
    assert first.doi == "10.1016/j.physio.2019.01.004"
    assert [a.family for a in first.authors] == ["Holopainen", "Piirainen", "Karppinen"]
    assert first.year == 2019 and first.volume == "105" and first.issue == "2"
    assert first.pages is not None and first.pages.startswith("244")
    assert first.abstract is not None and "partnership built on trust" in first.abstract
    assert "<" not in first.abstract and "<" not in first.title  # markup (JATS, HTML) taken out
    if source != "crossref":  # Crossref has no PubMed ids
        assert first.pmid == "31000001"
    assert first.journal is not None and first.journal.casefold() == "physiotherapy"
    assert first.language in ("eng", "en")
    assert first.publication_type
    assert len({record.doi for record in records}) == 5


def test_pubmed_uses_the_history_server_and_the_api_key() -> None:
    replay = Replay()
    client = open_source("pubmed", replay.options(api_key="secret-key"))
    _all_pages(client, SourceQuery(QUERIES["pubmed"]))
    search, *fetches = [replay.params(n) for n in range(1, len(replay.requests) + 1)]
    assert search["usehistory"] == "y" and search["term"] == QUERIES["pubmed"]
    assert [f["retstart"] for f in fetches] == ["0", "2", "4"]
    assert {f["WebEnv"] for f in fetches} == {"MCID_6745a1b2c3d4e5f6a7b8c9d0"}
    assert all(p["api_key"] == "secret-key" for p in (search, *fetches))
    # 10 requests a second with a key: the waits between requests are a tenth of a second
    assert replay.waits and max(replay.waits) == pytest.approx(0.1)


def test_pubmed_keeps_to_three_requests_a_second_without_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    replay = Replay()
    _all_pages(open_source("pubmed", replay.options()), SourceQuery(QUERIES["pubmed"]))
    assert max(replay.waits) == pytest.approx(1 / 3)
    assert "api_key" not in replay.params(1)


def test_date_windows_of_living_updates() -> None:
    since, until = date(2024, 3, 1), date(2024, 6, 30)
    query = SourceQuery("x", since=since, until=until)
    replay = Replay(update=True)
    open_source("pubmed", replay.options()).fetch(query, "0", 10)
    assert {k: replay.params(1)[k] for k in ("datetype", "mindate", "maxdate")} == {
        "datetype": "edat",
        "mindate": "2024/03/01",
        "maxdate": "2024/06/30",
    }
    epmc = open_source("europepmc", Replay().options())
    assert epmc.describe(query) == "(x) AND CREATION_DATE:[2024-03-01 TO 2024-06-30]"
    openalex = open_source("openalex", Replay().options())
    assert "from_publication_date:2024-03-01" in openalex.describe(query)
    crossref = open_source("crossref", Replay().options())
    assert "from-index-date:2024-03-01,until-index-date:2024-06-30" in crossref.describe(query)


@pytest.mark.parametrize("source", list(SOURCES))
def test_a_429_is_waited_out_as_retry_after_says(source: str) -> None:
    replay = Replay(faults={2: too_many_requests(7)})
    client = open_source(source, replay.options())
    records = [r for body in _all_pages(client, SourceQuery(QUERIES[source])) for r in client.parse(body)]
    assert len(records) == 5
    assert 7.0 in replay.waits  # waited as told, then the same request again succeeded
    assert replay.requests[1].url == replay.requests[2].url


def test_without_retry_after_the_back_off_doubles() -> None:
    fail = {n: (lambda request: httpx.Response(502, text="Bad Gateway")) for n in (1, 2)}
    replay = Replay(faults=fail)
    open_source("crossref", replay.options()).fetch(SourceQuery("x"), "*", 2)
    backoff = [wait for wait in replay.waits if wait >= 1]
    assert backoff == [1.0, 2.0]


@pytest.mark.parametrize("source", list(SOURCES))
def test_a_server_failing_after_every_retry_is_a_clear_error(source: str) -> None:
    replay = Replay(fail_from=1)
    client = open_source(source, replay.options())
    with pytest.raises(SourceUnavailable, match=r"HTTP 503 after 3 attempts") as caught:
        client.fetch(SourceQuery(QUERIES[source]), client.first_cursor, 2)
    assert client.label in caught.value.message
    assert "--resume" in (caught.value.hint or "")
    assert len(replay.requests) == 3


@pytest.mark.parametrize("source", list(SOURCES))
def test_a_malformed_answer_names_the_source_and_the_problem(source: str) -> None:
    number = 2 if source == "pubmed" else 1  # PubMed's first request is the search
    replay = Replay(faults={number: garbage})
    client = open_source(source, replay.options())
    with pytest.raises(MalformedResponse) as caught:
        client.fetch(SourceQuery(QUERIES[source]), client.first_cursor, 2)
    assert caught.value.message.startswith(client.label + ":")
    assert "not valid JSON" in caught.value.message or "not <PubmedArticleSet>" in caught.value.message


def test_a_json_answer_without_the_documented_fields_names_the_field() -> None:
    replay = Replay(faults={1: lambda request: httpx.Response(200, json={"meta": {"count": 3}})})
    client = open_source("openalex", replay.options())
    with pytest.raises(MalformedResponse, match="OpenAlex: the answer has no 'results' field"):
        client.fetch(SourceQuery("x"), "*", 2)


def test_pubmed_reports_a_refused_search() -> None:
    refused = {"esearchresult": {"ERROR": "Invalid query syntax near ]"}}
    replay = Replay(faults={1: lambda request: httpx.Response(200, json=refused)})
    with pytest.raises(MalformedResponse, match="PubMed: the search was refused: Invalid query syntax"):
        open_source("pubmed", replay.options()).fetch(SourceQuery("x]"), "0", 2)


def test_a_client_error_is_not_retried() -> None:
    replay = Replay(faults={1: lambda request: httpx.Response(400, text="Invalid filter name")})
    with pytest.raises(Exception, match=r"OpenAlex: HTTP 400 .*Invalid filter name"):
        open_source("openalex", replay.options()).fetch(SourceQuery("x"), "*", 2)
    assert len(replay.requests) == 1


def test_openalex_and_crossref_send_the_email_for_the_polite_pool() -> None:
    replay = Replay()
    open_source("openalex", replay.options(email="me@example.org")).fetch(SourceQuery("x"), "*", 2)
    open_source("crossref", replay.options(email="me@example.org")).fetch(SourceQuery("x"), "*", 2)
    assert replay.params(1)["mailto"] == replay.params(2)["mailto"] == "me@example.org"
    assert "mailto:me@example.org" in replay.requests[0].headers["User-Agent"]


def test_retry_after_as_an_http_date_and_the_longest_wait() -> None:
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    faults = {
        1: lambda request: httpx.Response(503, headers={"Retry-After": soon}),
        2: too_many_requests(3600),  # an hour: waited no longer than the policy's longest wait
    }
    replay = Replay(faults=faults)
    open_source("europepmc", replay.options()).fetch(SourceQuery("x"), "*", 2)
    backoff = [wait for wait in replay.waits if wait >= 1]
    assert len(backoff) == 2 and 27 <= backoff[0] <= 30 and backoff[1] == 60.0
