"""The look of the app in a real browser (Debian's Chromium, headless), light and dark: on a 375 px phone
the overview, the screening page and the style guide never scroll sideways, the review's menu folds into
a disclosure that opens without JavaScript; on a 1400 px screen the menu is open, marks the current page,
and the style guide's text meets WCAG's contrast minimum in both schemes, with the vendored htmx running
under the app's content security policy."""

from __future__ import annotations

import pytest

from tests.web.test_browser import (
    CONTRAST_JS,
    PASSWORD,
    TIMEOUT_MS,
    Site,
    browser,  # noqa: F401 (a fixture)
    site,  # noqa: F401 (a fixture)
    sync_api,
)

pytestmark = pytest.mark.browser

SCHEMES = ("light", "dark")


def _owner(chromium: sync_api.Browser, served: Site, scheme: str, width: int) -> sync_api.Page:
    context = chromium.new_context(
        base_url=served.url, color_scheme=scheme, viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/login")
    page.fill("#name", "olwen")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    return page


@pytest.mark.parametrize("scheme", SCHEMES)
def test_at_375_px_no_page_scrolls_sideways_and_the_menu_opens(
    site: Site,  # noqa: F811
    browser: sync_api.Browser,  # noqa: F811
    scheme: str,
) -> None:
    key = site.workspace.project.key
    page = _owner(browser, site, scheme, 375)
    for path in (f"/p/{key}", f"/p/{key}/screen/title-abstract", "/styleguide"):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(
            path=str(site.artifacts / f"foundation-375-{scheme}-{path.strip('/').replace('/', '-')}.png")
        )
        assert width <= 375, f"{path} in {scheme} is {width} px wide at 375 px"
    page.goto(f"/p/{key}")
    nav = page.get_by_role("navigation", name="Site")
    assert not nav.get_by_role("link", name="Members", exact=True).is_visible(), "folded on a phone"
    page.locator(".nav-menu > summary").click()  # a <details>: no script involved
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the open menu fits too"
    with page.expect_navigation():
        nav.get_by_role("link", name="Members", exact=True).click()
    assert page.url.endswith(f"/p/{key}/members")
    page.context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_at_1400_px_the_menu_is_open_and_marks_the_page_and_the_guide_is_legible(
    site: Site,  # noqa: F811
    browser: sync_api.Browser,  # noqa: F811
    scheme: str,
) -> None:
    key = site.workspace.project.key
    page = _owner(browser, site, scheme, 1400)
    page.goto(f"/p/{key}/screen/title-abstract")
    nav = page.get_by_role("navigation", name="Site")
    current = nav.locator('[aria-current="page"]')
    assert current.count() == 1 and current.inner_text() == "Screen title/abstract"
    assert page.locator(".nav-menu > summary").is_hidden(), "no Menu button on a wide screen"
    rows = page.evaluate(
        """() => new Set(Array.from(document.querySelectorAll('nav.site-nav a'))
                   .map((a) => Math.round(a.getBoundingClientRect().top))).size"""
    )
    assert rows <= 2, f"the menu takes {rows} rows at 1400 px"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1400
    refused: list[str] = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security" in message.text else None,
    )
    page.goto("/styleguide")
    # the vendored htmx runs under the app's policy: base.html's htmx-config keeps it from adding styles
    assert page.evaluate("typeof window.htmx") == "object" and refused == [], refused
    low = page.evaluate(CONTRAST_JS)
    assert low == [], f"text below WCAG contrast on the style guide ({scheme}): {low}"
    page.screenshot(path=str(site.artifacts / f"foundation-1400-{scheme}-styleguide.png"), full_page=True)
    page.context.close()
