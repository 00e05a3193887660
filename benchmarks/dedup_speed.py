"""Deduplication speed, memory and accuracy: generate records with known duplicates, run the CLI, measure.

Target (issue text): 100,000 records with 15% duplicates (generated with realistic variations) deduplicated
in under 60 s and under 2 GB on the 2-core machine; the curve for 10k/30k/100k records shows how the cost
grows.

    python benchmarks/dedup_speed.py [--sizes 10000 30000 100000] [--seed 1]
        [--database-url postgresql://...] [--work-dir DIR] [--update-docs docs/benchmarks.md]

For each size: ``benchmarks/dedup_data.py`` writes the RIS file and its truth; ``synthesist init`` and
``synthesist import`` load it (not timed); ``synthesist dedup run --json`` runs in a child process whose
wall time and peak resident memory (the whole command as a user runs it, interpreter included) are the
figures; ``synthesist export`` to CSV then gives each record's ``duplicate_group`` and ``is_primary``,
which are scored against the truth. On PostgreSQL each size adds a project to the database named, so
point it at an empty scratch database.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

try:
    from benchmarks.dedup_data import NEAR_MISS_SHARE, generate, read_truth
    from benchmarks.docs_section import measured_on, write_section
except ModuleNotFoundError:  # run as a script: benchmarks/ itself is on sys.path, not its parent
    from dedup_data import NEAR_MISS_SHARE, generate, read_truth  # type: ignore[import-not-found,no-redef]
    from docs_section import measured_on, write_section  # type: ignore[import-not-found,no-redef]

SYNTHESIST = Path(sys.executable).with_name("synthesist")
DEFAULT_SIZES = (10_000, 30_000, 100_000)
TARGET_RECORDS, TARGET_SECONDS, TARGET_MIB = 100_000, 60.0, 2048.0
# Counts the dedup command reports in its JSON; shown when present, "-" otherwise.
SUMMARY_KEYS = ("records_checked", "candidate_pairs", "duplicate_pairs", "possible_pairs", "groups_created")


@dataclass(frozen=True)
class Accuracy:
    """The deduplication against the truth. A record is *removable* when it is one of the extra copies
    of a publication; it is *correctly removed* when it is marked as a duplicate (``is_primary`` "no")
    of a primary record of the same publication, and a *false merge* when its primary is another one."""

    removable: int
    marked: int
    correct: int
    false_merges: int
    # near-miss kind ("erratum", "update"...) when a false merge joined the two sides of one, else "other"
    false_merge_kinds: dict[str, int] = field(default_factory=dict)

    @property
    def sensitivity(self) -> float:
        return self.correct / self.removable if self.removable else 1.0


def evaluate(
    truth: Mapping[str, str],
    rows: Iterable[Mapping[str, str]],
    near_miss_pairs: Mapping[str, tuple[str, int]] | None = None,
) -> Accuracy:
    """Score exported rows (``source_record_id``, ``duplicate_group``, ``is_primary``) against the truth
    (``source_record_id`` -> group, empty for a record with no duplicate)."""
    pairs = near_miss_pairs or {}
    primaries: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    for row in rows:
        group = (row.get("duplicate_group") or "").strip()
        if not group:
            continue
        record = row["source_record_id"]
        flag = (row.get("is_primary") or "").strip().lower()
        if flag == "yes":
            if group in primaries:
                raise ValueError(f"duplicate group {group} has two primary records")
            primaries[group] = record
        elif flag == "no":
            members.setdefault(group, []).append(record)
        else:
            raise ValueError(f"record {record} is in duplicate group {group} but is_primary is {flag!r}")

    def publication(record: str) -> str:
        if record not in truth:
            raise ValueError(
                f"record {record} is not in the truth: the export does not match the generated file"
            )
        return truth[record] or record  # a record with no duplicate is a publication of its own

    correct = false = 0
    kinds: Counter[str] = Counter()
    for group, records in members.items():
        if group not in primaries:
            raise ValueError(f"duplicate group {group} has no primary record")
        primary = primaries[group]
        for record in records:
            if publication(record) == publication(primary):
                correct += 1
            else:
                false += 1
                pair = pairs.get(record)
                kinds[pair[0] if pair is not None and pair == pairs.get(primary) else "other"] += 1
    removable = sum(count - 1 for count in Counter(g for g in truth.values() if g).values())
    marked = sum(len(records) for records in members.values())
    return Accuracy(removable, marked, correct, false, dict(sorted(kinds.items())))


def require_dedup_command() -> None:
    """Fail before generating anything when the installed synthesist has no ``dedup run --json``."""
    done = subprocess.run([SYNTHESIST, "dedup", "run", "--help"], capture_output=True, text=True)
    if done.returncode != 0 or "--json" not in done.stdout:
        detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise SystemExit(
            f"`synthesist dedup run --json` is not available in {SYNTHESIST}, so there is nothing to measure "
            "yet.\nInstall a Synthesist that has the dedup command (pip install -e .) and run again.\n"
            + "\n".join(detail)
        )


def run_measured(
    command: Sequence[str | Path], env: Mapping[str, str], cwd: Path
) -> tuple[int, str, str, float, float]:
    """Run a command; return exit code, stdout, stderr, wall seconds and the peak RSS (MiB) of that process.

    ``os.wait4`` gives the resource usage of this one child, where ``RUSAGE_CHILDREN`` would report the
    largest of every child so far (the import before it included).
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        peak_kib = usage.ru_maxrss / (1024 if sys.platform == "darwin" else 1)  # bytes on macOS
        return code, out.read(), err.read(), seconds, peak_kib / 1024


