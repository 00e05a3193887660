"""The review dashboard: each stage's progress, the signed-in person's tasks by duty, conflicts
waiting, recent activity, and what a viewer (who may not screen) is shown instead."""

from __future__ import annotations

import re

from synthesist.review.accounts import Role
from synthesist.screening.model import Stage, Vote
from synthesist.services.accounts.users import add_member
from synthesist.services.screening.decisions import decide
from synthesist.services.web.pages_dashboard import dashboard_page
from tests.web.conftest import Served


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_dashboard_shows_progress_tasks_and_activity(served: Served) -> None:
    ws, key = served.a, served.a.project.key
    decide(ws, 1, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer="aoife")
    decide(ws, 1, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer="lukasz")
    decide(ws, 4, Stage.TITLE_ABSTRACT, Vote.EXCLUDE, reviewer="aoife")
    shown = dashboard_page(ws, "aoife", Role.REVIEWER)
    screening = next(stage for stage in shown.stages if stage.label.startswith("Screening: title"))
    assert (screening.done, screening.total) == (1, 12)
    assert ("included", 1) in screening.breakdown
    [task] = [task for task in shown.tasks if "title" in task.label]
    assert task.count == 10, "the records she voted on are not waiting for her"
    olwen = dashboard_page(ws, "olwen", Role.OWNER)
    assert next(task for task in olwen.tasks if "title" in task.label).count == 11, "one is settled"

    page = served.client("aoife").get(f"/p/{key}")
    assert page.status_code == 200
    text = _text(page.text)
    assert "Your next tasks" in text and "Records to screen at title and abstract 10" in text
    assert "1 / 12" in text and "Recent activity" in text
    assert f'href="/p/{key}/screen/title-abstract"' in page.text
    activity = text.split("Recent activity")[1]
    assert "tester" in activity and "aoife: exclude record 4" in activity, "who did what"


def test_conflicts_wait_on_the_dashboard(served: Served) -> None:
    ws, key = served.a, served.a.project.key
    decide(ws, 2, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer="aoife")
    decide(ws, 2, Stage.TITLE_ABSTRACT, Vote.EXCLUDE, reviewer="lukasz")
    text = _text(served.client("olwen").get(f"/p/{key}").text)
    assert "Conflicts waiting" in text and "Conflicts at title and abstract 1" in text


def test_blind_votes_stay_blind_in_the_activity(served: Served) -> None:
    ws, key = served.a, served.a.project.key
    decide(ws.acting_as("lukasz"), 3, Stage.TITLE_ABSTRACT, Vote.EXCLUDE, reviewer="lukasz")
    page = served.client("aoife").get(f"/p/{key}").text
    assert "exclude" not in _text(page).lower().split("recent activity")[1], "lukasz's blind vote"


def test_a_viewer_is_told_what_they_may_do(served: Served) -> None:
    add_member(served.a, "outsider", Role.VIEWER)
    page = served.client("outsider").get(f"/p/{served.a.project.key}")
    assert page.status_code == 200 and "/screen/" not in page.text
    assert "You can read this review" in _text(page.text)
