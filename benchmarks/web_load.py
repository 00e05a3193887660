"""The web app under load: reviewers in several reviews screening at once through a real server.

A temporary Synthesist site gets ``--reviews`` reviews with ``--reviewers`` accounts spread over them
and ``--records`` synthetic records each, its screening rankings trained (as the server's job does),
and ``synthesist serve --site`` runs it in a subprocess on a free port with ``--workers`` web processes
(uvicorn, as in production). Every reviewer, in a thread of their own with an httpx client, logs in
and makes ``--decisions`` title/abstract decisions the way the browser does: POST the decision form
(answered 303), then GET the screening page it redirects to, which shows the next record.

**Reading time.** Between getting a record and posting the decision a reviewer reads it. The pause
is drawn from a log-normal distribution with a median of ``--reading-median`` seconds (5 by default;
spread sigma 0.6: half the records take 3.3–7.5 s, one in twenty over 13 s), the shape reading and
response times take; its quantiles, as drawn, are printed and written with the results. Reviewers
arrive spread over the first ``--arrival-s`` seconds, as a team starting its morning does. With
``--stress`` nobody reads and everyone arrives at once: the server's worst case, not a session.

**Why dual screening.** Title/abstract screening is in blind *dual* mode with all of a review's
reviewers on its list, so every record needs two independent votes and any two may give them. That
makes "exactly once" testable in both directions under contention: a reviewer must never be shown,
or be able to vote on, a record they have already decided, and a record must be stored twice when
reviewers submit at the same moment. Several reviewers being shown the same record at once is
normal; a vote the server refuses (409: the record got its two votes meanwhile) is counted, not a
decision, and the reviewer moves on. No record may end with a third vote.

Afterwards the stored decisions are read back through the services and checked: per reviewer, the
active decisions are exactly those the server acknowledged with a 303 (none lost, none doubled).
Latency is reported per request type and for "decision plus next record" as p50/p95/p99 in ms.

**First page of a large review** (``--first-page-records``, default 10,000): one review of that many
records with its ranking precomputed; reviewers open its screening page one after another.

    python benchmarks/web_load.py [--reviews 5] [--reviewers 50] [--decisions 30] [--workers 2]
        [--postgres-url postgresql://postgres@127.0.0.1:5432/postgres] [--no-sqlite]
        [--stress] [--reading-median 5] [--update-docs docs/benchmarks.md] [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from docs_section import measured_on, write_section
from web_load_site import PASSWORD, SiteReview, build_site, fresh_postgres_database, running_server

from synthesist.review.project import find_project
from synthesist.screening.model import Stage
from synthesist.services.screening.decisions import overview
from synthesist.workspace import open_workspace

SECTION = "web-load"
READING_SIGMA = 0.6
_RECORD_ID = re.compile(r'name="record_id" value="(\d+)"')
_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


@dataclass(frozen=True)
class Scenario:
    label: str
    postgres: bool
    workers: int
    reviews: int
    reviewers: int
    decisions: int
    records: int
    stress: bool


@dataclass
class ReviewerRun:
    name: str
    key: str
    login_ms: float = 0.0
    first_page_ms: float = 0.0
    decision_ms: list[float] = field(default_factory=list)
    next_ms: list[float] = field(default_factory=list)
    combined_ms: list[float] = field(default_factory=list)
    reading_s: list[float] = field(default_factory=list)
    acknowledged: list[int] = field(default_factory=list)  # records whose decision got a 303
    refused: int = 0  # votes refused because the record had its votes already (409)
    errors: list[str] = field(default_factory=list)


def _timed(
    client: httpx.Client, method: str, url: str, data: dict[str, str] | None = None
) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    response = client.request(method, url, data=data)
    return response, (time.perf_counter() - started) * 1000


def _log_in(client: httpx.Client, run: ReviewerRun) -> bool:
    token = _CSRF.search(client.get("/login").text)
    assert token, "the login form has a CSRF token"
    credentials = {"name": run.name, "password": PASSWORD, "csrf_token": token[1]}
    response, run.login_ms = _timed(client, "POST", "/login", credentials)
    if response.status_code != 303:
        run.errors.append(f"login: {response.status_code}")
        return False
    return True


def screen(
    base: str, run: ReviewerRun, scenario: Scenario, delay_s: float, seed: int, median_s: float
) -> None:
    """One reviewer's session; whatever stops it early is noted in ``run.errors``."""
    try:
        time.sleep(delay_s)
        _screen(base, run, scenario, random.Random(seed), median_s)
    except Exception as error:  # a dead server, a timeout: the run failed, and says why
        run.errors.append(f"after {len(run.acknowledged)} decisions: {error!r}")
    if len(run.acknowledged) < scenario.decisions and not run.errors:
        run.errors.append(f"stopped after {len(run.acknowledged)} of {scenario.decisions} decisions")


