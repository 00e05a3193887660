"""The login flood benchmark, small: 3 attackers guessing logins while 2 reviewers make 3 decisions
each through a real server; no 5xx answer, every decision stored exactly once, the section written."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.login_flood import main


def test_reviewers_screen_through_a_small_login_flood(tmp_path: Path) -> None:
    results_file, docs = tmp_path / "results.json", tmp_path / "benchmarks.md"
    docs.write_text("# Benchmarks\n\nAn earlier section.\n", encoding="utf-8")
    arguments = ["--attackers", "3", "--seconds", "1", "--reviewers", "2", "--decisions", "3"]
    arguments += ["--think-ms", "0", "--json", str(results_file), "--update-docs", str(docs)]
    assert main(arguments) == 0
    [result] = json.loads(results_file.read_text(encoding="utf-8"))
    assert result["ok"] and result["errors"] == []
    assert result["attempts"] > 0 and set(result["attacker_statuses"]) == {"401"}
    assert result["verification"]["stored"] == result["verification"]["acknowledged"] == 6
    assert result["decision_plus_next"]["n"] == 6
    text = docs.read_text(encoding="utf-8")
    assert "An earlier section." in text and "## Login flood" in text and "| Decision (POST) |" in text
