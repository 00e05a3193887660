"""A login flood while reviewers screen: does screening stay quick when attackers guess passwords?

The project, the server and the reviewers are those of ``web_load.py`` (a real ``synthesist serve``
in a subprocess; each reviewer a thread posting decisions the way the browser does, pausing
``--think-ms`` on each record). Alongside them, ``--attackers`` threads post made-up user names and
passwords to ``/login`` as fast as the server answers, from the first reviewer's login until the last
reviewer is done, and for at least ``--seconds``.

**Why forwarded addresses.** An attacker from one address is stopped by the per-address limit after
a few dozen attempts, after which refusals cost nothing. The worst case is a botnet: every attempt
from a new address, each one checked with argon2. The server runs with ``--forwarded-allow-ips
127.0.0.1`` and every attempt carries an ``X-Forwarded-For`` address of its own, so every attempt is
a real password check.

Reported: decision latency (POST, and POST plus next record) with p50/p95/p99 in milliseconds, the
attackers' answers by status and their latency, and whether every acknowledged decision was stored
exactly once. Target: p95 of decision plus next record under 500 ms. Any 5xx answer fails the run.

    python benchmarks/login_flood.py [--attackers 30] [--seconds 30] [--reviewers 5]
                                     [--decisions 30] [--think-ms 1000]
                                     [--postgres-url postgresql://postgres@127.0.0.1:5432/postgres]
                                     [--update-docs docs/benchmarks.md] [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from docs_section import measured_on, write_section
from web_load import _CSRF, ReviewerRun, Scenario, figures_row, percentiles, screen, verify
from web_load_site import build_site, fresh_postgres_database, running_server

SECTION = "login-flood"


@dataclass
class AttackerRun:
    statuses: Counter[int] = field(default_factory=Counter)
    login_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def attack(base: str, run: AttackerRun, seed: int, stop: threading.Event) -> None:
    """Post made-up names and passwords to ``/login``, each from an address of its own, until ``stop``."""
    rng = random.Random(seed)
    try:
        with httpx.Client(base_url=base, timeout=120, follow_redirects=False) as client:
            token = _CSRF.search(client.get("/login").text)
            assert token, "the login form has a CSRF token"
            while not stop.is_set():
                address = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
                data = {
                    "name": f"guess{rng.randrange(10**9)}",
                    "password": f"password{rng.randrange(10**9)}",
                    "csrf_token": token[1],
                }
                started = time.perf_counter()
                response = client.post("/login", data=data, headers={"X-Forwarded-For": address})
                run.login_ms.append((time.perf_counter() - started) * 1000)
                run.statuses[response.status_code] += 1
    except Exception as error:  # a dead server, a timeout: the run failed, and says why
        run.errors.append(repr(error))


def run_once(args: argparse.Namespace, database_url: str | None, label: str) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="synthesist-login-flood-") as temp:
        site = Path(temp) / "site"
        reviews = build_site(
            site,
            reviews=1,
            reviewers_per_review=args.reviewers,
            records=args.records,
            database_url=database_url,
        )
        runs = [ReviewerRun(name, review.key) for review in reviews for name in review.reviewers]
        scenario = Scenario(
            label, database_url is not None, 1, 1, len(runs), args.decisions, args.records, False
        )
        attackers = [AttackerRun() for _ in range(args.attackers)]
        options = ["--forwarded-allow-ips", "127.0.0.1", "--workers", "1"]
        with running_server(site, Path(temp) / "server.log", options) as base:
            stop = threading.Event()
            attacking = [
                threading.Thread(target=attack, args=(base, run, n, stop)) for n, run in enumerate(attackers)
            ]
            started = time.perf_counter()
            for thread in attacking:
                thread.start()
            screening = [
                threading.Thread(target=screen, args=(base, run, scenario, 0.0, n, args.think_ms / 1000))
                for n, run in enumerate(runs)
            ]
            for thread in screening:
                thread.start()
            for thread in screening:
                thread.join()
            stop.wait(max(0.0, args.seconds - (time.perf_counter() - started)))
            stop.set()
            for thread in attacking:
                thread.join()
            flood_s = time.perf_counter() - started
        checked = verify(reviews, runs)
    statuses: Counter[int] = Counter()
    for attacker in attackers:
        statuses.update(attacker.statuses)
    errors = [f"{run.name}: {error}" for run in runs for error in run.errors]
    errors += [f"attacker: {error}" for attacker in attackers for error in attacker.errors]
    errors += [
        f"attackers got {count} × HTTP {status}" for status, count in statuses.items() if status >= 500
    ]
    result: dict[str, object] = {
        "database": label,
        "attackers": args.attackers,
        "reviewers": args.reviewers,
        "decisions_each": args.decisions,
        "think_ms": args.think_ms,
        "flood_s": round(flood_s, 1),
        "attempts": sum(statuses.values()),
        "attempts_per_s": round(sum(statuses.values()) / flood_s, 1),
        "attacker_statuses": {str(status): count for status, count in sorted(statuses.items())},
        "attacker_login": percentiles([ms for attacker in attackers for ms in attacker.login_ms]),
        "reviewer_login": percentiles([run.login_ms for run in runs if run.login_ms]),
        "decision_post": percentiles([ms for run in runs for ms in run.decision_ms]),
        "decision_plus_next": percentiles([ms for run in runs for ms in run.combined_ms]),
        "verification": checked,
        "errors": errors,
    }
    result["ok"] = not checked["problems"] and not errors
    return result


def markdown(results: list[dict[str, object]], target_ms: float) -> str:
    lines = [
        "## Login flood (`benchmarks/login_flood.py`)",
        "",
        f"{measured_on()}. `synthesist serve` (uvicorn, one process) with `--forwarded-allow-ips "
        "127.0.0.1`; attackers post made-up names and passwords to `/login` as fast as they are "
        "answered, each attempt from an `X-Forwarded-For` address of its own (a botnet: no limit per "
        "address or name stops them, so every attempt is a full argon2 check), while reviewers screen "
        "in blind dual mode through the same server. Password checks run outside any database "
        "transaction, at most one per two cores at a time, in threads of lower priority (nice 10).",
        "",
    ]
    for result in results:
        checked, combined = result["verification"], result["decision_plus_next"]
        statuses, errors = result["attacker_statuses"], result["errors"]
        assert isinstance(checked, dict) and isinstance(combined, dict)
        assert isinstance(statuses, dict) and isinstance(errors, list)
        verdict = "met" if combined["p95"] < target_ms else "missed"
        answers = ", ".join(f"{count} × {status}" for status, count in statuses.items())
        lines += [
            f"### {result['database']}",
            "",
            f"{result['attackers']} attackers for {result['flood_s']} s: {result['attempts']} login "
            f"attempts ({result['attempts_per_s']}/s; answers {answers}). Meanwhile {result['reviewers']} "
            f"reviewers × {result['decisions_each']} decisions, reading time {result['think_ms']:.0f} ms: "
            f"stored {checked['stored']} = acknowledged {checked['acknowledged']}; "
            f"errors: {len(errors)}. Target p95 < {target_ms:.0f} ms for decision plus next record: "
            f"{verdict}.",
            "",
            "| Request | n | p50 ms | p95 ms | p99 ms | max ms |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, key in (
            ("Decision (POST)", "decision_post"),
            ("Decision plus next record", "decision_plus_next"),
            ("Reviewer's login (POST)", "reviewer_login"),
            ("Attacker's login attempt (POST)", "attacker_login"),
        ):
            figures = result[key]
            assert isinstance(figures, dict)
            lines.append(figures_row(name, figures))
        lines.append("")
    lines.append(
        "Run: `make benchmark-login-flood` (SQLite, then PostgreSQL at "
        "`postgresql://postgres@127.0.0.1:5432`, in a fresh database dropped afterwards)."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attackers", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=30.0, help="the least time the flood lasts")
    parser.add_argument("--reviewers", type=int, default=5)
    parser.add_argument("--decisions", type=int, default=30, help="decisions per reviewer")
    parser.add_argument("--think-ms", type=float, default=1000.0, help="mean reading time per record")
    parser.add_argument("--records", type=int, default=0, help="default: enough for every vote")
    parser.add_argument("--postgres-url", help="also run on PostgreSQL, in a fresh database on this server")
    parser.add_argument("--no-sqlite", action="store_true", help="run on PostgreSQL only")
    parser.add_argument("--target-ms", type=float, default=500.0)
    parser.add_argument("--update-docs", type=Path, help="write the section into this markdown file")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    args = parser.parse_args(argv)
    if not args.records:
        args.records = max(10, args.reviewers * args.decisions)
    results = []
    if not args.no_sqlite:
        results.append(run_once(args, None, "SQLite"))
        print(json.dumps(results[-1], indent=1), flush=True)
    if args.postgres_url:
        with fresh_postgres_database(args.postgres_url) as url:
            results.append(run_once(args, url, "PostgreSQL"))
        print(json.dumps(results[-1], indent=1), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    if args.update_docs:
        write_section(args.update_docs, SECTION, markdown(results, args.target_ms))
    return 0 if all(result["ok"] for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
