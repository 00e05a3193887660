"""The report of the worked example (``synthesist demo``): the Markdown against a golden file, and
the HTML carrying the reference review's flow (757 + 62 identified, 738 screened, 708 excluded,
30 assessed, 20 excluded, 10 included), its 2/7/1 CASP ratings and its full 7 × 10 theme matrix.
It reports on a copy of the SQLite demo that tests/demo shares, so it runs once (not per database)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from synthesist.cli.files import write_files
from synthesist.review.project import find_project
from synthesist.services.reporting.report import build_report, report_files
from synthesist.workspace import open_workspace
from tests.demo_copies import demo_copy
from tests.golden import assert_golden, needs_graphviz
from tests.reporting.report_builder import normalise

# Both modules use the worked example built once per database per run: on one worker they queue
# behind the build instead of leaving the other worker idle while it waits for the same build.
pytestmark = pytest.mark.xdist_group("worked-example")

GOLDEN = Path(__file__).parent / "golden" / "demo_report.md"


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The report of a copy of the worked example (built once per run, shared with tests/demo)."""
    with demo_copy(tmp_path_factory, "sqlite") as built:
        workspace = open_workspace(find_project(built.folder))
        try:
            report = build_report(workspace, today=date(2026, 1, 1))
            write_files(built.folder / "report", report_files(report, ("md", "html", "docx")))
        finally:
            workspace.close()
        yield built.folder / "report"


@needs_graphviz  # the conceptual model is drawn by dot
def test_demo_report_matches_the_golden_file(demo_report: Path) -> None:
    assert_golden(GOLDEN, normalise((demo_report / "report.md").read_text(encoding="utf-8")))


def test_demo_html_has_the_published_numbers(demo_report: Path) -> None:
    page = (demo_report / "report.html").read_text(encoding="utf-8")
    flow = re.sub(r"<[^>]+>", " ", page)
    for number in ("757", "62", "738", "708", "30", "20", "10"):
        assert re.search(rf"\b{number}\b", flow), number
    assert "A total of 757 records were identified from the database searches, and 62 records" in page
    assert "Titles and abstracts of the 738 records were screened" in page
    assert "and 708 records were excluded" in page
    assert "30 full-text reports were assessed for eligibility and 20 were excluded" in page
    assert "10 studies (10 reports) were included" in page
    assert "2 were rated High, 7 were rated Medium and 1 was rated Low" in page
    for rating, n in (("High", 2), ("Medium", 7), ("Low", 1)):
        assert f"<td>{rating}</td><td>{n}</td>" in page
    matrix = page[page.index('<table id="table-matrix">') :]
    matrix = matrix[: matrix.index("</table>")]
    header = matrix[matrix.index("<thead>") : matrix.index("</thead>")]
    assert header.count("<th>") == 1 + 7  # Study + the seven themes
    rows = matrix[matrix.index("<tbody>") :].split("<tr>")[1:]
    assert len(rows) == 1 + 10 + 1  # key terms, the ten studies, the counts
    counts = re.findall(r"<td>(\d+ of 10)</td>", rows[-1])
    assert counts == ["8 of 10", "10 of 10", "7 of 10", "6 of 10", "5 of 10", "6 of 10", "7 of 10"]


def test_demo_docx_through_libreoffice_has_no_near_empty_page_and_whole_names(demo_report: Path) -> None:
    """The Word report as an author would print it: every page but the last carries real text (or
    a figure), and the table of characteristics breaks no author's name mid-word."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (scripts/ensure_system_packages.sh installs it)")
    from docx import Document
    from pypdf import PdfReader

    out = demo_report.parent / "pdf"
    done = subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{demo_report.parent / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(demo_report / "report.docx"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    pages = PdfReader(out / "report.pdf").pages
    for number, page in enumerate(pages[:-1], start=1):
        painted = re.search(rb"/\w+ Do\b", page.get_contents().get_data())  # a figure drawn on it
        assert len(page.extract_text()) > 300 or painted, f"page {number} is nearly empty"
    text = "\n".join(page.extract_text() for page in pages)
    table = next(
        t
        for t in Document(str(demo_report / "report.docx")).tables
        if len(t.columns) > 1 and t.cell(0, 1).text == "Authors"
    )
    names = {word.strip(",") for row in table.rows[1:] for word in row.cells[1].text.split()}
    assert len(names) > 20
    broken = [
        name for name in names if len(name) > 2 and not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)
    ]
    assert not broken
