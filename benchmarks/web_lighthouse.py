"""Lighthouse on the dashboard and the title/abstract screening page, and the weight of every page.

The worked example (``synthesist demo``) is built in a temporary folder with an owner account (also a
site administrator, for the /admin pages) and served by ``synthesist serve --job-workers 0`` in a
subprocess, as in production. Lighthouse (npm, pinned in ``benchmarks/lighthouse``; ``npm ci`` there on
the first run) audits the dashboard (``/p/KEY``) and the screening page (``/p/KEY/screen/title-abstract``)
as the signed-in owner, with its desktop and mobile presets (mobile: a throttled mid-range phone), each
``--runs`` times; the run with the median performance score is reported. Target: performance and
accessibility at least 95 for both pages on both presets; a category under target is reported with
its failing audits and the elements they name.

**Page weight.** Every page of the app is loaded in headless Chromium (Playwright), each in a fresh
browser context (an empty cache: a first visit): the site pages, every GET page under ``/p/{key}``
found from the app's routes (filled with the key and each stage), and the pages behind an id reached by
following the first link to them, as ``tests/web/page_tour.py`` finds them. For each page the
bytes transferred for HTML, CSS and JS (response bodies as sent, by resource type), what they would
weigh gzipped (the app sends them uncompressed), and the number of requests until ``load``.

    python benchmarks/web_lighthouse.py [--runs 3] [--update-docs docs/benchmarks.md] [--json out.json]
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Request, sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
from docs_section import measured_on, write_section
from web_load_site import serving

from synthesist.review.accounts import Role
from synthesist.review.project import find_project
from synthesist.services.accounts.users import add_member, add_user, set_display_name
from synthesist.services.demo.build import build_demo
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.site import set_site_admin
from synthesist.web import create_app
from synthesist.web.app import api_routes
from synthesist.web.page_walk import walk_review_pages
from synthesist.web.security import SESSION_COOKIE
from synthesist.workspace import open_workspace

SECTION = "web_lighthouse"
OWNER, PASSWORD = "owner", "a long password for the benchmark"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
# The machine's network is closed: nothing in Chromium may try to reach the outside while measured.
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
LIGHTHOUSE_DIR = Path(__file__).parent / "lighthouse"
TARGET = 95
CATEGORIES = ("performance", "accessibility", "best-practices")
METRICS = {
    "FCP": "first-contentful-paint",
    "LCP": "largest-contentful-paint",
    "TBT": "total-blocking-time",
    "CLS": "cumulative-layout-shift",
}
# Diagnostics that score nothing themselves but say where the mobile FCP and LCP go.
DIAGNOSTICS = {
    "render-blocking-resources": "render-blocking CSS and JS",
    "uses-text-compression": "text compression",
    "unused-css-rules": "unused CSS",
}
SITE_PAGES = ("/", "/login", "/admin", "/admin/users", "/admin/reviews", "/admin/jobs", "/styleguide")
LINKS_JS = "links => links.map(a => a.getAttribute('href'))"
KINDS = {"document": "html", "stylesheet": "css", "script": "js"}


@dataclasses.dataclass
class PageWeight:
    path: str
    bytes: dict[str, int] = dataclasses.field(default_factory=lambda: dict.fromkeys(KINDS.values(), 0))
    requests: int = 0
    gzipped: int = 0  # the HTML, CSS and JS as a proxy that compresses them would send them
    encodings: set[str] = dataclasses.field(default_factory=set)  # Content-Encoding of the HTML, CSS and JS


UPDATE_SEARCH = "".join(
    f"TY  - JOUR\nAU  - Smith, J.\nTI  - {title}\nAB  - {abstract}\nPY  - 2024\nJO  - Physiotherapy\n"
    f"DO  - 10.1000/update.{n}\nN1  - PMID: {990000 + n}\nER  - \n"
    for n, (title, abstract) in enumerate(
        [
            (
                "Patient-professional partnership in chronic low back pain self-management",
                "Interviews with patients on how partnership with physiotherapists supports back pain "
                "self-management: shared goals, listening, and continuity of care over a year.",
            ),
            ("Insulin dosing in type 2 diabetes", "Glucose control with basal insulin in adults."),
            (
                "Shared decisions and self-management support for chronic back pain",
                "A qualitative study of partnership between patients with back pain and physiotherapists.",
            ),
        ],
        start=1,
    )
)


def build_example(folder: Path) -> tuple[str, list[str]]:
    """The worked example with the owner account; returns its key and the app's GET routes."""
    build_demo(folder)
    workspace = open_workspace(find_project(folder), actor="benchmark")
    try:
        add_user(workspace, OWNER, PASSWORD)
        add_member(workspace, OWNER, Role.OWNER)
        set_site_admin(workspace.accounts, OWNER)
        # The example is screened to the end: a later search brings new records, and the owner is one
        # of the listed screeners, so the screening page measured shows a record card, as in use.
        set_display_name(workspace, OWNER, "Ingrid Östlund-Berg")
        update = folder / "update-search.ris"
        update.write_text(UPDATE_SEARCH, encoding="utf-8")
        import_files(workspace, ImportRequest(paths=[update], source="MEDLINE"))
        app = create_app(workspace)
        routes = [route.path for route in api_routes(app) if "GET" in (route.methods or ())]
        return workspace.project.key, routes
    finally:
        workspace.close()


