"""What the running app holds: the projects it serves, and per project a cache of the screening
overview. Nothing here decides what a reviewer sees: the next record is a query on the stored ranking
(services/screening/ranking_store.py), checked against the database, so any number of processes
serve the same review alike; the cache only spares re-reading every record for the progress line."""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass, field

from synthesist.ports import UnitOfWork
from synthesist.review.accounts import Role
from synthesist.screening.model import Stage
from synthesist.services.screening.decisions import ScreeningOverview
from synthesist.services.screening.overview_cache import OverviewCache
from synthesist.services.screening.queue import NextRecord
from synthesist.services.screening.ranking_store import next_record_in, offer, request_training
from synthesist.services.web.pages_screening import ScreenPage, screen_page_in
from synthesist.services.web.waiting_counts import WaitingCache, WaitingCounts
from synthesist.workspace import Accounts, Workspace

__all__ = ["WebState"]

_CHOOSE_ATTEMPTS = 3  # choices of the next record per page when colleagues claim them first


@dataclass
class WebState:
    projects: dict[str, Workspace]  # by project key (review.toml's project_id)
    # users, sessions and memberships: the served project's database, or the site's
    accounts: Accounts
    secure_cookies: bool = False
    # One overview cache per project, validated against the review's log on every read.
    _overviews: dict[str, OverviewCache] = field(default_factory=dict)
    # A lock per project, because FastAPI runs requests in a thread pool and a cache is not
    # thread-safe; held only while the cache reads, which after the first read takes milliseconds.
    _overview_locks: dict[str, threading.Lock] = field(default_factory=dict)
    # The menu's counts of work waiting, per project, built on the overview cache (thread-safe each).
    _waiting: dict[str, WaitingCache] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)  # guards the dicts only

    def waiting(self, workspace: Workspace, reviewer: str, role: Role) -> WaitingCounts:
        """What waits for the reviewer, for the review's menu on every page: from the overview cache
        the screening page reads, so a page after a decision reads only that record again."""
        key = workspace.project.key
        with self._lock:
            cache = self._overviews.setdefault(key, OverviewCache())
            lock = self._overview_locks.setdefault(key, threading.Lock())
            waiting = self._waiting.setdefault(key, WaitingCache())

        def overview(uow: UnitOfWork, seen: int) -> ScreeningOverview:
            with lock:
                return cache.read(uow, workspace, seen=seen)

        return waiting.read(workspace, reviewer, role, overview)

    def next_with_overview(
        self, workspace: Workspace, reviewer: str, stage: Stage, skip: Collection[int]
    ) -> tuple[NextRecord | None, ScreeningOverview]:
        """The reviewer's next record and the screening overview it was chosen from."""
        item, view, _ = self._choose(workspace, reviewer, stage, skip, None)
        return item, view

    def screen(
        self,
        workspace: Workspace,
        reviewer: str,
        stage: Stage,
        skip: Collection[int],
        report_id: int | None = None,
    ) -> tuple[NextRecord | None, ScreenPage]:
        """The reviewer's next record and everything the screening page shows with it, read in one
        unit of work (one snapshot, one connection: the page is the app's busiest request)."""
        item, _, shown = self._choose(workspace, reviewer, stage, skip, report_id, page=True)
        assert shown is not None
        return item, shown

    def _choose(
        self,
        workspace: Workspace,
        reviewer: str,
        stage: Stage,
        skip: Collection[int],
        report_id: int | None,
        *,
        page: bool = False,
    ) -> tuple[NextRecord | None, ScreeningOverview, ScreenPage | None]:
        """A stale or missing ranking is asked for first (a background job; in-line only when there
        is no jobs package and no ranking at all). The offer is written after the read, in a short
        transaction of its own."""
        request_training(workspace, stage)
        key = workspace.project.key
        with self._lock:
            cache = self._overviews.setdefault(key, OverviewCache())
            lock = self._overview_locks.setdefault(key, threading.Lock())
        passed = list(skip)
        for attempt in range(_CHOOSE_ATTEMPTS):
            shown = None
            with workspace.unit_of_work(write=False) as uow:
                with lock:
                    view, context = cache.read(uow, workspace), cache.context
                item = next_record_in(uow, workspace, reviewer, stage, view, skip=passed, context=context)
                if page:
                    chosen = item.record_id if item else None
                    shown = screen_page_in(uow, workspace, reviewer, stage, view, chosen, report_id)
            last = attempt == _CHOOSE_ATTEMPTS - 1
            # a colleague claimed the record's last vote meanwhile: choose again without it (on the
            # last attempt it is shown all the same; a vote beyond the mode's is still refused)
            if item is None or offer(workspace, reviewer, stage, item) or last:
                break
            passed.append(item.record_id)
        return item, view, shown
