"""Every page of a served review, found from the app's routes: for the browser tests that hold each
page to a rule (tests/web/page_tour.py) and the page-weight benchmark (benchmarks/web_lighthouse.py).

A GET route under ``/p/{key}`` is a page unless it is a download, a fragment or JSON. Pages with only
the review and the stage in their address are visited directly; a page behind an id is reached
through the first link to it found on the pages seen so far."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

__all__ = ["NOT_PAGES", "STAGES", "walk_review_pages"]

NOT_PAGES = re.compile(r"\.json$|\.\{fmt\}$|/file$|/download/|/fragment$")  # downloads, parts of pages
STAGES = ("title-abstract", "full-text")


def _route_pattern(path: str, key: str) -> re.Pattern[str]:
    pattern = re.escape(path.replace("{key}", key))
    return re.compile("^" + re.sub(r"\\\{\w+\\\}", r"[^/?#]+", pattern) + "$")


def walk_review_pages(
    paths: Iterable[str], key: str, visit: Callable[[str], Iterable[str]], *, skip: Iterable[str] = ()
) -> list[str]:
    """Calls ``visit(address)`` on every page of review ``key`` among the route ``paths`` (but those in
    ``skip``); ``visit`` returns the page's link targets. Returns the routes no link led to."""
    links: set[str] = set()
    skipped = set(skip)

    def seen(address: str) -> None:
        links.update(href.split("?")[0].split("#")[0] for href in visit(address))

    behind_ids: list[str] = []
    for path in paths:
        if not path.startswith("/p/{key}") or NOT_PAGES.search(path) or path in skipped:
            continue
        params = set(re.findall(r"{(\w+)}", path))
        if params <= {"key", "stage"}:
            for stage in STAGES if "stage" in params else ("",):
                seen(path.replace("{key}", key).replace("{stage}", stage))
        else:
            behind_ids.append(path)
    for _ in range(2):  # twice over: a study's page links to its reports
        for path in list(behind_ids):
            pattern = _route_pattern(path, key)
            example = next((link for link in sorted(links) if pattern.match(link)), None)
            if example is not None:
                seen(example)
                behind_ids.remove(path)
    return behind_ids
