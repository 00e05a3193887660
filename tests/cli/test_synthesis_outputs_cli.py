"""``synthesist synthesis matrix|evidence|sensitivity|model|export|import``, ``synthesist cerqual``
and ``synthesist codebook export|import``, end to end on the reference project."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from synthesist.cli.main import app
from tests.golden import read_golden
from tests.synthesis.golden_files import GOLDEN
from tests.synthesis.test_concept_model import MODEL_FILE
from tests.synthesis.test_matrix import REFERENCE_COUNTS
from tests.synthesis.workspace_builder import reference_workspace


@pytest.fixture
def project(tmp_path: Path, database_url: str | None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "review"
    reference_workspace(folder, appraise=True).close()
    monkeypatch.chdir(folder)
    yield folder


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


def test_matrix_in_every_format(runner: CliRunner, project: Path) -> None:
    assert run(runner, "synthesis", "matrix") == read_golden(GOLDEN / "reference_matrix.md")
    run(runner, "synthesis", "matrix", "-o", "matrix.csv")
    rows = list(csv.reader(io.StringIO((project / "matrix.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["Study", *REFERENCE_COUNTS] and len(rows) == 11
    run(runner, "synthesis", "matrix", "-o", "matrix.docx")
    assert len(Document(str(project / "matrix.docx")).tables[0].rows) == 13
    run(runner, "synthesis", "matrix", "--format", "html", "-o", "matrix.out")
    assert (project / "matrix.out").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    shown = json.loads(run(runner, "synthesis", "matrix", "--json"))
    assert {t["theme"]: t["count"] for t in shown["themes"]} == REFERENCE_COUNTS
    descriptive = json.loads(run(runner, "synthesis", "matrix", "--json", "--level", "descriptive"))
    assert descriptive["level"] == "descriptive"
    assert "no output format 'xls'" in run(runner, "synthesis", "matrix", "--format", "xls", code=1)
    assert "written to a file" in run(runner, "synthesis", "matrix", "--format", "docx", code=1)
    assert "not a level of theme" in run(runner, "synthesis", "matrix", "--level", "top", code=1)


def test_evidence_and_sensitivity(runner: CliRunner, project: Path) -> None:
    out = run(runner, "synthesis", "evidence", "Patient involvement")
    assert '<a id="theme-patient-involvement"></a>' in out and "| May 2007 | Low | 1 |" in out
    run(runner, "synthesis", "evidence", "-o", "evidence.html")
    page = (project / "evidence.html").read_text(encoding="utf-8")
    assert page.count("<section id=") == 7
    assert "no theme called 'Trust'" in run(runner, "synthesis", "evidence", "Trust", code=1)
    out = run(runner, "synthesis", "sensitivity")
    assert "No theme rests only on studies rated low." in out
    data = json.loads(run(runner, "synthesis", "sensitivity", "--json", "--low", "Low", "--low", "Medium"))
    # Cooper 2008 (rated High) has every theme, so none vanishes; Slade 2009 (High) has four of them
    without = {t["theme"]: t["without_low"] for t in data["themes"]}
    assert without["Roles of health professionals"] == 1 and without["Information delivery"] == 2
    assert not any(t["vanishes_without_low"] for t in data["themes"])
    assert "not a rating" in run(runner, "synthesis", "sensitivity", "--low", "Poor", code=1)


def test_cerqual_commands(runner: CliRunner, project: Path) -> None:
    out = run(
        runner, "cerqual", "add", "Involving patients shares responsibility", "--theme", "Patient involvement"
    )
    assert "Added F1 with 5 contributing studies." in out
    out = run(runner, "cerqual", "show", "F1")
    assert "No suggestion yet: assess coherence, adequacy, relevance first" in out
    shown = json.loads(run(runner, "cerqual", "show", "F1", "--json"))
    assert shown["methodological_limitations_basis"].startswith("1 of 5 contributing studies rated Low")
    assert shown["components"]["methodological-limitations"] == {
        "concern": "minor",
        "suggested": True,
        "explanation": None,
    }
    run(runner, "cerqual", "set", "F1", "coherence", "minor", "-e", "one study less clear")
    run(runner, "cerqual", "set", "F1", "adequacy", "moderate")
    run(runner, "cerqual", "set", "F1", "relevance", "none", "-e", "all chronic back pain")
    shown = json.loads(run(runner, "cerqual", "set", "F1", "confidence", "suggested", "--json"))
    assert shown["confidence"] == "low" and shown["suggested_confidence"] == "low"
    out = run(runner, "cerqual", "study", "F1", "May 2007", "--remove", "--note", "off the finding")
    assert "F1 now has 4 contributing studies." in out
    assert "choose one of" in run(runner, "cerqual", "study", "F1", "May 2007", code=1)
    out = run(runner, "cerqual", "set", "F1", "--statement", "Patients want to share decisions", "--json")
    assert json.loads(out)["statement"] == "Patients want to share decisions"
    assert "F1" in run(runner, "cerqual", "list")
    table = run(runner, "cerqual", "table")
    assert "| F1 | Patients want to share decisions |" in table and "Low confidence" in table
    run(runner, "cerqual", "table", "--profile", "-o", "profile.docx")
    assert Document(str(project / "profile.docx")).tables
    assert "no review finding 'F9'" in run(runner, "cerqual", "show", "F9", code=1)
    assert "not a CERQual component" in run(
        runner, "cerqual", "set", "F1", "beauty", "minor", "-e", "x", code=1
    )
    log = json.loads(run(runner, "log", "--json", "--type", "cerqual.component_assessed"))
    assert [event["payload"]["component"] for event in log] == ["coherence", "adequacy", "relevance"]


def test_model_commands(runner: CliRunner, project: Path) -> None:
    run(runner, "synthesis", "model", "add-outcome", "Self-management")
    out = run(
        runner,
        "synthesis",
        "model",
        "add-link",
        "Mutual understanding",
        "Self-management",
        "--type",
        "leads to",
    )
    assert "Link" in out and "leads to" in out
    assert "add-outcome" in run(
        runner, "synthesis", "model", "add-link", "Trust", "Self-management", "-t", "supports", code=1
    )
    assert "not a type of relationship" in run(
        runner,
        "synthesis",
        "model",
        "add-link",
        "Mutual understanding",
        "Self-management",
        "-t",
        "causes",
        code=1,
    )
    out = run(runner, "synthesis", "model", "load", str(MODEL_FILE))
    assert "Loaded 2 outcomes and 9 links" in out
    assert "Links" in run(runner, "synthesis", "model", "show")  # a table, wrapped to the terminal
    assert "[[model.relationships]]" in run(runner, "synthesis", "model", "show", "--toml")
    run(runner, "synthesis", "model", "render", "-o", "model.dot")
    assert (project / "model.dot").read_text(encoding="utf-8") == read_golden(GOLDEN / "reference_model.dot")
    if shutil.which("dot"):
        run(runner, "synthesis", "model", "render", "-o", "model.svg")
        assert "#theme-healthcare-service" in (project / "model.svg").read_text(encoding="utf-8")
    link = json.loads(run(runner, "synthesis", "model", "show", "--json"))["links"][0]["id"]
    assert "Removed link" in run(runner, "synthesis", "model", "remove-link", str(link))


def test_refi_qda_commands(runner: CliRunner, project: Path, tmp_path: Path) -> None:
    run(runner, "codebook", "export", "--format", "qdc", "-o", "codebook.qdc")
    assert b"urn:QDA-XML:codebook:1.0" in (project / "codebook.qdc").read_bytes()
    run(runner, "synthesis", "export", "-o", "project.qdpx")
    other = tmp_path / "other"
    reference_workspace(other, code=False).close()
    out = run(runner, "synthesis", "import", str(project / "project.qdpx"), "--project", str(other))
    assert "14 themes, 7 codes, 10 documents and 49 codings added." in out
    again = run(runner, "codebook", "import", str(project / "codebook.qdc"), "--project", str(other))
    assert "0 themes, 0 codes" in again and "Already in the project, so reused: 7 codes, 14 themes." in again
    matrix = run(runner, "synthesis", "matrix", "--project", str(other))
    assert matrix == read_golden(GOLDEN / "reference_matrix.md")
    (tmp_path / "bad.qdpx").write_bytes(b"PK\x03\x04 not really")
    assert "not a .qdpx file" in run(runner, "synthesis", "import", str(tmp_path / "bad.qdpx"), code=1)
