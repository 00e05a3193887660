"""Feedback everywhere: every destructive form sits inside a confirmation disclosure (a ``<details
class="confirm">`` whose summary opens to a sentence and the real button, so it works without
JavaScript); the page each action returns to confirms it, but only while the stored state bears it out;
and a list with nothing in it says so and names the next step, with a link where the reader may take
it. SQLite and PostgreSQL, through the conftest's two projects."""

from __future__ import annotations

from typing import Any

import lxml.html
import pytest
from fastapi.testclient import TestClient

from synthesist.review.accounts import Role
from synthesist.review.jobs import JobStatus
from synthesist.services.accounts.invitations import create_invitation
from synthesist.services.accounts.users import add_member, add_user, role_of
from synthesist.services.dedup.review import list_groups, merge_records
from synthesist.services.jobs import job_status, submit_job
from synthesist.services.jobs.queue import EAGER_ENV
from synthesist.services.records.reading import list_records
from synthesist.services.site import set_site_admin
from tests.web.conftest import PASSWORD, Served, csrf_of

CONFIRM = 'ancestor::details[contains(concat(" ", normalize-space(@class), " "), " confirm ")]'


def _confirmed_form(html: str, action: str) -> Any:
    """The one form posting to ``action``, after checking it sits in a confirmation disclosure whose
    summary comes first and says what it does, with a sentence before the form's own submit button."""
    page = lxml.html.fromstring(html)
    forms = page.xpath(f'//form[@action="{action}"]')
    assert len(forms) == 1, f"one form posts to {action}: {len(forms)}"
    [form] = forms
    details = form.xpath(CONFIRM)
    assert details, f"the form posting to {action} is not inside a <details class='confirm'>"
    summary = details[0][0]
    assert summary.tag == "summary" and _said(summary), "the summary is the first button"
    body = form.xpath('ancestor::div[contains(@class, "confirm-body")]')
    sentence = body[0].xpath("./p") if body else []
    assert sentence and _said(sentence[0]), "a sentence says what will happen"
    assert form.xpath('.//button[@type="submit"]'), "the real button is in the disclosure"
    return form


def _flash(html: str) -> str:
    found = lxml.html.fromstring(html).xpath('//*[@role="status"]//p[contains(@class, "flash")]')
    return " ".join(_said(node) for node in found)


def _empty(html: str) -> Any:
    found = lxml.html.fromstring(html).xpath('//div[contains(concat(" ", @class, " "), " empty ")]')
    assert found, "the page shows an empty state"
    return found[0]


def _said(node: Any) -> str:
    """A node's text as read: its whitespace runs as single spaces."""
    return " ".join(node.text_content().split())


def _links(node: Any) -> dict[str, str]:
    return {_said(a): a.get("href") for a in node.xpath(".//a")}


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> None:
    """Jobs wait in the queue (no worker runs in these tests), so they can be cancelled."""
    monkeypatch.delenv(EAGER_ENV, raising=False)


def _admin(served: Served) -> TestClient:
    set_site_admin(served.a.accounts, "olwen", True)
    set_site_admin(served.a.accounts, "aoife", True)
    return served.client("olwen")


def test_members_remove_and_withdraw_ask_first_and_confirm_after(served: Served) -> None:
    key = served.a.project.key
    invitation = create_invitation(served.a, role=Role.REVIEWER, created_by="olwen")
    olwen = served.client("olwen")
    page = olwen.get(f"/p/{key}/members").text
    form = _confirmed_form(page, f"/p/{key}/members/revoke")
    assert "nobody can join with it" in _said(form.getparent())
    removes = lxml.html.fromstring(page).xpath(f'//form[@action="/p/{key}/members/remove"]')
    assert len(removes) == 2, "aoife and lukasz, never the owner herself"
    for remove in removes:
        assert remove.xpath(CONFIRM), "each removal asks first"
        said = _said(remove.getparent())
        assert "stays in the log" in said and "account stays on the site" in said
    assert "No invitations yet" not in page

    token = csrf_of(page)
    removed = olwen.post(f"/p/{key}/members/remove", data={"user": "lukasz", "csrf_token": token})
    assert removed.status_code == 200 and role_of(served.a, "lukasz") is None
    assert str(removed.url).endswith("/members?done=removed&user=lukasz")
    assert (
        _flash(removed.text)
        == "lukasz was removed from the review. Everything they recorded stays in the log."
    )

    withdrawn = olwen.post(
        f"/p/{key}/members/revoke", data={"invitation_id": invitation.id, "csrf_token": token}
    )
    assert _flash(withdrawn.text) == "Invitation withdrawn: its link no longer works."

    changed = olwen.post(
        f"/p/{key}/members/role", data={"user": "aoife", "role": "viewer", "csrf_token": token}
    )
    assert _flash(changed.text) == "aoife is now a viewer of this review."
    # an old or edited address confirms nothing the stored state does not bear out
    assert (
        _flash(olwen.get(f"/p/{key}/members?done=role&user=aoife").text)
        == "aoife is now a viewer of this review."
    )
    add_member(served.a, "lukasz", Role.REVIEWER)
    assert _flash(olwen.get(f"/p/{key}/members?done=removed&user=lukasz").text) == ""
    assert _flash(olwen.get(f"/p/{key}/members?done=withdrawn&invitation=999").text) == ""


