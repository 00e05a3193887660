"""The import page and duplicate review in a real browser (Playwright, Debian's Chromium, headless; see
tests/web/test_browser.py, whose fixtures and helpers this reuses). The owner chooses an export file,
types the source and the search date on the keyboard and imports it (a background job, whose page
links back); then runs deduplication (a job too),
sees the near-duplicate pair side by side with the differing words marked, and merges it with the
``s`` key. Screenshots go to ``test-artifacts/browser/import-*.png``."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthesist.services.dedup.review import list_groups
from synthesist.services.records.reading import list_batches
from tests.web.test_browser import (  # noqa: F401  (the fixtures are used by name)
    FOCUS_JS,
    Site,
    _assert_labelled,
    _login,
    _shot,
    browser,
    site,
    sync_api,
)
from tests.web.test_web_dedup import NEAR_DUPLICATES

pytestmark = pytest.mark.browser


def test_the_owner_imports_a_file_and_merges_a_near_duplicate_with_the_keyboard(
    site: Site,  # noqa: F811
    browser: sync_api.Browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    key = site.workspace.project.key
    export = tmp_path / "embase export.ris"
    export.write_text(NEAR_DUPLICATES, encoding="utf-8")

    olwen = _login(browser, site, "olwen", "import-01-olwen")
    olwen.goto(f"/p/{key}/import")
    _assert_labelled(olwen)
    olwen.set_input_files("#files", str(export))
    olwen.focus("#source")
    olwen.keyboard.type("Embase")
    olwen.keyboard.press("Tab")
    assert olwen.evaluate("document.activeElement.id") == "searched_on", "Tab goes on to the date"
    olwen.keyboard.type("06302014")  # Chromium's en-US date field: month, day, year
    _shot(site, olwen, "import-02-form-filled")
    with olwen.expect_navigation():
        olwen.get_by_role("button", name="Import").click()
    # the import runs as a background job (in the server's process here: tests/web/conftest.py);
    # the answer is the job's page, which links back to the searches imported
    assert "Imported 2 records" in olwen.inner_text("#import-status")
    _shot(site, olwen, "import-03-imported")
    with olwen.expect_navigation():
        olwen.get_by_role("link", name="The searches imported").click()
    assert olwen.locator("table.batches").inner_text().count("embase_export.ris") == 1
    batch = list_batches(site.workspace)[-1]
    assert (batch.source, batch.record_count) == ("Embase", 2)
    assert batch.searched_on is not None and batch.searched_on.isoformat() == "2014-06-30"

    # the same file again: refused, nothing imported, the form keeps the source
    olwen.set_input_files("#files", str(export))
    olwen.fill("#source", "Embase")
    with olwen.expect_navigation():
        olwen.get_by_role("button", name="Import").click()
    assert "already imported" in olwen.inner_text(".job-error")
    with olwen.expect_navigation():
        olwen.get_by_role("link", name="Back to the import form, with your choices").click()
    assert "already imported" in olwen.inner_text("#import-error")
    assert olwen.input_value("#source") == "Embase"
    assert len(list_batches(site.workspace)) == 2
    _shot(site, olwen, "import-04-refused-again")

    olwen.goto(f"/p/{key}/duplicates")
    _assert_labelled(olwen)
    with olwen.expect_navigation():
        olwen.get_by_role("button", name="Find duplicates").click()
    assert "1 possible duplicate to review" in olwen.inner_text("#job-summary")
    with olwen.expect_navigation():
        olwen.get_by_role("link", name="Review the possible duplicates").click()
    marks = olwen.locator("table.compare mark.diff")
    assert marks.count() >= 2
    assert "managment" in olwen.locator("table.compare").inner_text()
    _shot(site, olwen, "import-05-duplicate-pair")
    # Tab reaches the decision buttons with a visible focus ring
    for _ in range(40):
        olwen.keyboard.press("Tab")
        focused = olwen.evaluate(FOCUS_JS)
        if focused["tag"] == "BUTTON" and "Same study record" in focused["text"]:
            break
    else:
        pytest.fail("Tab never reached the 'Same study record' button")
    assert focused["focusVisible"] and focused["outline"] != "none" and focused["width"] > 0, focused
    olwen.locator("h1").click()  # focus on the page, not a field, so the letter reaches keys.js
    with olwen.expect_navigation():
        olwen.keyboard.press("s")
    assert "merged into duplicate group" in olwen.inner_text("#dedup-message")
    [group] = list_groups(site.workspace)
    _shot(site, olwen, "import-06-merged")
    olwen.goto(f"/p/{key}/duplicates/groups/{group.id}")
    _assert_labelled(olwen)
    _shot(site, olwen, "import-07-group")
    olwen.context.close()
