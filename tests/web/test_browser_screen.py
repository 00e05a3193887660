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


def test_on_a_wide_screen_the_decision_sits_under_the_record_and_question_mark_lists_the_keys(
    site: Site, browser: sync_api.Browser
) -> None:
    """At 1400 × 900 the buttons are in view without scrolling (under the record, the criteria
    beside both); "?" opens the list of shortcuts, Escape closes it."""
    key = site.workspace.project.key
    aoife = _login(browser, site, "aoife", "screen-wide")
    aoife.set_viewport_size({"width": 1400, "height": 900})
    aoife.goto(f"/p/{key}/screen/title-abstract")
    bar = aoife.evaluate(BAR_IN_VIEW_JS)
    assert bar["scrollY"] == 0 and bar["bottom"] <= bar["height"] and bar["hit"], bar
    card = aoife.locator(".record-card").bounding_box()
    criteria = aoife.locator(".criteria").bounding_box()
    assert card is not None and criteria is not None and criteria["x"] > card["x"] + card["width"]

    help_list = aoife.locator("#shortcut-help")
    assert help_list.get_attribute("open") is None
    aoife.keyboard.press("?")
    assert help_list.get_attribute("open") is not None
    assert "Skip for now" in help_list.inner_text() and aoife.locator("#shortcut-help > summary").evaluate(
        "element => element === document.activeElement"
    )
    _shot(site, aoife, "screen-wide-01-shortcuts")
    aoife.keyboard.press("Escape")
    assert help_list.get_attribute("open") is None
    aoife.context.close()
