"""No page of the worked example scrolls sideways on a 375 px phone, in light and dark. The pages are
found the way the security test finds routes (every GET page under /p/{key}), so a new page is
checked as soon as it exists; a page whose address needs something this test cannot fill is named
in ``NEEDS`` with an example, and a route neither fillable nor named fails the test."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from synthesist.review.accounts import Role
from synthesist.review.project import find_project
from synthesist.services.accounts.users import add_member, add_user
from synthesist.web import create_app
from synthesist.web.app import api_routes
from synthesist.workspace import open_workspace
from tests.demo_copies import demo_copy
from tests.web.serving import serve_in_thread
from tests.web.test_browser import PASSWORD, TIMEOUT_MS, browser, sync_api  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("worked-example")]

# Pages behind an id are reached by following the first matching link on the list page above them;
# downloads are not pages. A page the worked example has no link to is named here with the reason.
NOT_PAGES = re.compile(r"\.\{fmt\}$|/file$|/download/|/fragment$")  # a fragment: part of a page
ABSENT_IN_THE_EXAMPLE = {
    "/p/{key}/duplicates/pairs/{pair_id}": "the worked example has no pair left to review",
    "/p/{key}/jobs/{job_id}": "the worked example was built without jobs",
    "/p/{key}/reports/{report_id}": "the worked example attaches no full-text files",
}
STAGES = ("title-abstract", "full-text")


@dataclass
class Served:
    url: str
    key: str
    paths: list[str]  # the app's GET routes


@pytest.fixture(scope="module")
def worked_example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with demo_copy(tmp_path_factory, "sqlite") as built:
        workspace = open_workspace(find_project(built.folder), actor="tester")
        add_user(workspace, "owner", PASSWORD)
        add_member(workspace, "owner", Role.OWNER)
        app = create_app(workspace)
        paths = [route.path for route in api_routes(app) if "GET" in route.methods]
        try:
            with serve_in_thread(app) as url:
                yield Served(url, workspace.project.key, paths)
        finally:
            workspace.close()


def _route_pattern(path: str, key: str) -> re.Pattern[str]:
    pattern = re.escape(path.replace("{key}", key))
    return re.compile("^" + re.sub(r"\\\{\w+\\\}", r"[^/?#]+", pattern) + "$")


def _measure(page: sync_api.Page, address: str, links: set[str]) -> int:
    response = page.goto(address)
    assert response is not None and response.status == 200, address
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    links.update(href.split("?")[0].split("#")[0] for href in hrefs)
    return int(page.evaluate("document.documentElement.scrollWidth"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_scrolls_sideways_at_375_px(
    worked_example: Served,
    browser: sync_api.Browser,  # noqa: F811
    scheme: str,
) -> None:
    """Pages with only the review and the stage in their address first; then, for each page behind
    an id, the first link to it found on the pages seen so far (twice over: a study's page links to
    its reports)."""
    context = browser.new_context(
        base_url=worked_example.url, color_scheme=scheme, viewport={"width": 375, "height": 800}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/login")
    page.fill("#name", "owner")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    key, widths, links = worked_example.key, {}, set()
    behind_ids: list[str] = []
    for path in worked_example.paths:
        if not path.startswith("/p/{key}") or path.endswith(".json") or NOT_PAGES.search(path):
            continue
        params = set(re.findall(r"{(\w+)}", path))
        if params <= {"key", "stage"}:
            for stage in STAGES if "stage" in params else ("",):
                address = path.replace("{key}", key).replace("{stage}", stage)
                widths[address] = _measure(page, address, links)
        else:
            behind_ids.append(path)
    for _ in range(2):
        for path in list(behind_ids):
            pattern = _route_pattern(path, key)
            example = next((link for link in sorted(links) if pattern.match(link)), None)
            if example is not None:
                widths[example] = _measure(page, example, links)
                behind_ids.remove(path)
    context.close()
    missing = [path for path in behind_ids if path not in ABSENT_IN_THE_EXAMPLE]
    assert not missing, f"no link to these pages in the worked example: name them or link them: {missing}"
    assert len(widths) > 20
    wide = {address: width for address, width in widths.items() if width > 375}
    assert not wide, f"pages wider than the phone ({scheme}): {wide}"
