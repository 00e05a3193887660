"""``synthesist appraise``: the terminal session, scripted answers, import, checks and consensus,
rules --check, table and plot, as a user meets them (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from synthesist.cli.common import console, err_console
from synthesist.cli.main import app
from tests.helpers import ris_text

MEDIUM = ["y", "y", "c", "y", "y", "n", "y", "y", "y", "y"]


@pytest.fixture
def project(
    tmp_path: Path, runner: CliRunner, database_url: str | None, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Four records; 1-3 included at full text (studies Cooper 2001-2003); CASP qualitative."""
    folder = tmp_path / "review"
    assert runner.invoke(app, ["init", str(folder), "--title", "Appraisal"]).exit_code == 0
    protocol = folder / "review.toml"
    protocol.write_text(
        protocol.read_text(encoding="utf-8").replace(
            '# tool = "casp-qualitative"', 'tool = "casp-qualitative"'
        )
    )
    export = tmp_path / "records.ris"
    export.write_text(ris_text(4), encoding="utf-8")
    monkeypatch.chdir(folder)
    for shared in (console, err_console):  # Rich wraps at 80 columns when not on a terminal
        monkeypatch.setattr(shared, "_width", 200)
    assert runner.invoke(app, ["import", str(export), "--source", "MEDLINE"]).exit_code == 0
    for record_id in ("1", "2", "3"):
        for stage in ("title-abstract", "full-text"):
            assert runner.invoke(app, ["screen", "decide", record_id, "include", "-s", stage]).exit_code == 0
    return folder


def run(runner: CliRunner, *args: str, code: int = 0, stdin: str | None = None) -> str:
    result = runner.invoke(app, list(args), input=stdin)
    assert result.exit_code == code, result.output
    return result.output


def set_protocol(folder: Path, mode: str = "single", rules: str = "") -> None:
    """Set the appraisal mode and add rating rules (TOML text) to the project's review.toml."""
    path = folder / "review.toml"
    head, tail = path.read_text(encoding="utf-8").split("[appraisal]", 1)
    tail = tail.replace('mode = "single"', f'mode = "{mode}"', 1).replace(
        "[synthesis]", f"{rules}\n[synthesis]", 1
    )
    path.write_text(f"{head}[appraisal]{tail}", encoding="utf-8")


def test_answer_show_status_table_and_plot(runner: CliRunner, project: Path) -> None:
    for number, answer in enumerate(MEDIUM, start=1):
        out = run(runner, "appraise", "set", "Cooper 2001", str(number), answer, "--as", "alice")
    assert "Cooper 2001 Q10: Yes — question final, study complete" in out
    data = json.loads(
        run(runner, "appraise", "set", "S1", "Q6", "no", "--comment", "not discussed", "--quote", "We",
            "--page", "4", "--as", "alice", "--json")
    )  # fmt: skip
    assert (data["question"], data["answer"], data["kind"], data["study_status"]) == (
        "6",
        "no",
        "appraise",
        "complete",
    )

    shown = json.loads(run(runner, "appraise", "show", "Cooper 2001", "--json"))
    assert shown["rating"] == "Medium" and shown["questions"][5]["answers"][0]["quote"] == "We"
    assert '"We", p. 4' in run(runner, "appraise", "show", "Cooper 2001")

    status = json.loads(run(runner, "appraise", "status", "--json"))
    assert status["ratings"] == {"High": 0, "Medium": 1, "Low": 0, "not rated": 2}
    assert [s["status"] for s in status["studies"]] == ["complete", "not started", "not started"]
    assert "Ratings: High: 0, Medium: 1" in run(runner, "appraise", "status")

    markdown = run(runner, "appraise", "table")
    assert "| Cooper 2001 | Y | Y | CT | Y | Y | N | Y | Y | Y | Y | Medium |" in markdown
    assert "not rated (not started)" in markdown
    assert "Wrote the appraisal table (docx)" in run(runner, "appraise", "table", "-o", "out/appraisal.docx")
    assert (project / "out" / "appraisal.docx").stat().st_size > 0
    assert run(runner, "appraise", "table", "--format", "csv").startswith("study,study_ref,category,1,")
    assert "'xls' is not a table format" in run(runner, "appraise", "table", "-o", "a.xls", code=1)
    assert "a Word table needs a file" in run(runner, "appraise", "table", "--format", "docx", code=2)

    run(runner, "appraise", "plot", "-o", "traffic.svg")
    assert (project / "traffic.svg").read_text().startswith("<?xml")
    run(runner, "appraise", "plot", "--kind", "summary", "-o", "summary.svg")
    assert "answers per question" in (project / "summary.svg").read_text()
    assert "cannot tell the figure format" in run(runner, "appraise", "plot", "-o", "plot.gif", code=1)


