"""Lists that scale: the log a page at a time (keyset paging, newest first) with filters by person,
event type and dates; record titles on the duplicates and conflicts pages; the record search
(SQLite and PostgreSQL)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from synthesist.events import ProtocolEdited
from synthesist.events.query import EventQuery
from synthesist.screening.model import Stage, Vote
from synthesist.services.accounts.users import set_display_name
from synthesist.services.dedup.runs import run_dedup
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.records.log_page import read_log_page
from synthesist.services.screening.decisions import decide
from synthesist.services.web.pages_dedup import GROUPS_PER_PAGE
from synthesist.storage import repositories
from synthesist.workspace import Workspace
from tests.dedup_helpers import ris_file
from tests.helpers import ris_text
from tests.web.conftest import Served

EVENT_ID = re.compile(r'<td data-label="Event">(\d+)</td>')


def _log_events(workspace: Workspace, count: int, actor: str, section: str = "screening") -> None:
    with workspace.unit_of_work() as uow:
        for n in range(count):
            uow.events.append(ProtocolEdited(section=section, changes=[f"change {n}"]), actor)
        uow.commit()


def _all_ids(workspace: Workspace) -> list[int]:
    with workspace.unit_of_work(write=False) as uow:
        return [event.id for event in uow.events.list()]


def _shown(text: str) -> list[int]:
    return [int(found) for found in EVENT_ID.findall(text)]


def _link(text: str, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]*)" rel="{rel}">', text)
    return html.unescape(found.group(1)) if found else None


def _walk(client: TestClient, url: str, rel: str) -> list[list[int]]:
    """The pages met following the ``rel`` links from ``url``: each page's event ids, as shown."""
    pages: list[list[int]] = []
    next_url: str | None = url
    while next_url is not None:
        response = client.get(next_url)
        assert response.status_code == 200
        pages.append(_shown(response.text))
        link = _link(response.text, rel)
        next_url = f"{url.split('?')[0]}{link}" if link else None
        assert len(pages) < 20, "paging ends"
    return pages


def test_the_log_pages_newest_first_and_shows_each_event_once(served: Served) -> None:
    _log_events(served.a, 120, "aoife")
    every = _all_ids(served.a)
    url = f"/p/{served.a.project.key}/log"
    client = served.client("aoife")

    older = _walk(client, url, "next")
    assert all(len(page) == 50 for page in older[:-1]) and 0 < len(older[-1]) <= 50
    assert [event for page in older for event in page] == sorted(every, reverse=True), (
        "newest first, none shown twice, none skipped"
    )
    first = client.get(url).text
    assert f"{len(every):,} events in the log; showing 1–50." in first
    assert _link(first, "prev") is None, "the first page has no newer page"

    # back from the oldest page with "Newer": the same pages, in reverse
    back = _walk(client, f"{url}?before={older[-2][-1]}", "prev")
    assert back == list(reversed(older)), "Newer leads back through the same pages"


def test_the_log_filters_by_person_with_their_display_name(served: Served) -> None:
    _log_events(served.a, 3, "aoife")
    _log_events(served.a, 2, "lukasz")
    set_display_name(served.a, "lukasz", "Łukasz Nowak")
    client = served.client("aoife")
    url = f"/p/{served.a.project.key}/log"

    page = client.get(url).text
    assert '<option value="lukasz">Łukasz Nowak (lukasz)</option>' in page, "people by display name"
    filtered = client.get(url, params={"person": "lukasz"}).text
    assert '<option value="lukasz" selected>' in filtered
    assert "2 events match these filters." in filtered
    with served.a.unit_of_work(write=False) as uow:
        lukasz = [e.id for e in uow.events.list() if e.actor == "lukasz"]
    assert _shown(filtered) == sorted(lukasz, reverse=True)


