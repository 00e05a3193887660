"""Import speed and memory: generate N RIS records, import them with the real CLI, measure.

Target (issue 2): 100,000 records in under 20 s and under 1 GB peak memory on the 2-core machine.

    python benchmarks/import_speed.py --records 100000 [--database-url postgresql://...] \
        [--update-docs docs/benchmarks.md]

The import runs in a child process (``synthesist import``), so the peak resident memory measured is
that of the whole command as a user runs it, interpreter included.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from docs_section import measured_on, write_section

WORDS = [
    "chronic",
    "low",
    "back",
    "pain",
    "self-management",
    "partnership",
    "physiotherapy",
    "patient",
    "professional",
    "communication",
    "qualitative",
    "interview",
    "trust",
    "education",
    "exercise",
    "primary",
    "care",
    "nurse",
    "general",
    "practice",
    "outcome",
    "adherence",
    "randomised",
    "trial",
    "cohort",
    "intervention",
    "psychological",
    "acceptance",
    "disability",
    "function",
    "quality",
    "life",
]
SURNAMES = [
    "Cooper",
    "Smith",
    "Östlund",
    "May",
    "Slade",
    "Matthias",
    "Jeffrey",
    "Foster",
    "MacKichan",
    "Müller",
]


def generate_ris(path: Path, count: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as handle:
        for n in range(1, count + 1):
            title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 16))).capitalize()
            abstract = " ".join(rng.choice(WORDS) for _ in range(rng.randint(80, 220)))
            start = rng.randint(1, 900)
            lines = [
                "TY  - JOUR",
                f"ID  - {n}",
                *(
                    f"AU  - {rng.choice(SURNAMES)}, {chr(65 + rng.randint(0, 25))}."
                    for _ in range(rng.randint(1, 6))
                ),
                f"TI  - {title}",
                f"T2  - Journal of {rng.choice(WORDS).capitalize()} Research",
                f"PY  - {rng.randint(1980, 2014)}",
                f"VL  - {rng.randint(1, 60)}",
                f"IS  - {rng.randint(1, 12)}",
                f"SP  - {start}",
                f"EP  - {start + rng.randint(3, 20)}",
                f"DO  - 10.{rng.randint(1000, 9999)}/bench.{n}",
                f"SN  - {rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
                f"AB  - {abstract}",
                *(f"KW  - {rng.choice(WORDS)}" for _ in range(rng.randint(2, 6))),
                "LA  - eng",
                "ER  - ",
                "",
            ]
            handle.write("\n".join(lines) + "\n")


def measure(records: int, database_url: str | None) -> dict[str, object]:
    synthesist = Path(sys.executable).with_name("synthesist")
    with tempfile.TemporaryDirectory(prefix="synthesist-bench-") as folder:
        root = Path(folder)
        export = root / "bench.ris"
        generate_ris(export, records)
        env = dict(os.environ, SYNTHESIST_USER="benchmark")
        if database_url:
            env["SYNTHESIST_DATABASE_URL"] = database_url
        subprocess.run([synthesist, "init", root / "project", "--title", "Benchmark"], check=True, env=env,
                       capture_output=True)  # fmt: skip
        started = time.perf_counter()
        done = subprocess.run(
            [
                synthesist,
                "import",
                export,
                "--source",
                "MEDLINE (Ovid)",
                "--project",
                root / "project",
                "--json",
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"import failed:\n{done.stderr}")
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        return {
            "records": records,
            "file_mib": export.stat().st_size / 2**20,
            "seconds": seconds,
            "records_per_second": records / seconds,
            "peak_mib": peak_kib / 1024,
            "database": "PostgreSQL" if database_url else "SQLite",
        }


def update_docs(path: Path, results: list[dict[str, object]]) -> None:
    rows = "\n".join(
        f"| {r['database']} | {r['records']:,} | {r['file_mib']:.0f} MiB | {r['seconds']:.1f} s | "
        f"{r['records_per_second']:,.0f} | {r['peak_mib']:.0f} MiB |"
        for r in results
    )
    write_section(
        path,
        "import_speed",
        "## Import speed (`benchmarks/import_speed.py`)\n\n"
        f"{measured_on()}.\n"
        "Target: 100,000 RIS records in under 20 s and under 1 GB peak memory.\n\n"
        "| Database | Records | File | Time | Records/s | Peak memory |\n|---|---:|---:|---:|---:|---:|\n"
        f"{rows}",
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--database-url", action="append", default=[],
                        help="also measure on this database URL; SQLite is always measured")  # fmt: skip
    parser.add_argument("--update-docs", type=Path)
    args = parser.parse_args()
    results = [measure(args.records, None)]
    results += [measure(args.records, url) for url in args.database_url]
    for r in results:
        print(
            f"{r['database']}: {r['records']:,} records ({r['file_mib']:.0f} MiB) in {r['seconds']:.1f} s = "
            f"{r['records_per_second']:,.0f} records/s, peak {r['peak_mib']:.0f} MiB"
        )
    if args.update_docs:
        update_docs(args.update_docs, results)


if __name__ == "__main__":
    main()
