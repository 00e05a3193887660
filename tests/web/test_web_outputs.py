"""The theme × study matrix page, its fragment and downloads; the PRISMA diagram and the report
downloads; and that no download reveals a colleague's blind screening vote."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest

from synthesist.review.accounts import Role
from synthesist.services.accounts.users import add_member, add_user
from synthesist.services.reporting.prisma import prisma_counts
from synthesist.services.synthesis.coding import apply_code
from tests.web._coding_fixtures import ANALYTICAL, CodedProject, add_coded_studies
from tests.web.conftest import PASSWORD, Served, csrf_of

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def coded(served: Served, tmp_path: Path) -> CodedProject:
    made = add_coded_studies(served.a, tmp_path)
    apply_code(served.a, made.documents[0], "being listened to", segment="2", coder="aoife")
    apply_code(served.a, made.documents[0], "being listened to", segment="1", coder="lukasz")
    apply_code(served.a, made.documents[1], "waiting times", segment="1", coder="aoife")
    return made


def test_the_matrix_page_fragment_and_downloads(served: Served, coded: CodedProject) -> None:
    client = served.client("olwen")
    key = served.a.project.key
    page = client.get(f"/p/{key}/matrix")
    assert page.status_code == 200
    assert 'aria-live="polite"' in page.text and "/static/matrix.js" in page.text
    assert 'data-fragment="/p/' in page.text
    # studies are columns (with their rating), themes rows, a ✓ and the count with words for screen readers
    assert re.search(r'<th scope="col" class="study-col">Cooper 2008<span class="rating">', page.text)
    assert "not rated" in page.text
    assert '<span aria-hidden="true">✓ 2</span><span class="sr-only">present: 2 codings</span>' in page.text
    assert "1 of 2 studies, 1 coding" in page.text  # Access to care: Slade only
    assert "2 of 2 studies" not in page.text

    fragment = client.get(f"/p/{key}/matrix/fragment")
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div class="table-scroll" tabindex="0" role="region"')
    assert "<html" not in fragment.text and fragment.headers["cache-control"] == "no-store"
    descriptive = client.get(f"/p/{key}/matrix/fragment?level=descriptive").text
    assert "Being listened to" in descriptive and ANALYTICAL not in descriptive
    assert client.get(f"/p/{key}/matrix?level=sideways").status_code == 400

    csv = client.get(f"/p/{key}/matrix.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert f'filename="{key}-matrix-analytical.csv"' in csv.headers["content-disposition"]
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == f"Study,{ANALYTICAL},Access to care"
    assert lines[1:] == ["Cooper 2008,*,", "Slade 2009,,*"]
    markdown = client.get(f"/p/{key}/matrix.md?level=descriptive")
    assert (
        markdown.headers["content-type"].startswith("text/markdown") and "Being listened to" in markdown.text
    )
    assert "<table" in client.get(f"/p/{key}/matrix.html").text
    word = client.get(f"/p/{key}/matrix.docx")
    assert word.headers["content-type"] == DOCX
    table = docx.Document(io.BytesIO(word.content)).tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["Study", ANALYTICAL, "Access to care"]
    assert client.get(f"/p/{key}/matrix.xlsx").status_code == 404


def test_prisma_inline_and_downloads_and_the_report(served: Served, coded: CodedProject) -> None:
    add_user(served.a, "vera", PASSWORD)
    add_member(served.a, "vera", Role.VIEWER)
    viewer = served.client("vera")  # viewers may read and download everything here
    key = served.a.project.key
    counts = prisma_counts(served.a).counts
    page = viewer.get(f"/p/{key}/outputs")
    assert page.status_code == 200
    assert '<svg role="img" aria-labelledby="prisma-svg-title"' in page.text and "<?xml" not in page.text
    assert re.search(rf'<th scope="row">Records screened</th><td>{counts.records_screened}</td>', page.text)
    assert re.search(
        rf'<th scope="row">Studies included in review</th><td>{counts.studies_included}</td>', page.text
    )
    assert "CINAHL" in page.text and "MEDLINE" in page.text  # the databases listed under their total
    assert "Interim:</strong> 12 records await a final decision" in page.text  # none is screened

    svg = viewer.get(f"/p/{key}/prisma.svg")
    assert svg.headers["content-type"] == "image/svg+xml" and b"PRISMA 2020 flow diagram" in svg.content
    assert f'filename="{key}-prisma.svg"' in svg.headers["content-disposition"]
    csv = viewer.get(f"/p/{key}/prisma.csv")
    assert csv.headers["content-type"].startswith("text/csv") and "database_results" in csv.text
    assert viewer.get(f"/p/{key}/prisma.gif").status_code == 404

    html = viewer.get(f"/p/{key}/report.html")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert f'attachment; filename="{key}-report.html"' == html.headers["content-disposition"]
    assert "PRISMA" in html.text
    identified = counts.database_records
    assert re.search(rf"\b{identified}\b", html.text) and re.search(
        rf"\b{counts.records_screened}\b", html.text
    )
    markdown = viewer.get(f"/p/{key}/report.md")
    assert markdown.headers["content-type"].startswith("text/markdown") and markdown.text.startswith("#")
    word = viewer.get(f"/p/{key}/report.docx")
    assert word.headers["content-type"] == DOCX
    paragraphs = [p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs]
    assert any("Project A" in text for text in paragraphs)
    assert viewer.get(f"/p/{key}/report.pdf").status_code == 404


AOIFE_VOTE = re.compile(r"aoife[^<\n]{0,40}exclude|\"reviewer\": ?\"aoife\"", re.IGNORECASE)


def test_no_output_reveals_a_blind_vote(served: Served, coded: CodedProject) -> None:
    aoife = served.client("aoife")
    key = served.a.project.key
    screen = aoife.get(f"/p/{key}/screen/title-abstract")
    record_id = int(screen.text.split('name="record_id" value="')[1].split('"')[0])
    aoife.post(
        f"/p/{key}/screen/title-abstract",
        data={
            "shortcut": "e",
            "record_id": record_id,
            "note": "SECRET-NOTE",
            "csrf_token": csrf_of(screen.text),
        },
    )
    lukasz = served.client("lukasz")
    for url in ("outputs", "prisma.csv", "prisma.svg", "report.md", "report.html", "matrix", "coding"):
        text = lukasz.get(f"/p/{key}/{url}").text
        assert "SECRET-" not in text, url
        assert not AOIFE_VOTE.search(text), url
    # the diagram counts final outcomes only: one blind vote excludes nothing yet
    assert prisma_counts(served.a).counts.records_excluded == 0
