"""A tour of every page of the worked example, for the browser tests that hold every page to a rule
(no sideways scroll, no serious accessibility violation, looks as its reference image).

The pages are found the way the security test finds routes: every GET route of the app. Pages with
only the review and the stage in their address are visited directly; a page behind an id is reached
by following the first link to it found on the pages seen so far; the site's own pages, the login
page and one example of each error page (403, 404, 500, an expired link) are visited too. A route the
tour can neither fill nor reach must be named in ``ABSENT_IN_THE_EXAMPLE`` with the reason, so a new
page is checked as soon as it exists."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI

from synthesist.review.accounts import Role
from synthesist.review.project import find_project
from synthesist.screening.model import Stage, Vote
from synthesist.services.accounts.users import add_member, add_user, set_display_name
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.screening.decisions import decide
from synthesist.services.site.registry import set_site_admin
from synthesist.web import create_app
from synthesist.web.app import api_routes
from synthesist.web.page_walk import walk_review_pages
from synthesist.workspace import open_workspace
from tests.demo_copies import demo_copy
from tests.helpers import TOPICS, topic_ris
from tests.web.serving import serve_in_thread
from tests.web.test_browser import PASSWORD, TIMEOUT_MS, sync_api

ABSENT_IN_THE_EXAMPLE = {
    "/p/{key}/duplicates/pairs/{pair_id}": "the worked example has no pair left to review",
    "/p/{key}/jobs/{job_id}": "the worked example was built without jobs",
    "/p/{key}/reports/{report_id}": "the worked example attaches no full-text files",
}
LINKS_JS = "links => links.map(a => a.getAttribute('href'))"
BROKEN = "/p/{key}/broken-for-the-tour"  # a route that raises, for the 500 page
# Error pages, each an example of one kind, with the status it must answer.
ERROR_PAGES = {
    "/p/{key}/no-such-page": 404,
    "/reviews/new": 403,  # a review served on its own: only a site makes new reviews
    "/invite/not-a-real-token": 404,
    BROKEN: 500,
}
OWNER, REVIEWER = "owner", "rhian"  # the reviewer is no administrator: /admin is her 403 page
SCREENER = "Ingrid Östlund-Berg"  # the owner's name: a screener the worked example's review.toml lists
NEW_RECORDS = (4, 1, 7, 2, 10, 3)  # of tests/helpers.TOPICS: three on the review's topic


@dataclass
class Site:
    url: str
    key: str
    paths: list[str]  # the app's GET routes, as declared


@dataclass
class Visit:
    """What the tour hands to the check at each page: the page, its address (the review's key as
    ``KEY``, so names are the same in every run) and the status it answered."""

    page: sync_api.Page
    address: str
    name: str
    status: int


@dataclass
class Tour:
    visited: list[str] = field(default_factory=list)
    unreached: list[str] = field(default_factory=list)  # routes with no example: name them above


def _broken() -> None:
    raise RuntimeError("the tour's deliberate bug, for the 500 page")


@contextmanager
def worked_example_site(tmp_path_factory: object) -> Iterator[Site]:
    """The worked example served by uvicorn, with an owner and a reviewer who can log in."""
    with demo_copy(tmp_path_factory, "sqlite") as built:  # type: ignore[arg-type]
        workspace = open_workspace(find_project(built.folder), actor="tester")
        add_user(workspace, OWNER, PASSWORD)
        add_member(workspace, OWNER, Role.OWNER)
        set_site_admin(workspace.accounts, OWNER)  # the /admin pages are part of the tour
        add_user(workspace, REVIEWER, PASSWORD)
        add_member(workspace, REVIEWER, Role.REVIEWER)
        # The example is screened to the end; a later search brings six new records, so the owner,
        # one of the review's screeners, has a screening card, tasks and counts waiting.
        set_display_name(workspace, OWNER, SCREENER)
        update = built.folder / "update-search.ris"
        update.write_text(topic_ris({n: TOPICS[n] for n in NEW_RECORDS}), encoding="utf-8")
        with workspace.unit_of_work(write=False) as uow:
            first_new = uow.records.max_id() + 1
        import_files(workspace, ImportRequest(paths=[update], source="MEDLINE"))
        # two colleagues let one through at title/abstract (a decision and its check): the owner has
        # a full-text card too
        on_topic = first_new + NEW_RECORDS.index(10)
        for colleague in ("Aoife Brennan", "Łukasz Nowak"):
            decide(workspace, on_topic, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer=colleague)
        app: FastAPI = create_app(workspace)
        paths = [route.path for route in api_routes(app) if "GET" in route.methods]
        app.add_api_route(BROKEN, _broken)
        try:
            with serve_in_thread(app) as url:
                yield Site(url, workspace.project.key, paths)
        finally:
            workspace.close()


def log_in(page: sync_api.Page, name: str) -> None:
    page.goto("/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def page_name(address: str, key: str) -> str:
    """A file name for the page: ``/p/<key>/screen/full-text`` is ``p_screen_full-text``."""
    return address.replace(f"/p/{key}", "/p").strip("/").replace("/", "_") or "home"


def tour(
    browser: sync_api.Browser,
    site: Site,
    check: Callable[[Visit], None],
    *,
    width: int,
    scheme: str,
    bypass_csp: bool = False,
) -> Tour:
    """Visits every page at ``width`` px in ``scheme`` and calls ``check`` on each. ``bypass_csp``
    lets a test inject its own script (axe-core) into pages whose policy allows only the app's."""
    result = Tour()
    key = site.key

    def visit(page: sync_api.Page, address: str, expected: int = 200, name: str | None = None) -> list[str]:
        response = page.goto(address)
        status = response.status if response is not None else 0
        assert status == expected, f"{address}: answered {status}, not {expected}"
        hrefs: list[str] = page.eval_on_selector_all(
            "a[href]", "links => links.map(a => a.getAttribute('href'))"
        )
        check(Visit(page, address, name or page_name(address, key), status))
        result.visited.append(address)
        return hrefs

    def new_page() -> sync_api.Page:
        context = browser.new_context(
            base_url=site.url,
            color_scheme=scheme,  # type: ignore[arg-type]
            viewport={"width": width, "height": 800},
            bypass_csp=bypass_csp,
            reduced_motion="reduce",
        )
        context.set_default_timeout(TIMEOUT_MS)
        return context.new_page()

    page = new_page()
    visit(page, "/login")
    log_in(page, OWNER)
    # the site's own pages (/invite/{token} and /reset/{token} are links, met as an error page below)
    for path in site.paths:
        if not path.startswith("/p/") and "{" not in path and path not in ERROR_PAGES and path != "/login":
            visit(page, path)
    behind_ids = walk_review_pages(site.paths, key, lambda address: visit(page, address), skip=ERROR_PAGES)
    for address, status in ERROR_PAGES.items():
        visit(page, address.replace("{key}", key), status)
    page.context.close()
    reviewer = new_page()
    log_in(reviewer, REVIEWER)
    visit(reviewer, "/admin", 403, name="admin_as_a_reviewer")
    reviewer.context.close()
    result.unreached = [path for path in behind_ids if path not in ABSENT_IN_THE_EXAMPLE]
    return result


REFERENCE_IMAGES = Path(__file__).parent / "reference_pages"
