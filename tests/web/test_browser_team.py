"""The team server's acceptance flow in a real browser, on SQLite and PostgreSQL: a site served by
uvicorn (``create_site_app``), a real job worker on the site's queue, and Playwright driving Debian's
Chromium (headless), each person in a browser context of their own.

The site administrator creates a review ("New review", blank), invites a colleague, who signs up
through the link; the owner ticks both of them for title/abstract screening, sets that stage to dual
mode and edits the inclusion criteria; imports a RIS file as a background job and watches its page
until the job is done; both screen, disagreeing on one record; the owner resolves the conflict, and
the record's outcome is read back through the services. A screenshot of each step goes to
``$SYNTHESIST_TEST_ARTIFACTS/browser/team-<database>-*.png``; every page of the flow is also measured
at 375 px wide for horizontal scrolling (``team-<database>-narrow.json`` lists what it found).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from synthesist.review.accounts import Role
from synthesist.screening.model import Stage, StageStatus
from synthesist.services.accounts.users import add_user, role_of
from synthesist.services.jobs import start_embedded_workers
from synthesist.services.jobs.queue import EAGER_ENV
from synthesist.services.protocol_edit.reload import current_project
from synthesist.services.records.reading import list_batches
from synthesist.services.screening.decisions import overview
from synthesist.services.site import init_site, open_site_review, set_site_admin
from synthesist.workspace import Accounts, open_accounts
from tests.helpers import ris_text
from tests.web.serving import serve_in_thread
from tests.web.test_browser import (  # noqa: F401  (the browser fixture is used by name)
    TIMEOUT_MS,
    _artifacts,
    _assert_labelled,
    browser,
    sync_api,
)

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
OWNER, OWNER_NAME = "olwen", "Olwen Byrne"
COLLEAGUE, COLLEAGUE_NAME = "ingrid", "Ingrid Östlund"
TITLE = "Exercise therapy for chronic knee pain"
RECORDS = 12

# the page is wider than the window: the reader must scroll sideways (a table in its own scroll box
# does not count; the page itself does)
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = Array.from(document.querySelectorAll('body *')).filter((el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1) return false;
    for (let at = el.parentElement; at; at = at.parentElement) {
      const style = getComputedStyle(at);
      if (['auto', 'scroll', 'hidden'].includes(style.overflowX)) return false;
    }
    return true;
  }).slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '')
      + ' ' + Math.round(el.getBoundingClientRect().right) + 'px');
  return {scrollWidth: document.documentElement.scrollWidth, clientWidth: width, wide: wide};
}"""


@pytest.fixture(autouse=True)
def _real_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Jobs go through the site's queue to a worker process, not run in the request (the web
    conftest's default)."""
    monkeypatch.delenv(EAGER_ENV, raising=False)


@dataclass
class TeamSite:
    url: str
    folder: Path
    queue_url: str
    accounts: Accounts
    artifacts: Path
    prefix: str
    narrow: dict[str, dict[str, object]] = field(default_factory=dict)
    job_seconds: float | None = None  # from the import's submission to its page showing the result

    def shot(self, page: sync_api.Page, step: str) -> None:
        page.screenshot(path=str(self.artifacts / f"{self.prefix}-{step}.png"), full_page=True)

    def measure_narrow(self, page: sync_api.Page, name: str) -> None:
        """The page as a phone shows it (375 px): note whether it scrolls sideways, then back."""
        size = page.viewport_size
        page.set_viewport_size({"width": 375, "height": 800})
        self.narrow[name] = page.evaluate(OVERFLOW_JS)
        page.screenshot(path=str(self.artifacts / f"{self.prefix}-narrow-{name}.png"), full_page=True)
        if size:
            page.set_viewport_size(size)


