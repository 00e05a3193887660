"""``synthesist fulltext``: attach, not retrieved, list, show, studies; errors and help examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from synthesist.cli.main import app
from tests.fulltext.pdfs import write_encrypted_pdf, write_pdf
from tests.helpers import ris_text


@pytest.fixture
def project(
    tmp_path: Path, runner: CliRunner, database_url: str | None, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Four records, 1-3 included at title/abstract."""
    folder = tmp_path / "review"
    assert runner.invoke(app, ["init", str(folder), "--title", "Full texts"]).exit_code == 0
    export = tmp_path / "records.ris"
    export.write_text(ris_text(4), encoding="utf-8")
    monkeypatch.chdir(folder)
    assert runner.invoke(app, ["import", str(export), "--source", "MEDLINE"]).exit_code == 0
    for record_id in ("1", "2", "3"):
        assert runner.invoke(app, ["screen", "decide", record_id, "include"]).exit_code == 0
    return folder


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


def test_attach_list_and_show(runner: CliRunner, project: Path, tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "cooper 2008.pdf", ["Cooper 2008", "Findings: being heard mattered."])
    out = run(runner, "fulltext", "attach", "1", str(pdf))
    assert "as report 1: 2 pages, text extracted" in out and "fulltext/record-1/cooper 2008.pdf" in out
    assert "now: full-text assessment" in out
    assert (project / "fulltext" / "record-1" / "cooper 2008.pdf").is_file()

    listed = json.loads(run(runner, "fulltext", "list", "--json"))
    assert [(r["report_id"], r["record_id"], r["pages"]) for r in listed["reports"]] == [(1, 1, 2)]
    out = run(runner, "fulltext", "list")
    assert out.splitlines()[0].strip() == "1 report" and "extracted" in out

    shown = json.loads(run(runner, "fulltext", "show", "1", "--page", "2", "--json"))
    assert shown["pages"] == [{"page": 2, "text": "Findings: being heard mattered."}]
    out = run(runner, "fulltext", "show", "1")
    assert "Page 1 of 2" in out and "Page 2 of 2" in out and "being heard mattered" in out
    assert "has no page 7" in run(runner, "fulltext", "show", "1", "--page", "7", code=1)

    out = run(runner, "fulltext", "attach", "1", str(pdf), code=1)
    assert "already attached to record 1 as report 1" in out


def test_not_retrieved_then_attached(runner: CliRunner, project: Path, tmp_path: Path) -> None:
    assert "say why" in run(runner, "fulltext", "not-retrieved", "2", code=1)
    out = run(runner, "fulltext", "not-retrieved", "2", "--reason", "Authors did not reply")
    assert "not retrieved (Authors did not reply)" in out
    listed = json.loads(run(runner, "fulltext", "list", "--json"))
    assert [m["record_id"] for m in listed["not_retrieved"]] == [2]
    progress = json.loads(run(runner, "screen", "progress", "--json"))
    assert progress["records"]["full text not retrieved"] == 1

    out = run(runner, "fulltext", "attach", "2", str(write_pdf(tmp_path / "late.pdf", ["Arrived"])))
    assert 'Withdrew the "not retrieved" mark (Authors did not reply)' in out
    assert json.loads(run(runner, "fulltext", "list", "--json"))["not_retrieved"] == []

    run(runner, "fulltext", "not-retrieved", "3", "--reason", "oops")
    assert "no longer marked" in run(runner, "fulltext", "not-retrieved", "3", "--withdraw")


def test_studies(runner: CliRunner, project: Path) -> None:
    out = run(runner, "fulltext", "study", "1", "2", "--label", "Cooper 2008")
    assert "Study 1 'Cooper 2008': records 1, 2." in out
    listed = json.loads(run(runner, "fulltext", "studies", "--json"))
    assert [(s["study_id"], s["record_ids"]) for s in listed["studies"]] == [(1, [1, 2]), (None, [3])]
    assert listed["studies_included"] == 0
    run(runner, "screen", "decide", "1", "include", "--stage", "full-text")
    out = run(runner, "fulltext", "studies", "--included")
    assert "Cooper 2008" in out and "Studies included: 1; reports of included studies: 1." in out
    assert "study 1 'Cooper 2008' (study dissolved)" in run(runner, "fulltext", "ungroup", "1", "2")


def test_errors_are_clear(runner: CliRunner, project: Path, tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "a.pdf", ["Text"])
    assert "record 4 is title/abstract screening" in run(runner, "fulltext", "attach", "4", str(pdf), code=5)
    locked = write_encrypted_pdf(tmp_path / "locked.pdf", ["x"], user_password="pw")
    assert "locked.pdf: the PDF is password-protected" in run(
        runner, "fulltext", "attach", "1", str(locked), code=1
    )
    assert "no such file" in run(runner, "fulltext", "attach", "1", str(tmp_path / "gone.pdf"), code=1)
    assert "no report 9" in run(runner, "fulltext", "show", "9", code=1)
    assert "record 4 is title/abstract screening" in run(runner, "fulltext", "study", "1", "4", code=5)
    assert "not in a study" in run(runner, "fulltext", "ungroup", "1", code=1)


@pytest.mark.parametrize(
    "command", ["attach", "not-retrieved", "list", "show", "study", "ungroup", "studies"]
)
def test_every_fulltext_command_has_an_example(runner: CliRunner, command: str) -> None:
    assert "Example: synthesist fulltext" in run(runner, "fulltext", command, "--help")
