"""Recorded responses of the free sources (``tests/data/search_live``), replayed through
``httpx.MockTransport``: each source's answers are routed by the request's parameters (page cursor,
retstart...) as the real service would answer them. ``Replay`` counts the requests, can put faults
(429, 5xx, garbage, Ctrl+C) in front of chosen requests, and records the waits instead of sleeping.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from synthesist.search.sources import SourceOptions
from synthesist.search.sources.http import RetryPolicy

__all__ = ["DATA", "QUERIES", "Replay", "load"]

DATA = Path(__file__).resolve().parents[1] / "data" / "search_live"

# a query per source, in its own syntax (what the strategy's translation would give)
QUERIES = {
    "pubmed": '"back pain"[mh] AND partnership[tiab]',
    "europepmc": '"back pain" AND partnership',
    "openalex": '"back pain" AND partnership',
    "crossref": "back pain partnership",
}


def load(name: str) -> bytes:
    return (DATA / name).read_bytes()


def _json(name: str) -> httpx.Response:
    return httpx.Response(200, content=load(name), headers={"Content-Type": "application/json"})


def _xml(name: str) -> httpx.Response:
    return httpx.Response(200, content=load(name), headers={"Content-Type": "text/xml"})


def _cursor_route(folder: str, cursors: list[str]) -> Callable[[str], httpx.Response]:
    pages = {cursor: f"{folder}/page{n}.json" for n, cursor in enumerate(cursors, start=1)}

    def route(cursor: str) -> httpx.Response:
        if cursor not in pages:
            return httpx.Response(400, json={"error": f"unknown cursor {cursor}"})
        return _json(pages[cursor])

    return route


def _cursors(folder: str, key: tuple[str, ...]) -> list[str]:
    found = ["*"]
    for n in (1, 2):
        data = json.loads(load(f"{folder}/page{n}.json"))
        for part in key:
            data = data[part]
        found.append(data)
    return found


_EUROPEPMC = _cursor_route("europepmc", _cursors("europepmc", ("nextCursorMark",)))
_OPENALEX = _cursor_route("openalex", _cursors("openalex", ("meta", "next_cursor")))
_CROSSREF = _cursor_route("crossref", _cursors("crossref", ("message", "next-cursor")))


def recorded(request: httpx.Request, *, update: bool = False) -> httpx.Response:
    """The recorded answer to a request, as the service would give it."""
    params = request.url.params
    path = request.url.path
    if path.endswith("/esearch.fcgi"):
        return _json("pubmed/esearch-update.json" if update else "pubmed/esearch.json")
    if path.endswith("/efetch.fcgi"):
        if update:
            return _xml("pubmed/efetch-update.xml")
        return _xml(f"pubmed/efetch-page{int(params['retstart']) // 2 + 1}.xml")
    if "europepmc" in path:
        return _EUROPEPMC(params["cursorMark"])
    if request.url.host == "api.openalex.org":
        filters = params.get("filter", "")
        if filters.startswith(("doi:", "title.search:")):
            return _json("openalex/study-by-doi.json")
        if filters.startswith("ids.openalex:"):
            return _json("openalex/references.json")
        if filters.startswith("cites:"):
            return _json("openalex/citing.json")
        return _OPENALEX(params["cursor"])
    if request.url.host == "api.crossref.org":
        return _CROSSREF(params["cursor"])
    return httpx.Response(404, text="not recorded")


Fault = Callable[[httpx.Request], httpx.Response]


@dataclass
class Replay:
    """A mock transport over the recorded answers. ``faults[n]`` answers the n-th request (from 1)
    instead; from request ``fail_from`` on, every answer is HTTP 503."""

    update: bool = False
    faults: dict[int, Fault] = field(default_factory=dict)
    fail_from: int | None = None  # every request from this one on gets HTTP 503
    requests: list[httpx.Request] = field(default_factory=list)
    waits: list[float] = field(default_factory=list)
    now: float = 0.0  # a fake clock: waiting moves it on, nothing really sleeps

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        number = len(self.requests)
        if number in self.faults:
            return self.faults[number](request)
        if self.fail_from is not None and number >= self.fail_from:
            return httpx.Response(503, text="Service Temporarily Unavailable")
        return recorded(request, update=self.update)

    def options(self, **extra: object) -> SourceOptions:
        return SourceOptions(
            transport=httpx.MockTransport(self.handler),
            sleep=self.sleep,
            clock=lambda: self.now,
            retry=RetryPolicy(attempts=3, first_wait=1.0),
            **extra,  # type: ignore[arg-type]
        )

    def params(self, n: int) -> dict[str, str]:
        return dict(self.requests[n - 1].url.params)


def too_many_requests(seconds: int) -> Fault:
    return lambda request: httpx.Response(
        429, headers={"Retry-After": str(seconds)}, text="Too Many Requests"
    )


def garbage(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, text="<html><body>Proxy error</body></html>", headers={"Content-Type": "text/html"}
    )


def ctrl_c(request: httpx.Request) -> httpx.Response:
    raise KeyboardInterrupt