def _screen(base: str, run: ReviewerRun, scenario: Scenario, rng: random.Random, median_s: float) -> None:
    with httpx.Client(base_url=base, timeout=120, follow_redirects=False) as client:
        if not _log_in(client, run):
            return
        page_url = f"/p/{run.key}/screen/title-abstract"
        page, run.first_page_ms = _timed(client, "GET", page_url)
        while len(run.acknowledged) < scenario.decisions:
            found, csrf = _RECORD_ID.search(page.text), _CSRF.search(page.text)
            if found is None or csrf is None:
                run.errors.append(
                    f"no record offered after {len(run.acknowledged)} decisions ({page.status_code})"
                )
                return
            record_id = int(found[1])
            if not scenario.stress and median_s > 0:
                pause = min(60.0, rng.lognormvariate(math.log(median_s), READING_SIGMA))
                run.reading_s.append(pause)
                time.sleep(pause)  # reading the record: not timed
            data = {
                "shortcut": rng.choice("ie"),
                "record_id": str(record_id),
                "csrf_token": csrf[1],
                "skip": "",
            }
            posted, post_ms = _timed(client, "POST", page_url, data)
            if posted.status_code == 303:
                run.acknowledged.append(record_id)
                page, get_ms = _timed(client, "GET", posted.headers["location"])
                run.decision_ms.append(post_ms)
                run.next_ms.append(get_ms)
                run.combined_ms.append(post_ms + get_ms)
            elif posted.status_code == 409:
                run.refused += 1
                page = client.get(page_url)
            else:
                run.errors.append(f"decision on record {record_id}: {posted.status_code} {posted.text[:200]}")
                return
            if page.status_code != 200:
                run.errors.append(f"next record: {page.status_code}")
                return


def verify(reviews: list[SiteReview], runs: list[ReviewerRun]) -> dict[str, object]:
    """The stored decisions against what the server acknowledged, read through the services."""
    stored: dict[str, Counter[int]] = defaultdict(Counter)
    votes_per_record: Counter[tuple[str, int]] = Counter()
    for review in reviews:
        workspace = open_workspace(find_project(review.folder), actor="benchmark")
        try:
            view = overview(workspace)
        finally:
            workspace.close()
        for record_id, decisions in view.decisions.items():
            for decision in decisions:
                if decision.stage is Stage.TITLE_ABSTRACT and decision.active:
                    stored[decision.reviewer][record_id] += 1
                    votes_per_record[(review.key, record_id)] += 1
    problems: list[str] = []
    for run in runs:
        mine = stored.get(run.name, Counter())
        sent = Counter(run.acknowledged)
        for label, found in (
            ("doubled", sorted(r for r, count in mine.items() if count > 1)),
            ("lost", sorted(set(sent) - set(mine))),
            ("unacknowledged", sorted(set(mine) - set(sent))),
            ("accepted twice", sorted(r for r, count in sent.items() if count > 1)),
        ):
            if found:
                problems.append(f"{run.name}: {len(found)} {label} decisions (records {found[:10]})")
    third = sorted(record for record, count in votes_per_record.items() if count > 2)
    if third:
        problems.append(f"{len(third)} records with a third vote: {third[:5]}")
    return {
        "records_with_a_third_vote": len(third),
        "stored": sum(sum(counter.values()) for counter in stored.values()),
        "acknowledged": sum(len(run.acknowledged) for run in runs),
        "problems": problems,
    }


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0, "p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0}
    ordered = sorted(values)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    return {"n": len(ordered), "p50": at(0.5), "p95": at(0.95), "p99": at(0.99), "max": ordered[-1]}


