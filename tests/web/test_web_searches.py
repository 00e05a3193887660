"""The searches page: the review's runs and strategies; a live search, a living update and a citation
search queued as jobs of the right kind and parameters (checked on the queued row, nothing fetched);
one search run through in the request on recorded answers (no network); a form's mistake shown on
the page with nothing queued; viewers read only, non-members get 404. SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

import synthesist.services.search.runs as search_runs
from synthesist.review.jobs import JobStatus
from synthesist.search.runs import NewSearchRun, RunKind
from synthesist.search.sources import SourceOptions
from synthesist.services.jobs import job_status, list_jobs
from synthesist.services.jobs.queue import EAGER_ENV
from synthesist.workspace import Workspace
from tests.search_live.replay import Replay
from tests.web._included_fixtures import Builder, Included, included
from tests.web.conftest import Served, csrf_of

__all__ = ["included"]  # the fixture, imported to be found by pytest

STRATEGY = """combine = "back_pain AND partnership"

[[blocks]]
name = "back_pain"
label = "Back pain"
terms = ['"back pain"', "backache"]

[[blocks]]
name = "partnership"
fields = ["ti", "ab"]
terms = ["partner*", "collaborat*"]
"""


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> None:
    """Jobs wait in the queue: a search job is never run, so nothing reaches a source."""
    monkeypatch.delenv(EAGER_ENV, raising=False)


@pytest.fixture
def review(included: Builder) -> Iterator[Included]:
    inc = included()
    (inc.ws.project.root / "search").mkdir()
    (inc.ws.project.root / "search" / "main.toml").write_text(STRATEGY, encoding="utf-8")
    yield inc


def _add_run(ws: Workspace, source: str = "pubmed", *, complete: bool = True) -> int:
    with ws.unit_of_work() as uow:
        run_id = uow.search_runs.add(
            NewSearchRun(
                strategy="main",
                source=source,
                kind=RunKind.SEARCH,
                query="back pain",
                query_as_run="back pain AND 2026/01/01:2026/12/31[dp]",
                since=None,
                max_records=None,
                page_size=10,
                cursor=None,
                started_by="aoife",
            )
        )
        if complete:
            uow.search_runs.complete(run_id, batch_id=1, imported=12, already_present=0)
        uow.commit()
    return run_id


def _post(client: TestClient, url: str, data: dict[str, str]) -> tuple[int, str, str]:
    token = csrf_of(client.get(url.rsplit("/", 1)[0]).text)
    response = client.post(url, data={**data, "csrf_token": token}, follow_redirects=False)
    return response.status_code, response.headers.get("location", ""), response.text


def _job_id(location: str, key: str) -> int:
    found = re.fullmatch(rf"/p/{key}/jobs/(\d+)", location)
    assert found, location
    return int(found.group(1))


def test_the_page_lists_the_runs_and_strategies(review: Included) -> None:
    run_id = _add_run(review.ws)
    page = review.client("vera").get(f"/p/{review.key}/searches")
    assert page.status_code == 200
    text = page.text
    assert f'<th scope="row">{run_id}</th>' in text and "PubMed" in text and "completed" in text
    assert f'href="/p/{review.key}/import#batch-1">batch 1</a>' in text
    assert "back pain AND 2026/01/01:2026/12/31[dp]" in text  # the query as run
    assert "<strong>main</strong>" in text and "back_pain AND partnership" in text
    assert "Back pain, partnership" in text  # the blocks' titles
    assert "partner*[tiab]" in text, "the query PubMed would be sent"
    assert f'href="/p/{review.key}/searches" aria-current="page">Searches</a>' in text, "marked in the menu"


def test_a_viewer_reads_but_starts_nothing(review: Included, queued: None) -> None:
    vera = review.client("vera")
    page = vera.get(f"/p/{review.key}/searches").text
    assert "searches/run" not in page and "Start the search" not in page
    assert "reviewers and owners start them" in page
    token = csrf_of(page)
    for path, data in (
        ("run", {"strategy": "main", "source": "pubmed"}),
        ("update", {}),
        ("citations", {"direction": "both"}),
    ):
        response = vera.post(f"/p/{review.key}/searches/{path}", data={**data, "csrf_token": token})
        assert response.status_code == 403, path
    assert list_jobs(review.ws) == []


def test_a_reviewer_queues_a_live_search(review: Included, queued: None) -> None:
    aoife = review.client("aoife")
    page = aoife.get(f"/p/{review.key}/searches").text
    assert (
        '<option value="main">main</option>' in page and '<option value="crossref">Crossref</option>' in page
    )
    status, location, _ = _post(
        aoife,
        f"/p/{review.key}/searches/run",
        {"strategy": "main", "source": "openalex", "max_records": "50"},
    )
    assert status == 303
    job = job_status(review.ws, _job_id(location, review.key))
    assert (job.kind, job.params, job.status) == (
        "search.run",
        {"strategy": "main", "source": "openalex", "max_records": 50},
        JobStatus.QUEUED,
    )
    assert job.requested_by == "aoife"
    # pressed again while it waits: the same job, not a second search
    _, again, _ = _post(
        aoife,
        f"/p/{review.key}/searches/run",
        {"strategy": "main", "source": "openalex", "max_records": "50"},
    )
    assert again == location
    listing = aoife.get(f"/p/{review.key}/searches").text
    assert f'href="/p/{review.key}/jobs/{job.id}">Live search, job {job.id}</a>: queued' in listing
    # without a limit, no max_records at all
    _, location, _ = _post(aoife, f"/p/{review.key}/searches/run", {"strategy": "main", "source": "pubmed"})
    assert job_status(review.ws, _job_id(location, review.key)).params == {
        "strategy": "main",
        "source": "pubmed",
    }


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"strategy": "nope", "source": "pubmed"}, "there is no strategy named &#39;nope&#39;"),
        ({"strategy": "main", "source": "scopus"}, "unknown source &#39;scopus&#39;"),
        (
            {"strategy": "main", "source": "pubmed", "max_records": "lots"},
            "at most: &#39;lots&#39; is not a whole",
        ),
        ({"strategy": "main", "source": "pubmed", "max_records": "0"}, "at most: 0 is not between 1"),
    ],
)
def test_a_mistake_on_the_form_is_said_there_and_nothing_is_queued(
    review: Included, queued: None, form: dict[str, str], message: str
) -> None:
    status, _, text = _post(review.client("aoife"), f"/p/{review.key}/searches/run", form)
    assert status == 400
    assert 'id="run-error"' in text and message in text and "Nothing was started" in text
    assert list_jobs(review.ws) == []


def test_a_living_update_needs_a_completed_search_and_queues_one(review: Included, queued: None) -> None:
    olwen = review.client("olwen")
    page = olwen.get(f"/p/{review.key}/searches").text
    assert "there is none yet" in page and "searches/update" not in page
    status, _, text = _post(olwen, f"/p/{review.key}/searches/update", {})
    assert status == 400 and "no completed search to update" in text
    _add_run(review.ws, "pubmed", complete=False)  # an interrupted run is not updated
    _add_run(review.ws, "europepmc")
    page = olwen.get(f"/p/{review.key}/searches").text
    assert '<option value="main@europepmc">main on Europe PMC (last ' in page
    assert "main@pubmed" not in page

    _, location, _ = _post(olwen, f"/p/{review.key}/searches/update", {"saved": ""})
    job = job_status(review.ws, _job_id(location, review.key))
    assert (job.kind, job.params) == ("search.update", {})
    _, location, _ = _post(olwen, f"/p/{review.key}/searches/update", {"saved": "main@europepmc"})
    job = job_status(review.ws, _job_id(location, review.key))
    assert (job.kind, job.params) == ("search.update", {"strategy": "main", "source": "europepmc"})
    status, _, text = _post(olwen, f"/p/{review.key}/searches/update", {"saved": "main@pubmed"})
    assert status == 400 and "has no completed run to update" in text


def test_a_citation_search_of_the_included_studies_is_queued(review: Included, queued: None) -> None:
    aoife = review.client("aoife")
    page = aoife.get(f"/p/{review.key}/searches").text
    assert "Looks up the 3 included studies in OpenAlex" in page
    _, location, _ = _post(aoife, f"/p/{review.key}/searches/citations", {"direction": "backward"})
    job = job_status(review.ws, _job_id(location, review.key))
    assert (job.kind, job.params) == ("search.citations", {"direction": "backward"})
    status, _, text = _post(aoife, f"/p/{review.key}/searches/citations", {"direction": "sideways"})
    assert status == 400 and 'id="citations-error"' in text


def test_no_included_studies_no_citation_search(served: Served, queued: None) -> None:
    olwen = served.client("olwen")
    key = served.a.project.key
    page = olwen.get(f"/p/{key}/searches").text
    assert "there are none yet" in page and "searches/citations" not in page
    assert "The review has no search strategies yet" in page
    status, _, text = _post(olwen, f"/p/{key}/searches/citations", {"direction": "both"})
    assert status == 400 and "no included studies" in text
    assert list_jobs(served.a) == []


def test_non_members_get_404(served: Served) -> None:
    outsider = served.client("outsider")
    key = served.a.project.key
    token = csrf_of(outsider.get(f"/p/{served.b.project.key}/searches").text)
    assert outsider.get(f"/p/{key}/searches").status_code == 404
    for path in ("run", "update", "citations"):
        response = outsider.post(f"/p/{key}/searches/{path}", data={"csrf_token": token, "strategy": "main"})
        assert response.status_code == 404, path
    assert served.client().get(f"/p/{key}/searches", follow_redirects=False).status_code == 303  # to /login


def test_a_search_runs_through_to_its_batch_on_recorded_answers(
    review: Included, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The job run in the request (the conftest's eager mode), its source answering from recordings
    through a mock HTTP transport: the run, its batch and the page showing both."""
    replay = Replay()
    real = search_runs.open_source
    monkeypatch.setattr(
        search_runs, "open_source", lambda name, options=SourceOptions(): real(name, replay.options())
    )
    aoife = review.client("aoife")
    status, location, _ = _post(
        aoife, f"/p/{review.key}/searches/run", {"strategy": "main", "source": "openalex", "max_records": "3"}
    )
    assert status == 303
    job = job_status(review.ws, _job_id(location, review.key))
    assert job.status is JobStatus.DONE, job.error
    assert job.result is not None and job.result["imported"] == 3
    assert replay.requests and all(r.url.host == "api.openalex.org" for r in replay.requests)
    [batch] = job.result["batches"]
    job_page = aoife.get(location).text
    assert f'href="/p/{review.key}/searches"' in job_page
    page = aoife.get(f"/p/{review.key}/searches").text
    assert "OpenAlex" in page and f">batch {batch}</a>" in page and "at most 3" in page


def test_the_page_survives_a_broken_strategy_file(review: Included) -> None:
    (review.ws.project.root / "search" / "broken.toml").write_text("combine = [", encoding="utf-8")
    page = review.client("aoife").get(f"/p/{review.key}/searches")
    assert page.status_code == 200
    assert "A strategy cannot be read" in page.text and "broken.toml" in page.text
