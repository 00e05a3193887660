"""The web app in a real browser: Playwright drives Debian's Chromium, headless, against the app served
by uvicorn on a free localhost port (SQLite). Two reviewers screen in blind dual mode, the first
with the keyboard only; they disagree on one record, the owner records the consensus and the
agreement page shows numbers. A screenshot of each step goes to ``$SYNTHESIST_TEST_ARTIFACTS``
(default ``test-artifacts/`` in the repository). The pages are also checked for labelled inputs and
a visible keyboard focus.

Skipped when the ``playwright`` package or the ``chromium`` executable is missing (``make test``
installs both; no browser is ever downloaded: Debian's Chromium is launched by its path).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the browser tests need the playwright package (pip install '.[test]')"
)
CHROMIUM = shutil.which("chromium")
if CHROMIUM is None:
    pytest.skip(
        "the browser tests need Debian's Chromium (apt-get install chromium; make test does)",
        allow_module_level=True,
    )


from synthesist.review.accounts import Role  # noqa: E402
from synthesist.review.project import find_project  # noqa: E402
from synthesist.screening.model import Stage, StageStatus  # noqa: E402
from synthesist.services.accounts.users import add_member, add_user  # noqa: E402
from synthesist.services.projects import init_project  # noqa: E402
from synthesist.services.records.imports import ImportRequest, import_files  # noqa: E402
from synthesist.services.screening.decisions import overview  # noqa: E402
from synthesist.web import create_app  # noqa: E402
from synthesist.workspace import Workspace, open_workspace  # noqa: E402
from tests.helpers import ris_text  # noqa: E402
from tests.web.conftest import PASSWORD, REVIEWERS, _configure  # noqa: E402
from tests.web.serving import serve_in_thread  # noqa: E402

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
TIMEOUT_MS = 10_000

# every visible form field has an accessible name: a <label>, aria-label or aria-labelledby
UNLABELLED_JS = """() => Array.from(document.querySelectorAll(
    'input:not([type=hidden]), select, textarea')).filter((el) => {
  const labelled = Array.from(el.labels || []).some((l) => l.textContent.trim() !== '');
  const aria = (el.getAttribute('aria-label') || '').trim() !== '';
  const by = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).some(
      (id) => id && document.getElementById(id) && document.getElementById(id).textContent.trim());
  return !(labelled || aria || by);
}).map((el) => el.outerHTML)"""

# WCAG 2.2 contrast (1.4.3): every element with visible text of its own, its colour against the first
# opaque background behind it (walking up the tree), at least 4.5:1, or 3:1 for large text. Marks and
# buttons count: they carry meaning.
CONTRAST_JS = """() => {
  const rgba = (text) => (text.match(/[\\d.]+/g) || [0, 0, 0, 0]).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const background = (el) => {
    for (let at = el; at; at = at.parentElement) {
      const c = rgba(getComputedStyle(at).backgroundColor);
      if (c.length < 4 || c[3] > 0.99) return c;
    }
    return [255, 255, 255, 1];
  };
  const failures = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    const style = getComputedStyle(el);
    if (!own || style.visibility === 'hidden' || style.display === 'none' || el.closest('.sr-only')) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const fg = lum(rgba(style.color)), bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    const text = el.textContent.trim().slice(0, 40);
    if (ratio < needed) failures.push(`${el.tagName} "${text}" ${ratio.toFixed(2)}`);
  }
  return failures;
}"""

FOCUS_JS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName, text: el.textContent.trim(), focusVisible: el.matches(':focus-visible'),
          outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
}"""


@dataclass
class Site:
    url: str
    workspace: Workspace
    artifacts: Path


def _artifacts() -> Path:
    folder = Path(os.environ.get("SYNTHESIST_TEST_ARTIFACTS") or REPO / "test-artifacts") / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    """Project A of tests/web/conftest.py on SQLite (aoife and lukasz review in dual mode at
    title/abstract, olwen owns it, 12 records), served by uvicorn in a background thread."""
    init_project(tmp_path / "a", "Project A").close()
    _configure(tmp_path / "a", "dual", None, REVIEWERS)
    workspace = open_workspace(find_project(tmp_path / "a"), actor="tester")
    export = workspace.project.root / "records.ris"
    export.write_text(ris_text(12), encoding="utf-8")
    import_files(workspace, ImportRequest(paths=[export], source="MEDLINE"))
    for name in REVIEWERS:
        add_user(workspace, name, PASSWORD)
    add_member(workspace, "aoife", Role.REVIEWER)
    add_member(workspace, "lukasz", Role.REVIEWER)
    add_member(workspace, "olwen", Role.OWNER)

    try:
        with serve_in_thread(create_app(workspace)) as url:
            yield Site(url, workspace, _artifacts())
    finally:
        workspace.close()


@pytest.fixture
def browser() -> Iterator[sync_api.Browser]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


def _shot(site: Site, page: sync_api.Page, step: str) -> None:
    page.screenshot(path=str(site.artifacts / f"{step}.png"), full_page=True)


def _assert_labelled(page: sync_api.Page) -> None:
    """Every form field has an accessible name, and all text meets WCAG's contrast minimum."""
    unlabelled = page.evaluate(UNLABELLED_JS)
    assert unlabelled == [], f"inputs without an accessible label on {page.url}: {unlabelled}"
    low = page.evaluate(CONTRAST_JS)
    assert low == [], f"text below WCAG contrast on {page.url}: {low}"