def _run(command: Sequence[str | Path], env: Mapping[str, str], cwd: Path, step: str) -> None:
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{step} failed (exit {done.returncode}):\n{done.stderr or done.stdout}")


def _read_export(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"source_record_id", "duplicate_group", "is_primary"} - set(reader.fieldnames or ())
        if missing:
            raise SystemExit(
                f"the CSV export has no {', '.join(sorted(missing))} column: the export does not carry the "
                "deduplication result yet, so accuracy cannot be scored"
            )
        return [
            {key: row[key] for key in ("source_record_id", "duplicate_group", "is_primary")} for row in reader
        ]


@dataclass(frozen=True)
class Result:
    database: str
    records: int
    removable: int
    seconds: float  # wall time of `synthesist dedup run`
    peak_mib: float  # its peak resident set
    summary: dict[str, object]  # what the command reported in its JSON
    accuracy: Accuracy

    def count(self, key: str) -> str:
        value = self.summary.get(key)
        return f"{value:,}" if isinstance(value, int) else "-"


def measure(records: int, database_url: str | None, seed: int, work_dir: Path | None) -> Result:
    database = "PostgreSQL" if database_url else "SQLite"
    with tempfile.TemporaryDirectory(prefix="synthesist-dedup-bench-") as scratch:
        root = Path(scratch) if work_dir is None else work_dir / f"{database.lower()}-{records}"
        root.mkdir(parents=True, exist_ok=True)
        made = generate(root / "records.ris", records, seed)
        env = dict(os.environ, SYNTHESIST_USER="benchmark")
        env.pop("SYNTHESIST_PROJECT", None)
        if database_url:
            env["SYNTHESIST_DATABASE_URL"] = database_url
        project = root / "project"
        _run([SYNTHESIST, "init", project, "--title", "Deduplication benchmark"], env, root, "init")
        env["SYNTHESIST_PROJECT"] = str(project)  # and run inside it, whichever the dedup command reads
        _run([SYNTHESIST, "import", made.ris, "--source", "Generated", "--json"], env, project, "import")
        code, stdout, stderr, seconds, peak_mib = run_measured(
            [SYNTHESIST, "dedup", "run", "--json"], env, project
        )
        if code != 0:
            raise SystemExit(f"dedup run failed (exit {code}):\n{stderr or stdout}")
        try:
            summary = json.loads(stdout)
        except json.JSONDecodeError as exc:
            raise SystemExit(f"dedup run --json did not print JSON ({exc}):\n{stdout[:2000]}") from None
        export = root / "export.csv"
        _run([SYNTHESIST, "export", "-o", export], env, project, "export")
        accuracy = evaluate(read_truth(made.truth), _read_export(export), made.near_miss_pairs)
        return Result(database, records, made.removable, seconds, peak_mib, summary, accuracy)


def growth(results: Sequence[Result]) -> dict[int, float]:
    """For each result after the first on the same database: the exponent k in time ~ records^k."""
    exponents: dict[int, float] = {}
    previous: dict[str, Result] = {}
    for index, result in enumerate(results):
        before = previous.get(result.database)
        if before is not None and result.records != before.records:
            exponents[index] = math.log(result.seconds / before.seconds) / math.log(
                result.records / before.records
            )
        previous[result.database] = result
    return exponents


