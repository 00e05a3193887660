"""The screening page on a phone, in a real browser (Playwright and Debian's Chromium, as in
``test_browser.py``, whose site, browser and helpers this reuses): at 375 px the page does not scroll
sideways, the decision bar is in view without scrolling, and a decision made with the keyboard is
confirmed with an Undo that the key u presses. Screenshots go to ``test-artifacts/browser/``."""

from __future__ import annotations

import pytest

from tests.web.test_browser import (
    TIMEOUT_MS,
    Site,
    _assert_labelled,
    _login,
    _press,
    _shot,
    browser,
    site,
    sync_api,
)

__all__ = ["browser", "site"]  # the fixtures, imported for pytest to find

pytestmark = pytest.mark.browser

# the Include button is where the reader sees it: inside the window, and the topmost element there
BAR_IN_VIEW_JS = """() => {
  const button = document.querySelector('.decision-bar button[data-key="i"]');
  const r = button.getBoundingClientRect();
  const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {top: r.top, bottom: r.bottom, height: window.innerHeight, hit: button.contains(top),
          scrollY: window.scrollY};
}"""


def test_on_a_phone_the_page_fits_and_the_decision_bar_is_in_view(
    site: Site, browser: sync_api.Browser
) -> None:
    key = site.workspace.project.key
    aoife = _login(browser, site, "aoife", "screen-narrow")
    aoife.set_viewport_size({"width": 375, "height": 667})
    aoife.goto(f"/p/{key}/screen/title-abstract")
    assert aoife.evaluate("document.documentElement.scrollWidth") <= 375
    bar = aoife.evaluate(BAR_IN_VIEW_JS)
    assert bar["scrollY"] == 0 and bar["top"] >= 0 and bar["bottom"] <= bar["height"] and bar["hit"], bar
    _assert_labelled(aoife)
    _shot(site, aoife, "screen-narrow-01-card")

    # a decision by key: the next page confirms it, and u presses the confirmation's Undo
    first_word = aoife.inner_text("#record-title").split()[0]
    _press(aoife, "e")
    status = aoife.locator('[role="status"]#screen-status')
    assert status.inner_text().startswith("Excluded:")
    assert first_word in status.inner_text()
    assert aoife.evaluate("document.documentElement.scrollWidth") <= 375
    assert aoife.evaluate(BAR_IN_VIEW_JS)["hit"]
    _assert_labelled(aoife)
    _shot(site, aoife, "screen-narrow-02-confirmed")
    _press(aoife, "u")
    assert "Undone:" in status.inner_text(timeout=TIMEOUT_MS) and first_word in status.inner_text()
    _shot(site, aoife, "screen-narrow-03-undone")
    aoife.context.close()
