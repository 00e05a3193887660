"""``synthesist doc``, ``code``, ``theme``, ``codebook`` and ``synthesis suggest|accept|reject|agreement``
from the command line: a short coding session, errors as messages with a non-zero exit, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from synthesist.cli.main import app
from synthesist.review.project import find_project
from synthesist.workspace import open_workspace
from tests.synthesis_helpers import FINDINGS, include_studies


@pytest.fixture
def project(
    tmp_path: Path, runner: CliRunner, database_url: str | None, monkeypatch: pytest.MonkeyPatch
) -> Path:
    folder = tmp_path / "review"
    assert runner.invoke(app, ["init", str(folder), "--title", "Coding"]).exit_code == 0
    workspace = open_workspace(find_project(folder), actor="tester")
    try:
        include_studies(workspace, tmp_path, [("Cooper", 2008), ("May", 2001)])
    finally:
        workspace.close()
    (tmp_path / "findings.txt").write_text(FINDINGS, encoding="utf-8")
    (folder / "codebook.toml").write_text(
        '[[themes]]\nname = "Effective communication"\nkey_terms = ["listening", "talking"]\n\n'
        '[[themes]]\nname = "Being listened to"\nparent = "Effective communication"\n'
        'codes = ["listened to"]\n',
        encoding="utf-8",
    )
    text = (folder / "review.toml").read_text(encoding="utf-8")
    (folder / "review.toml").write_text(text.replace("[codebook]\n", '[codebook]\nfile = "codebook.toml"\n'))
    monkeypatch.chdir(folder)
    return tmp_path


def run(runner: CliRunner, *args: str, code: int = 0, input: str | None = None) -> str:
    result = runner.invoke(app, list(args), input=input)
    assert result.exit_code == code, result.output
    return result.output


def test_a_coding_session_from_the_command_line(project: Path, runner: CliRunner) -> None:
    assert "Added document 1" in run(
        runner, "doc", "add", "Cooper 2008", "--file", str(project / "findings.txt")
    )
    run(runner, "doc", "add", "May 2001", "--paste", input="Patients wanted to be listened to. They waited.")
    assert "created theme Effective communication" in run(runner, "codebook", "load")
    assert "already matches" in run(runner, "codebook", "load")
    run(runner, "code", "add", "waiting", "--key-terms", "wait*")
    out = run(
        runner, "code", "apply", "D1", "listened to", "--segment", "2", "--kind", "quote", "--as", "alice"
    )
    assert "Coding 1" in out and "by alice" in out
    run(
        runner,
        "code",
        "apply",
        "Cooper 2008",
        "listened to",
        "--text",
        "felt understood",
        "--kind",
        "quote",
        "--as",
        "bob",
    )
    shown = run(runner, "doc", "show", "1", "--segments")
    assert "[felt understood]2" in shown
    data = json.loads(run(runner, "synthesis", "agreement", "--coders", "alice", "bob", "--json"))
    assert data["pairs"][0]["codes"][0]["both"] == 1
    suggested = json.loads(run(runner, "synthesis", "suggest", "--doc", "D2", "--json"))
    ids = {item["text"]: item["id"] for item in suggested}
    assert {"Patients wanted to be listened to.", "They waited."} <= set(ids)
    run(runner, "synthesis", "accept", str(ids["They waited."]), "--as", "alice")
    run(runner, "synthesis", "reject", f"C{ids['Patients wanted to be listened to.']}", "--as", "alice")
    assert "1 accepted, 1 rejected, 0 pending" in run(runner, "synthesis", "agreement", "--assistant")
    tree = run(runner, "code", "list", "--tree")
    assert "Being listened to" in tree and "listened to (2 codings, 1 study)" in tree
    assert "every coding is where it was made" in run(runner, "doc", "anchors").lower()


def test_errors_are_messages_with_a_non_zero_exit(project: Path, runner: CliRunner) -> None:
    run(runner, "doc", "add", "Cooper 2008", "--file", str(project / "findings.txt"))
    run(runner, "code", "add", "trust")
    out = run(runner, "code", "apply", "D1", "trust", "--span", "370:400", "--kind", "quote", code=1)
    assert "crosses the end of document 1" in out and "Traceback" not in out
    out = run(runner, "theme", "assign", "trust", "Nowhere", code=1)
    assert "no theme called 'Nowhere'" in out
    out = run(runner, "doc", "add", "May 2001", "--paste", input="  \n", code=1)
    assert "nothing was pasted" in out


def test_every_coding_command_has_help_with_an_example(runner: CliRunner) -> None:
    for group, commands in {
        "doc": ["add", "list", "show", "replace", "anchors", "place"],
        "code": ["add", "apply", "remove", "list", "show", "rename", "define", "memo", "merge", "split",
                 "agree", "disagreements", "resolve"],
        "theme": ["add", "list", "assign", "move", "rename", "define"],
        "codebook": ["load", "show"],
        "synthesis": ["suggest", "accept", "reject", "agreement"],
    }.items():  # fmt: skip
        for command in commands:
            out = run(runner, group, command, "--help")
            assert "Example: synthesist" in out, f"{group} {command}"