def test_bad_answers_are_refused_with_the_study_and_question_named(runner: CliRunner, project: Path) -> None:
    out = run(runner, "appraise", "set", "Cooper 2001", "3", "maybe", code=1)
    assert "Error: study 'Cooper 2001', question 3: 'maybe' is not an answer of CASP Qualitative" in out
    assert "Answers: yes (Y, key y), no (N, key n), cant_tell (CT, key c)." in out
    assert "no included study called 'Cooper 2011' (did you mean 'Cooper 2001'" in run(
        runner, "appraise", "set", "Cooper 2011", "3", "yes", code=1
    )
    assert json.loads(run(runner, "log", "--json", "--type", "appraisal.answered")) == []


def test_import_is_all_or_nothing(runner: CliRunner, project: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "casp.csv"
    sheet.write_text("study,question,answer\nCooper 2002,1,yes\nCooper 2002,2,perhaps\n", encoding="utf-8")
    out = run(runner, "appraise", "import", str(sheet), "--as", "alice", code=1)
    assert "Error: casp.csv:3: study 'Cooper 2002', question 2: 'perhaps' is not an answer" in out
    assert json.loads(run(runner, "appraise", "status", "--json"))["statuses"] == {"not started": 3}
    sheet.write_text("study,question,answer\nCooper 2002,1,yes\nCooper 2002,2,no\n", encoding="utf-8")
    assert "Imported 2 answers on 1 study from casp.csv" in run(runner, "appraise", "import", str(sheet))


def test_verify_conflicts_resolve_and_agreement(runner: CliRunner, project: Path) -> None:
    set_protocol(project, "single-verified")
    for number, answer in enumerate(MEDIUM, start=1):
        run(runner, "appraise", "set", "Cooper 2001", str(number), answer, "--as", "alice")
    out = run(
        runner,
        "appraise",
        "verify",
        "Cooper 2001",
        "--flag",
        "6=cant_tell",
        "--comment",
        "p. 4",
        "--as",
        "bob",
    )
    assert "Checked 10 answers of Cooper 2001: 9 confirmed, 1 in conflict; study conflict." in out
    assert "write QUESTION=ANSWER" in run(runner, "appraise", "verify", "Cooper 2001", "--flag", "6", code=2)
    conflicts = json.loads(run(runner, "appraise", "conflicts", "--json"))
    assert [(c["question"], [a["answer"] for a in c["answers"]]) for c in conflicts] == [
        ("6", ["no", "cant_tell"])
    ]
    assert "alice: no; bob: cant_tell (p. 4)" in run(runner, "appraise", "conflicts")
    [pair] = json.loads(run(runner, "appraise", "agreement", "--json"))
    assert pair["reviewers"] == ["alice", "bob"] and pair["n"] == 10 and pair["observed"] == 0.9
    assert "alice & bob" in run(runner, "appraise", "agreement")
    out = run(runner, "appraise", "resolve", "Cooper 2001", "6", "no", "--with", "alice", "--with", "bob")
    assert "Cooper 2001 Q6: No (consensus) — question final, study complete" in out
    assert "not in conflict" in run(runner, "appraise", "resolve", "Cooper 2001", "1", "no", "--with", "a",
                                    "--with", "b", code=5)  # fmt: skip


RULES_WITH_AN_OVERLAP_AND_A_GAP = """
[[appraisal.rating_rules]]
rating = "High"
when = [{ no = 0, cant_tell = "..1" }]

[[appraisal.rating_rules]]
rating = "Low"
when = [{ no = "1.." }, { cant_tell = "3.." }]

[[appraisal.rating_rules]]
rating = "Medium"
when = [{ no = 1, cant_tell = 0 }]
"""


def test_rules_check_prints_the_coverage_and_fails_on_a_gap(runner: CliRunner, project: Path) -> None:
    out = run(runner, "appraise", "rules", "--check")
    assert "Rating rules from the reference review's Table 1 (the default)" in out
    assert "66 combinations of answers; ratings: High 2, Medium 6, Low 58." in out
    assert "Every combination gets exactly one rating." in out
    data = json.loads(run(runner, "appraise", "rules", "--check", "--json"))
    assert [r["covers"] for r in data["coverage"][0]["per_rule"]] == [2, 6, 16, 42]

    set_protocol(project, rules=RULES_WITH_AN_OVERLAP_AND_A_GAP)
    out = run(runner, "appraise", "rules", "--check", code=1)
    assert "Contested: 1" in out and "9 Yes + 1 No (rule 2: Low, rule 3: Medium)" in out
    assert "Problem: 1 of the 66 combinations" in out
    assert "rated differently by two rules" in run(runner, "appraise", "table", code=1)
    assert "The rating rules need fixing" in run(runner, "appraise", "status")


def test_checklists_and_a_teams_own(runner: CliRunner, project: Path) -> None:
    out = run(runner, "appraise", "checklists")
    assert "casp-qualitative" in out and "mmat-2018" in out and "7 per study (5" in out
    toml = run(runner, "appraise", "checklist", "show", "casp-qualitative", "--toml")
    (project / "checklists").mkdir()
    (project / "checklists" / "ours.toml").write_text(toml.replace('id = "casp-qualitative"', 'id = "ours"'))
    listed = json.loads(run(runner, "appraise", "checklists", "--json"))
    assert listed[-1] == {
        "id": "ours", "name": "CASP Qualitative Studies Checklist", "version": "2018 (paraphrased)",
        "licence": "CC BY-NC-SA 4.0", "questions": 10, "from": "checklists/ours.toml",
    }  # fmt: skip
    shown = run(runner, "appraise", "checklist", "show", "mmat-2018")
    assert "1. Qualitative (a category)" in shown and "(not rated)" in shown
    assert 'no appraisal checklist "casp"' in run(runner, "appraise", "checklist", "show", "casp", code=1)
    (project / "checklists" / "broken.toml").write_text('id = "broken"\nname = "B"\n')
    out = run(runner, "appraise", "checklists", code=1)
    assert "checklists/broken.toml: version is missing" in out


def test_the_terminal_session_answers_goes_back_and_quits(runner: CliRunner, project: Path) -> None:
    keys = "y\nn no aims stated\nb\n\nc\nx\nq\n"
    out = run(runner, "appraise", "start", "Cooper 2002", "--as", "alice", stdin=keys)
    assert (
        "Cooper 2002 Q1: Yes" in out and "Cooper 2002 Q2: No" in out and "Cooper 2002 Q3: Can't tell" in out
    )
    assert "'x' is not an answer" in out and "Answered 3 this session." in out
    shown = json.loads(run(runner, "appraise", "show", "Cooper 2002", "--json", "--as", "alice"))
    assert [q["final"] for q in shown["questions"][:4]] == ["yes", "no", "cant_tell", None]
    assert shown["questions"][1]["answers"][0]["comment"] == "no aims stated"

    out = run(runner, "appraise", "start", "--as", "alice", stdin="y\n" * 10 + "q\n")
    assert "Cooper 2001 — question 1 of 10" in out and "Answered 10 this session." in out


def test_rules_that_count_answers_the_checklist_lacks_are_not_checked_further(
    runner: CliRunner, project: Path
) -> None:
    path = project / "review.toml"
    path.write_text(path.read_text().replace('tool = "casp-qualitative"', 'tool = "jbi-qualitative"'))
    out = run(runner, "appraise", "rules", "--check", code=1)
    assert 'the default rating rules count "cant_tell", which is not an answer of jbi-qualitative' in out
    assert "combinations of answers;" not in out, "no coverage from rules that cannot apply"
    assert "its answers: no, not_applicable, unclear, yes" in out