def test_the_members_page_without_invitations_says_how_to_make_one(served: Served) -> None:
    page = served.client("olwen").get(f"/p/{served.a.project.key}/members").text
    empty = _empty(page)
    assert "No invitations yet" in _said(empty) and "Make an invitation link above" in _said(empty)
    reviewer_page = served.client("aoife").get(f"/p/{served.a.project.key}/members").text
    assert "No invitations yet" not in reviewer_page and 'details class="confirm' not in reviewer_page, (
        "an owner's tools"
    )


def test_the_users_page_asks_before_disabling_demoting_and_withdrawing(served: Served) -> None:
    site_link = create_invitation(served.a.accounts, role=None)
    olwen = _admin(served)
    page = olwen.get("/admin/users").text
    tree = lxml.html.fromstring(page)
    disables = tree.xpath('//form[@action="/admin/users/disable"]')
    assert {f.xpath('.//input[@name="user"]')[0].get("value") for f in disables} == {
        "aoife",
        "lukasz",
        "outsider",
    }
    assert all(f.xpath(CONFIRM) for f in disables), "each disabling asks first"
    assert "open sessions end now" in _said(disables[0].getparent())
    demote = [
        f for f in tree.xpath('//form[@action="/admin/users/admin"]') if f.xpath('.//input[@value="false"]')
    ]
    assert [f.xpath('.//input[@name="user"]')[0].get("value") for f in demote] == ["aoife"], "not herself"
    assert demote[0].xpath(CONFIRM) and "keeps their account" in _said(demote[0].getparent())
    promote = [
        f for f in tree.xpath('//form[@action="/admin/users/admin"]') if f.xpath('.//input[@value="true"]')
    ]
    assert promote and not promote[0].xpath(CONFIRM), "a harmless action needs no confirmation"
    _confirmed_form(page, "/admin/users/revoke")

    token = csrf_of(page)
    disabled = olwen.post("/admin/users/disable", data={"user": "lukasz", "csrf_token": token})
    assert str(disabled.url).endswith("/admin/users?done=disabled&user=lukasz")
    assert _flash(disabled.text).startswith("lukasz is disabled: they can no longer sign in.")
    enabled = olwen.post("/admin/users/enable", data={"user": "lukasz", "csrf_token": token})
    assert _flash(enabled.text).startswith("lukasz is enabled")
    demoted = olwen.post("/admin/users/admin", data={"user": "aoife", "admin": "false", "csrf_token": token})
    assert _flash(demoted.text) == "aoife is no longer an administrator of the site."
    promoted = olwen.post("/admin/users/admin", data={"user": "aoife", "admin": "true", "csrf_token": token})
    assert _flash(promoted.text) == "aoife is now an administrator of the site."
    withdrawn = olwen.post("/admin/users/revoke", data={"invitation_id": site_link.id, "csrf_token": token})
    assert _flash(withdrawn.text) == "Invitation withdrawn: its link no longer works."
    # lukasz is enabled again: the address of his disabling confirms nothing now
    assert _flash(olwen.get("/admin/users?done=disabled&user=lukasz").text) == ""


def test_the_users_page_without_site_invitations_says_how_to_make_one(served: Served) -> None:
    empty = _empty(_admin(served).get("/admin/users").text)
    assert "No invitations to the site yet" in _said(empty)