@pytest.fixture
def team_site(tmp_path: Path, database_url: str | None) -> Iterator[TeamSite]:
    """A new site (SQLite files, or the fixture's PostgreSQL database) whose one user is its
    administrator, served by uvicorn in a thread of this process."""
    from synthesist.web.factory import create_site_app

    site = init_site(tmp_path / "site", "Evidence Unit", database_url)
    accounts = open_accounts(site, "tester")
    add_user(accounts, OWNER, PASSWORD, display_name=OWNER_NAME)
    set_site_admin(accounts, OWNER)
    team = None
    try:
        with serve_in_thread(create_site_app(site.root), lifespan="on") as url:
            # the site's job worker, started with the server as `synthesist serve` starts it
            workers = start_embedded_workers(site.queue_url)
            try:
                prefix = f"team-{'postgresql' if database_url else 'sqlite'}"
                team = TeamSite(url, site.root, site.queue_url, accounts, _artifacts(), prefix)
                yield team
            finally:
                workers.stop()
    finally:
        accounts.close()
        if team is not None:
            found = {"job_seconds": team.job_seconds, "narrow_375px": team.narrow}
            (team.artifacts / f"{team.prefix}-narrow.json").write_text(
                json.dumps(found, indent=2), encoding="utf-8"
            )


def _context(chromium: sync_api.Browser, site: TeamSite) -> sync_api.Page:
    context = chromium.new_context(base_url=site.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def _login(chromium: sync_api.Browser, site: TeamSite, login: str) -> sync_api.Page:
    page = _context(chromium, site)
    page.goto("/login")
    page.fill("#name", login)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert "Signed in as" in page.inner_text("header"), page.inner_text("main")
    return page


def _nav(page: sync_api.Page, name: str) -> None:
    """A link of the page's header: the home page ("Synthesist") or one of the review's menu."""
    with page.expect_navigation():
        page.get_by_role("banner").get_by_role("link", name=name, exact=True).click()


def _submit(page: sync_api.Page, button: str, within: sync_api.Locator | None = None) -> None:
    with page.expect_navigation():
        (within or page).get_by_role("button", name=button, exact=True).click()


def _record(page: sync_api.Page) -> int | None:
    field = page.locator('input[name="record_id"]')
    return int(field.get_attribute("value") or "") if field.count() else None


def test_a_team_runs_a_review_from_invitation_to_resolved_conflict(
    team_site: TeamSite,
    browser: sync_api.Browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    site = team_site

    # 1. the site administrator creates a blank review with a title
    owner = _login(browser, site, OWNER)
    site.measure_narrow(owner, "home")
    with owner.expect_navigation():
        owner.get_by_role("link", name="New review", exact=True).click()  # not "Start a new review"
    _assert_labelled(owner)
    site.measure_narrow(owner, "new-review")
    owner.get_by_label("Title").fill(TITLE)
    owner.get_by_label("A blank protocol").check()
    site.shot(owner, "01-new-review")
    _submit(owner, "Create the review")
    found = re.fullmatch(rf"{re.escape(site.url)}/p/([\w-]+)", owner.url)
    assert found, owner.url
    key = found.group(1)
    assert TITLE in owner.inner_text("main")
    site.measure_narrow(owner, "overview")
    site.shot(owner, "02-review-created")

    # 2. an invitation link from the Members page; the colleague signs up through it
    _nav(owner, "Members")
    _assert_labelled(owner)
    owner.get_by_label("Role", exact=True).select_option("reviewer")
    _submit(owner, "Make an invitation link")
    link = owner.input_value("#made-link")
    assert "/invite/" in link, link
    site.measure_narrow(owner, "members")
    site.shot(owner, "03-invitation-link")

    colleague = _context(browser, site)
    colleague.goto(link)
    assert TITLE in colleague.inner_text("h1")
    _assert_labelled(colleague)
    site.measure_narrow(colleague, "invite")
    colleague.get_by_label("Login (what you sign in with)").fill(COLLEAGUE)
    colleague.get_by_label("Your name, as reports show it").fill(COLLEAGUE_NAME)
    colleague.get_by_label("E-mail").fill("ingrid@example.org")
    colleague.get_by_label("Password (at least 8 characters)").fill(PASSWORD)
    colleague.get_by_label("Repeat the password").fill(PASSWORD)
    site.shot(colleague, "04-sign-up")
    _submit(colleague, "Create my account")
    assert colleague.url == f"{site.url}/p/{key}", colleague.url
    assert COLLEAGUE in colleague.inner_text("header")
    site.shot(colleague, "05-colleague-in")
    workspace = open_site_review(site.accounts, key, "tester")
    assert workspace is not None
    try:
        assert role_of(workspace, COLLEAGUE) is Role.REVIEWER
        owner.reload()
        assert COLLEAGUE_NAME in owner.inner_text("main") and f"used by {COLLEAGUE}" in owner.inner_text(
            "main"
        )

        # 3. duties: both tick for title/abstract screening; that stage in dual mode
        _nav(owner, "Protocol")
        _assert_labelled(owner)
        site.measure_narrow(owner, "protocol")
        duties = owner.locator("#duties")
        title_abstract = duties.locator("fieldset.duty").filter(has_text=re.compile("title", re.I)).first
        title_abstract.get_by_label(OWNER_NAME).check()
        title_abstract.get_by_label(COLLEAGUE_NAME).check()
        site.shot(owner, "06-duties-ticked")
        _submit(owner, "Save duties", duties)
        assert "Saved to review.toml." in owner.inner_text("#duties")
        screening = owner.locator("section#screening")
        screening.locator("#f-screening-title_abstract-mode").select_option("dual")
        _submit(owner, "Save screening modes", screening)
        assert "Saved to review.toml." in owner.inner_text("section#screening")
        assert owner.input_value("#f-screening-title_abstract-mode") == "dual"
        site.shot(owner, "07-dual-mode-saved")
        protocol = workspace.project.protocol_path.read_text(encoding="utf-8")
        current_project(
            workspace
        )  # this test's handle on the review reads the edited protocol, as a request does
        assert workspace.project.protocol.screening.title_abstract.mode == "dual"
        assert re.search(r'mode = "dual"', protocol), protocol
        assert f'"{OWNER_NAME}"' in protocol and f'"{COLLEAGUE_NAME}"' in protocol

        # 4. the inclusion criteria, saved and shown again
        criteria = owner.locator("section#criteria")
        criteria.get_by_label("Inclusion criteria").fill("Adults with chronic knee pain\nExercise therapy\n")
        _submit(owner, "Save criteria and exclusion reasons", criteria)
        criteria = owner.locator("section#criteria")
        assert "Saved to review.toml." in criteria.inner_text()
        assert criteria.get_by_label("Inclusion criteria").input_value().splitlines() == [
            "Adults with chronic knee pain",
            "Exercise therapy",
        ]
        site.shot(owner, "08-criteria-saved")

        # 5. a RIS file imported as a job, run by a real worker; its page follows it to the end
        export = tmp_path / "medline export.ris"
        export.write_text(ris_text(RECORDS), encoding="utf-8")
        _nav(owner, "Import")
        _assert_labelled(owner)
        site.measure_narrow(owner, "import")
        owner.set_input_files("#files", str(export))
        owner.fill("#source", "MEDLINE")
        _submit(owner, "Import")
        submitted = time.monotonic()
        assert re.search(rf"/p/{key}/jobs/\d+$", owner.url), owner.url
        seen = [owner.inner_text("#job-status")]
        assert owner.locator("progress#job-progress").count() == 1, "an unfinished job shows its progress bar"
        site.shot(owner, "09-import-job-queued")
        site.measure_narrow(owner, "job")
        deadline = time.monotonic() + 30
        while "Imported" not in owner.inner_text("main"):
            assert time.monotonic() < deadline, f"the import job did not finish: {seen}"
            state = owner.inner_text("#job-status")
            if state != seen[-1]:
                seen.append(state)
            owner.wait_for_timeout(100)
        site.job_seconds = round(time.monotonic() - submitted, 1)
        assert owner.inner_text("#job-status").lower() == "done"
        assert owner.locator("progress#job-progress").count() == 0
        assert f"Imported {RECORDS} records" in owner.inner_text("#import-status")
        assert seen[0].lower() in ("queued", "running"), seen
        site.shot(owner, "10-import-job-done")
        site.measure_narrow(owner, "job-done")
        with owner.expect_navigation():
            owner.get_by_role("link", name="The searches imported").click()
        assert "medline_export.ris" in owner.inner_text("table.batches")
        site.measure_narrow(owner, "import-with-batches")
        [batch] = list_batches(workspace)
        assert (batch.source, batch.record_count) == ("MEDLINE", RECORDS)

        # 6. both screen in dual mode, each in their own context; they disagree on one record
        _nav(owner, "Screen title/abstract")
        _assert_labelled(owner)
        site.measure_narrow(owner, "screen")
        site.shot(owner, "11-owner-screening")
        votes: dict[int, str] = {}
        for choice in "iei":
            record = _record(owner)
            assert record is not None and record not in votes
            _submit(owner, f"{choice} {'Include' if choice == 'i' else 'Exclude'}")
            votes[record] = choice
        site.shot(owner, "12-owner-after-three")

        with colleague.expect_navigation():
            colleague.get_by_role("link", name="Screen title/abstract").click()
        assert "Adults with chronic knee pain" in colleague.inner_text("main"), "the criteria as edited"
        disagreed: int | None = None
        agreed = 0
        for _ in range(RECORDS):
            record = _record(colleague)
            assert record is not None, "the colleague ran out of records"
            if record not in votes:
                _submit(colleague, "n Skip for now")
            elif disagreed is None:
                choice = "e" if votes[record] == "i" else "i"
                _submit(colleague, f"{choice} {'Include' if choice == 'i' else 'Exclude'}")
                disagreed = record
            else:
                _submit(colleague, f"{votes[record]} {'Include' if votes[record] == 'i' else 'Exclude'}")
                agreed += 1
            if disagreed is not None and agreed == 2:
                break
        assert disagreed is not None and agreed == 2
        site.shot(colleague, "13-colleague-after-three")
        statuses = overview(workspace).records
        assert statuses[disagreed].at(Stage.TITLE_ABSTRACT) is StageStatus.CONFLICT
        assert sum(statuses[r].at(Stage.TITLE_ABSTRACT) is StageStatus.CONFLICT for r in votes) == 1

        # 7. the owner resolves the conflict; the services see the record included
        _nav(owner, "Conflicts")
        _assert_labelled(owner)
        site.measure_narrow(owner, "conflicts")
        section = owner.locator("section.conflict", has=owner.locator(f"#c-{disagreed}"))
        assert owner.locator("section.conflict").count() == 1 and section.count() == 1
        site.shot(owner, "14-conflict")
        section.get_by_label("Include").check()
        _submit(owner, "Record the consensus", section)
        assert "No conflicts" in owner.inner_text("main")
        site.shot(owner, "15-resolved")
        assert overview(workspace).records[disagreed].at(Stage.TITLE_ABSTRACT) is StageStatus.INCLUDED
        assert overview(workspace).records[disagreed].at(Stage.FULL_TEXT) is not StageStatus.NOT_OPEN

        # both find the review on their home page, with its records
        for page in (owner, colleague):
            _nav(page, "Synthesist")
            row = page.locator("tr", has=page.get_by_role("link", name=TITLE))
            assert row.locator("td").all_inner_texts()[1:] == [
                "owner" if page is owner else "reviewer",
                str(RECORDS),
            ]
        site.measure_narrow(owner, "home-with-review")
        site.shot(colleague, "16-colleague-home")
    finally:
        workspace.close()
    for page in (owner, colleague):
        page.context.close()
