"""``synthesist extract``: the terminal session, scripted commands, outputs, errors and help."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from synthesist.cli.main import app
from tests.extraction.conftest import RIS, STUDIES


@pytest.fixture
def project(
    tmp_path: Path, runner: CliRunner, database_url: str | None, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Records 1-4 included at full text, 1 and 2 grouped as "Cooper 2008"."""
    folder = tmp_path / "review"
    assert runner.invoke(app, ["init", str(folder), "--title", "Extraction"]).exit_code == 0
    export = tmp_path / "records.ris"
    export.write_text("\n".join(RIS.format(family=f, given=g, title=t, year=y) for f, g, t, y in STUDIES))
    monkeypatch.chdir(folder)
    run(runner, "import", str(export), "--source", "MEDLINE")
    for record_id in ("1", "2", "3", "4"):
        run(runner, "screen", "decide", record_id, "include")
        run(runner, "screen", "decide", record_id, "include", "--stage", "full-text")
    run(runner, "fulltext", "study", "1", "2", "--label", "Cooper 2008")
    return folder


def run(runner: CliRunner, *args: str, code: int = 0, input: str | None = None) -> str:
    result = runner.invoke(app, list(args), input=input)
    assert result.exit_code == code, result.output
    return result.output


def set_mode(folder: Path, mode: str) -> None:
    protocol = folder / "review.toml"
    head, _, tail = protocol.read_text(encoding="utf-8").partition("[extraction]\n")
    protocol.write_text(head + "[extraction]\n" + tail.replace('mode = "single"', f'mode = "{mode}"', 1))


def test_set_show_complete_and_status(runner: CliRunner, project: Path) -> None:
    out = run(runner, "extract", "set", "Cooper 2008", "country", "United Kingdom", "--as", "alice")
    assert "Set country of Cooper 2008 (S1) to 'United Kingdom'." in out
    assert "Unchanged" in run(runner, "extract", "set", "S1", "Country", "United  Kingdom")
    shown = json.loads(run(runner, "extract", "show", "1", "--json"))
    assert shown["label"] == "Cooper 2008" and shown["status"] == "in progress"
    assert shown["fields"][0] == {
        "name": "authors",
        "label": "Authors",
        "value": "Cooper K, Smith BH",
        "prefilled": True,
        "flag": None,
    }
    refused = run(runner, "extract", "complete", "Cooper 2008", code=1)
    assert (
        "Error: study 'Cooper 2008' cannot be marked complete: required fields have no value: Study"
        in refused
    )
    for name in (
        "design_and_aim",
        "recruitment_and_sample",
        "health_condition",
        "data_collection_and_analysis",
    ):
        run(runner, "extract", "set", "S1", name, "Described in the report.")
    run(runner, "extract", "set", "S1", "main_findings", "Patients valued being heard.")
    assert "Marked Cooper 2008 complete; it is now complete." in run(runner, "extract", "complete", "S1")
    status = json.loads(run(runner, "extract", "status", "--json"))
    assert status["mode"] == "single"
    assert [(s["label"], s["status"], s["filled"]) for s in status["studies"]] == [
        ("Cooper 2008", "complete", 8),
        ("Matthias 2010", "not started", 2),
        ("Östlund 2001", "not started", 2),
    ]
    assert "Cooper 2008" in run(runner, "extract", "status")


def test_bad_values_are_refused_with_the_study_and_field(runner: CliRunner, project: Path) -> None:
    out = run(runner, "extract", "set", "3", "year", "abc", code=1)
    assert "Error: study 'Matthias 2010', field 'year' (Year): 'abc' is not a number" in out
    out = run(runner, "extract", "set", "3", "contry", "x", code=1)
    assert (
        "no field 'contry' (did you mean 'country'?)" in out and "Its fields: authors, year, country" in out
    )
    assert "no included study called 'Nobody'" in run(
        runner, "extract", "set", "Nobody", "country", "x", code=1
    )


