"""``synthesist screen`` in priority order, with the stopping rules' word, and ``screen seed``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tomlkit
from typer.testing import CliRunner

from synthesist.cli.main import app
from synthesist.cli.screen import session as screening_session
from tests.helpers import ON_TOPIC, TOPICS, topic_ris


@pytest.fixture
def project(
    tmp_path: Path, runner: CliRunner, database_url: str | None, monkeypatch: pytest.MonkeyPatch
) -> Path:
    folder = tmp_path / "review"
    assert runner.invoke(app, ["init", str(folder), "--title", "Prioritised screening"]).exit_code == 0
    document = tomlkit.parse((folder / "review.toml").read_text(encoding="utf-8"))
    document["screening"]["highlight_include"] = ["back pain"]
    (folder / "review.toml").write_text(tomlkit.dumps(document), encoding="utf-8")
    export = tmp_path / "records.ris"
    export.write_text(topic_ris(TOPICS), encoding="utf-8")
    monkeypatch.chdir(folder)
    assert runner.invoke(app, ["import", str(export), "--source", "MEDLINE"]).exit_code == 0
    return folder


def run(runner: CliRunner, *args: str, code: int = 0, input: str | None = None) -> str:
    result = runner.invoke(app, list(args), input=input)
    assert result.exit_code == code, result.output
    return result.output


def shown(output: str) -> list[int]:
    """The records the session showed, in order."""
    return [
        int(line.split("Record ", 1)[1].split(" ")[0]) for line in output.splitlines() if "─ Record " in line
    ]


def test_the_session_shows_the_likely_relevant_first_and_says_why(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(screening_session, "STOP_GUIDANCE_EVERY", 2)
    output = run(runner, "screen", "--reviewer", "alice", input="iepq")
    first, second, third = shown(output)
    assert first in ON_TOPIC and second in ON_TOPIC and third not in (first, second)
    assert "Most likely relevant records first (svm model)" in output
    assert "Why now: matches include keywords" in output
    assert "Why now: similar to the records known to be relevant" in output
    assert "Why now: ranked by model (svm, retrained after 2 decisions)" in output
    assert output.count("Stopping rules: 2 of 12 screened, 1 let through") == 2, "every 2 decisions, and p"
    assert "Decided 2 this session." in output
    data = json.loads(run(runner, "screen", "progress", "--json"))
    assert data["stages"]["title-abstract"] == {"to screen": 10, "included": 1, "excluded": 1}


def test_seed_studies_from_the_command_line(runner: CliRunner, project: Path) -> None:
    out = run(runner, "screen", "seed", "add", "4", "pmid:900010", "--note", "scoping search")
    assert "Seed studies now include records 4, 10." in out
    assert "Already seed studies: record 4." in run(runner, "screen", "seed", "add", "10.1000/test.4")
    listed = json.loads(run(runner, "screen", "seed", "list", "--json"))
    assert [(s["record_id"], s["title_abstract_status"], s["note"]) for s in listed] == [
        (4, "to screen", "scoping search"),
        (10, "to screen", "scoping search"),
    ]
    table = run(runner, "screen", "seed", "list")
    assert "2 seed studies" in table and "scoping search" in table and "to screen" in table
    output = run(runner, "screen", "--reviewer", "alice", input="iq")
    assert shown(output)[:2] == [4, 10] and "Why now: a seed study" in output
    refused = run(runner, "screen", "seed", "remove", "4", "5", code=1)
    assert "record 5 is not a seed study; nothing was removed" in refused
    assert "Record 4 is no longer a seed study." in run(runner, "screen", "seed", "remove", "4")
    assert "cannot tell which record" in run(runner, "screen", "seed", "add", "Smith 2004", code=1)
    log = json.loads(run(runner, "log", "--json", "--type", "screening.seed_added"))
    assert [e["payload"]["record_id"] for e in log] == [4, 10]


def test_order_id_and_full_text(runner: CliRunner, project: Path) -> None:
    assert shown(run(runner, "screen", "--reviewer", "alice", "--order", "id", input="q")) == [1]
    refused = run(runner, "screen", "--stage", "full-text", "--order", "priority", code=1)
    assert "title/abstract screening only" in refused


@pytest.mark.parametrize("command", ["add", "remove", "list"])
def test_every_seed_command_has_an_example(runner: CliRunner, command: str) -> None:
    assert "Example: synthesist screen seed" in run(runner, "screen", "seed", command, "--help")