DATA_AND_COLUMNS = """\
Target: 100,000 records with 15% duplicates deduplicated in under 60 s and under 2 GB peak memory.

Records from `benchmarks/dedup_data.py` (seed {seed}): duplicates in groups of 2-4 copies that differ as
database exports do (case, HTML entities, diacritics, abbreviated journals, page ranges, initials, truncated
author lists, ahead-of-print years, missing or URL-form DOIs, cut abstracts, typos); {near:.0%} of the
publications are near misses that must stay apart (updates under the same title, errata, comments,
conference abstracts, Part 1/Part 2).

*Time* is the wall time of `synthesist dedup run`, *peak memory* its peak resident set; *growth* is k in
time ~ records^k from the size before. *Sensitivity*: removable records marked as duplicates of the right
publication; *false merges*: records marked as duplicates of another publication; *to review*: possible
pairs sent to the review queue."""
HEADER = (
    "Database", "Records", "Removable", "Time", "Per 1,000", "Growth", "Peak memory", "Candidate pairs",
    "Duplicate pairs", "To review", "Sensitivity", "False merges",
)  # fmt: skip


def rows(results: Sequence[Result]) -> list[list[str]]:
    exponents = growth(results)
    return [
        [
            r.database,
            f"{r.records:,}",
            f"{r.removable:,}",
            f"{r.seconds:.1f} s",
            f"{1000 * r.seconds / r.records:.2f} s",
            f"n^{exponents[i]:.2f}" if i in exponents else "-",
            f"{r.peak_mib:,.0f} MiB",
            r.count("candidate_pairs"),
            r.count("duplicate_pairs"),
            r.count("possible_pairs"),
            f"{r.accuracy.sensitivity:.1%}",
            f"{r.accuracy.false_merges:,}",
        ]
        for i, r in enumerate(results)
    ]


def verdict(results: Sequence[Result]) -> list[str]:
    lines = []
    for r in results:
        if r.records == TARGET_RECORDS:
            met = r.seconds < TARGET_SECONDS and r.peak_mib < TARGET_MIB
            lines.append(
                f"{r.database}: target {'met' if met else 'NOT met'} at {r.records:,} records "
                f"({r.seconds:.1f} s, {r.peak_mib:,.0f} MiB)."
            )
    return lines


def print_table(results: Sequence[Result]) -> None:
    table = [list(HEADER), *rows(results)]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADER))]
    for row in table:
        cells = (
            cell.rjust(width) if i else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        print("  ".join(cells))
    for r in results:
        if r.accuracy.false_merge_kinds:
            kinds = ", ".join(f"{kind} {n:,}" for kind, n in r.accuracy.false_merge_kinds.items())
            print(f"{r.database} {r.records:,}: false merges by near miss: {kinds}")
    for line in verdict(results):
        print(line)


def update_docs(path: Path, results: Sequence[Result], seed: int) -> None:
    table = "\n".join(f"| {' | '.join(row)} |" for row in rows(results))
    write_section(
        path,
        "dedup_speed",
        "## Deduplication speed (`benchmarks/dedup_speed.py`)\n\n"
        f"{measured_on()}.\n"
        f"{DATA_AND_COLUMNS.format(seed=seed, near=NEAR_MISS_SHARE)}\n\n"
        f"| {' | '.join(HEADER)} |\n|---|{'---:|' * (len(HEADER) - 1)}\n{table}\n"
        + "".join(f"\n{line}\n" for line in verdict(results)),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), metavar="RECORDS")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", action="append", default=[],
                        help="also measure on this database URL; SQLite is always measured")  # fmt: skip
    parser.add_argument("--work-dir", type=Path,
                        help="keep generated files and projects here, not in a temporary folder")  # fmt: skip
    parser.add_argument("--update-docs", type=Path)
    args = parser.parse_args()
    require_dedup_command()
    results = []
    for url in [None, *args.database_url]:
        for size in sorted(args.sizes):
            result = measure(size, url, args.seed, args.work_dir)
            print(
                f"{result.database}: {size:,} records deduplicated in {result.seconds:.1f} s, "
                f"peak {result.peak_mib:,.0f} MiB, sensitivity {result.accuracy.sensitivity:.1%}, "
                f"{result.accuracy.false_merges:,} false merges",
                flush=True,
            )
            results.append(result)
    print()
    print_table(results)
    if args.update_docs:
        update_docs(args.update_docs, results, args.seed)


if __name__ == "__main__":
    main()
