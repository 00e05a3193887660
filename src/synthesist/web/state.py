"""What the running app holds: the projects it serves and the screening queues of open sessions."""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass, field

from synthesist.screening.model import Stage
from synthesist.services.screening_queue import NextRecord, PrioritisedQueue
from synthesist.workspace import Workspace

__all__ = ["WebState"]


@dataclass
class WebState:
    projects: dict[str, Workspace]  # by project key (review.toml's project_id)
    secure_cookies: bool = False
    # One queue per project, reviewer and stage: building one computes every record's features
    # (the slow step), so it is built once and asked for each record, as the terminal session does.
    _queues: dict[tuple[str, str, Stage], PrioritisedQueue] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def accounts(self) -> Workspace:
        """Users and sessions live in the database all served projects share."""
        return next(iter(self.projects.values()))

    def next_record(
        self, workspace: Workspace, reviewer: str, stage: Stage, skip: Collection[int]
    ) -> NextRecord | None:
        """The reviewer's next record; the lock because a queue's learner is not thread-safe and
        FastAPI runs requests in a thread pool."""
        key = (workspace.project.key, reviewer, stage)
        with self._lock:
            found = self._queues.get(key)
            if found is None:
                found = self._queues[key] = PrioritisedQueue(workspace, reviewer, stage)
            return found.next(skip=skip)