def test_import_export_and_table(runner: CliRunner, project: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("study,country,health_condition\nCooper 2008,UK,Chronic low back pain\n3,USA,\n")
    assert "Imported 3 values for 2 studies (wide layout); 3 changed." in run(
        runner, "extract", "import", str(sheet)
    )
    out = run(runner, "extract", "export", "-o", "-")
    written = "\n".join(line for line in out.splitlines() if not line.startswith("Exported"))
    rows = list(csv.reader(io.StringIO(written)))
    assert rows[0][:6] == ["study_id", "study", "records", "appraisal_rating", "authors", "year"]
    assert rows[1][:6] == ["S1", "Cooper 2008", "1; 2", "", "Cooper K, Smith BH", "2008"]
    bad = tmp_path / "bad.csv"
    bad.write_text("study,year\nCooper 2008,soon\n")
    out = run(runner, "extract", "import", str(bad), code=1)
    assert "bad.csv:2: column 2 (year), study 'Cooper 2008': 'soon' is not a number" in out

    markdown = run(runner, "extract", "table")
    assert markdown.startswith("**Characteristics of the included studies**")
    assert "| Cooper 2008 | Cooper K, Smith BH | 2008 | UK |" in markdown
    out = run(runner, "extract", "table", "-o", "table.docx")
    assert "Wrote the table of 3 studies as docx to table.docx" in out
    assert "Extraction not final for 3 of 3 studies" in out
    [table] = Document(str(project / "table.docx")).tables
    assert table.rows[1].cells[3].text == "UK"
    run(runner, "extract", "table", "-o", "table.html")
    assert "<td>Chronic low back pain</td>" in (project / "table.html").read_text(encoding="utf-8")
    assert "Word table is written to a file" in run(runner, "extract", "table", "--format", "docx", code=1)
    assert "unknown table format 'pdf'" in run(runner, "extract", "table", "--format", "pdf", code=1)


def test_dual_discrepancies_and_resolve(runner: CliRunner, project: Path, tmp_path: Path) -> None:
    set_mode(project, "dual")
    sheet = tmp_path / "long.csv"
    for name, country in (("alice", "UK"), ("bob", "Scotland")):
        sheet.write_text(
            "study,field,value\n"
            + "".join(
                f"S1,{field},{value}\n"
                for field, value in (
                    ("country", country),
                    ("design_and_aim", "Interviews"),
                    ("recruitment_and_sample", "25 patients"),
                    ("health_condition", "Low back pain"),
                    ("data_collection_and_analysis", "Framework"),
                    ("main_findings", "Being heard"),
                )
            )
        )
        run(runner, "extract", "import", str(sheet), "--as", name)
        assert "Nothing to resolve." in run(runner, "extract", "discrepancies", "--as", name)
        if name == "bob":  # blind: alice's values are hidden from bob in the log until both complete
            [imported, _] = json.loads(
                run(runner, "log", "--json", "--type", "extraction.imported", "--as", "bob")
            )
            assert {item["value"] for item in imported["payload"]["values"]} == {"hidden (blind extraction)"}
        run(runner, "extract", "complete", "S1", "--as", name)
    listed = json.loads(run(runner, "extract", "discrepancies", "--json"))
    assert listed == [
        {
            "study": "S1",
            "study_id": 1,
            "label": "Cooper 2008",
            "record_ids": [1, 2],
            "field": "country",
            "kind": "discrepancy",
            "values": {"alice": "UK", "bob": "Scotland"},
        }
    ]
    assert "alice: UK" in run(runner, "extract", "discrepancies")
    out = run(runner, "extract", "resolve", "S1", "country", "--take", "bob", "--note", "agreed")
    assert "Consensus: country of Cooper 2008 is 'Scotland'; the study is agreed." in out
    [event] = json.loads(run(runner, "log", "--json", "--type", "extraction.consensus"))
    assert event["payload"]["values"] == {"alice": "UK", "bob": "Scotland"} and event["actor"] == "tester"
    [alices, _] = json.loads(run(runner, "log", "--json", "--type", "extraction.imported", "--as", "bob"))
    assert alices["payload"]["values"][0]["value"] == "UK"  # compared now, so no longer hidden


def test_single_verified_flag_and_resolve(runner: CliRunner, project: Path) -> None:
    set_mode(project, "single-verified")
    for name in ("country", "design_and_aim", "recruitment_and_sample", "health_condition"):
        run(runner, "extract", "set", "4", name, "Sweden" if name == "country" else "Given", "--as", "alice")
    run(runner, "extract", "set", "4", "data_collection_and_analysis", "Interviews", "--as", "alice")
    run(runner, "extract", "set", "4", "main_findings", "Trust mattered", "--as", "alice")
    run(runner, "extract", "complete", "4", "--as", "alice")
    out = run(
        runner, "extract", "flag", "4", "country", "--note", "Norway?", "--suggest", "Norway", "--as", "bob"
    )
    assert "Flag 1 raised on country." in out
    assert "Checked Östlund 2001; it is now flagged." in run(runner, "extract", "verify", "4", "--as", "bob")
    assert "Flag 1 by bob" in run(runner, "extract", "discrepancies")
    out = run(
        runner, "extract", "resolve", "4", "country", "--keep", "--note", "Methods: Sweden", "--as", "alice"
    )
    assert "Kept: country of Östlund 2001 is 'Sweden'; the study is verified." in out


def test_the_terminal_session_field_by_field(runner: CliRunner, project: Path) -> None:
    lines = [
        "",  # authors: keep what the record says
        "abc",  # year: refused, asked again
        "",  # year: keep
        "Sweden",  # country
        "Qualitative study.",  # design and aim, a long text ...
        "Aim: to explore rehabilitation.",
        "",  # ... ended by an empty line
        "/b",  # back to design and aim
        "",  # keep it
        "/clear",  # recruitment: nothing to clear, on to the next field
        "/r",  # no report attached
        "Chronic low back pain",  # health condition
        "/s",  # skip the rest of the study
    ]
    out = run(runner, "extract", "--study", "4", "--as", "alice", input="\n".join(lines) + "\n")
    assert "Östlund 2001 (4) — study 1 of 1" in out
    assert "Current (from the record): Östlund G, Smith BH" in out
    assert "field 'year' (Year): 'abc' is not a number" in out
    assert "Saved Sweden" in out and "Unchanged" in out and "Saved Chronic low back pain" in out
    assert "No report is attached to this study" in out and "Skipped Östlund 2001." in out
    shown = json.loads(run(runner, "extract", "show", "4", "--json"))
    assert [field["value"] for field in shown["fields"][:6]] == [
        "Östlund G, Smith BH",
        "2001",
        "Sweden",
        "Qualitative study.\nAim: to explore rehabilitation.",
        None,
        "Chronic low back pain",
    ]
    # without --study: each study not yet completed, until /q (or the end of input)
    out = run(runner, "extract", "--as", "alice", input="/q\n")
    assert "Cooper 2008 (S1) — study 1 of 3" in out and "Stopped; every value entered is saved." in out


@pytest.mark.parametrize(
    "command",
    [
        "set",
        "complete",
        "verify",
        "flag",
        "status",
        "show",
        "discrepancies",
        "resolve",
        "import",
        "export",
        "table",
        "form",
    ],
)
def test_every_extract_command_has_an_example(runner: CliRunner, command: str) -> None:
    assert "Example: synthesist extract" in run(runner, "extract", command, "--help")


def test_the_session_and_the_form_have_help(runner: CliRunner, project: Path) -> None:
    assert "Example: synthesist extract --as alice" in run(runner, "extract", "--help")
    form = json.loads(run(runner, "extract", "form", "--json"))
    assert form["mode"] == "single" and form["fields"][0]["name"] == "authors"
    assert "(the default form)" in run(runner, "extract", "form")
