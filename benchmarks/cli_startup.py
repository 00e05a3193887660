"""Command start-up: how long the everyday commands take, as whole processes, on a small project.

Target (issue 16): ``synthesist --help``, ``--version``, ``status``, ``records show ID`` and
``screen decide ...`` start and finish in under 0.3 s on the 2-core machine.

    python benchmarks/cli_startup.py [--runs 10] [--records 30] [--json out.json] [--before before.json]
        [--update-docs docs/benchmarks.md]

The benchmark builds its own project (``synthesist init`` and ``synthesist import`` of a generated RIS
file, not timed) in a scratch folder, runs each command once to warm the bytecode cache (a user's second
command finds the ``.pyc`` files the first one wrote; ``PYTHONDONTWRITEBYTECODE`` is unset and the cache
goes to a scratch ``PYTHONPYCACHEPREFIX``, so the source tree is left alone), then times ``--runs``
runs of each, from ``fork`` to exit, and prints the median, minimum and maximum. Every run decides on a
different record, so ``screen decide`` always writes a new decision.

``--json`` keeps the timings; ``--before`` adds the medians of such a file as a column, e.g. those of
an older Synthesist measured with ``PYTHONPATH=/tmp/old/src`` (an exported tree, found before the
installed one).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from docs_section import measured_on, write_section

SYNTHESIST = Path(sys.executable).with_name("synthesist")
TARGET_SECONDS = 0.3
# What a command that opens a project cannot do without: the interpreter, Typer and Rich, SQLAlchemy
# and pydantic (the protocol's models). Timed like the commands, as the floor they stand on.
FLOOR_LABEL = "python -c 'import typer, rich, sqlalchemy, pydantic'"
FLOOR_CODE = "import typer, rich.console, sqlalchemy, sqlalchemy.dialects.sqlite, pydantic"
TITLE_WORDS = ("partnership", "chronic", "back", "pain", "physiotherapy", "trust", "education", "exercise")


@dataclass(frozen=True)
class Timing:
    label: str
    seconds: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def write_ris(path: Path, records: int) -> None:
    lines: list[str] = []
    for number in range(1, records + 1):
        words = " ".join(TITLE_WORDS[(number + shift) % len(TITLE_WORDS)] for shift in range(5))
        lines += [
            "TY  - JOUR",
            f"TI  - Study {number} of {words}",
            f"AU  - Author{number}, A.",
            f"PY  - {2000 + number % 25}",
            f"JO  - Journal of Start-up Times {number % 4}",
            f"AB  - An abstract about {words}, number {number}.",
            f"DO  - 10.5555/startup.{number}",
            "ER  - ",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _run(command: Sequence[str | Path], env: Mapping[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        shown = " ".join(str(part) for part in command)
        raise SystemExit(f"`{shown}` failed (exit {done.returncode}):\n{done.stderr or done.stdout}")
    return seconds


def measure(runs: int, records: int) -> list[Timing]:
    with tempfile.TemporaryDirectory(prefix="synthesist-startup-bench-") as scratch:
        root = Path(scratch)
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env.update(SYNTHESIST_USER="benchmark", PYTHONPYCACHEPREFIX=str(root / "pycache"))
        env.pop("SYNTHESIST_PROJECT", None)
        env.pop("SYNTHESIST_DATABASE_URL", None)
        project = root / "project"
        write_ris(root / "records.ris", records)
        _run([SYNTHESIST, "init", project, "--title", "Start-up benchmark"], env, root)
        _run([SYNTHESIST, "import", root / "records.ris", "--source", "Generated"], env, project)
        if records < runs + 1:
            raise SystemExit(f"--records must be above --runs ({runs}): each decide run takes a record")
        commands: list[tuple[str, Callable[[int], list[str | Path]]]] = [
            ("synthesist --help", lambda run: [SYNTHESIST, "--help"]),
            ("synthesist --version", lambda run: [SYNTHESIST, "--version"]),
            ("synthesist status", lambda run: [SYNTHESIST, "status"]),
            ("synthesist records show ID", lambda run: [SYNTHESIST, "records", "show", str(run + 1)]),
            (
                "synthesist screen decide ID include",
                lambda run: [SYNTHESIST, "screen", "decide", str(run + 1), "include"],
            ),
            (FLOOR_LABEL, lambda run: [sys.executable, "-c", FLOOR_CODE]),
        ]
        timings = []
        for label, command in commands:
            _run(command(runs), env, project)  # warm-up: writes the bytecode cache, decides record runs+1
            timings.append(Timing(label, tuple(_run(command(run), env, project) for run in range(runs))))
        return timings


def table(timings: Sequence[Timing], before: Mapping[str, float] | None = None) -> str:
    before_header, before_rule = (" Before (median) |", "---:|") if before else ("", "")
    rows = [
        f"| Command |{before_header} Median | Min | Max | Under {TARGET_SECONDS} s |",
        f"|---|{before_rule}---:|---:|---:|:---:|",
    ]
    for timing in timings:
        was = ""
        if before:
            was = f" {before[timing.label]:.2f} s |" if timing.label in before else " - |"
        verdict = (
            "(floor)" if timing.label == FLOOR_LABEL else "yes" if timing.median < TARGET_SECONDS else "no"
        )
        rows.append(
            f"| `{timing.label}` |{was} {timing.median:.2f} s | {min(timing.seconds):.2f} s "
            f"| {max(timing.seconds):.2f} s | {verdict} |"
        )
    return "\n".join(rows)


def read_medians(path: Path) -> dict[str, float]:
    return {label: statistics.median(seconds) for label, seconds in json.loads(path.read_text()).items()}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--records", type=int, default=30)
    parser.add_argument("--json", type=Path, help="Write every run's seconds, by command, to this file.")
    parser.add_argument("--before", type=Path, help="A --json file of an earlier measurement to compare.")
    parser.add_argument("--before-is", default="an earlier measurement", help="What --before measured.")
    parser.add_argument("--update-docs", type=Path)
    args = parser.parse_args(argv)
    timings = measure(args.runs, args.records)
    if args.json:
        args.json.write_text(
            json.dumps({timing.label: timing.seconds for timing in timings}, indent=1) + "\n"
        )
    body = table(timings, read_medians(args.before) if args.before else None)
    sys.stdout.write(body + "\n")
    if args.update_docs:
        section = (
            "## Command start-up (`benchmarks/cli_startup.py`)\n\n"
            f"{measured_on()}.\n"
            f"Target: each command starts and finishes in under {TARGET_SECONDS} s, on a SQLite project of "
            f"{args.records} records. {args.runs} runs of each command as a whole process (interpreter "
            "included), after one warm-up run that writes the bytecode cache. The last row is the floor "
            "under every command that opens a project: the interpreter importing Typer, Rich, SQLAlchemy "
            "and pydantic, nothing of Synthesist."
            + (f" Before: {args.before_is}." if args.before else "")
            + f"\n\n{body}\n"
        )
        write_section(args.update_docs, "cli_startup", section)
        sys.stdout.write(f"updated {args.update_docs}\n")


if __name__ == "__main__":
    main()
