"""The start-up benchmark, small: one run of each command on a project of a few records, the table it
prints, the earlier figures beside it, and the section it writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from benchmarks.cli_startup import main


def test_one_run_of_each_command_is_timed_and_written_beside_the_earlier_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before, results, docs = tmp_path / "before.json", tmp_path / "after.json", tmp_path / "benchmarks.md"
    before.write_text(json.dumps({"synthesist --version": [2.5, 2.7, 2.9]}), encoding="utf-8")
    docs.write_text("# Benchmarks\n\nAn earlier section.\n", encoding="utf-8")

    main(["--runs", "1", "--records", "4", "--json", str(results), "--before", str(before),
          "--update-docs", str(docs)])  # fmt: skip

    timings = json.loads(results.read_text(encoding="utf-8"))
    commands = [
        "synthesist --help",
        "synthesist --version",
        "synthesist status",
        "synthesist records show ID",
        "synthesist screen decide ID include",
    ]
    floor = "python -c 'import typer, rich, sqlalchemy, pydantic'"
    # cold runs (no command server), the same commands warm (server running), then the floor
    assert list(timings) == [*commands, *(f"{command} (warm)" for command in commands), floor]
    assert all(len(seconds) == 1 and seconds[0] > 0 for seconds in timings.values())
    table = capsys.readouterr().out
    assert "| `synthesist --version` | 2.70 s |" in table  # the earlier median
    assert "| `synthesist status` | - |" in table  # not measured before
    assert f"| `{floor}` | - |" in table and "| (floor) |" in table
    written = docs.read_text(encoding="utf-8")
    assert written.startswith("# Benchmarks\n\nAn earlier section.\n")
    assert "<!-- cli_startup:start -->\n## Command start-up (`benchmarks/cli_startup.py`)" in written
    assert "Python 3" in written and written.rstrip().endswith("<!-- cli_startup:end -->")
