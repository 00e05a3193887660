"""Coding in a real browser (Playwright and Debian's Chromium, as in ``test_browser.py``, whose site,
browser and helpers this reuses): a reviewer selects words of a study's findings, applies a code
that sits under a theme, and the theme × study matrix open in another tab updates by itself (its
cell for that theme and study counts one more). Screenshots go to ``test-artifacts/browser/``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web._coding_fixtures import ANALYTICAL, add_coded_studies
from tests.web.test_browser import Site, _assert_labelled, _login, _shot, browser, site, sync_api

__all__ = ["browser", "site"]  # the fixtures, imported for pytest to find

pytestmark = pytest.mark.browser

# select ``words`` in the document's text the way a mouse drag does: a DOM Range over the piece
# that holds them, made the page's selection (coding.js listens for the selection changing)
SELECT_JS = """(words) => {
  const piece = Array.from(document.querySelectorAll('#document-text .piece'))
    .find((p) => p.textContent.includes(words));
  const node = piece.firstChild;
  const at = node.data.indexOf(words);
  const range = document.createRange();
  range.setStart(node, at);
  range.setEnd(node, at + words.length);
  const selection = document.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return Number(piece.dataset.start) + at;
}"""

CELL = '#matrix-table td[data-theme="{theme}"][data-study="{study}"]'


def test_a_reviewer_codes_a_selection_and_the_open_matrix_counts_it(
    site: Site, browser: sync_api.Browser, tmp_path: Path
) -> None:
    made = add_coded_studies(site.workspace, tmp_path)
    key = site.workspace.project.key
    aoife = _login(browser, site, "aoife", "coding-01-aoife")

    # the matrix in a second tab of the same session, left open while she codes
    matrix = aoife.context.new_page()
    matrix.goto(f"/p/{key}/matrix")
    _assert_labelled(matrix)
    cell = matrix.locator(CELL.format(theme=ANALYTICAL, study="Slade 2009"))
    assert cell.get_attribute("data-count") == "0"
    assert "not present" in cell.inner_text() or cell.inner_text().strip() == ""
    _shot(site, matrix, "coding-02-matrix-before")

    aoife.goto(f"/p/{key}/coding")
    _assert_labelled(aoife)
    with aoife.expect_navigation():
        aoife.get_by_role("link", name="D2: Results").click()
    _assert_labelled(aoife)
    words = "felt listened to"
    start = aoife.evaluate(SELECT_JS, words)
    aoife.wait_for_function("document.getElementById('sel-start').value !== ''")
    assert aoife.input_value("#sel-start") == str(start)
    assert aoife.input_value("#sel-end") == str(start + len(words))
    assert aoife.input_value("#sel-quote") == words
    assert f"Selected: “{words}”" in aoife.inner_text("#selection-status")
    _shot(site, aoife, "coding-03-selection")

    aoife.get_by_label("Existing code").select_option("being listened to")  # under Being listened to
    aoife.get_by_label("a participant's quote").check()
    with aoife.expect_navigation():
        aoife.get_by_role("button", name="Apply code").click()
    assert "Coded “being listened to”" in aoife.inner_text("[role=status].done")
    mark = aoife.locator("mark.coded").first
    assert mark.locator(".piece").inner_text() == words
    assert aoife.locator(".seg-codings .code-label").first.inner_text() == "being listened to"
    _shot(site, aoife, "coding-04-coded")

    # matrix.js fetches the table every few seconds and swaps it in: the cell now counts the coding
    matrix.wait_for_function(
        f"""() => {{
          const cell = document.querySelector('{CELL.format(theme=ANALYTICAL, study="Slade 2009")}');
          return cell && cell.dataset.count === '1';
        }}""",
        timeout=20_000,
    )
    cell = matrix.locator(CELL.format(theme=ANALYTICAL, study="Slade 2009"))
    assert "✓ 1" in cell.inner_text()
    assert "present: 1 coding" in cell.locator(".sr-only").text_content()
    assert "updated" in (matrix.text_content("#matrix-live") or "")
    _shot(site, matrix, "coding-05-matrix-after")

    # and the outputs page draws the PRISMA diagram with its numbers
    matrix.goto(f"/p/{key}/outputs")
    _assert_labelled(matrix)
    assert matrix.locator("figure.prisma svg").count() == 1
    _shot(site, matrix, "coding-06-outputs")
    assert made.documents
    aoife.context.close()
