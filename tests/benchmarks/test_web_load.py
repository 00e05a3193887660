"""The web load benchmark, small: 2 reviewers × 5 decisions through a real site server, every
decision stored exactly once and no third vote, figures for each request type and the section it
writes."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.web_load import main


def test_two_reviewers_five_decisions_each_are_stored_exactly_once(tmp_path: Path) -> None:
    results_file, docs = tmp_path / "results.json", tmp_path / "benchmarks.md"
    docs.write_text("# Benchmarks\n\nAn earlier section.\n", encoding="utf-8")
    arguments = ["--reviews", "1", "--reviewers", "2", "--decisions", "5", "--records", "40"]
    arguments += ["--workers", "1", "--stress", "--first-page-records", "0"]
    code = main([*arguments, "--json", str(results_file), "--update-docs", str(docs)])
    assert code == 0
    [result] = json.loads(results_file.read_text(encoding="utf-8"))["scenarios"]
    assert result["exactly_once"] and result["errors"] == []
    verification = result["verification"]
    assert verification["stored"] == verification["acknowledged"] == 10
    assert verification["records_with_a_third_vote"] == 0
    for kind in ("login", "decision_post", "next_get", "decision_plus_next"):
        assert result[kind]["n"] > 0 and 0 < result[kind]["p50"] <= result[kind]["p99"]
    assert result["decision_plus_next"]["n"] == 10
    text = docs.read_text(encoding="utf-8")
    assert "An earlier section." in text and "## Web app under load" in text and "| Decision (POST) |" in text
