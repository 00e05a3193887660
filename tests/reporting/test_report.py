"""``synthesist report``: the Markdown report against a golden file, the HTML's numbers and
anchors, the Word document's tables (and LibreOffice's conversion when it is installed), what a
project with nothing done yet gets, and the methods' stopping-rule paragraph."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from synthesist.events import LoggedEvent
from synthesist.reporting.report.markdown import render_markdown
from synthesist.reporting.report.model import Paragraph, Report
from synthesist.services.projects import init_project
from synthesist.services.reporting.methods import MethodsFacts, _screening
from synthesist.services.reporting.report import build_report, parse_formats, report_files
from synthesist.workspace import Workspace
from tests.golden import assert_golden, needs_graphviz
from tests.reporting.report_builder import normalise, report_project

GOLDEN = Path(__file__).parent / "golden"
TODAY = date(2026, 1, 1)


@pytest.fixture
def project(tmp_path: Path, database_url: str | None) -> Iterator[Workspace]:
    workspace = report_project(tmp_path / "review")
    try:
        yield workspace
    finally:
        workspace.close()


@needs_graphviz  # the conceptual model is drawn by dot
def test_markdown_report_matches_the_golden_file(project: Workspace) -> None:
    report = build_report(project, today=TODAY)
    assert_golden(GOLDEN / "report_reference.md", normalise(render_markdown(report)))


@needs_graphviz  # the conceptual model is drawn by dot
def test_html_has_the_flow_ratings_matrix_and_theme_anchors(project: Workspace) -> None:
    report = build_report(project, today=TODAY)
    files = report_files(report, ("html",))
    assert sorted(files) == [
        "figures/appraisal-traffic-light.svg",
        "figures/conceptual-model.svg",
        "figures/prisma.svg",
        "report.html",
    ]
    page = files["report.html"].decode("utf-8")
    assert page.count("<svg") == 3 and "<script" not in page and "http-equiv" not in page
    # the flow: 13 identified, 1 duplicate, 12 screened, 2 excluded, 10 assessed and included
    assert "A total of 13 records were identified" in page
    assert "After 1 duplicate was removed, 12 records" in page
    assert "and 2 records were excluded" in page
    assert "2 were rated High, 7 were rated Medium and 1 was rated Low" in page
    assert "<td>High</td><td>2</td>" in page and "<td>Low</td><td>1</td>" in page
    assert '<section id="theme-effective-communication">' in page
    assert '<a href="#methods-screening">Selection process</a>' in page
    matrix = page[page.index('<table id="table-matrix">') :]
    matrix = matrix[: matrix.index("</table>")]
    assert matrix.count("<tr>") == 1 + 1 + 10 + 1  # heading, key terms, 10 studies, counts
    assert "<td>10 of 10</td>" in matrix  # mutual understanding is in every study


@needs_graphviz  # the conceptual model is drawn by dot
def test_docx_opens_with_real_tables(project: Workspace) -> None:
    docx = pytest.importorskip("docx")
    files = report_files(build_report(project, today=TODAY), ("docx",))
    document = docx.Document(io.BytesIO(files["report.docx"]))
    captions = [p.text for p in document.paragraphs]
    assert "Table 4. Theme × study matrix (analytical themes)" in captions
    assert len(document.tables) >= 8  # notice-free: rating counts, appraisal, matrix, SoQF, S1, checklists...
    matrix = next(t for t in document.tables if t.rows[0].cells[0].text == "Study" and len(t.columns) == 8)
    assert len(matrix.rows) == 13
    # the wide tables sit in landscape sections, and the document returns to portrait after them
    assert any(s.page_width > s.page_height for s in document.sections)
    assert document.sections[-1].page_width < document.sections[-1].page_height
    assert len(document.inline_shapes) == 3  # the figures, as PNG


def test_libreoffice_converts_the_docx_to_pdf(project: Workspace, tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip(
            "LibreOffice is not installed "
            "(scripts/ensure_system_packages.sh installs libreoffice-writer-nogui)"
        )
    files = report_files(build_report(project, today=TODAY), ("docx",))
    (tmp_path / "report.docx").write_bytes(files["report.docx"])
    profile = tmp_path / "lo-profile"  # its own profile, so parallel runs do not share a lock
    done = subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(tmp_path / "report.docx"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / "pdf" / "report.pdf"
    assert done.returncode == 0, done.stderr
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


def test_a_new_project_gets_not_done_yet_paragraphs(tmp_path: Path, database_url: str | None) -> None:
    workspace = init_project(tmp_path / "empty", "An empty review")
    try:
        report = build_report(workspace, today=TODAY)
        files = report_files(report)
    finally:
        workspace.close()
    missing = [
        section.id
        for section in report.all_sections()
        if any(isinstance(b, Paragraph) and b.style == "missing" for b in section.blocks)
    ]
    assert {
        "methods-search",
        "results-selection",
        "results-appraisal",
        "results-matrix",
        "appendix-search",
    } <= set(missing)
    assert sorted(files) == ["report.docx", "report.html", "report.md"]  # no figure without data


def test_illustrative_note_is_boxed_at_the_top(project: Workspace) -> None:
    (project.project.root / "ILLUSTRATIVE.md").write_text(
        "# Illustrative values\n\n- Per-study CASP answers are illustrative.\n", encoding="utf-8"
    )
    text = render_markdown(build_report(project, today=TODAY))
    assert text.index("> **Illustrative values**") < text.index("## Contents")
    assert "> - Per-study CASP answers are illustrative." in text
    assert "values listed in the box above are illustrative" in text


def test_stopping_rule_is_stated_from_the_log(tmp_path: Path) -> None:
    workspace = init_project(tmp_path / "stop", "Stopping")
    try:
        stop = LoggedEvent(
            1,
            "screening.stop_recorded",
            "aoife",
            datetime(2025, 3, 4, 10, 0),
            {
                "rule": "buscar",
                "screened": 400,
                "pool": 738,
                "relevant_found": 28,
                "verdict": "safe to stop",
                "assumes": "records are screened in ranked order",
                "estimated_recall": 0.97,
                "target_recall": 0.95,
                "confidence": 0.95,
            },
        )
        section = _screening(MethodsFacts(workspace.project.protocol, [], [stop]))
    finally:
        workspace.close()
    texts = " ".join(b.text for b in section.blocks if isinstance(b, Paragraph))
    assert "On 2025-03-04, aoife stopped title and abstract screening by the buscar stopping rule" in texts
    assert "after 400 of 738 records" in texts and "target of 0.95" in texts


def test_formats() -> None:
    assert parse_formats([]) == ("md", "html", "docx")
    assert parse_formats(["html", "md"]) == ("md", "html")
    assert parse_formats(["all"]) == ("md", "html", "docx")
    with pytest.raises(Exception, match="no report format"):
        parse_formats(["pdf"])
    assert isinstance(Report("t", "s"), Report)


def test_cli_writes_the_chosen_formats_and_prints_the_paths(project: Workspace, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from synthesist.cli.main import app

    out = tmp_path / "rep"
    result = CliRunner().invoke(
        app, ["report", "-p", str(project.project.root), "-o", str(out), "--format", "md", "--format", "html"]
    )
    assert result.exit_code == 0, result.output
    assert str(out / "report.md") in result.stdout and str(out / "report.html") in result.stdout
    assert not (out / "report.docx").exists() and (out / "figures" / "prisma.svg").exists()
    bad = CliRunner().invoke(app, ["report", "-p", str(project.project.root), "--format", "pdf"])
    assert bad.exit_code != 0 and "no report format" in bad.output
