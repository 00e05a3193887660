"""The review's menu counts the work waiting for the signed-in reviewer, on every page: records to
screen at each stage (for the reviewers the protocol names), conflicts (for an owner), duplicate
pairs; the counts follow decisions made anywhere (the web, the CLI), and a viewer sees none."""

from __future__ import annotations

import re

import pytest

from synthesist.dedup.model import Outcome, PairStatus, PairVerdict
from synthesist.review.accounts import Role
from synthesist.screening.model import Stage, Vote
from synthesist.services.accounts.users import add_member
from synthesist.services.dedup.review import decide_pair, review_queue_in
from synthesist.services.screening.decisions import decide
from synthesist.services.web import waiting_counts
from tests.web.conftest import REASONS, Served, csrf_of

BADGE = re.compile(
    r'<a href="(?P<href>[^"]+)"[^>]*aria-describedby="(?P<id>[^"]+)"[^>]*>[^<]*</a> '
    r'<span class="nav-count" id="(?P=id)">(?P<count>[\d,]+)'
    r'<span class="sr-only"> (?P<words>[^<]+)</span></span>'
)


@pytest.fixture(autouse=True)
def _colleagues_counted_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A colleague's decision shows on the next page here; test_colleagues_work_may_lag_a_little
    leaves the menu its lag."""
    monkeypatch.setattr(waiting_counts, "COLLEAGUES_LAG", 0.0)


def _counts(served: Served, name: str, path: str = "") -> dict[str, tuple[int, str]]:
    """The menu's badges on a page of project A: the link's address after the project's, its count and
    the words a screen reader hears after it."""
    page = served.client(name).get(f"/p/{served.a.project.key}{path}")
    assert page.status_code == 200
    base = f"/p/{served.a.project.key}"
    return {
        found["href"].removeprefix(base): (int(found["count"].replace(",", "")), found["words"])
        for found in BADGE.finditer(page.text)
    }


def test_two_reviewers_see_their_own_work_and_it_follows_decisions(served: Served) -> None:
    ws = served.a
    decide(ws, 1, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer="aoife")
    decide(ws, 1, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer="lukasz")  # on to full text
    for record_id in (2, 3):
        decide(ws, record_id, Stage.TITLE_ABSTRACT, Vote.EXCLUDE, reviewer="aoife", reason=REASONS[0])

    aoife = _counts(served, "aoife")
    assert aoife["/screen/title-abstract"] == (9, "records waiting for you")
    assert aoife["/screen/full-text"] == (1, "record waiting for you"), "record 1 waits at full text"
    assert _counts(served, "lukasz")["/screen/title-abstract"][0] == 11, "lukasz voted on one record"
    assert "/conflicts/title-abstract" not in aoife, "a reviewer does not resolve conflicts"

    # a decision made elsewhere (the CLI, a colleague's process) shows on the next page, whichever it is
    decide(ws, 2, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer="lukasz")
    lukasz = _counts(served, "lukasz", "/log")
    assert lukasz["/screen/title-abstract"][0] == 10
    assert _counts(served, "aoife", "/log")["/screen/title-abstract"][0] == 9, "aoife's work is unchanged"
    olwen = _counts(served, "olwen", "/extraction")
    assert olwen["/conflicts/title-abstract"] == (1, "conflict waiting for you"), "record 2: in or out?"
    assert olwen["/screen/title-abstract"][0] == 10, "record 1 is settled, record 2 waits for her consensus"


def test_the_conflicts_entry_leads_to_the_stage_with_conflicts_waiting(served: Served) -> None:
    ws = served.a
    for reviewer in ("aoife", "lukasz"):
        decide(ws, 1, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer=reviewer)
    decide(ws, 1, Stage.FULL_TEXT, Vote.INCLUDE, reviewer="aoife")
    decide(ws, 1, Stage.FULL_TEXT, Vote.EXCLUDE, reviewer="lukasz", reason=REASONS[1])
    assert _counts(served, "olwen")["/conflicts/full-text"] == (1, "conflict waiting for you")
    decide(ws, 2, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer="aoife")
    decide(ws, 2, Stage.TITLE_ABSTRACT, Vote.EXCLUDE, reviewer="lukasz", reason=REASONS[0])
    assert _counts(served, "olwen")["/conflicts/title-abstract"][0] == 2, "title/abstract first, both counted"


def test_a_decision_in_the_browser_counts_down_on_the_next_page(served: Served) -> None:
    client = served.client("aoife")
    key = served.a.project.key
    form = client.get(f"/p/{key}/screen/title-abstract")
    assert _counts(served, "aoife")["/screen/title-abstract"][0] == 12
    shown = re.search(r'name="record_id" value="(\d+)"', form.text)
    assert shown, "the page offers a record"
    done = client.post(  # the page after the decision is the next record's
        f"/p/{key}/screen/title-abstract",
        data={"csrf_token": csrf_of(form.text), "record_id": shown.group(1), "shortcut": "i"},
    )
    assert done.status_code == 200
    assert BADGE.search(done.text) and _counts(served, "aoife")["/screen/title-abstract"][0] == 11


def test_no_screening_counts_without_the_screening_role_or_duty(served: Served) -> None:
    decide(served.a, 2, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer="aoife")
    decide(served.a, 2, Stage.TITLE_ABSTRACT, Vote.EXCLUDE, reviewer="lukasz", reason=REASONS[1])
    add_member(served.a, "outsider", Role.VIEWER)
    page = served.client("outsider").get(f"/p/{served.a.project.key}/log").text
    assert 'class="nav-count"' not in page and "work waiting" not in page, "a viewer has nothing waiting"
    assert "/screen/" not in page
    add_member(served.a, "outsider", Role.REVIEWER)  # may screen, but review.toml does not name them
    counts = _counts(served, "outsider")
    assert not any(path.startswith("/screen/") for path in counts), counts


def test_duplicate_pairs_waiting_are_counted_until_decided(served: Served) -> None:
    """As the review queue counts them: a pending pair whose records a merge has put in one group
    waits no longer."""
    pairs = [(1, 2), (2, 3), (1, 3), (4, 5)]
    with served.a.unit_of_work() as uow:
        verdicts = [PairVerdict(first, second, Outcome.POSSIBLE, 0.8) for first, second in pairs]
        uow.dedup.save_pairs(verdicts, run_id=None, status=PairStatus.PENDING)
        ids = {(first, second): uow.dedup.find_pair(first, second) for first, second in pairs}
        uow.commit()  # as a deduplication run leaves them (its own event is left out here)
    assert _counts(served, "aoife", "/duplicates")["/duplicates"] == (4, "pairs waiting for you")
    for first, second in ((1, 2), (2, 3)):
        found = ids[(first, second)]
        assert found is not None
        decide_pair(served.a, found.id, "confirm")
    assert _counts(served, "lukasz")["/duplicates"] == (1, "pair waiting for you"), "4 and 5 only"
    with served.a.unit_of_work(write=False) as uow:
        assert uow.dedup.open_pair_count() == len(review_queue_in(uow)) == 1


def test_a_long_review_title_is_in_a_tooltip(served: Served) -> None:
    page = served.client("aoife").get(f"/p/{served.a.project.key}").text
    assert f'class="review-title" href="/p/{served.a.project.key}" title="Project A"' in page


def test_colleagues_work_may_lag_a_little_but_ones_own_never(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting goes over every record, so while only colleagues decide, a reviewer's counts are kept
    for COLLEAGUES_LAG seconds; their own decision is counted on their next page."""
    monkeypatch.setattr(waiting_counts, "COLLEAGUES_LAG", 3600.0)
    ws = served.a
    assert _counts(served, "aoife")["/screen/title-abstract"][0] == 12
    for colleague in ("lukasz", "olwen"):  # record 1 has its two votes: aoife's is no longer wanted
        decide(ws, 1, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer=colleague)
    assert _counts(served, "aoife")["/screen/title-abstract"][0] == 12, "kept: only colleagues decided"
    decide(ws, 3, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer="aoife")
    assert _counts(served, "aoife")["/screen/title-abstract"][0] == 10, "her own decision, and theirs"
    monkeypatch.setattr(waiting_counts, "COLLEAGUES_LAG", 0.0)  # as when the lag is over
    for colleague in ("lukasz", "olwen"):
        decide(ws, 5, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer=colleague)
    assert _counts(served, "aoife")["/screen/title-abstract"][0] == 9
