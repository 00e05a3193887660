"""``synthesist screen``: the terminal session driven by keys, and the scripted commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tomlkit
from typer.testing import CliRunner

from synthesist.cli.main import app
from tests.helpers import ris_text


@pytest.fixture
def project(
    tmp_path: Path, runner: CliRunner, database_url: str | None, monkeypatch: pytest.MonkeyPatch
) -> Path:
    folder = tmp_path / "review"
    assert runner.invoke(app, ["init", str(folder), "--title", "Screening"]).exit_code == 0
    document = tomlkit.parse((folder / "review.toml").read_text(encoding="utf-8"))
    document["screening"]["exclusion_reasons"] = ["Not chronic back pain", "Cancer pain management"]
    document["screening"]["highlight_include"] = ["back pain"]
    document["screening"]["highlight_exclude"] = ["cancer"]
    document["screening"]["title_abstract"]["mode"] = "dual"
    (folder / "review.toml").write_text(tomlkit.dumps(document), encoding="utf-8")
    export = tmp_path / "records.ris"
    export.write_text(ris_text(4, title="Chronic back pain and partnership {n}"), encoding="utf-8")
    monkeypatch.chdir(folder)
    assert runner.invoke(app, ["import", str(export), "--source", "MEDLINE"]).exit_code == 0
    return folder


def run(runner: CliRunner, *args: str, code: int = 0, input: str | None = None) -> str:
    result = runner.invoke(app, list(args), input=input)
    assert result.exit_code == code, result.output
    return result.output


def test_the_terminal_session_decides_skips_undoes_and_quits(runner: CliRunner, project: Path) -> None:
    output = run(runner, "screen", "--reviewer", "alice", "--order", "id", input="iesuq")
    assert "Record 1" in output and "back pain" in output and "Why now: in id order" in output
    assert "include record 1" in output and "exclude record 2" in output
    assert "Undid your exclude on record 2" in output
    decisions = json.loads(run(runner, "screen", "decisions", "2", "--reviewer", "alice", "--json"))
    assert [d["undone_at"] is not None for d in decisions] == [True]


def test_scripted_decisions_conflicts_and_consensus(runner: CliRunner, project: Path) -> None:
    assert "awaiting second reviewer" in run(
        runner, "screen", "decide", "1", "include", "--reviewer", "alice"
    )
    assert "now included" in run(runner, "screen", "decide", "1", "include", "--reviewer", "bob")
    run(runner, "screen", "decide", "2", "include", "--reviewer", "alice")
    out = run(runner, "screen", "decide", "2", "exclude", "--reviewer", "bob")
    assert "conflict" in out
    conflicts = json.loads(run(runner, "screen", "conflicts", "--json"))
    assert [c["record_id"] for c in conflicts] == [2]
    run(runner, "screen", "resolve", "2", "include", "--with", "alice", "--with", "bob", "--note", "agreed")
    assert json.loads(run(runner, "screen", "conflicts", "--json")) == []
    progress = json.loads(run(runner, "screen", "progress", "--json"))
    assert progress["stages"]["title-abstract"]["included"] == 2
    assert progress["records"]["full text sought"] == 2


def test_blind_dual_screening_hides_the_other_vote_everywhere(runner: CliRunner, project: Path) -> None:
    run(runner, "screen", "decide", "3", "exclude", "--reviewer", "alice", "--reason", "not back pain")
    assert json.loads(run(runner, "screen", "decisions", "3", "--reviewer", "bob", "--json")) == []
    log = json.loads(run(runner, "log", "--as", "bob", "--json", "--type", "screening.decided"))
    assert [e["payload"]["vote"] for e in log] == ["hidden (blind screening)"]
    assert "not back pain" not in json.dumps(log)
    own = json.loads(run(runner, "log", "--as", "alice", "--json", "--type", "screening.decided"))
    assert [e["payload"]["vote"] for e in own] == ["exclude"]
    run(runner, "export", "-o", "all.csv", "--as", "bob")
    assert "alice: exclude" not in (project / "all.csv").read_text()
    run(runner, "screen", "decide", "3", "include", "--reviewer", "bob")  # compared now: a conflict
    log = json.loads(run(runner, "log", "--as", "bob", "--json", "--type", "screening.decided"))
    assert [e["payload"]["vote"] for e in log] == ["exclude", "include"]


def test_invalid_moves_and_bad_input_are_clear_errors(runner: CliRunner, project: Path) -> None:
    out = run(
        runner, "screen", "decide", "1", "include", "--stage", "full-text", "--reviewer", "alice", code=5
    )
    assert "cannot be decided at full text" in out
    out = run(runner, "screen", "decide", "99", "include", "--reviewer", "alice", code=1)
    assert "no record 99" in out
    run(runner, "screen", "decide", "1", "sideways", "--reviewer", "alice", code=2)


@pytest.mark.parametrize("command", ["decide", "undo", "conflicts", "resolve", "progress", "decisions"])
def test_every_screen_command_has_an_example(runner: CliRunner, command: str) -> None:
    assert "Example: synthesist screen" in run(runner, "screen", command, "--help")


def test_prisma_writes_the_diagram_and_warns_while_screening_is_open(
    runner: CliRunner, project: Path
) -> None:
    result = runner.invoke(app, ["prisma", "-o", "prisma.svg"])
    assert result.exit_code == 0, result.output
    assert "Not final" in result.output and "<svg" in (project / "prisma.svg").read_text()
    data = json.loads(run(runner, "prisma", "--json"))
    assert data["records_identified_from_databases"] == 4 and data["databases"] == {"MEDLINE": 4}
    csv_result = runner.invoke(app, ["prisma", "-o", "prisma.csv"])
    assert csv_result.exit_code == 0 and "database_results" in (project / "prisma.csv").read_text()
    bad = runner.invoke(app, ["prisma", "-o", "prisma.gif"])
    assert bad.exit_code == 1 and "cannot tell the diagram format" in bad.output
    assert "Example: synthesist prisma" in run(runner, "prisma", "--help")
    drawn = runner.invoke(app, ["prisma", "--from-csv", "prisma.csv", "-o", "from-csv.svg"])
    assert drawn.exit_code == 0 and "MEDLINE" in (project / "from-csv.svg").read_text()


def test_agreement_reports_kappa_per_reviewer_pair(runner: CliRunner, project: Path) -> None:
    assert "No records were decided by two reviewers" in run(runner, "screen", "agreement")
    for record, alice, bob in (
        ("1", "include", "include"),
        ("2", "exclude", "exclude"),
        ("3", "include", "exclude"),
    ):
        run(runner, "screen", "decide", record, alice, "--reviewer", "alice")
        run(runner, "screen", "decide", record, bob, "--reviewer", "bob")
    [pair] = json.loads(run(runner, "screen", "agreement", "--stage", "title-abstract", "--json"))
    assert pair["reviewers"] == ["alice", "bob"] and pair["n"] == 3
    assert pair["observed"] == pytest.approx(2 / 3)
    table = run(runner, "screen", "agreement")
    assert "alice" in table and "bob" in table and "67%" in table


def test_stop_check_reports_each_rule_and_records_the_one_used(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for record in ("1", "2", "3", "4"):
        run(
            runner,
            "screen",
            "decide",
            record,
            "include" if record == "1" else "exclude",
            "--reviewer",
            "alice",
        )
    # Dual screening: another reviewer sees none of alice's votes, still blind to them.
    hidden = json.loads(run(runner, "screen", "stop-check", "--json", "--as", "bob"))
    assert hidden["screened"] == 0 and hidden["relevant_found"] == 0
    data = json.loads(run(runner, "screen", "stop-check", "--consecutive", "3", "--json", "--as", "alice"))
    assert data["screened"] == 4 and data["pool"] == 4 and data["relevant_found"] == 1
    verdicts = {v["rule"]: v for v in data["verdicts"]}
    assert set(verdicts) == {"hypergeometric", "knee", "consecutive-irrelevant"}
    assert verdicts["consecutive-irrelevant"]["stop"] is True
    assert "no statistical guarantee" in verdicts["consecutive-irrelevant"]["assumes"]
    out = run(
        runner,
        "screen",
        "stop-check",
        "--consecutive",
        "3",
        "--record",
        "consecutive-irrelevant",
        "--as",
        "alice",
    )
    assert "Recorded" in out
    log = json.loads(run(runner, "log", "--json", "--type", "screening.stop_recorded"))
    assert log[0]["payload"]["rule"] == "consecutive-irrelevant" and log[0]["payload"]["screened"] == 4
    refused = runner.invoke(app, ["screen", "stop-check", "--record", "knee"])
    assert refused.exit_code == 1 and "does not say stop" in refused.output
