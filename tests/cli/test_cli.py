"""The command line as a user meets it: exit codes, messages, --json, help (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.core import TyperGroup
from typer.main import get_command
from typer.testing import CliRunner

from synthesist.cli.main import app
from tests.helpers import ris_text


def run(runner: CliRunner, *args: str | Path, code: int = 0) -> str:
    result = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_init_import_status_list_show_log(runner: CliRunner, project_dir: Path, tmp_path: Path) -> None:
    export = write(tmp_path, "medline.ris", ris_text(3))
    out = run(runner, "import", export, "--source", "MEDLINE (Ovid)", "--searched-on", "2014-06-30",
              "--project", project_dir, "--json")  # fmt: skip
    data = json.loads(out)
    assert data["records"] == 3 and data["files"][0]["format"] == "ris"

    status = json.loads(run(runner, "status", "--project", project_dir, "--json"))
    assert status["records_from_databases"] == 3
    assert status["sources"][0]["source"] == "MEDLINE (Ovid)"

    listing = json.loads(run(runner, "records", "list", "-p", project_dir, "--where", "year>=2002", "--json"))
    assert listing["total"] == 2

    shown = json.loads(run(runner, "records", "show", "1", "-p", project_dir, "--json"))
    assert shown["title"] == "Patient-centredness in physiotherapy 1" and shown["raw"]["TY"] == ["JOUR"]
    assert "Patient-centredness" in run(runner, "records", "show", "1", "--raw", "-p", project_dir)

    [batch] = json.loads(run(runner, "records", "batches", "-p", project_dir, "--json"))
    assert (batch["source"], batch["record_count"], batch["searched_on"]) == (
        "MEDLINE (Ovid)",
        3,
        "2014-06-30",
    )
    assert json.loads(run(runner, "records", "rejects", str(batch["id"]), "-p", project_dir, "--json")) == []
    assert "MEDLINE" in run(runner, "records", "batches", "-p", project_dir)

    log = json.loads(run(runner, "log", "-p", project_dir, "--json"))
    assert [e["type"] for e in log] == ["project.created", "records.imported"]
    assert "imported 3 records" in run(runner, "log", "-p", project_dir)


def test_the_project_is_found_from_a_subfolder(runner: CliRunner, project_dir: Path, monkeypatch) -> None:
    sub = project_dir / "exports" / "2014"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    assert "Patient–professional" in run(runner, "status")


def test_export_then_import_gives_identical_records(
    runner: CliRunner, project_dir: Path, tmp_path: Path
) -> None:
    run(runner, "import", write(tmp_path, "a.ris", ris_text(4)), "-s", "CINAHL", "-p", project_dir)
    for fmt in ("ris", "csv", "bibtex", "json"):
        out = tmp_path / f"out.{fmt}"
        run(runner, "export", "--format", fmt, "-o", out, "-p", project_dir)
        other = tmp_path / f"again-{fmt}"
        run(runner, "init", other, "--title", "Round trip")
        run(runner, "import", out, "-s", "Export", "-p", other)
        before = json.loads(run(runner, "records", "list", "-p", project_dir, "--json"))["records"]
        after = json.loads(run(runner, "records", "list", "-p", other, "--json"))["records"]
        fields = ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "abstract")
        assert [{k: r[k] for k in fields} for r in after] == [{k: r[k] for k in fields} for r in before], fmt


def test_export_with_a_filter_to_stdout(runner: CliRunner, project_dir: Path, tmp_path: Path) -> None:
    run(runner, "import", write(tmp_path, "a.ris", ris_text(5)), "-s", "CINAHL", "-p", project_dir)
    result = runner.invoke(
        app, ["export", "-f", "csv", "-o", "-", "--where", "id<=2", "-p", str(project_dir)]
    )
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines[0].startswith("record_id,source_record_id,source,title")
    assert len(lines) == 1 + 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["records", "show", "999"], "no record 999"),
        (["records", "list", "--where", "colour=red"], "unknown field"),
        (["export", "-o", "x.unknown"], "cannot tell the format"),
        (["import", "missing.ris", "-s", "MEDLINE"], "no such file"),
    ],
)
def test_user_errors_are_a_message_and_a_non_zero_exit(
    runner: CliRunner, project_dir: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(app, [*args, "--project", str(project_dir)])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_malformed_file_names_file_and_line(runner: CliRunner, project_dir: Path, tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.ris", ris_text(2) + "\nTY  - JOUR\nTI  - Unfinished\n")
    result = runner.invoke(app, ["import", str(bad), "-s", "EMBASE", "-p", str(project_dir)])
    assert result.exit_code == 1
    assert "bad.ris:" in result.output and "--skip-invalid" in result.output
    ok = runner.invoke(app, ["import", str(bad), "-s", "EMBASE", "--skip-invalid", "-p", str(project_dir)])
    assert ok.exit_code == 0 and "rejected" in ok.output


def test_outside_a_project(runner: CliRunner, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 1 and "no review project" in result.output


def test_init_refuses_an_existing_project(runner: CliRunner, project_dir: Path) -> None:
    result = runner.invoke(app, ["init", str(project_dir), "--title", "Again"])
    assert result.exit_code == 1 and "already holds a review project" in result.output


def _commands(group: TyperGroup, prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix}{name}", command))
        if isinstance(command, TyperGroup):
            found.extend(_commands(command, f"{prefix}{name} "))
    return found


@pytest.mark.parametrize(("name", "command"), _commands(get_command(app)))  # type: ignore[arg-type]
def test_every_command_has_help_with_an_example(name: str, command: Any) -> None:
    assert command.help and "Example: synthesist" in command.help, f"`synthesist {name}` has no example"
