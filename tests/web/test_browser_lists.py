"""The long lists in a real browser at a phone's width (375 px): the log, the duplicates page and the
record search fit the screen (the page never scrolls sideways); the log's filter form works without
JavaScript and its paging links keep the filters. Screenshots go to ``$SYNTHESIST_TEST_ARTIFACTS``."""

from __future__ import annotations

import pytest

from tests.web.test_browser import (  # noqa: F401  (the fixtures are used by name)
    Site,
    _assert_labelled,
    _login,
    _shot,
    browser,
    site,
    sync_api,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}


def test_the_log_and_the_lists_fit_a_phone(
    site: Site,  # noqa: F811
    browser: sync_api.Browser,  # noqa: F811
) -> None:
    from synthesist.events import ProtocolEdited

    with site.workspace.unit_of_work() as uow:
        for n in range(70):
            uow.events.append(
                ProtocolEdited(section="screening", changes=[f"a long change {n} " * 6]), "olwen"
            )
        uow.commit()
    key = site.workspace.project.key
    page = _login(browser, site, "olwen", "lists-00")
    page.set_viewport_size(PHONE)

    page.goto(f"/p/{key}/log")
    _assert_labelled(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    _shot(site, page, "lists-01-log-375")

    # the filter form is a plain GET form: choose a person and a kind of event, then show
    page.select_option("#log-person", "olwen")
    page.select_option("#log-type", "protocol.*")
    with page.expect_navigation():
        page.get_by_role("button", name="Show", exact=True).click()
    assert "person=olwen" in page.url and "70 events match these filters" in page.inner_text("main")
    with page.expect_navigation():
        page.get_by_role("link", name="Older →").click()
    assert "person=olwen" in page.url and "showing 51–70" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    for path, step in (
        (f"/p/{key}/duplicates", "lists-02-duplicates-375"),
        (f"/p/{key}/records", "lists-03-records-375"),
    ):
        page.goto(path)
        _assert_labelled(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        _shot(site, page, step)
