"""Duplicate review in the web app: an owner runs deduplication, a reviewer sees a possible duplicate
side by side with the differing words marked and decides it; a merged group can change its primary
and be undone (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from markupsafe import Markup

from synthesist.dedup.model import PairStatus
from synthesist.review.accounts import Role
from synthesist.services.accounts.users import add_member, add_user
from synthesist.services.dedup.review import list_groups, list_pairs, review_queue
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.records.reading import read_log
from synthesist.web.routes.dedup import word_diff
from tests.dedup_helpers import ris_file
from tests.web.conftest import PASSWORD, Served, csrf_of, login

TITLE = "Self-management support for people with chronic low back pain in primary care: a qualitative study"
# One article as two databases export it: the second copy has a typo in its title ("managment"),
# abbreviated authors and other pages, so only a reviewer can say whether they are the same record.
NEAR_DUPLICATES = ris_file(
    (("TY", "JOUR"), ("ID", "emb-1"), ("AU", "Cooper, K."), ("AU", "Smith, B. H."), ("TI", TITLE),
     ("JO", "Physiotherapy"), ("PY", "2012"), ("VL", "98"), ("IS", "2"), ("SP", "100"), ("EP", "108")),
    (("TY", "JOUR"), ("ID", "med-1"), ("AU", "Cooper K"), ("AU", "Smith BH"),
     ("TI", TITLE.replace("management", "managment")), ("JO", "Physiotherapy"), ("PY", "2012"),
     ("VL", "98"), ("IS", "2"), ("SP", "210-218")),
)  # fmt: skip


@pytest.fixture
def with_pair(served: Served) -> Served:
    """Project A with the two near-duplicates imported next to its twelve distinct records."""
    export = served.a.project.root / "near-duplicates.ris"
    export.write_text(NEAR_DUPLICATES, encoding="utf-8")
    import_files(served.a, ImportRequest(paths=[export], source="Embase"))
    return served


def _url(served: Served, tail: str = "") -> str:
    return f"/p/{served.a.project.key}/duplicates{tail}"


def _run(client: TestClient, served: Served, **fields: str) -> str:
    page = client.get(_url(served))
    response = client.post(_url(served, "/run"), data={"csrf_token": csrf_of(page.text), **fields})
    # deduplication runs as a job (at once here: tests/web/conftest.py); the answer is the job's page
    assert response.status_code == 200, response.text
    assert "/jobs/" in str(response.url) and "Review the possible duplicates" in response.text
    text: str = response.text
    return text


def test_word_diff_marks_the_differing_words_with_words_for_screen_readers() -> None:
    left, right = word_diff("Self-management support <b>", "Self-managment support <b>")
    assert isinstance(left, Markup)
    assert '<mark class="diff">management<span class="sr-only"> (differs)</span></mark>' in left
    assert '<mark class="diff">managment<span class="sr-only"> (differs)</span></mark>' in right
    assert "&lt;b&gt;" in left and "<b>" not in right, "the text is escaped"
    only_left, only_right = word_diff("a qualitative study", "a study")
    assert "only in this record" in only_left and "<mark" not in only_right


def test_the_owner_runs_dedup_and_a_reviewer_merges_the_near_duplicates(with_pair: Served) -> None:
    served = with_pair
    olwen = served.client("olwen")
    ran = _run(olwen, served)
    assert "1 possible duplicate to review" in ran
    [view] = review_queue(served.a)
    first, second = view.first.id, view.second.id

    aoife = served.client("aoife")
    page = aoife.get(_url(served))
    assert page.status_code == 200
    text = page.text
    assert f"Pair 1 of 1: records {first} and {second}" in text
    assert re.search(r"Similarity \d+%", text), "the match score"
    assert "near-identical titles" in text and "different pages" in text, "why it was proposed"
    # the differing title words are marked, with words for screen readers; equal fields are not
    assert '<mark class="diff">management<span class="sr-only"> (differs)</span></mark>' in text
    assert '<mark class="diff">managment<span class="sr-only"> (differs)</span></mark>' in text
    assert re.search(r"Title <span class=\"differs-label\">differs</span>", text)
    assert re.search(r"Pages <span class=\"differs-label\">differs</span>", text)
    assert "Journal</th>" in text and "Journal <span" not in text
    # the buttons declare the keys s and d for keys.js
    assert 'data-key="s"' in text and 'data-key="d"' in text

    decided = aoife.post(
        _url(served, f"/pairs/{view.pair.id}"),
        data={"csrf_token": csrf_of(text), "decision": "same", "note": "typo in MEDLINE"},
        follow_redirects=False,
    )
    assert decided.status_code == 303
    [group] = list_groups(served.a)
    assert set(group.member_ids) == {first, second}
    after = aoife.get(decided.headers["location"])
    assert f"merged into duplicate group {group.id}" in after.text
    assert "No possible duplicates wait for review" in after.text
    assert f"/duplicates/groups/{group.id}" in after.text
    [event] = read_log(served.a, types=["dedup.pair_decided"])
    assert event.actor == "aoife"

    # the group page shows both records; the owner chooses the primary and undoes the merge
    group_page = olwen.get(_url(served, f"/groups/{group.id}"))
    assert group_page.status_code == 200
    assert "(kept, primary)" in group_page.text and "Undo the merge" in group_page.text
    other = group.duplicate_ids[0]
    chosen = olwen.post(
        _url(served, f"/groups/{group.id}/primary"),
        data={"csrf_token": csrf_of(group_page.text), "record_id": str(other)},
    )
    assert chosen.status_code == 200
    assert list_groups(served.a)[0].primary_id == other
    undone = olwen.post(
        _url(served, f"/groups/{group.id}/undo"),
        data={"csrf_token": csrf_of(chosen.text), "note": "different trials"},
    )
    assert undone.status_code == 200
    assert f"Duplicate group {group.id} undone" in undone.text
    assert list_groups(served.a) == []
    [pair] = list_pairs(served.a)
    assert pair.status is PairStatus.REJECTED, "undoing keeps them apart in later runs"


def test_different_records_stay_apart(with_pair: Served) -> None:
    served = with_pair
    _run(served.client("olwen"), served)
    [view] = review_queue(served.a)
    lukasz = served.client("lukasz")
    page = lukasz.get(_url(served, f"/pairs/{view.pair.id}"))
    assert page.status_code == 200 and "Pair 1 of 1" in page.text
    response = lukasz.post(
        _url(served, f"/pairs/{view.pair.id}"),
        data={"csrf_token": csrf_of(page.text), "decision": "different"},
    )
    assert response.status_code == 200
    assert "different records; they stay apart" in response.text
    assert review_queue(served.a) == [] and list_groups(served.a) == []
    # the decided pair's own page says so and offers no buttons
    again = lukasz.get(_url(served, f"/pairs/{view.pair.id}"))
    assert "This pair was rejected by lukasz" in again.text and 'data-key="s"' not in again.text
    # deciding it twice is refused with the service's message
    twice = lukasz.post(
        _url(served, f"/pairs/{view.pair.id}"), data={"csrf_token": csrf_of(page.text), "decision": "same"}
    )
    assert twice.status_code == 409 and "already rejected" in twice.text


def test_a_second_run_with_nothing_new_says_so(with_pair: Served) -> None:
    olwen = with_pair.client("olwen")
    _run(olwen, with_pair)
    assert "nothing new to compare" in _run(olwen, with_pair)
    assert "Deduplication run" in _run(olwen, with_pair, scope="all")


def test_roles_a_reviewer_cannot_run_or_undo_a_viewer_cannot_decide(with_pair: Served) -> None:
    served = with_pair
    aoife = served.client("aoife")
    page = aoife.get(_url(served))
    assert "Find duplicates" not in page.text
    token = csrf_of(page.text)
    assert aoife.post(_url(served, "/run"), data={"csrf_token": token}).status_code == 403
    _run(served.client("olwen"), served)
    [view] = review_queue(served.a)

    add_user(served.a, "vera", PASSWORD)
    add_member(served.a, "vera", Role.VIEWER)
    vera = TestClient(served.app, base_url="http://testserver")
    login(vera, "vera")
    seen = vera.get(_url(served))
    assert seen.status_code == 200 and "Pair 1 of 1" in seen.text and 'data-key="s"' not in seen.text
    refused = vera.post(
        _url(served, f"/pairs/{view.pair.id}"), data={"csrf_token": csrf_of(seen.text), "decision": "same"}
    )
    assert refused.status_code == 403
    # without the CSRF token a reviewer's decision is refused too
    forged = aoife.post(_url(served, f"/pairs/{view.pair.id}"), data={"decision": "same"})
    assert forged.status_code == 403
    assert [v.pair.id for v in review_queue(served.a)] == [view.pair.id]

    decided = aoife.post(
        _url(served, f"/pairs/{view.pair.id}"), data={"csrf_token": token, "decision": "same"}
    )
    assert decided.status_code == 200
    [group] = list_groups(served.a)
    group_page = aoife.get(_url(served, f"/groups/{group.id}"))
    assert group_page.status_code == 200 and "Undo the merge" not in group_page.text
    assert aoife.post(_url(served, f"/groups/{group.id}/undo"), data={"csrf_token": token}).status_code == 403
    assert list_groups(served.a) != []


def test_unknown_pair_and_group_are_404(served: Served) -> None:
    aoife = served.client("aoife")
    assert aoife.get(_url(served, "/pairs/999")).status_code == 404
    assert aoife.get(_url(served, "/groups/999")).status_code == 404
    page = aoife.get(_url(served))
    assert "No possible duplicates wait for review" in page.text and "No duplicate groups yet" in page.text
