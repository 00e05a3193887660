"""Full text beside the record at the full-text stage: the report's file (framable by the app only),
its text by page, attaching a report and marking one not retrieved from the screening page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from synthesist.screening.model import Stage, Vote
from synthesist.services.fulltext.reports import attach_report, list_reports, not_retrieved_marks
from synthesist.services.screening.decisions import decide
from tests.fulltext.pdfs import write_pdf
from tests.web.conftest import PASSWORD, Served, csrf_of
from tests.web.serving import serve_in_thread


def _to_full_text(served: Served, *record_ids: int) -> None:
    """Both blind reviewers of project A include the records at title/abstract."""
    for record_id in record_ids:
        for reviewer in ("aoife", "lukasz"):
            decide(served.a, record_id, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer=reviewer)


def _shown_record(page: str) -> int:
    found = re.search(r'name="record_id" value="(\d+)"', page)
    assert found, "the page shows a record to decide"
    return int(found.group(1))


def test_the_pdf_is_shown_beside_the_record_and_served_framable_by_the_app_only(
    served: Served, tmp_path: Path
) -> None:
    _to_full_text(served, 1, 2)
    pdf = write_pdf(tmp_path / "cooper-2008.pdf", ["Methods: physiotherapy trial", "Results page"])
    report = attach_report(served.a, 1, pdf).report
    key = served.a.project.key
    aoife = served.client("aoife")

    page = aoife.get(f"/p/{key}/screen/full-text")
    assert page.status_code == 200 and _shown_record(page.text) == 1
    assert f'<iframe class="fulltext-frame" src="/p/{key}/reports/{report.id}/file"' in page.text
    assert 'title="Full text: cooper-2008.pdf"' in page.text and "/static/fulltext.css" in page.text
    assert page.headers["X-Frame-Options"] == "DENY", "the page itself is never framed"

    served_file = aoife.get(f"/p/{key}/reports/{report.id}/file")
    assert served_file.status_code == 200 and served_file.content.startswith(b"%PDF")
    assert served_file.headers["content-type"] == "application/pdf"
    assert served_file.headers["content-disposition"].startswith("inline;")
    assert served_file.headers["X-Frame-Options"] == "SAMEORIGIN"
    policy = served_file.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self';" in policy and "frame-ancestors 'none'" not in policy
    assert served_file.headers["X-Content-Type-Options"] == "nosniff"

    text = aoife.get(f"/p/{key}/reports/{report.id}")
    assert text.status_code == 200
    assert f'href="/p/{key}/screen/full-text" aria-current="page"' in text.text, "the menu marks the stage"
    assert (
        "Page 1" in text.text and "Methods: physiotherapy trial" in text.text and "Results page" in text.text
    )
    one = aoife.get(f"/p/{key}/reports/{report.id}?page=2")
    assert "Results page" in one.text and "Methods: physiotherapy" not in one.text
    assert aoife.get(f"/p/{key}/reports/{report.id}?page=9").status_code == 404


def test_a_report_is_visible_to_members_of_its_project_only(served: Served, tmp_path: Path) -> None:
    _to_full_text(served, 1)
    report = attach_report(served.a, 1, write_pdf(tmp_path / "r.pdf", ["secret findings"])).report
    outsider = served.client("outsider")
    for url in (f"/reports/{report.id}/file", f"/reports/{report.id}"):
        assert outsider.get(f"/p/{served.a.project.key}{url}").status_code == 404
        # nor through the project the outsider belongs to: reports are per project
        assert outsider.get(f"/p/{served.b.project.key}{url}").status_code == 404
    anonymous = served.client().get(
        f"/p/{served.a.project.key}/reports/{report.id}/file", follow_redirects=False
    )
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login?next=")


def test_a_reviewer_attaches_a_text_report_and_reads_it_beside_the_form(served: Served) -> None:
    _to_full_text(served, 1, 2)
    key = served.a.project.key
    lukasz = served.client("lukasz")
    url = f"/p/{key}/screen/full-text"
    page = lukasz.get(url)
    assert _shown_record(page.text) == 1 and "No report is attached to this record yet." in page.text
    assert 'enctype="multipart/form-data"' in page.text and '<label for="report-file">' in page.text

    files = {"report": ("notes.txt", b"Participants: 40 adults\n\fSecond page text", "text/plain")}
    refused = lukasz.post(f"/p/{key}/records/1/reports", files=files, data={"csrf_token": "wrong"})
    assert refused.status_code == 403 and list_reports(served.a, 1) == []

    attached = lukasz.post(
        f"/p/{key}/records/1/reports",
        files=files,
        data={"csrf_token": csrf_of(page.text), "skip": ""},
        follow_redirects=False,
    )
    assert attached.status_code == 303 and attached.headers["location"] == url
    [report] = list_reports(served.a, 1)
    assert report.file_name == "notes.txt" and report.attached_by == "lukasz"

    after = lukasz.get(url)
    assert _shown_record(after.text) == 1
    assert "Participants: 40 adults" in after.text and "<iframe" not in after.text, "text shown, not framed"
    assert "Attach another report" in after.text and "Mark not retrieved" not in after.text

    # a file the app cannot read is refused with the reason, and nothing is stored
    bad = {"report": ("scan.pdf", b"not a pdf at all", "application/pdf")}
    failed = lukasz.post(f"/p/{key}/records/1/reports", files=bad, data={"csrf_token": csrf_of(page.text)})
    assert failed.status_code == 400 and "scan.pdf" in failed.text
    assert len(list_reports(served.a, 1)) == 1


def test_a_reviewer_marks_a_record_not_retrieved_with_a_reason(served: Served) -> None:
    _to_full_text(served, 1, 2)
    key = served.a.project.key
    aoife = served.client("aoife")
    page = aoife.get(f"/p/{key}/screen/full-text")
    assert '<label for="missing-reason">' in page.text
    token = csrf_of(page.text)

    no_reason = aoife.post(f"/p/{key}/records/1/not-retrieved", data={"csrf_token": token, "reason": " "})
    assert no_reason.status_code == 400 and "Say why" in no_reason.text

    marked = aoife.post(
        f"/p/{key}/records/1/not-retrieved",
        data={"csrf_token": token, "reason": "not held by the library", "skip": ""},
        follow_redirects=False,
    )
    assert marked.status_code == 303
    [mark] = not_retrieved_marks(served.a)
    assert (mark.record_id, mark.reason, mark.marked_by) == (1, "not held by the library", "aoife")
    assert _shown_record(aoife.get(f"/p/{key}/screen/full-text").text) == 2, "record 1 is no longer waiting"

    # a viewer-less outsider cannot mark anything in project A
    outsider = served.client("outsider")
    token_b = csrf_of(outsider.get(f"/p/{served.b.project.key}").text)
    refused = outsider.post(f"/p/{key}/records/2/not-retrieved", data={"csrf_token": token_b, "reason": "x"})
    assert refused.status_code == 404 and len(not_retrieved_marks(served.a)) == 1


@pytest.mark.browser
def test_the_pdf_shows_in_a_real_browser_beside_the_decision_form(served: Served, tmp_path: Path) -> None:
    """Chromium loads the framed PDF (no framing refusal on the console), the page passes the label
    and contrast checks, and a second report is attached through the upload form."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="the browser tests need playwright")
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("the browser tests need Debian's Chromium")
    from tests.web.test_browser import CONTRAST_JS, UNLABELLED_JS, _artifacts

    _to_full_text(served, 1, 2)
    report = attach_report(
        served.a, 1, write_pdf(tmp_path / "cooper-2008.pdf", ["Methods", "Results"])
    ).report
    key = served.a.project.key
    notes = tmp_path / "supplement.txt"
    notes.write_text("Supplementary interview guide", encoding="utf-8")
    with serve_in_thread(served.app) as base, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_context(base_url=base, viewport={"width": 1400, "height": 900}).new_page()
            console: list[str] = []
            page.on("console", lambda message: console.append(message.text))
            framed: list[int] = []
            page.on(
                "response",
                lambda response: (
                    framed.append(response.status)
                    if response.url.endswith(f"/reports/{report.id}/file")
                    else None
                ),
            )
            page.goto("/login")
            page.fill("#name", "aoife")
            page.fill("#password", PASSWORD)
            with page.expect_navigation():
                page.keyboard.press("Enter")
            page.goto(f"/p/{key}/screen/full-text")
            frame = page.locator("iframe.fulltext-frame")
            assert frame.is_visible() and frame.get_attribute("title") == "Full text: cooper-2008.pdf"
            for _ in range(100):  # up to 10 s for the frame to fetch the file on a busy machine
                if framed:
                    break
                page.wait_for_timeout(100)
            # the PDF viewer may fetch the file more than once (whole, or in ranges)
            assert framed and set(framed) <= {200, 206}, f"the frame loaded the PDF: {framed}"
            refused = [text for text in console if "frame" in text.lower() or "refused" in text.lower()]
            assert refused == [], refused
            assert page.evaluate(UNLABELLED_JS) == []
            assert page.evaluate(CONTRAST_JS) == []
            side = page.locator(".fulltext-side").bounding_box()
            panel = page.locator(".fulltext-panel").bounding_box()
            assert side and panel and side["x"] > panel["x"] + panel["width"] - 1, "side by side"
            page.screenshot(path=str(_artifacts() / "fulltext-side-by-side.png"), full_page=True)

            page.set_input_files("#report-file", str(notes))
            with page.expect_navigation():
                page.click("button:has-text('Attach')")
            assert "supplement.txt" in page.inner_text(".fulltext-reports")
            assert [r.file_name for r in list_reports(served.a, 1)] == ["cooper-2008.pdf", "supplement.txt"]
        finally:
            browser.close()
