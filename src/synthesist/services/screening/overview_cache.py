"""Every record's screening progress, read again only where the log says something changed.

The screening page shows progress and the stopping rules from the whole overview; reading every
record and decision for each page was the web app's main cost under load (benchmarks/web_load.py).
An :class:`OverviewCache` keeps the last overview it read and, when only decisions were logged
since, reads again just their records. It is an accelerator, never the judge: what a reviewer is
offered is checked against a fresh read of that record (ranking_store.next_record), so a process
whose cache lags cannot offer a record that is no longer waiting.
"""

from __future__ import annotations

import time

from synthesist.ports import UnitOfWork
from synthesist.screening.model import Stage
from synthesist.screening.status import StageRule
from synthesist.services.screening.decisions import ScreeningOverview, overview_in, stage_rules
from synthesist.services.screening.queue_context import QueueContext, queue_context
from synthesist.workspace import Workspace

__all__ = ["OverviewCache"]

# The log entries applied to the overview record by record; how many events after the last full
# read are applied so (a bulk import of decisions is read in full instead); and how often everything
# is read anyway (see OverviewCache.read), in seconds.
_DECISION_EVENTS = frozenset({"screening.decided", "screening.undone"})
_MAX_EVENTS_APPLIED = 500
_FULL_READ_EVERY = 10.0


class OverviewCache:
    """The overview of one review as last read, and the log position it reflects. Not thread-safe:
    a caller sharing one between threads holds a lock around :meth:`read`."""

    def __init__(self) -> None:
        self.last: ScreeningOverview | None = None
        self._rules: dict[Stage, StageRule] | None = None
        self._base_event: int | None = None  # the newest event in the log at the last full read
        self._applied: set[int] = set()  # events since then whose records were read again
        self._full_read_at = 0.0  # time.monotonic() of the last full read
        # the seeds and the latest model, read with each full read: each changes only with a logged
        # event other than a decision, which makes the next read a full one
        self.context: QueueContext | None = None

    def read(self, uow: UnitOfWork, workspace: Workspace, *, seen: int | None = None) -> ScreeningOverview:
        """The overview as of this unit of work. Only the records of the decisions and undos logged
        since the last full read, and not yet applied, are read again. ``seen``: the newest event the
        caller has read in the log; where everything would be read, the last full read will do if it
        saw that event already (the menu's counts on the page the screening page has just read).

        Everything is read again when anything else was logged (an import, a merge, a full text
        attached...), when many events came in, when the protocol's screening rules changed, for a
        single-verified stage (its sample depends on every decision), and every
        :data:`_FULL_READ_EVERY` seconds: on PostgreSQL writers run side by side, so a transaction
        can commit after the full read with an event id older than the newest one that read saw;
        the next full read catches it."""
        rules = stage_rules(workspace)
        incremental = rules == self._rules and all(rule.mode != "single-verified" for rule in rules.values())
        previous, base = self.last, self._base_event
        recent = time.monotonic() - self._full_read_at < _FULL_READ_EVERY
        # a single-verified stage (same rules, yet not incremental) would be read in full again
        seen_already = seen is not None and base is not None and seen <= base
        if previous is not None and rules == self._rules and not incremental and seen_already and recent:
            return previous
        if previous is not None and base is not None and incremental and recent:
            # one query: the events since the last full read (the newest of them when too many)
            events = uow.events.list(after_id=base, limit=_MAX_EVENTS_APPLIED + 1)
            if not events:
                return previous
            latest_id = events[-1].id
            if len(events) <= _MAX_EVENTS_APPLIED:
                new = [event for event in events if event.id not in self._applied]
                changed = {int(event.payload["record_id"]) for event in new if event.type in _DECISION_EVENTS}
                if (
                    all(event.type in _DECISION_EVENTS for event in new)
                    and changed <= previous.records.keys()
                ):
                    self._applied.update(event.id for event in new)
                    if not changed:
                        return previous
                    self.last = _updated(previous, overview_in(uow, workspace, only=sorted(changed)))
                    return self.last
        else:
            latest = uow.events.list(limit=1)
            latest_id = latest[0].id if latest else 0
        # ``latest_id`` is read before the overview: an event committed in between is in both the
        # overview and the events after ``latest_id``, and applying it again changes nothing
        view = overview_in(uow, workspace)
        self.context = queue_context(uow, workspace)
        self.last, self._rules = view, rules
        self._base_event, self._applied, self._full_read_at = latest_id, set(), time.monotonic()
        return view


def _updated(previous: ScreeningOverview, changed: ScreeningOverview) -> ScreeningOverview:
    """``previous`` with the records of ``changed`` (read again) in place of their old progress."""
    decisions = {k: v for k, v in previous.decisions.items() if k not in changed.records}
    decisions.update(changed.decisions)
    return ScreeningOverview(
        records={**previous.records, **changed.records}, decisions=decisions, samples=previous.samples
    )
