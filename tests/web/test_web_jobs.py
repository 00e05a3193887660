"""The jobs' pages: a review's jobs, a job's page with its progress bar (and the .json its script
reads), cancelling (a reviewer their own, an owner any, a viewer none), a built report's download,
another review's job answering 404, and the administrators' list of every review's jobs (403 for
anyone else). SQLite and PostgreSQL, through the conftest's two projects."""

from __future__ import annotations

import io
import re

import pytest
from fastapi.testclient import TestClient

from synthesist.review.accounts import Role
from synthesist.review.jobs import JobStatus
from synthesist.services.accounts.users import add_member, add_user
from synthesist.services.jobs import job_status, submit_job
from synthesist.services.jobs.execute import run_job
from synthesist.services.jobs.queue import EAGER_ENV
from synthesist.services.records.reading import list_batches
from tests.helpers import ris_text
from tests.web.conftest import PASSWORD, Served, csrf_of, login


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> None:
    """Jobs wait in the queue (the review's own SQLite queue; no worker runs in these tests)."""
    monkeypatch.delenv(EAGER_ENV, raising=False)


def _import(client: TestClient, served: Served, name: str = "later.ris", start: int = 300) -> int:
    url = f"/p/{served.a.project.key}/import"
    response = client.post(
        url,
        data={"csrf_token": csrf_of(client.get(url).text), "source": "Embase"},
        files=[
            (
                "files",
                (name, io.BytesIO(ris_text(3, start=start).encode()), "application/x-research-info-systems"),
            )
        ],
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    found = re.fullmatch(rf"/p/{served.a.project.key}/jobs/(\d+)", response.headers["location"])
    assert found, response.headers["location"]
    return int(found.group(1))


def test_an_import_is_queued_and_its_page_follows_it_to_the_end(served: Served, queued: None) -> None:
    aoife = served.client("aoife")
    before = len(list_batches(served.a))
    job_id = _import(aoife, served)
    assert len(list_batches(served.a)) == before, "nothing is imported until the job runs"
    page = aoife.get(f"/p/{served.a.project.key}/jobs/{job_id}")
    assert page.status_code == 200
    assert "queued" in page.text and "<progress" in page.text
    assert '<script src="/static/jobs.js" defer></script>' in page.text
    assert f'data-status-url="/p/{served.a.project.key}/jobs/{job_id}.json"' in page.text
    assert ">Reload</a>" in page.text, "without the script, a plain link"
    assert "Cancel this job" in page.text  # her own job
    status = aoife.get(f"/p/{served.a.project.key}/jobs/{job_id}.json").json()
    assert (status["status"], status["kind"], status["requested_by"]) == ("queued", "records.import", "aoife")
    assert status["may_cancel"] is True

    done = run_job(served.a, job_id)  # what a worker does with the message
    assert done.status is JobStatus.DONE, done.error
    page = aoife.get(f"/p/{served.a.project.key}/jobs/{job_id}")
    assert "Imported 3 records" in page.text and "<progress" not in page.text
    assert "Cancel this job" not in page.text
    assert f'href="/p/{served.a.project.key}/duplicates"' in page.text
    assert aoife.get(f"/p/{served.a.project.key}/jobs/{job_id}.json").json()["percent"] == 100
    listing = aoife.get(f"/p/{served.a.project.key}/jobs")
    assert listing.status_code == 200
    assert f'href="/p/{served.a.project.key}/jobs/{job_id}"' in listing.text and "Import" in listing.text


def test_who_may_cancel(served: Served, queued: None) -> None:
    aoife, lukasz, olwen = (served.client(name) for name in ("aoife", "lukasz", "olwen"))
    key = served.a.project.key
    first = _import(aoife, served)
    token = csrf_of(lukasz.get(f"/p/{key}/import").text)
    assert "Cancel this job" not in lukasz.get(f"/p/{key}/jobs/{first}").text
    refused = lukasz.post(f"/p/{key}/jobs/{first}/cancel", data={"csrf_token": token})
    assert refused.status_code == 403 and "only they or an owner" in refused.text
    assert job_status(served.a, first).status is JobStatus.QUEUED

    add_user(served.a, "vera", PASSWORD)
    add_member(served.a, "vera", Role.VIEWER)
    vera = TestClient(served.app, base_url="http://testserver")
    login(vera, "vera")
    page = vera.get(f"/p/{key}/jobs/{first}")
    assert page.status_code == 200 and "Cancel this job" not in page.text
    viewer_token = csrf_of(vera.get("/").text)
    assert vera.post(f"/p/{key}/jobs/{first}/cancel", data={"csrf_token": viewer_token}).status_code == 403

    own = aoife.post(
        f"/p/{key}/jobs/{first}/cancel",
        data={"csrf_token": csrf_of(aoife.get(f"/p/{key}/jobs/{first}").text)},
        follow_redirects=False,
    )
    assert own.status_code == 303
    assert job_status(served.a, first).status is JobStatus.CANCELLED
    assert "cancelled" in aoife.get(f"/p/{key}/jobs/{first}").text

    second = _import(aoife, served, "other.ris", 400)
    page = olwen.get(f"/p/{key}/jobs/{second}")
    assert "Cancel this job" in page.text  # an owner cancels anyone's
    olwen.post(f"/p/{key}/jobs/{second}/cancel", data={"csrf_token": csrf_of(page.text)})
    assert job_status(served.a, second).status is JobStatus.CANCELLED
    # a finished job cannot be cancelled: the refusal says why
    again = olwen.post(f"/p/{key}/jobs/{second}/cancel", data={"csrf_token": csrf_of(page.text)})
    assert again.status_code == 409 and "finished already" in again.text


def test_another_reviews_job_is_404_even_to_a_member_of_that_review(served: Served, queued: None) -> None:
    job_id = _import(served.client("aoife"), served)
    outsider = served.client("outsider")  # owner of B only
    key_b = served.b.project.key
    for url in (f"/p/{key_b}/jobs/{job_id}", f"/p/{key_b}/jobs/{job_id}.json"):
        assert outsider.get(url).status_code == 404, url
    assert outsider.get(f"/p/{served.a.project.key}/jobs/{job_id}").status_code == 404


def test_a_report_job_builds_files_to_download(served: Served) -> None:
    job_id = submit_job(served.a.acting_as("olwen"), "report.build", {"formats": ["md", "html"]})  # eager
    olwen = served.client("olwen")
    page = olwen.get(f"/p/{served.a.project.key}/jobs/{job_id}")
    assert "report written" in page.text
    link = f"/p/{served.a.project.key}/jobs/{job_id}/download/md"
    assert f'href="{link}"' in page.text
    download = olwen.get(link)
    assert download.status_code == 200
    assert 'filename="report.md"' in download.headers["content-disposition"]
    assert download.text.startswith("#")
    assert olwen.get(f"/p/{served.a.project.key}/jobs/{job_id}/download/docx").status_code == 404


def test_the_administrators_jobs_page_refuses_others(served: Served) -> None:
    from synthesist.services.site import set_site_admin

    submit_job(served.a.acting_as("olwen"), "dedup.run", {})
    submit_job(served.b.acting_as("outsider"), "dedup.run", {"scope": "all"})
    olwen = served.client("olwen")
    refused = olwen.get("/admin/jobs")
    assert refused.status_code == 403 and "only site administrators" in refused.text
    set_site_admin(served.a.accounts, "olwen")
    listing = olwen.get("/admin/jobs")
    assert listing.status_code == 200
    assert served.a.project.key in listing.text and served.b.project.key in listing.text
    assert listing.text.count("<td>Deduplication</td>") == 2


def test_serve_starts_a_worker_that_runs_an_uploaded_import(served: Served, queued: None) -> None:
    """End to end: ``synthesist serve`` (its own process, with its job worker), an upload through
    the form, the job's .json followed until the import is done."""
    import time

    import httpx

    from tests.web.test_web_admin import _server

    key = served.a.project.key
    before = len(list_batches(served.a))
    with _server(served.a.project.root) as base, httpx.Client(base_url=base) as client:
        login(client, "aoife")  # type: ignore[arg-type]  # a TestClient is an httpx.Client too
        form = client.get(f"/p/{key}/import")
        response = client.post(
            f"/p/{key}/import",
            data={"csrf_token": csrf_of(form.text), "source": "Embase"},
            files=[
                (
                    "files",
                    ("served.ris", ris_text(4, start=700).encode(), "application/x-research-info-systems"),
                )
            ],
        )
        assert response.status_code == 303, response.text
        job_url = response.headers["location"]
        deadline = time.monotonic() + 60
        while (status := client.get(f"{job_url}.json").json())["status"] in ("queued", "running"):
            assert time.monotonic() < deadline, status
            time.sleep(0.2)
        assert status["status"] == "done", status
        assert "Imported 4 records" in client.get(job_url).text
    assert len(list_batches(served.a)) == before + 1


def test_a_reviewer_starts_a_report_build_from_the_jobs_page(served: Served) -> None:
    aoife = served.client("aoife")
    key = served.a.project.key
    page = aoife.get(f"/p/{key}/jobs")
    assert 'action="/p/{key}/jobs/report"'.replace("{key}", key) in page.text
    built = aoife.post(f"/p/{key}/jobs/report", data={"csrf_token": csrf_of(page.text)})
    assert built.status_code == 200 and "Download the report (docx)" in built.text  # run at once here
    add_user(served.a, "vera", PASSWORD)
    add_member(served.a, "vera", Role.VIEWER)
    vera = TestClient(served.app, base_url="http://testserver")
    login(vera, "vera")
    listing = vera.get(f"/p/{key}/jobs")
    assert "Build the report" not in listing.text
    assert vera.post(f"/p/{key}/jobs/report", data={"csrf_token": csrf_of(listing.text)}).status_code == 403
