"""The real services, with a tiny query (opt in: ``pytest -m network tests/search_live``). Checks that
the recorded formats the other tests replay are still what the services send."""

from __future__ import annotations

import os

import pytest

from synthesist.search.sources import SOURCES, SourceOptions, SourceQuery, open_source

pytestmark = pytest.mark.network

TINY = {
    "pubmed": '"patient-professional partnership"[tiab] AND "back pain"[tiab]',
    "europepmc": '"patient-professional partnership" AND "back pain"',
    "openalex": '"patient-professional partnership" AND "back pain"',
    "crossref": "patient professional partnership chronic back pain",
}


@pytest.mark.parametrize("source", list(SOURCES))
def test_one_small_page_from_the_real_service(source: str) -> None:
    options = SourceOptions(email=os.environ.get("SYNTHESIST_EMAIL", "synthesist-tests@example.org"))
    client = open_source(source, options)
    try:
        page = client.fetch(SourceQuery(TINY[source]), client.first_cursor, 2)
        records = client.parse(page.body)
    finally:
        client.close()
    assert page.total is not None and page.total >= len(records)
    assert len(records) == page.records <= 2
    assert all(record.title for record in records)
    if records and source != "crossref":
        assert any(record.doi or record.pmid for record in records)
