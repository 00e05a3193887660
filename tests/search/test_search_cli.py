"""``synthesist search list|show|translate|parse`` as a librarian uses them (no database needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from synthesist.cli.main import app
from synthesist.demo import data_text
from synthesist.search.strategy_file import load_strategy
from synthesist.search.translate import TARGETS


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "review"
    (folder / "search").mkdir(parents=True)
    (folder / "review.toml").write_text(data_text("review.toml"), encoding="utf-8")
    (folder / "search" / "back_pain.toml").write_text(data_text("search/back_pain.toml"), encoding="utf-8")
    return folder


def run(*args: str | Path, code: int = 0, stdin: str | None = None) -> str:
    result = CliRunner().invoke(app, [str(a) for a in args], input=stdin, catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def test_list_and_show(project: Path) -> None:
    listing = run("search", "list", "-p", project)
    assert "back_pain: partnership AND back_pain AND self_management" in listing
    [entry] = json.loads(run("search", "list", "-p", project, "--json"))
    assert entry["blocks"] == ["partnership", "back_pain", "self_management"]
    shown = run("search", "show", "back_pain", "-p", project)
    assert "Chronic back pain" in shown
    assert "mesh: Back Pain (explode)" in shown
    assert "Limits: years 1980–2014; English" in shown


def test_translate_to_one_target(project: Path) -> None:
    out = run("search", "translate", "back_pain", "--to", "ovid-medline", "-p", project)
    assert out.splitlines()[0] == "1 exp Professional-Patient Relations/"
    assert '11 limit 10 to (english language and yr="1980 - 2014")' in out
    assert "headings" not in out.split("11 limit", 1)[1], "other thesauri's headings are not noted"


def test_translate_all_targets_as_json(project: Path) -> None:
    translations = json.loads(run("search", "translate", "back_pain", "--all", "--json", "-p", project))
    assert [t["target"] for t in translations] == list(TARGETS)
    scopus = translations[TARGETS.index("scopus")]
    assert scopus["lines"] == [scopus["query"]]
    assert any("no subject headings" in note["message"] for note in scopus["notes"])


def test_translate_needs_a_target(project: Path) -> None:
    assert "--to" in run("search", "translate", "back_pain", "-p", project, code=2)
    assert "not a target" in run("search", "translate", "back_pain", "--to", "medline", "-p", project, code=2)


def test_unknown_strategy_is_a_clear_error(project: Path) -> None:
    out = run("search", "translate", "nope", "--to", "pubmed", "-p", project, code=1)
    assert "no search strategy named 'nope'" in out
    assert "back_pain" in out


def test_parse_a_pasted_file_and_save_it(project: Path, tmp_path: Path) -> None:
    pasted = tmp_path / "medline.txt"
    pasted.write_text(
        run("search", "translate", "back_pain", "--to", "ovid-medline", "-p", project).split("Note:")[0],
        encoding="utf-8",
    )
    printed = run("search", "parse", pasted, "--from", "ovid-medline")
    assert "[[blocks]]" in printed
    assert 'combine = "professional_patient_relations AND back_pain AND self_care"' in printed
    run("search", "parse", pasted, "--from", "ovid-medline", "--save", "medline", "-p", project)
    saved = load_strategy(project, "medline")
    assert len(saved.blocks) == 3
    assert "exists already" in run(
        "search", "parse", pasted, "-f", "ovid-medline", "--save", "medline", "-p", project, code=1
    )


def test_parse_from_stdin_and_syntax_errors(project: Path) -> None:
    out = run(
        "search", "parse", "-", "--from", "pubmed", stdin='#1 "back pain"[tiab]\n#2 #1 AND english[la]\n'
    )
    assert 'terms = ["\\"back pain\\""]' in out
    error = run("search", "parse", "-", "--from", "pubmed", stdin="#1 (back pain[tiab]\n", code=1)
    assert "line 1, column 4: unbalanced parenthesis" in error


def test_help_has_examples() -> None:
    for command in ("list", "show", "translate", "parse"):
        assert "Example: synthesist search" in run("search", command, "--help")