def run_scenario(scenario: Scenario, args: argparse.Namespace, postgres_url: str | None) -> dict[str, object]:
    per_review = max(1, scenario.reviewers // scenario.reviews)
    with tempfile.TemporaryDirectory(prefix="synthesist-web-load-") as temp:
        started = time.perf_counter()
        reviews = build_site(
            Path(temp) / "site",
            reviews=scenario.reviews,
            reviewers_per_review=per_review,
            records=scenario.records,
            database_url=postgres_url,
        )
        setup_s = time.perf_counter() - started
        runs = [ReviewerRun(name, review.key) for review in reviews for name in review.reviewers]
        rng = random.Random(11)
        delays = [0.0 if scenario.stress else rng.uniform(0, args.arrival_s) for _ in runs]
        options = ["--workers", str(scenario.workers)]
        with running_server(Path(temp) / "site", Path(temp) / "server.log", options) as base:
            threads = [
                threading.Thread(target=screen, args=(base, run, scenario, delay, n, args.reading_median))
                for n, (run, delay) in enumerate(zip(runs, delays, strict=True))
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall_s = time.perf_counter() - started
        checked = verify(reviews, runs)
    errors = [f"{run.name}: {error}" for run in runs for error in run.errors]
    reading = sorted(s for run in runs for s in run.reading_s)
    result: dict[str, object] = {
        "scenario": scenario.__dict__,
        "setup_s": round(setup_s, 1),
        "wall_s": round(wall_s, 1),
        "throughput_per_s": round(sum(len(r.acknowledged) for r in runs) / wall_s, 1),
        "refused_409": sum(run.refused for run in runs),
        "reading_s": {
            "n": len(reading),
            **(
                {
                    f"p{q}": round(reading[min(len(reading) - 1, len(reading) * q // 100)], 1)
                    for q in (5, 25, 50, 75, 95)
                }
                if reading
                else {}
            ),
        },
        "login": percentiles([run.login_ms for run in runs if run.login_ms]),
        "first_page": percentiles([run.first_page_ms for run in runs if run.first_page_ms]),
        "decision_post": percentiles([ms for run in runs for ms in run.decision_ms]),
        "next_get": percentiles([ms for run in runs for ms in run.next_ms]),
        "decision_plus_next": percentiles([ms for run in runs for ms in run.combined_ms]),
        "verification": checked,
        "errors": errors[:20],
    }
    result["exactly_once"] = not checked["problems"] and not errors
    return result


def first_page(args: argparse.Namespace, postgres_url: str | None, label: str) -> dict[str, object]:
    """The first screening page of a large review, its ranking precomputed, opened by reviewers in turn."""
    with tempfile.TemporaryDirectory(prefix="synthesist-first-page-") as temp:
        started = time.perf_counter()
        (review,) = build_site(
            Path(temp) / "site",
            reviews=1,
            reviewers_per_review=5,
            records=args.first_page_records,
            database_url=postgres_url,
        )
        setup_s = time.perf_counter() - started
        times: list[float] = []
        with running_server(Path(temp) / "site", Path(temp) / "server.log", ["--workers", "1"]) as base:
            for name in review.reviewers:
                run = ReviewerRun(name, review.key)
                with httpx.Client(base_url=base, timeout=120, follow_redirects=False) as client:
                    assert _log_in(client, run), run.errors
                    page, elapsed = _timed(client, "GET", f"/p/{review.key}/screen/title-abstract")
                    assert page.status_code == 200 and _RECORD_ID.search(page.text), page.status_code
                    times.append(elapsed)
    return {
        "database": label,
        "records": args.first_page_records,
        "setup_s": round(setup_s, 1),
        "first_page": percentiles(times),
    }


def figures_row(name: str, figures: dict[str, float]) -> str:
    """One table row of percentiles (shared with login_flood.py)."""
    return (
        f"| {name} | {figures['n']} | {figures['p50']:.0f} | {figures['p95']:.0f} | "
        f"{figures['p99']:.0f} | {figures['max']:.0f} |"
    )


def _verdict(value: float, target: float) -> str:
    return f"{value:.0f} ms, target < {target:.0f} ms: {'met' if value < target else 'MISSED'}"


def markdown(results: list[dict[str, object]], pages: list[dict[str, object]], note: str = "") -> str:
    lines = [
        "## Web app under load (`benchmarks/web_load.py`)",
        "",
        f"{measured_on()}. Server and clients on the same machine: `synthesist serve --site` (uvicorn "
        "with `--workers` web processes, and one job worker) in a subprocess, reviewers as threads with "
        "an httpx client each, in several reviews of one site. Title/abstract screening in blind dual "
        "mode with each review's reviewers all on its list, so any two may vote on a record; each "
        "review's ranking trained beforehand, as the server's ranking job does. Reading time between "
        f"records is log-normal, median {READING_MEDIAN_DEFAULT:.0f} s (sigma {READING_SIGMA}); reviewers "
        "arrive over the first 30 s. Stress: no reading time, everyone at once.",
        "",
    ]
    for result in results:
        scenario = result["scenario"]
        checked = result["verification"]
        combined = result["decision_plus_next"]
        login = result["login"]
        reading = result["reading_s"]
        assert isinstance(scenario, dict) and isinstance(checked, dict)
        assert isinstance(combined, dict) and isinstance(login, dict) and isinstance(reading, dict)
        target = 1000.0 if scenario["stress"] else 150.0
        read = (
            "no reading time (stress)"
            if scenario["stress"]
            else "reading time as drawn: " + ", ".join(f"{k} {v} s" for k, v in reading.items() if k != "n")
        )
        lines += [
            f"### {scenario['label']}",
            "",
            f"{scenario['reviewers']} reviewers in {scenario['reviews']} reviews × {scenario['decisions']} "
            f"decisions, {scenario['records']} records per review, {scenario['workers']} web process(es); "
            f"{read}. {result['wall_s']} s, {result['throughput_per_s']} decisions/s; "
            f"{result['refused_409']} votes refused (409, the record got its votes meanwhile); "
            f"records with a third vote: {checked['records_with_a_third_vote']}. Stored decisions "
            f"{checked['stored']} = acknowledged {checked['acknowledged']}; exactly once: "
            f"{'yes' if result['exactly_once'] else 'NO'}"
            + (f" ({'; '.join(checked['problems'][:3])})" if checked["problems"] else "")
            + f". Decision plus next record p95: {_verdict(combined['p95'], target)}. "
            f"Login p95: {_verdict(login['p95'], 1000.0)}.",
            "",
            "| Request | n | p50 ms | p95 ms | p99 ms | max ms |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, key in (
            ("Login (POST, argon2id)", "login"),
            ("First screening page", "first_page"),
            ("Decision (POST)", "decision_post"),
            ("Next record (GET)", "next_get"),
            ("Decision plus next record", "decision_plus_next"),
        ):
            figures = result[key]
            assert isinstance(figures, dict)
            lines.append(figures_row(name, figures))
        lines.append("")
    if pages:
        lines += ["### First screening page of a large review (ranking precomputed)", ""]
        lines += [
            "| Database | Records | n | p50 ms | p95 ms | max ms | Target < 1 s |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for page in pages:
            figures = page["first_page"]
            assert isinstance(figures, dict)
            verdict = "met" if figures["max"] < 1000 else "MISSED"
            lines.append(
                f"| {page['database']} | {page['records']:,} | {figures['n']} | {figures['p50']:.0f} | "
                f"{figures['p95']:.0f} | {figures['max']:.0f} | {verdict} |"
            )
        lines.append("")
    if note:
        lines += [note, ""]
    lines.append(
        "Run: `make benchmark-web` (PostgreSQL at `postgresql://postgres@127.0.0.1:5432`, in a fresh "
        "database dropped afterwards, then SQLite)."
    )
    return "\n".join(lines)


READING_MEDIAN_DEFAULT = 5.0


def acceptance_scenarios(args: argparse.Namespace) -> list[Scenario]:
    """The issue's matrix: 50 reviewers in 5 reviews on PostgreSQL with 2 web processes and with 1,
    reading and stress; 10 reviewers on SQLite."""
    d, r = args.decisions, args.records
    found = []
    if args.postgres_url:
        found += [
            Scenario("PostgreSQL, 2 web processes, reading", True, 2, 5, 50, d, r, False),
            Scenario("PostgreSQL, 1 web process, reading", True, 1, 5, 50, d, r, False),
            Scenario("PostgreSQL, 2 web processes, stress", True, 2, 5, 50, d, r, True),
            Scenario("PostgreSQL, 1 web process, stress", True, 1, 5, 50, d, r, True),
        ]
    if not args.no_sqlite:
        found += [
            Scenario("SQLite, 2 web processes, reading", False, 2, 2, 10, d, r, False),
            Scenario("SQLite, 2 web processes, stress", False, 2, 2, 10, d, r, True),
        ]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--acceptance", action="store_true", help="run the issue's whole matrix")
    parser.add_argument("--reviews", type=int, default=5)
    parser.add_argument("--reviewers", type=int, default=50, help="in all, spread over the reviews")
    parser.add_argument("--decisions", type=int, default=30, help="decisions per reviewer")
    parser.add_argument("--records", type=int, default=2000, help="records per review")
    parser.add_argument("--workers", type=int, default=2, help="web processes")
    parser.add_argument("--stress", action="store_true", help="no reading time, everyone at once")
    parser.add_argument("--reading-median", type=float, default=READING_MEDIAN_DEFAULT, help="seconds")
    parser.add_argument(
        "--arrival-s", type=float, default=30.0, help="reviewers arrive over this many seconds"
    )
    parser.add_argument("--first-page-records", type=int, default=10_000, help="0: skip that measurement")
    parser.add_argument("--postgres-url", help="run on PostgreSQL, in a fresh database on this server")
    parser.add_argument("--no-sqlite", action="store_true", help="run on PostgreSQL only")
    parser.add_argument("--update-docs", type=Path, help="write the section into this markdown file")
    parser.add_argument("--note", default="", help="a paragraph added to the section")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    args = parser.parse_args(argv)
    if args.acceptance:
        scenarios = acceptance_scenarios(args)
    else:
        scenarios = []
        for postgres in ([True] if args.postgres_url else []) + ([] if args.no_sqlite else [False]):
            kind = "stress" if args.stress else "reading"
            label = f"{'PostgreSQL' if postgres else 'SQLite'}, {args.workers} web process(es), {kind}"
            scenarios.append(
                Scenario(
                    label,
                    postgres,
                    args.workers,
                    args.reviews,
                    args.reviewers,
                    args.decisions,
                    args.records,
                    args.stress,
                )
            )
    results: list[dict[str, object]] = []
    for scenario in scenarios:
        print(f"== {scenario.label}", flush=True)
        if scenario.postgres:
            with fresh_postgres_database(args.postgres_url) as url:
                results.append(run_scenario(scenario, args, url))
        else:
            results.append(run_scenario(scenario, args, None))
        print(json.dumps(results[-1], indent=1), flush=True)
    pages: list[dict[str, object]] = []
    if args.first_page_records:
        if args.postgres_url:
            with fresh_postgres_database(args.postgres_url) as url:
                pages.append(first_page(args, url, "PostgreSQL"))
            print(json.dumps(pages[-1]), flush=True)
        if not args.no_sqlite:
            pages.append(first_page(args, None, "SQLite"))
            print(json.dumps(pages[-1]), flush=True)
    if args.json:
        args.json.write_text(
            json.dumps({"scenarios": results, "first_page": pages}, indent=1), encoding="utf-8"
        )
    if args.update_docs:
        write_section(args.update_docs, SECTION, markdown(results, pages, args.note))
    return 0 if all(result["exactly_once"] for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
