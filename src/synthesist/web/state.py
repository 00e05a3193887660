"""What the running app holds: the projects it serves and the screening queues of open sessions."""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass, field

from synthesist.screening.model import Stage
from synthesist.services.screening.decisions import ScreeningOverview, overview
from synthesist.services.screening.queue import NextRecord, PrioritisedQueue
from synthesist.workspace import Accounts, Workspace

__all__ = ["WebState"]

_QueueKey = tuple[str, str, Stage]


@dataclass
class WebState:
    projects: dict[str, Workspace]  # by project key (review.toml's project_id)
    # users, sessions and memberships: the served project's database, or the site's
    accounts: Accounts
    secure_cookies: bool = False
    # One queue per project, reviewer and stage: building one computes every record's features
    # (the slow step), so it is built once and asked for each record, as the terminal session does.
    _queues: dict[_QueueKey, PrioritisedQueue] = field(default_factory=dict)
    # A lock per queue, because a queue's learner is not thread-safe and FastAPI runs requests in a
    # thread pool; per queue, so that one reviewer's request never waits for another reviewer's
    # queue (the web load benchmark showed twenty reviewers queueing behind one lock).
    _queue_locks: dict[_QueueKey, threading.Lock] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)  # guards the two dicts only

    def next_with_overview(
        self, workspace: Workspace, reviewer: str, stage: Stage, skip: Collection[int]
    ) -> tuple[NextRecord | None, ScreeningOverview]:
        """The reviewer's next record and the screening overview it was chosen from (the page shows
        progress from the same read)."""
        key = (workspace.project.key, reviewer, stage)
        with self._lock:
            lock = self._queue_locks.setdefault(key, threading.Lock())
        with lock:
            found = self._queues.get(key)
            if found is None:
                found = PrioritisedQueue(workspace, reviewer, stage)
                with self._lock:
                    self._queues[key] = found
            item = found.next(skip=skip)
            view = found.last_overview
        return item, view if view is not None else overview(workspace)
