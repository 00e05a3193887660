"""Coding in a real browser (Playwright and Debian's Chromium, as in ``test_browser.py``, whose site,
browser and helpers this reuses): a reviewer selects words of a study's findings, applies a code
that sits under a theme, and the theme × study matrix open in another tab updates by itself (its
cell for that theme and study counts one more); and a coding refused for its new code's name comes
back with the error beside it, the memo kept and the selection still marked. Screenshots go to
``test-artifacts/browser/``."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthesist.services.synthesis.coding import document_view
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


def test_a_refused_coding_comes_back_with_the_error_the_memo_and_the_selection_marked(
    site: Site, browser: sync_api.Browser, tmp_path: Path
) -> None:
    """A new code's name that exists already: the page comes back (no error page) with the message
    beside the name and the focus on it, the memo as typed and the selection still selected, marked
    in the text; choosing the existing code then codes the same words with the memo."""
    made = add_coded_studies(site.workspace, tmp_path)
    key = site.workspace.project.key
    aoife = _login(browser, site, "aoife", "coding-10-aoife")
    aoife.goto(f"/p/{key}/coding/{made.documents[1]}")
    words = "felt listened to"
    start = aoife.evaluate(SELECT_JS, words)
    aoife.wait_for_function("document.getElementById('sel-start').value !== ''")
    aoife.get_by_label("Or a new code").fill("Being Listened To")  # "being listened to" exists
    memo = "Her words, not the authors'"
    aoife.get_by_label("Memo (optional)").fill(memo)
    with aoife.expect_navigation():
        aoife.get_by_role("button", name="Apply code").click()

    assert aoife.title().startswith("Not coded: ")
    error = aoife.locator("#apply-error")
    assert "exists already" in error.inner_text()
    assert aoife.evaluate("document.activeElement.id") == "new-code", "the field at fault has the focus"
    assert aoife.get_attribute("#new-code", "aria-describedby") == "apply-error"
    assert aoife.input_value("#new-code") == "Being Listened To"
    assert aoife.input_value("#memo") == memo
    assert aoife.input_value("#sel-start") == str(start)
    assert aoife.input_value("#sel-quote") == words
    assert f"Selection kept: “{words}”" in aoife.inner_text("#selection-status")
    assert aoife.locator("#clear-selection").is_visible()
    marked = aoife.evaluate(
        "() => { const kept = CSS.highlights.get('kept-selection');"
        " return kept ? [...kept][0].toString() : null; }"
    )
    assert marked == words, "the kept selection is marked in the text"
    _assert_labelled(aoife)
    _shot(site, aoife, "coding-11-refused")

    aoife.fill("#new-code", "")
    aoife.get_by_label("Existing code").select_option("being listened to")
    with aoife.expect_navigation():
        aoife.get_by_role("button", name="Apply code").click()
    assert "Coded “being listened to”" in aoife.inner_text("[role=status].done")
    assert aoife.locator("mark.coded .piece").first.inner_text() == words
    [coding] = [c for c in document_view(site.workspace, made.documents[1]).codings if c.coder == "aoife"]
    assert coding.memo == memo and coding.start == start
    assert aoife.evaluate("CSS.highlights.has('kept-selection')") is False
    aoife.context.close()