def _login(browser: sync_api.Browser, site: Site, name: str, step: str) -> sync_api.Page:
    """A fresh browser context (its own cookies) logged in through the form, typed on the keyboard."""
    context = browser.new_context(base_url=site.url, viewport={"width": 1200, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/login")
    _assert_labelled(page)
    assert page.evaluate("document.activeElement.id") == "name", "the user name field has the focus"
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    _shot(site, page, f"{step}-login")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"Signed in as {name}" in page.inner_text("header")
    return page


def _current_record(page: sync_api.Page) -> int | None:
    field = page.locator('input[name="record_id"]')
    return int(field.get_attribute("value") or "") if field.count() else None


def _press(page: sync_api.Page, key: str) -> None:
    """A screening shortcut pressed on the keyboard (keys.js presses the button that declares it)."""
    with page.expect_navigation():
        page.keyboard.press(key)


def test_two_reviewers_screen_in_the_browser_and_the_owner_resolves(
    site: Site, browser: sync_api.Browser
) -> None:
    key = site.workspace.project.key
    screen = f"/p/{key}/screen/title-abstract"

    # reviewer A: logs in, then screens ten records with the keyboard only
    aoife = _login(browser, site, "aoife", "01-aoife")
    aoife.goto(screen)
    _assert_labelled(aoife)
    _shot(site, aoife, "02-aoife-screening")
    # Tab from the top of the page: the first button reached shows a visible focus ring
    for _ in range(30):
        aoife.keyboard.press("Tab")
        focused = aoife.evaluate(FOCUS_JS)
        if focused["tag"] == "BUTTON":
            break
    else:
        pytest.fail("Tab never reached a button on the screening page")
    assert focused["focusVisible"] and focused["outline"] != "none" and focused["width"] > 0, focused
    _shot(site, aoife, "03-aoife-focus-on-first-button")
    # and on, through the note field, to the decision buttons: each shows its focus too
    for _ in range(30):
        aoife.keyboard.press("Tab")
        focused = aoife.evaluate(FOCUS_JS)
        if focused["tag"] == "BUTTON":
            assert focused["focusVisible"] and focused["outline"] != "none" and focused["width"] > 0, focused
        if focused["text"].endswith("Include"):
            break
    else:
        pytest.fail("Tab never reached the Include button")
    aoife.goto(screen)  # focus back on the page itself, so the letters reach the shortcuts

    votes: dict[int, str] = {}
    for shortcut in "iieieiieie":
        record = _current_record(aoife)
        assert record is not None and record not in votes
        _press(aoife, shortcut)
        votes[record] = shortcut
    assert len(votes) == 10
    assert re.search(r"\b2 waiting for you\b", aoife.inner_text("#progress"))
    _shot(site, aoife, "04-aoife-after-ten-decisions")

    # reviewer B, in a context of their own: disagrees on the first record, agrees on three more
    lukasz = _login(browser, site, "lukasz", "05-lukasz")
    lukasz.goto(screen)
    disagreed: int | None = None
    agreed = 0
    while agreed < 3:
        record = _current_record(lukasz)
        assert record is not None, "lukasz ran out of records"
        if record not in votes:
            _press(lukasz, "n")
        elif disagreed is None:
            _press(lukasz, "e" if votes[record] == "i" else "i")
            disagreed = record
        else:
            _press(lukasz, votes[record])
            agreed += 1
    _shot(site, lukasz, "06-lukasz-after-four-decisions")
    assert disagreed is not None
    assert overview(site.workspace).records[disagreed].at(Stage.TITLE_ABSTRACT) is StageStatus.CONFLICT

    # the owner resolves the conflict on the conflicts page
    olwen = _login(browser, site, "olwen", "07-olwen")
    olwen.goto(f"/p/{key}/conflicts/title-abstract")
    _assert_labelled(olwen)
    section = olwen.locator("section.conflict", has=olwen.locator(f"#c-{disagreed}"))
    assert section.count() == 1 and olwen.locator("section.conflict").count() == 1
    _shot(site, olwen, "08-olwen-conflicts")
    section.get_by_label("Include").check()
    with olwen.expect_navigation():
        section.get_by_role("button", name="Record the consensus").click()
    assert "No conflicts" in olwen.inner_text("main")
    _shot(site, olwen, "09-olwen-resolved")
    assert overview(site.workspace).records[disagreed].at(Stage.TITLE_ABSTRACT) is StageStatus.INCLUDED

    # the agreement page shows numbers for the pair
    olwen.goto(f"/p/{key}/agreement")
    row = olwen.locator("tr", has_text="aoife & lukasz").first
    cells = [cell.strip() for cell in row.locator("td").all_inner_texts()]
    assert cells[1] == "4", cells  # records both decided
    assert cells[2] == "75%", cells  # three of four agree
    assert re.fullmatch(r"-?\d\.\d\d.*|undefined", cells[3]) and re.fullmatch(r"-?\d\.\d\d|—", cells[4])
    _shot(site, olwen, "10-olwen-agreement")
    for page in (aoife, lukasz, olwen):
        page.context.close()
