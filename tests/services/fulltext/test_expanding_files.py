"""Files that expand, through the services a reviewer reaches (web uploads call the same ones): an
XLSX import, a full text attached (DOCX, PDF), a document added for coding. Each is refused with a
message naming the limit, and nothing is written; review.toml's [limits] raises a limit. SQLite
only: every check runs before the database is touched, so the database makes no difference."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from synthesist.cli.main import app
from synthesist.errors import ImportFileError
from synthesist.review.project import find_project
from synthesist.screening.model import Stage, Vote
from synthesist.services.fulltext.reports import attach_report, list_reports
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.records.reading import read_log
from synthesist.services.screening.decisions import decide, overview
from synthesist.services.synthesis.documents import add_document
from synthesist.workspace import Workspace, open_workspace
from tests.expanding_files import shared_stream_pdf, word_bomb, workbook_bomb
from tests.helpers import ris_text
from tests.synthesis_helpers import include_studies

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def sought(workspace: Workspace, tmp_path: Path) -> Workspace:
    """One record included at title/abstract: its full text is sought."""
    export = tmp_path / "records.ris"
    export.write_text(ris_text(1), encoding="utf-8")
    import_files(workspace, ImportRequest(paths=[export], source="MEDLINE"))
    decide(workspace, 1, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer="Aoife")
    return workspace


def _with_limits(project_dir: Path, table: str) -> Iterator[Workspace]:
    review = project_dir / "review.toml"
    review.write_text(review.read_text(encoding="utf-8") + "\n[limits]\n" + table + "\n", encoding="utf-8")
    opened = open_workspace(find_project(project_dir))
    try:
        yield opened
    finally:
        opened.close()


def test_an_xlsx_bomb_is_refused_and_nothing_is_imported(workspace: Workspace, tmp_path: Path) -> None:
    bomb = workbook_bomb(tmp_path / "scopus.xlsx")
    log = read_log(workspace)
    with pytest.raises(ImportFileError) as refused:
        import_files(workspace, ImportRequest(paths=[bomb], source="Scopus"))
    assert "scopus.xlsx: xl/worksheets/sheet1.xml would unpack" in refused.value.message
    assert "limits.compression_ratio = 100" in refused.value.message
    assert overview(workspace).records == {} and read_log(workspace) == log


def test_raising_the_limit_in_review_toml_lets_a_genuine_file_in(project_dir: Path, tmp_path: Path) -> None:
    export = workbook_bomb(tmp_path / "long-titles.xlsx", rows=3)
    for workspace in _with_limits(project_dir, "compression_ratio = 1000"):
        result = import_files(workspace, ImportRequest(paths=[export], source="Scopus"))
        assert result.records == 3


def test_attaching_a_word_bomb_is_refused_and_nothing_is_written(sought: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match=r"cooper.docx: word/document.xml would unpack \d+ times"):
        attach_report(sought, 1, word_bomb(tmp_path / "cooper.docx"))
    assert list_reports(sought) == [] and not (sought.project.root / "fulltext").exists()


def test_attaching_a_pdf_of_too_many_pages_is_refused(sought: Workspace, tmp_path: Path) -> None:
    with pytest.raises(
        ImportFileError, match=r"the PDF has 2,001 pages; the limit is limits.pdf_pages = 2000"
    ):
        attach_report(sought, 1, shared_stream_pdf(tmp_path / "cooper.pdf", pages=2_001))
    assert list_reports(sought) == [] and not (sought.project.root / "fulltext").exists()


def test_the_protocol_s_limits_reach_the_attach(project_dir: Path, tmp_path: Path) -> None:
    pdf = shared_stream_pdf(tmp_path / "cooper.pdf", pages=12)
    for workspace in _with_limits(project_dir, "pdf_pages = 10"):
        include_studies(workspace, tmp_path, [("Cooper", 2008)])
        record_id = next(iter(overview(workspace).records))
        with pytest.raises(ImportFileError, match=r"has 12 pages; the limit is limits.pdf_pages = 10"):
            attach_report(workspace, record_id, pdf)


def test_adding_a_word_bomb_as_a_document_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    include_studies(workspace, tmp_path, [("Cooper", 2008)])
    with pytest.raises(ImportFileError, match=r"findings.docx: word/document.xml would unpack"):
        add_document(workspace, "Cooper 2008", file=word_bomb(tmp_path / "findings.docx"))
    with workspace.unit_of_work(write=False) as uow:
        assert uow.synthesis.documents() == []


def test_the_command_line_says_which_limit_and_exits_1(
    runner: CliRunner, project_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project_dir)
    export = tmp_path / "records.ris"
    export.write_text(ris_text(1), encoding="utf-8")
    assert runner.invoke(app, ["import", str(export), "--source", "MEDLINE"]).exit_code == 0
    assert runner.invoke(app, ["screen", "decide", "1", "include"]).exit_code == 0
    result = runner.invoke(app, ["fulltext", "attach", "1", str(word_bomb(tmp_path / "cooper.docx"))])
    assert result.exit_code == 1, result.output
    assert "compression_ratio" in result.output and "review.toml" in result.output
