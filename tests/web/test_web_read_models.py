"""One read model per page: the pages' services read what a page shows from one unit of work (one
consistent snapshot), however many records the page lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from synthesist.screening.model import Stage, StageStatus, Vote
from synthesist.services.dedup.runs import run_dedup
from synthesist.services.reporting.prisma import prisma_counts
from synthesist.services.screening.decisions import decide, overview
from synthesist.services.web.pages_dedup import duplicates_page
from synthesist.services.web.pages_outputs import prisma_rows
from synthesist.services.web.pages_screening import conflicts_page, record_page
from synthesist.workspace import Workspace
from tests.web.conftest import Served


def _units_of_work(monkeypatch: pytest.MonkeyPatch, workspace: Workspace) -> list[bool]:
    """Every unit of work ``workspace`` opens from now on (True: a writing one)."""
    opened: list[bool] = []
    original: Callable[..., Any] = workspace.unit_of_work

    def counting(*, write: bool = True) -> Any:
        opened.append(write)
        return original(write=write)

    monkeypatch.setattr(workspace, "unit_of_work", counting)
    return opened


def test_the_conflicts_page_is_one_snapshot_however_many_conflicts(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    for record_id in (3, 5, 7):
        decide(served.a, record_id, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer="aoife")
        decide(served.a, record_id, Stage.TITLE_ABSTRACT, Vote.EXCLUDE, reviewer="lukasz")
    assert overview(served.a).records[5].at(Stage.TITLE_ABSTRACT) is StageStatus.CONFLICT
    opened = _units_of_work(monkeypatch, served.a)
    shown = conflicts_page(served.a, "olwen", Stage.TITLE_ABSTRACT)
    assert [item.stored.id for item in shown.conflicts] == [3, 5, 7]
    assert all({d.reviewer for d in item.decisions} == {"aoife", "lukasz"} for item in shown.conflicts)
    assert opened == [False], "one reading unit of work (the old route opened 1 + 2N)"


def test_a_record_page_shows_only_the_viewers_blind_votes(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    decide(served.a, 4, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer="aoife")
    opened = _units_of_work(monkeypatch, served.a)
    assert [d.reviewer for d in record_page(served.a, "aoife", 4).decisions] == ["aoife"]
    assert record_page(served.a, "lukasz", 4).decisions == (), "aoife's vote is blind to lukasz"
    assert opened == [False, False]


def test_the_duplicates_page_is_one_snapshot(served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    run_dedup(served.a, scope="all")
    opened = _units_of_work(monkeypatch, served.a)
    shown = duplicates_page(served.a)
    assert opened == [False]
    assert shown.status.total == 12
    assert shown.position in (None, 1) and len(shown.later) == max(len(shown.queue) - 1, 0)


def test_the_prisma_table_lists_the_boxes_in_the_diagrams_order(served: Served) -> None:
    rows = prisma_rows(prisma_counts(served.a).counts)
    labels = [row.label for row in rows]
    assert labels[:2] == ["Records identified from databases", "Duplicate records removed"]
    assert labels[-2:] == ["Studies included in review", "Reports of included studies"]
    assert rows[0].n == 12 and rows[0].entries == (("MEDLINE", 12),), "databases listed under their total"