def test_the_log_filters_by_type_or_a_whole_area(served: Served) -> None:
    _log_events(served.a, 4, "aoife")
    client = served.client("aoife")
    url = f"/p/{served.a.project.key}/log"
    page = client.get(url).text
    assert '<optgroup label="protocol">' in page and '<option value="protocol.*">All protocol events' in page
    assert '<option value="records.imported">' in page or '<optgroup label="records">' in page

    with served.a.unit_of_work(write=False) as uow:
        events = uow.events.list()
    protocol = sorted((e.id for e in events if e.type == "protocol.edited"), reverse=True)
    records_area = sorted((e.id for e in events if e.type.startswith("records.")), reverse=True)
    assert _shown(client.get(url, params={"type": "protocol.edited"}).text) == protocol
    assert records_area, "the fixture's import is in the log"
    area_page = client.get(url, params={"type": "records.*"}).text
    assert _shown(area_page) == records_area
    assert '<option value="records.*" selected>' in area_page


def test_the_log_filters_by_dates_inclusive_of_both_days(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    for day in (1, 2, 3, 4):
        at = datetime(2024, 5, day, 23, 30, tzinfo=UTC)
        monkeypatch.setattr(repositories, "_now", lambda at=at: at)
        _log_events(served.a, 1, "olwen", section=f"day {day}")
    monkeypatch.undo()
    with served.a.unit_of_work(write=False) as uow:
        by_section = {e.payload["section"]: e.id for e in uow.events.list() if e.type == "protocol.edited"}
    client = served.client("olwen")
    url = f"/p/{served.a.project.key}/log"

    shown = _shown(client.get(url, params={"from": "2024-05-02", "to": "2024-05-03"}).text)
    assert shown == [by_section["day 3"], by_section["day 2"]], "23:30 on the last day is in"
    assert _shown(client.get(url, params={"to": "2024-05-01"}).text) == [by_section["day 1"]]
    since = client.get(url, params={"from": "2024-05-04", "type": "protocol.edited"}).text
    assert _shown(since) == [by_section["day 4"]]
    assert 'value="2024-05-04"' in since, "the form keeps the dates chosen"

    wrong = client.get(url, params={"from": "May 2nd"})
    assert wrong.status_code == 200 and "is not a date" in wrong.text


def test_paging_links_keep_the_filters(served: Served) -> None:
    _log_events(served.a, 60, "lukasz")
    _log_events(served.a, 5, "aoife")
    client = served.client("aoife")
    url = f"/p/{served.a.project.key}/log"
    first = client.get(url, params={"person": "lukasz", "type": "protocol.*"}).text
    assert "60 events match these filters; showing 1–50." in first
    older = _link(first, "next")
    assert older is not None
    query = parse_qs(urlsplit(older).query)
    assert query["person"] == ["lukasz"] and query["type"] == ["protocol.*"] and "before" in query
    pages = _walk(client, url + older, "next")
    assert len(pages) == 1 and len(pages[0]) == 10
    second = client.get(url + older).text
    assert "showing 51–60" in second


def test_an_empty_result_says_so_and_how_to_clear_the_filters(served: Served) -> None:
    client = served.client("aoife")
    url = f"/p/{served.a.project.key}/log"
    page = client.get(url, params={"person": "nobody at all"}).text
    assert "No events match these filters." in page
    assert f'<a href="{url}">Clear the filters</a>' in page
    assert _shown(page) == [] and "<table" not in page


def test_the_page_read_model_pages_past_an_end_back_to_the_newest(served: Served) -> None:
    newest = max(_all_ids(served.a))
    shown = read_log_page(served.a, EventQuery(), after=newest + 100, size=5)
    assert shown.events[0].id == newest and shown.first == 1 and not shown.newer


def test_the_duplicates_page_shows_titles_authors_years_and_the_kept_record(served: Served) -> None:
    title = "Self-management support for people with chronic low back pain in primary care"
    export = served.a.project.root / "twins.ris"
    export.write_text(
        ris_file(
            (
                ("TY", "JOUR"),
                ("AU", "Cooper, K."),
                ("AU", "Smith, B. H."),
                ("TI", title),
                ("PY", "2012"),
                ("DO", "10.1/twin"),
            ),
            (
                ("TY", "JOUR"),
                ("AU", "Cooper, K."),
                ("AU", "Smith, B. H."),
                ("TI", title),
                ("PY", "2012"),
                ("DO", "10.1/twin"),
            ),
        ),
        encoding="utf-8",
    )
    import_files(served.a, ImportRequest(paths=[export], source="Embase"))
    run_dedup(served.a, scope="all")
    client = served.client("aoife")
    page = client.get(f"/p/{served.a.project.key}/duplicates").text
    assert title in page and "Cooper et al., 2012" in page
    assert "(kept)</strong>" in page, "the primary is marked"
    group = re.search(r"/duplicates/groups/(\d+)", page)
    assert group is not None
    group_page = client.get(f"/p/{served.a.project.key}/duplicates/groups/{group.group(1)}").text
    assert "(kept, primary)</strong>: <span" in group_page and "Cooper et al., 2012" in group_page
    assert f'action="/p/{served.a.project.key}/records"' in page, "a record search form"


def test_the_duplicate_groups_list_pages(served: Served) -> None:
    rows = []
    for n in range(GROUPS_PER_PAGE + 2):
        twin = (("TY", "JOUR"), ("AU", f"Author{n}, A."), ("TI", f"A distinct study number {n}"),
                ("PY", "2010"), ("DO", f"10.9/g{n}"))  # fmt: skip
        rows += [twin, twin]
    export = served.a.project.root / "many.ris"
    export.write_text(ris_file(*rows), encoding="utf-8")
    import_files(served.a, ImportRequest(paths=[export], source="Embase"))
    run_dedup(served.a, scope="all")
    client = served.client("aoife")
    url = f"/p/{served.a.project.key}/duplicates"
    first = client.get(url).text
    assert "page 1 of 2" in first and first.count('data-label="Group"') == GROUPS_PER_PAGE
    second = client.get(url, params={"groups": 2}).text
    assert "page 2 of 2" in second and second.count('data-label="Group"') >= 2


def test_the_conflicts_page_shows_each_records_title_and_authors(served: Served) -> None:
    decide(served.a, 3, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer="aoife")
    decide(served.a, 3, Stage.TITLE_ABSTRACT, Vote.EXCLUDE, reviewer="lukasz")
    page = served.client("olwen").get(f"/p/{served.a.project.key}/conflicts/title-abstract").text
    assert "Record 3</a>: Patient-centredness in physiotherapy 3</h2>" in page
    assert "Cooper et al., 2003 · Physiotherapy" in page


def test_the_record_search_finds_words_in_titles_authors_and_dois(served: Served) -> None:
    client = served.client("aoife")
    url = f"/p/{served.a.project.key}/records"
    everything = client.get(url).text
    assert "12 records." in everything and everything.count('class="record-title"') == 12
    found = client.get(url, params={"q": "physiotherapy 11"}).text
    assert "1 record with “physiotherapy 11” in the title." in found
    assert "Patient-centredness in physiotherapy 11" in found
    by_author = client.get(url, params={"q": "smith", "in": "author"}).text
    assert "12 records with “smith” in the author." in by_author
    by_doi = client.get(url, params={"q": "10.1016/j.physio.7", "in": "doi"}).text
    assert "1 record with" in by_doi and "physiotherapy 7" in by_doi
    none = client.get(url, params={"q": "zebra"}).text
    assert "No records have “zebra” in the title." in none


def test_the_record_search_pages(served: Served) -> None:
    export = served.a.project.root / "more.ris"
    export.write_text(ris_text(50, start=100), encoding="utf-8")
    import_files(served.a, ImportRequest(paths=[export], source="Embase"))
    client = served.client("aoife")
    url = f"/p/{served.a.project.key}/records"
    first = client.get(url, params={"q": "physiotherapy"}).text
    assert "62 records with “physiotherapy” in the title; showing 1–50." in first
    next_link = _link(first, "next")
    assert next_link is not None and "q=physiotherapy" in next_link
    second = client.get(url + next_link).text
    assert "showing 51–62" in second and _link(second, "prev") is not None
    assert client.get(url, params={"page": 9}).status_code == 200


def test_the_filters_offer_people_and_types_logged_since_the_last_page(served: Served) -> None:
    """The people and event types are kept between pages and brought up to date from the new events."""
    client = served.client("aoife")
    url = f"/p/{served.a.project.key}/log"
    before = client.get(url).text
    assert '<option value="zed">' not in before and '<optgroup label="protocol">' not in before
    _log_events(served.a, 1, "zed")
    after = client.get(url).text
    assert '<option value="zed">zed</option>' in after and '<optgroup label="protocol">' in after