@contextmanager
def serving_review(folder: Path, log: Path) -> Iterator[str]:
    with serving(
        ["--project", str(folder), "--job-workers", "0"], log, {**os.environ, "SYNTHESIST_NO_SERVER": "1"}
    ) as base:
        yield base


def log_in(base: str) -> str:
    """The owner's session cookie, logged in through the form as a browser does."""
    with httpx.Client(base_url=base, follow_redirects=False) as client:
        token = re.search(r'name="csrf_token" value="([^"]*)"', client.get("/login").text)
        assert token, "the login form has a CSRF token"
        answer = client.post("/login", data={"name": OWNER, "password": PASSWORD, "csrf_token": token[1]})
        assert answer.status_code == 303, answer.status_code
        return str(client.cookies[SESSION_COOKIE])


def lighthouse_binary() -> Path:
    binary = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=LIGHTHOUSE_DIR, check=True)
    return binary


@dataclasses.dataclass
class Audit:
    """One Lighthouse run: scores (0-100), metrics, and the audits that cost points, with elements."""

    scores: dict[str, int]
    metrics: dict[str, str]
    failing: list[dict[str, object]]
    savings: dict[str, str]  # Lighthouse's estimates for DIAGNOSTICS that found something


@dataclasses.dataclass
class Result:
    page: str
    path: str
    preset: str
    median: Audit  # the run with the median performance score
    performance_runs: list[int]

    @property
    def met(self) -> bool:
        return all(self.median.scores[category] >= TARGET for category in ("performance", "accessibility"))


def _element(item: dict[str, Any]) -> str:
    """What an audit's item is about: an element's markup, a resource, or a console message and its source."""
    if "node" in item:
        return str(item["node"].get("snippet", ""))
    source = (item.get("sourceLocation") or {}).get("url") or item.get("url", "")
    return f"{item.get('description', '')} {source}".strip()


