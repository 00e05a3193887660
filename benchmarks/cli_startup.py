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

Each command is timed twice: cold, with ``SYNTHESIST_NO_SERVER=1`` (a fresh process imports everything,
as the first command of a session does), and warm, with the per-user command server running (in a
scratch runtime folder; see ``synthesist/cli/launch.py``), as every further command within its idle
time finds it. ``--help`` and ``--version`` never use the server: their warm figures show that the
launcher costs them nothing.

``--json`` keeps the timings; ``--before`` adds the medians of such a file as a column, e.g. those of
an older Synthesist measured with ``PYTHONPATH=/tmp/old/src`` (an exported tree, found before the
installed one).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from docs_section import measured_on, write_section

SYNTHESIST = Path(sys.executable).with_name("synthesist")
TARGET_SECONDS = 0.3
WARM = " (warm)"  # the label of a command's runs with the command server running
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


@contextmanager
def command_server(env: Mapping[str, str]) -> Iterator[None]:
    """The per-user command server the launcher uses, started (and stopped) as the launcher would
    start it, in the scratch runtime folder that ``env`` names."""
    command = [sys.executable, "-P", "-m", "synthesist.cli.command_server"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        if not server.stdout.readline().startswith("listening "):
            raise SystemExit("the command server did not start")
        yield
    finally:
        server.terminate()
        server.wait()


def measure(runs: int, records: int) -> list[Timing]:
    with tempfile.TemporaryDirectory(prefix="synthesist-startup-bench-") as scratch:
        root = Path(scratch)
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env.update(
            SYNTHESIST_USER="benchmark",
            PYTHONPYCACHEPREFIX=str(root / "pycache"),
            XDG_RUNTIME_DIR=str(root / "run"),  # the server's socket goes in the scratch folder
            SYNTHESIST_NO_SERVER="1",
        )
        (root / "run").mkdir(mode=0o700)
        env.pop("SYNTHESIST_PROJECT", None)
        env.pop("SYNTHESIST_DATABASE_URL", None)
        project = root / "project"
        write_ris(root / "records.ris", records)
        _run([SYNTHESIST, "init", project, "--title", "Start-up benchmark"], env, root)
        _run([SYNTHESIST, "import", root / "records.ris", "--source", "Generated"], env, project)
        if records < 2 * (runs + 1):
            raise SystemExit(f"--records must be at least {2 * (runs + 1)}: each decide run takes a record")
        undecided, shown = itertools.count(1), itertools.count(1)
        commands: list[tuple[str, Callable[[], list[str | Path]]]] = [
            ("synthesist --help", lambda: [SYNTHESIST, "--help"]),
            ("synthesist --version", lambda: [SYNTHESIST, "--version"]),
            ("synthesist status", lambda: [SYNTHESIST, "status"]),
            ("synthesist records show ID", lambda: [SYNTHESIST, "records", "show", str(next(shown))]),
            (
                "synthesist screen decide ID include",
                lambda: [SYNTHESIST, "screen", "decide", str(next(undecided)), "include"],
            ),
        ]

        def timed(label: str, command: Callable[[], list[str | Path]], run_env: dict[str, str]) -> Timing:
            _run(command(), run_env, project)  # warm-up: writes the bytecode cache (or wakes the server)
            return Timing(label, tuple(_run(command(), run_env, project) for _ in range(runs)))

        timings = [timed(label, command, env) for label, command in commands]
        warm_env = {key: value for key, value in env.items() if key != "SYNTHESIST_NO_SERVER"}
        with command_server(warm_env):
            timings += [timed(f"{label}{WARM}", command, warm_env) for label, command in commands]
        floor: list[str | Path] = [sys.executable, "-c", FLOOR_CODE]
        timings.append(timed(FLOOR_LABEL, lambda: floor, env))
        return timings


def _seconds(timing: Timing | None) -> tuple[str, str]:
    if timing is None:
        return "-", "-"
    return f"{timing.median:.2f} s", f"{min(timing.seconds):.2f}–{max(timing.seconds):.2f} s"


def table(timings: Sequence[Timing], before: Mapping[str, float] | None = None) -> str:
    """One row a command: the cold figures (no server), the warm ones (server running), the verdict
    on the warm median (what a user running commands one after another gets)."""
    by_label = {timing.label: timing for timing in timings}
    before_header, before_rule = (" Before (median) |", "---:|") if before else ("", "")
    rows = [
        f"| Command |{before_header} Cold median | Cold min–max | Warm median | Warm min–max "
        f"| Under {TARGET_SECONDS} s |",
        f"|---|{before_rule}---:|---:|---:|---:|:---:|",
    ]
    for timing in timings:
        if timing.label.endswith(WARM):
            continue
        warm = by_label.get(f"{timing.label}{WARM}")
        was = ""
        if before:
            was = f" {before[timing.label]:.2f} s |" if timing.label in before else " - |"
        if timing.label == FLOOR_LABEL:
            verdict = "(floor)"
        else:
            verdict = "yes" if (warm or timing).median < TARGET_SECONDS else "no"
        cold_median, cold_range = _seconds(timing)
        warm_median, warm_range = _seconds(warm)
        rows.append(
            f"| `{timing.label}` |{was} {cold_median} | {cold_range} | {warm_median} | {warm_range} "
            f"| {verdict} |"
        )
    return "\n".join(rows)


def read_medians(path: Path) -> dict[str, float]:
    return {label: statistics.median(seconds) for label, seconds in json.loads(path.read_text()).items()}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--records", type=int, default=30, help="At least 2 × (runs + 1).")
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
            "included), after one warm-up run that writes the bytecode cache. *Cold*: no command server "
            "(`SYNTHESIST_NO_SERVER=1`), as the first command of a session. *Warm*: the per-user command "
            "server running, as every further command within its idle time (10 minutes); `--help` and "
            "`--version` always run in-process. The verdict is on the warm median. The last row is the "
            "floor under every cold command that opens a project: the interpreter importing Typer, Rich, "
            "SQLAlchemy and pydantic, nothing of Synthesist."
            + (f" Before: {args.before_is}." if args.before else "")
            + f"\n\n{body}\n"
        )
        write_section(args.update_docs, "cli_startup", section)
        sys.stdout.write(f"updated {args.update_docs}\n")


if __name__ == "__main__":
    main()