def test_cancelling_a_job_asks_first_and_its_page_confirms_it(served: Served, queued: None) -> None:
    key = served.a.project.key
    job_id = submit_job(served.a, "report.build", {"formats": ["md"]})
    olwen = served.client("olwen")
    page = olwen.get(f"/p/{key}/jobs/{job_id}").text
    form = _confirmed_form(page, f"/p/{key}/jobs/{job_id}/cancel")
    assert "It will not run, so nothing of it is written." in _said(form.getparent())
    assert _flash(page) == ""
    cancelled = olwen.post(f"/p/{key}/jobs/{job_id}/cancel", data={"csrf_token": csrf_of(page)})
    assert str(cancelled.url).endswith(f"/jobs/{job_id}?done=cancel")
    assert job_status(served.a, job_id).status is JobStatus.CANCELLED
    assert _flash(cancelled.text) == "Job cancelled."
    other = submit_job(served.a, "report.build", {"formats": ["md"]})
    assert _flash(olwen.get(f"/p/{key}/jobs/{other}?done=cancel").text) == "", (
        "not cancelled: no confirmation"
    )


def test_undoing_a_merge_asks_first_and_the_duplicates_page_confirms_it(served: Served) -> None:
    key = served.a.project.key
    first, second = (stored.id for stored in list_records(served.a, limit=2)[0])
    group = merge_records(served.a, [first, second])
    olwen = served.client("olwen")
    page = olwen.get(f"/p/{key}/duplicates/groups/{group.id}").text
    form = _confirmed_form(page, f"/p/{key}/duplicates/groups/{group.id}/undo")
    assert form.xpath('.//input[@name="note"]'), "the note goes with the real button"
    assert "No record is deleted" in _said(form.getparent())
    undone = olwen.post(
        f"/p/{key}/duplicates/groups/{group.id}/undo", data={"csrf_token": csrf_of(page), "note": ""}
    )
    assert list_groups(served.a) == []
    assert _flash(undone.text).startswith(f"Duplicate group {group.id} undone")
    assert 'id="dedup-message"' in undone.text
    # a reviewer may not undo a merge: no disclosure for them
    merge_records(served.a, [first, second])
    [again] = list_groups(served.a)
    assert 'class="confirm' not in served.client("aoife").get(f"/p/{key}/duplicates/groups/{again.id}").text


def test_empty_lists_name_the_next_step(served: Served) -> None:
    key = served.a.project.key
    aoife = served.client("aoife")

    conflicts = _empty(aoife.get(f"/p/{key}/conflicts/title-abstract").text)
    assert "No conflicts at title and abstract" in _said(conflicts)
    assert _links(conflicts) == {"screen title and abstract": f"/p/{key}/screen/title-abstract"}

    jobs = _empty(aoife.get(f"/p/{key}/jobs").text)
    assert "No jobs yet" in _said(jobs)
    assert _links(jobs) == {"import a search's results": f"/p/{key}/import"}

    extraction = _empty(aoife.get(f"/p/{key}/extraction").text)
    assert "No study is included yet" in _said(extraction)
    assert _links(extraction) == {"screen full texts": f"/p/{key}/screen/full-text"}

    groups = _empty(aoife.get(f"/p/{key}/duplicates").text.split('id="groups-title"')[1])
    assert "No duplicate groups yet" in _said(groups)

    nothing = _empty(aoife.get(f"/p/{key}/records?q=zebra").text)
    assert _links(nothing) == {"Show all records": f"/p/{key}/records"}

    log = _empty(aoife.get(f"/p/{key}/log?person=nobody").text)
    assert _links(log) == {"Clear the filters": f"/p/{key}/log"}

    coding = _empty(aoife.get(f"/p/{key}/coding").text)
    assert "synthesist doc add" in _said(coding)


def test_a_viewer_is_not_sent_where_they_may_not_go(served: Served) -> None:
    add_user(served.a, "vera", PASSWORD)
    add_member(served.a, "vera", Role.VIEWER)
    vera = served.client("vera")
    key = served.a.project.key
    for path in ("conflicts/title-abstract", "jobs", "extraction", "records?q=zebra"):
        empty = _empty(vera.get(f"/p/{key}/{path}").text)
        assert "/screen/" not in str(_links(empty)) and "/import" not in str(_links(empty)), path