def audit(binary: Path, url: str, cookie: str, preset: str, out: Path) -> Audit:
    command = [str(binary), url, "--output=json", f"--output-path={out}", "--quiet"]
    command += [f"--chrome-flags={CHROME_FLAGS}", "--extra-headers", json.dumps({"Cookie": cookie})]
    if preset == "desktop":
        command.append("--preset=desktop")  # without it Lighthouse emulates a throttled phone
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300)
    report = json.loads(out.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise RuntimeError(f"Lighthouse on {url}: {report['runtimeError']}")
    if report["finalDisplayedUrl"] != url:  # a redirect to /login: the cookie was not taken
        raise RuntimeError(f"Lighthouse on {url} ended on {report['finalDisplayedUrl']}")
    audits, categories = report["audits"], report["categories"]
    failing: list[dict[str, object]] = []
    for category in CATEGORIES:
        for reference in categories[category]["auditRefs"]:
            found = audits[reference["id"]]
            if reference["weight"] > 0 and found["score"] is not None and found["score"] < 1:
                items = (found.get("details") or {}).get("items") or []
                origin = url[: url.index("/", len("http://"))]  # the port changes from run to run
                elements = [_element(item).replace(origin, "")[:160] for item in items[:5]]
                failing.append(
                    {"category": category, "id": reference["id"], "title": found["title"]}
                    | {"value": found.get("displayValue", ""), "elements": [e for e in elements if e]}
                )
    return Audit(
        scores={category: round(categories[category]["score"] * 100) for category in CATEGORIES},
        metrics={name: audits[key]["displayValue"].replace("\xa0", " ") for name, key in METRICS.items()},
        failing=failing,
        savings={
            label: audits[key].get("displayValue", "").replace("\xa0", " ")
            for key, label in DIAGNOSTICS.items()
            if audits[key]["score"] is not None and audits[key]["score"] < 1
        },
    )


def run_lighthouse(base: str, key: str, cookie: str, runs: int, temp: Path) -> list[Result]:
    binary = lighthouse_binary()
    header = f"{SESSION_COOKIE}={cookie}"
    results = []
    for label, path in (("Dashboard", f"/p/{key}"), ("Screening", f"/p/{key}/screen/title-abstract")):
        for preset in ("desktop", "mobile"):
            found = [audit(binary, base + path, header, preset, temp / "report.json") for _ in range(runs)]
            found.sort(key=lambda run: run.scores["performance"])
            performance = [run.scores["performance"] for run in found]
            results.append(Result(label, path, preset, found[len(found) // 2], performance))
            print(json.dumps(dataclasses.asdict(results[-1])), flush=True)
    return results


def crawl(base: str, key: str, cookie: str, routes: list[str]) -> tuple[list[PageWeight], list[str]]:
    """Every page's weight on a first visit; also the routes no link led to."""
    weights: list[PageWeight] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])

        def weigh(path: str, signed_in: bool = True) -> list[str]:
            # a context of its own per page: an empty cache, so every page is weighed as a first visit
            context = browser.new_context(base_url=base, viewport={"width": 1400, "height": 900})
            if signed_in:
                context.add_cookies([{"name": SESSION_COOKIE, "value": cookie, "url": base}])
            page = context.new_page()
            finished: list[Request] = []
            page.on("requestfinished", lambda request: finished.append(request))
            response = page.goto(path, wait_until="load")
            assert response is not None and response.status == 200, (path, response and response.status)
            assert response.url == base + path, f"{path} went to {response.url}"
            hrefs: list[str] = page.eval_on_selector_all(
                "a[href]", "links => links.map(a => a.getAttribute('href'))"
            )
            weight = PageWeight(path, requests=len(finished))
            for request in finished:
                kind, answer = KINDS.get(request.resource_type), request.response()
                if kind is None or answer is None:
                    continue
                weight.bytes[kind] += request.sizes()["responseBodySize"]
                weight.gzipped += len(gzip.compress(answer.body()))
                weight.encodings.add(answer.headers.get("content-encoding", "none"))
            weights.append(weight)
            context.close()
            return hrefs

        weigh("/login", signed_in=False)
        for path in SITE_PAGES:
            if path != "/login":
                weigh(path)
        behind_ids = walk_review_pages(routes, key, weigh)
        browser.close()
    return weights, behind_ids


def _kb(count: int) -> str:
    return f"{count / 1024:.1f}"


def markdown(results: list[Result], weights: list[PageWeight], unreached: list[str], key: str) -> str:
    runs = len(results[0].performance_runs) if results else 0
    lines = [
        "## Lighthouse and page weight (`benchmarks/web_lighthouse.py`)",
        "",
        f"{measured_on()}. Lighthouse {lighthouse_version()} in headless Chromium against the worked "
        "example served by `synthesist serve` on the same machine, signed in as its owner. Desktop and "
        "mobile presets (mobile: a mid-range phone, 4× CPU slowdown, simulated slow 4G); each run "
        f"{runs} times, the run with the median performance score shown (every run's performance score "
        f"in brackets). Target: performance and accessibility ≥ {TARGET} on both pages.",
        "",
        "| Page | Preset | Performance | Accessibility | Best practices | FCP | LCP | TBT | CLS | Target |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for result in results:
        scores, metrics = result.median.scores, result.median.metrics
        spread = ", ".join(str(score) for score in result.performance_runs)
        lines.append(
            f"| {result.page} (`{result.path.replace(key, 'KEY')}`) | {result.preset} | "
            f"{scores['performance']} ({spread}) | {scores['accessibility']} | {scores['best-practices']} | "
            + " | ".join(metrics[name] for name in METRICS)
            + f" | {'met' if result.met else 'MISSED'} |"
        )
    lost: dict[object, str] = {}
    for result in results:
        for failing in result.median.failing:
            elements = failing["elements"]
            assert isinstance(elements, list)
            where = f"; {', '.join(f'`{element}`' for element in elements[:2])}" if elements else ""
            lost.setdefault(failing["id"], f"{failing['title']} ({failing['category']}{where})")
    if lost:
        lines += ["", "Audits that cost points (in the runs shown): " + "; ".join(lost.values()) + "."]
    savings = [
        f"{result.page.lower()} {result.preset}: "
        + ", ".join(f"{label} {value.removeprefix('Est savings of ')}" for label, value in saved.items())
        for result in results
        if (saved := result.median.savings)
    ]
    if savings:
        lines += [
            "",
            "Lighthouse's estimated savings (diagnostics, no score of their own): "
            + "; ".join(savings)
            + ".",
        ]
    encodings = sorted({encoding for weight in weights for encoding in weight.encodings})
    lines += [
        "",
        f"### Page weight ({len(weights)} pages)",
        "",
        "Bytes transferred on a first visit (empty cache) for the page's HTML, CSS and JS, in KiB, "
        "and every request until `load` (the page, its styles and scripts, and images). "
        f"Content-Encoding seen: {', '.join(encodings)}. The app gzips its CSS and JS but not its pages "
        "(a page holds the CSRF token beside text the visitor chose: BREACH, see ARCHITECTURE.md); the last "
        "column is what the HTML, CSS and JS would weigh with the pages gzipped too. "
        f"`KEY` is the worked example's review, `{key}`.",
        "",
        "| Page | HTML | CSS | JS | Total | Requests | Total gzipped |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for weight in weights:
        total = sum(weight.bytes.values())
        lines.append(
            f"| `{weight.path.replace(key, 'KEY')}` | {_kb(weight.bytes['html'])} | "
            f"{_kb(weight.bytes['css'])} | {_kb(weight.bytes['js'])} | {_kb(total)} | {weight.requests} | "
            f"{_kb(weight.gzipped)} |"
        )
    if unreached:
        lines += [
            "",
            "Not in the worked example, so not weighed: " + ", ".join(f"`{p}`" for p in unreached) + ".",
        ]
    lines += ["", "Run: `make benchmark-lighthouse` (Node 18.16+ and npm; Chromium at /usr/bin/chromium)."]
    return "\n".join(lines)


def lighthouse_version() -> str:
    package = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "package.json"
    return str(json.loads(package.read_text(encoding="utf-8"))["version"]) if package.exists() else "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page and preset")
    parser.add_argument("--no-weights", action="store_true", help="skip weighing every page")
    parser.add_argument("--update-docs", type=Path, help="write the section into this markdown file")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    args = parser.parse_args(argv)
    if shutil.which("npm") is None:
        print("Lighthouse needs Node and npm on the PATH", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="synthesist-lighthouse-") as name:
        temp = Path(name)
        key, routes = build_example(temp / "demo")
        with serving_review(temp / "demo", temp / "server.log") as base:
            cookie = log_in(base)
            results = run_lighthouse(base, key, cookie, args.runs, temp)
            weights, unreached = ([], []) if args.no_weights else crawl(base, key, cookie, routes)
    for weight in weights:
        print(f"{weight.path}: {weight.bytes}, {weight.requests} requests", flush=True)
    for result in results:
        print(f"{result.page} {result.preset}: {result.median.scores} {'met' if result.met else 'MISSED'}")
    if args.json:
        figures = {
            "lighthouse": [dataclasses.asdict(result) for result in results],
            "weights": [dataclasses.asdict(weight) for weight in weights],
        }
        args.json.write_text(json.dumps(figures, indent=1, default=sorted), encoding="utf-8")
    if args.update_docs:
        write_section(args.update_docs, SECTION, markdown(results, weights, unreached, key))
    return 0 if all(result.met for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
