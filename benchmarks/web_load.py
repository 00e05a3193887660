"""The web app under load: many reviewers screening at once through a real server.

A temporary project gets ``--records`` synthetic records and ``--reviewers`` user accounts (through
the services), and ``synthesist serve`` runs it in a subprocess on a free port (uvicorn, as in
production). Then every reviewer, in a thread of their own with an httpx client, logs in and makes
``--decisions`` title/abstract decisions the way the browser does: POST the decision form (answered
303), then GET the screening page it redirects to, which shows the next record.

**Why dual screening.** Title/abstract screening is in blind *dual* mode with all reviewers on the
list, so every record needs two independent votes and any two of the twenty may give them. That
makes "exactly once" testable in both directions under contention: a reviewer must never be shown,
or be able to vote on, a record they have already decided (their own queue), and a record must
be stored twice when reviewers submit at the same moment (the shared state). Several reviewers
being shown the same record at once is normal; a vote the server refuses (409, e.g. a record that
stopped being open) is counted, not treated as a decision, and the reviewer moves on to the next
record, as a person would. A record may end with a third vote: a reviewer shown it before its
second vote arrived still casts theirs, and the services accept a third independent vote in dual
mode; the figure is reported.

Afterwards the stored decisions are read back through the services and checked: per reviewer, the
active decisions are exactly those the server acknowledged with a 303 (none lost, none doubled); no
reviewer has two active decisions on one record and stage; records with more than two votes are
counted.

Latency is reported per request type (login POST, decision POST, next-record GET) and for
"decision plus next record" (what a reviewer waits for between two records), as p50/p95/p99 in
milliseconds. Target: p95 of decision plus next record under 100 ms.

    python benchmarks/web_load.py [--reviewers 20] [--decisions 200] [--records 3000]
                                  [--postgres-url postgresql://postgres@127.0.0.1:5432/postgres]
                                  [--think-ms 0] [--update-docs docs/benchmarks.md] [--json results.json]

With ``--postgres-url`` the project lives in a fresh database created on that server (named
``synthesist_web_load_<pid>``) and dropped afterwards; without it, in a SQLite ``review.db``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import tomlkit

from synthesist.review.accounts import Role
from synthesist.review.project import find_project
from synthesist.screening.model import Stage
from synthesist.services.accounts.users import add_member, add_user
from synthesist.services.projects import init_project
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.screening.decisions import overview
from synthesist.workspace import open_workspace

sys.path.insert(0, str(Path(__file__).parent))
from docs_section import measured_on, write_section

PASSWORD = "load-test-password"
SECTION = "web-load"
WORDS = [
    "physiotherapy",
    "back",
    "pain",
    "chronic",
    "patient",
    "partnership",
    "self-management",
    "qualitative",
    "interview",
    "trial",
    "cohort",
    "exercise",
    "therapy",
    "adults",
    "children",
    "diabetes",
    "insulin",
    "cancer",
    "surgery",
    "outcome",
    "hospital",
    "primary",
    "care",
    "nurse",
    "education",
    "adherence",
    "intervention",
    "randomised",
    "systematic",
    "review",
    "telehealth",
    "community",
    "barriers",
    "facilitators",
    "experience",
    "quality",
    "life",
    "mortality",
    "rehabilitation",
    "stroke",
    "knee",
    "hip",
]
_RECORD_ID = re.compile(r'name="record_id" value="(\d+)"')
_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


# ---------------------------------------------------------------- the project and the server


def synthetic_ris(count: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    entries = []
    for n in range(1, count + 1):
        title = " ".join(rng.choices(WORDS, k=8)).capitalize()
        abstract = " ".join(rng.choices(WORDS, k=120)).capitalize() + "."
        entries.append(
            f"TY  - JOUR\nID  - {n}\nAU  - Author{n % 97}, A.\nTI  - {title} {n}\nJO  - Journal {n % 13}\n"
            f"PY  - {1990 + n % 35}\nDO  - 10.5555/load.{n}\nAB  - {abstract}\nER  - \n"
        )
    return "\n".join(entries)


def reviewer_names(count: int) -> list[str]:
    return [f"reviewer{n:02d}" for n in range(1, count + 1)]


def build_project(folder: Path, records: int, reviewers: list[str], database_url: str | None) -> None:
    init_project(folder, "Web load benchmark").close()
    document = tomlkit.parse((folder / "review.toml").read_text(encoding="utf-8"))
    if database_url:
        document["database_url"] = database_url
    document["screening"]["title_abstract"]["mode"] = "dual"
    document["screening"]["title_abstract"]["reviewers"] = reviewers
    (folder / "review.toml").write_text(tomlkit.dumps(document), encoding="utf-8")
    workspace = open_workspace(find_project(folder), actor="benchmark", create=True)
    try:
        export = folder / "records.ris"
        export.write_text(synthetic_ris(records), encoding="utf-8")
        import_files(workspace, ImportRequest(paths=[export], source="Synthetic"))
        for name in reviewers:
            add_user(workspace, name, PASSWORD)
            add_member(workspace, name, Role.REVIEWER)
    finally:
        workspace.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(folder: Path, log: Path, options: Sequence[str] = ()) -> Iterator[str]:
    """``synthesist serve`` (with ``options``) on a free port until the block ends; yields its base URL."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "synthesist"), "serve", "--project", str(folder)]
    command += ["--port", str(port), *options]
    with log.open("w") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start; see {log}:\n{log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@contextmanager
def fresh_postgres_database(server_url: str) -> Iterator[str]:
    """A new database on the server of ``server_url``, dropped afterwards; yields its URL."""
    import psycopg

    name = f"synthesist_web_load_{os.getpid()}"
    parts = urlsplit(server_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ---------------------------------------------------------------- the reviewers


@dataclass
class ReviewerRun:
    name: str
    login_ms: float = 0.0
    decision_ms: list[float] = field(default_factory=list)
    next_ms: list[float] = field(default_factory=list)
    combined_ms: list[float] = field(default_factory=list)
    first_page_ms: float = 0.0
    acknowledged: list[int] = field(default_factory=list)  # records whose decision got a 303
    refused: int = 0  # votes refused because the record had its two votes already (409)
    errors: list[str] = field(default_factory=list)


def _timed(
    client: httpx.Client, method: str, url: str, data: dict[str, str] | None = None
) -> tuple[httpx.Response, float]:
    """The response and how long it took, in milliseconds."""
    started = time.perf_counter()
    response = client.request(method, url, data=data)
    return response, (time.perf_counter() - started) * 1000


def screen(
    base: str, run: ReviewerRun, decisions: int, start: threading.Barrier, seed: int, think_s: float
) -> None:
    """One reviewer's session; whatever stops it early is noted in ``run.errors``."""
    try:
        _screen(base, run, decisions, start, seed, think_s)
    except Exception as error:  # a dead server, a timeout: the run failed, and says why
        run.errors.append(f"after {len(run.acknowledged)} decisions: {error!r}")
    if len(run.acknowledged) < decisions and not run.errors:
        run.errors.append(f"stopped after {len(run.acknowledged)} of {decisions} decisions")


def _screen(
    base: str, run: ReviewerRun, decisions: int, start: threading.Barrier, seed: int, think_s: float
) -> None:
    rng = random.Random(seed)
    url = "/screen/title-abstract"
    with httpx.Client(base_url=base, timeout=60, follow_redirects=False) as client:
        start.wait()
        form = client.get("/login")
        token = _CSRF.search(form.text)
        assert token, "the login form has a CSRF token"
        credentials = {"name": run.name, "password": PASSWORD, "csrf_token": token[1]}
        response, run.login_ms = _timed(client, "POST", "/login", credentials)
        if response.status_code != 303:
            run.errors.append(f"login: {response.status_code}")
            return
        key = client.get("/").text.split('href="/p/', 1)[1].split('"', 1)[0]
        page_url = f"/p/{key}{url}"
        page, run.first_page_ms = _timed(client, "GET", page_url)
        while len(run.acknowledged) < decisions:
            found, csrf = _RECORD_ID.search(page.text), _CSRF.search(page.text)
            if found is None or csrf is None:
                run.errors.append(f"no record left after {len(run.acknowledged)} decisions")
                return
            record_id = int(found[1])
            if think_s:
                time.sleep(rng.uniform(0.5, 1.5) * think_s)  # reading the record: not timed
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


# ---------------------------------------------------------------- checking and reporting


def verify(folder: Path, runs: list[ReviewerRun]) -> dict[str, object]:
    """The stored decisions against what the server acknowledged, read through the services."""
    workspace = open_workspace(find_project(folder), actor="benchmark")
    try:
        view = overview(workspace)
    finally:
        workspace.close()
    stored: dict[str, Counter[int]] = defaultdict(Counter)
    votes_per_record: Counter[int] = Counter()
    for record_id, decisions in view.decisions.items():
        for decision in decisions:
            if decision.stage is Stage.TITLE_ABSTRACT and decision.active:
                stored[decision.reviewer][record_id] += 1
                votes_per_record[record_id] += 1
    problems: list[str] = []
    for run in runs:
        mine = stored.get(run.name, Counter())
        doubled = sorted(record for record, count in mine.items() if count > 1)
        sent = Counter(run.acknowledged)
        lost = sorted(set(sent) - set(mine))
        extra = sorted(set(mine) - set(sent))
        repeated = sorted(record for record, count in sent.items() if count > 1)
        for label, found in (("doubled", doubled), ("lost", lost), ("unacknowledged", extra)):
            if found:
                problems.append(f"{run.name}: {len(found)} {label} decisions (records {found[:10]})")
        if repeated:
            problems.append(f"{run.name}: shown and accepted twice: records {repeated[:10]}")
    # Not a lost or doubled decision: a reviewer shown a record that got its second vote while they
    # read it still casts theirs, and the services accept a third independent vote in dual mode.
    over = sorted(record for record, count in votes_per_record.items() if count > 2)
    return {
        "records_with_more_than_two_votes": len(over),
        "stored": sum(sum(counter.values()) for counter in stored.values()),
        "acknowledged": sum(len(run.acknowledged) for run in runs),
        "per_reviewer": {run.name: sum(stored.get(run.name, Counter()).values()) for run in runs},
        "problems": problems,
    }


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0, "p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0}
    ordered = sorted(values)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    return {"n": len(ordered), "p50": at(0.5), "p95": at(0.95), "p99": at(0.99), "max": ordered[-1]}


def run_once(args: argparse.Namespace, database_url: str | None, label: str) -> dict[str, object]:
    reviewers = reviewer_names(args.reviewers)
    with tempfile.TemporaryDirectory(prefix="synthesist-web-load-") as temp:
        folder = Path(temp) / "project"
        started = time.perf_counter()
        build_project(folder, args.records, reviewers, database_url)
        setup_s = time.perf_counter() - started
        runs = [ReviewerRun(name) for name in reviewers]
        with running_server(folder, Path(temp) / "server.log") as base:
            barrier = threading.Barrier(len(runs))
            threads = [
                threading.Thread(
                    target=screen, args=(base, run, args.decisions, barrier, n, args.think_ms / 1000)
                )
                for n, run in enumerate(runs)
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall_s = time.perf_counter() - started
        checked = verify(folder, runs)
    errors = [f"{run.name}: {error}" for run in runs for error in run.errors]
    result: dict[str, object] = {
        "database": label,
        "records": args.records,
        "reviewers": args.reviewers,
        "decisions_each": args.decisions,
        "think_ms": args.think_ms,
        "setup_s": round(setup_s, 1),
        "wall_s": round(wall_s, 1),
        "throughput_per_s": round(sum(len(r.acknowledged) for r in runs) / wall_s, 1),
        "refused_409": sum(run.refused for run in runs),
        "login": percentiles([run.login_ms for run in runs if run.login_ms]),
        "first_page": percentiles([run.first_page_ms for run in runs if run.first_page_ms]),
        "decision_post": percentiles([ms for run in runs for ms in run.decision_ms]),
        "next_get": percentiles([ms for run in runs for ms in run.next_ms]),
        "decision_plus_next": percentiles([ms for run in runs for ms in run.combined_ms]),
        "verification": checked,
        "errors": errors,
    }
    result["exactly_once"] = not checked["problems"] and not errors
    return result


def figures_row(name: str, figures: dict[str, float]) -> str:
    """One table row of percentiles (shared with login_flood.py)."""
    return (
        f"| {name} | {figures['n']} | {figures['p50']:.0f} | {figures['p95']:.0f} | "
        f"{figures['p99']:.0f} | {figures['max']:.0f} |"
    )


def markdown(results: list[dict[str, object]], target_ms: float, note: str = "") -> str:
    lines = [
        "## Web app under load (`benchmarks/web_load.py`)",
        "",
        f"{measured_on()}. Server and clients on the same machine: `synthesist serve` (uvicorn, one "
        "process) in a subprocess, reviewers as threads with an httpx client each. Title/abstract "
        "screening in blind dual mode with every reviewer on the list, so any two reviewers may vote "
        "on a record (see the script's docstring for why). Reading time is the pause between "
        "getting a record and posting the decision (not timed); with none, each reviewer posts at "
        "once: a stress test, not a typical session.",
        "",
    ]
    for result in results:
        checked = result["verification"]
        assert isinstance(checked, dict)
        combined = result["decision_plus_next"]
        assert isinstance(combined, dict)
        verdict = "met" if combined["p95"] < target_ms else "missed"
        lines += [
            f"### {result['database']}, reading time {result['think_ms']:.0f} ms",
            "",
            f"{result['reviewers']} reviewers × {result['decisions_each']} decisions on "
            f"{result['records']} records, reading time {result['think_ms']:.0f} ms: {result['wall_s']} s, "
            f"{result['throughput_per_s']} decisions/s; "
            f"{result['refused_409']} votes refused (409); {checked['records_with_more_than_two_votes']} "
            "records got a third vote (shown to a reviewer before their second vote arrived). "
            f"Stored decisions {checked['stored']} = acknowledged {checked['acknowledged']}; "
            f"exactly once: {'yes' if result['exactly_once'] else 'NO'}"
            + (f" ({'; '.join(checked['problems'][:3])})" if checked["problems"] else "")
            + f". Target p95 < {target_ms:.0f} ms for decision plus next record: {verdict}.",
            "",
            "| Request | n | p50 ms | p95 ms | p99 ms | max ms |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, figure_key in (
            ("Login (POST)", "login"),
            ("First screening page (builds the reviewer's queue)", "first_page"),
            ("Decision (POST)", "decision_post"),
            ("Next record (GET)", "next_get"),
            ("Decision plus next record", "decision_plus_next"),
        ):
            figures = result[figure_key]
            assert isinstance(figures, dict)
            lines.append(figures_row(name, figures))
        lines.append("")
    if note:
        lines += [note, ""]
    lines.append(
        "Run: `make benchmark-web` (SQLite, then PostgreSQL at "
        "`postgresql://postgres@127.0.0.1:5432`, in a fresh database dropped afterwards)."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reviewers", type=int, default=20)
    parser.add_argument("--decisions", type=int, default=200, help="decisions per reviewer")
    parser.add_argument("--records", type=int, default=0, help="default: enough for every vote, plus a fifth")
    parser.add_argument("--postgres-url", help="also run on PostgreSQL, in a fresh database on this server")
    parser.add_argument("--no-sqlite", action="store_true", help="run on PostgreSQL only")
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0.0,
        help="mean reading time before each decision (0: post at once, a stress test)",
    )
    parser.add_argument("--target-ms", type=float, default=100.0)
    parser.add_argument("--update-docs", type=Path, help="write the section into this markdown file")
    parser.add_argument("--note", default="", help="a paragraph added to the section (e.g. what changed)")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    args = parser.parse_args(argv)
    if not args.records:
        # two votes per record in dual mode; the extra fifth keeps records waiting at the very end
        args.records = max(10, args.reviewers * args.decisions * 6 // 10)
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
        write_section(args.update_docs, SECTION, markdown(results, args.target_ms, args.note))
    return 0 if all(result["exactly_once"] for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
