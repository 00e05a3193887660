"""What waits for the signed-in reviewer, counted for the review's menu on every page: records to
screen at each stage, conflicts to resolve, duplicate pairs to review, studies to extract or appraise.

The counts follow the dashboard's rules (services/web/pages_dashboard.py: the protocol's duties, the
same services), but the menu is on every page, so they must cost next to nothing. A
:class:`WaitingCache` per review reads the log once per page (the events since the last page) and
keeps what the counts come from:

- each reviewer's counts, kept while the log shows nothing that changes them (tools' and accounts'
  events do not), and for up to :data:`COLLEAGUES_LAG` seconds while it shows only colleagues'
  decisions: counting goes over every record, so a team screening side by side would otherwise pay it
  on every page. A reviewer's own decision is counted on their next page;
- the screening overview comes from the process's overview cache, the one the screening page reads
  (services/screening/overview_cache.py), so after a decision only that record is read again; where
  the cache reads every record each time (a single-verified stage), its last read will do if it saw
  the newest event this page saw (the screening page's, read just before the menu);
- the team's later work (the included studies with their extraction and appraisal, the open
  duplicate pairs; 100-200 ms to read on the worked example) is read again only when the log shows
  something that can change it: not a vote at title and abstract, the busiest work, which cannot
  move a record into or out of "included" (a consensus or an undo there can).

On PostgreSQL a transaction can commit after a later one (an event id older than one already seen,
so never looked at), so nothing is kept longer than :data:`KEPT_AT_MOST` seconds once the log has
moved on since it was read (a late commit comes with others' work): a count may lag that long, the
pages themselves never. A review where nothing happens costs one query per page.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from synthesist.errors import UserError
from synthesist.events import LoggedEvent
from synthesist.ports import UnitOfWork
from synthesist.review.accounts import Role
from synthesist.review.project import Project
from synthesist.screening.model import Stage, StageStatus
from synthesist.services.appraisal.views import AppraisalOverview, appraisal_overview, waiting_studies
from synthesist.services.extraction.values import IncludedStudy, included_extractions, studies_to_extract
from synthesist.services.screening.decisions import ScreeningOverview, stage_rules, waiting_for
from synthesist.services.web.duties import duties_of
from synthesist.workspace import Workspace

__all__ = ["COLLEAGUES_LAG", "WaitingCache", "WaitingCounts"]

COLLEAGUES_LAG = 10.0  # seconds
KEPT_AT_MOST = 60.0  # seconds

# Events that change no count: tools, accounts, the ranking. Every other one is noted.
_IGNORED_PREFIXES = ("job.", "synthesis.", "cerqual.", "model.", "search.", "users.", "members.",
                     "invitations.", "site.")  # fmt: skip
_IGNORED = frozenset({"screening.seed_added", "screening.seed_removed", "screening.stop_recorded",
                      "screening.ranked"})  # fmt: skip
_DECISIONS = frozenset({"screening.decided", "screening.undone"})
# Noted events that leave the team's later work as it is: new records are not paired until a
# deduplication run (its own event), and a report attached includes nothing.
_TEAM_UNCHANGED = _IGNORED | {"records.imported", "fulltext.attached"}
_MAX_EVENTS = 500  # more since the last page: everything is read again rather than each looked at


@dataclass(frozen=True)
class WaitingCounts:
    """How much waits for one reviewer, by menu entry: 0 when nothing does, or when it is not their
    duty (a viewer's counts are all 0; conflicts count only for those who may resolve them)."""

    title_abstract: int = 0  # records to screen (or check) at title and abstract
    full_text: int = 0
    conflicts_title_abstract: int = 0
    conflicts_full_text: int = 0
    duplicates: int = 0  # pairs of possible duplicates waiting for review
    extraction: int = 0  # included studies to extract
    appraisal: int = 0  # included studies with appraisal questions (or a category) waiting

    @property
    def conflicts(self) -> int:
        return self.conflicts_title_abstract + self.conflicts_full_text

    @property
    def any(self) -> bool:
        """Whether anything waits at all (the folded menu says so on a phone)."""
        return any(dataclasses.astuple(self))


@dataclass(frozen=True)
class _TeamWork:
    """What the counts need beyond the screening overview, read together."""

    project: Project  # the protocol it was read under (duties, extraction form, appraisal tool)
    as_of: int  # the newest event in the log when it was read
    read_at: float  # time.monotonic()
    studies: list[IncludedStudy]
    appraisal: AppraisalOverview | None  # None: no appraisal tool in the protocol
    open_pairs: int


@dataclass(frozen=True)
class _Kept:
    counts: WaitingCounts
    as_of: int  # the newest event noted when they were counted
    at: float  # time.monotonic() then
    team: _TeamWork  # the team's work they were counted from


@dataclass(frozen=True)
class _Noted:
    id: int
    decided_by: str | None  # whose decision (made or undone), for a decision


class WaitingCache:
    """The counts of one review, for any reviewer; safe to share between a process's threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._team: _TeamWork | None = None
        self._checked_to = 0  # the newest event in the log seen so far
        self._noted: deque[_Noted] = deque()  # the events since ``_noted_from`` that may change counts
        self._noted_from = 0
        self._kept: dict[tuple[str, Role], _Kept] = {}

    def read(
        self,
        workspace: Workspace,
        reviewer: str,
        role: Role,
        overview: Callable[[UnitOfWork, int], ScreeningOverview],
    ) -> WaitingCounts:
        """The counts for ``reviewer`` (the name they act under) with ``role``. ``overview`` reads
        the screening overview in the unit of work it is given (the process's overview cache), as of
        the log's newest event at least (its id given)."""
        if not role.can_screen():
            return WaitingCounts()  # a viewer has no duties, and conflicts need an owner
        with self._lock:
            now = time.monotonic()
            with workspace.unit_of_work(write=False) as uow:
                # the log first: whatever it shows, the overview read after it reflects too
                events = self._new_events(uow)
                team = self._team
                if team is not None and not self._team_unchanged(team, workspace, events, now):
                    team = self._team = None
                kept = self._kept.get((reviewer, role))
                if team is not None and kept is not None and self._still_right(kept, team, reviewer, now):
                    return kept.counts
                view = overview(uow, self._checked_to)
            if team is None:
                team = self._team = _read_team(workspace, self._checked_to)
            conflicts = _conflicts(view) if role.can_resolve() else (0, 0)
            counts = _count(workspace, view, team, reviewer, conflicts)
            self._kept[(reviewer, role)] = _Kept(counts, self._checked_to, now, team)
            return counts

    def _new_events(self, uow: UnitOfWork) -> list[LoggedEvent]:
        """The events logged since the last page (none on the first: everything is read then), noted."""
        if self._team is None:
            newest = uow.events.list(limit=1)
            self._checked_to = self._noted_from = newest[0].id if newest else 0
            self._noted.clear()
            return []
        events = uow.events.list(after_id=self._checked_to, limit=_MAX_EVENTS + 1)
        if not events:
            return events
        self._checked_to = events[-1].id
        if len(events) > _MAX_EVENTS:  # too many to look at: every reviewer's counts are read again
            self._noted_from = self._checked_to
            self._noted.clear()
            self._team = None
            return events
        for event in events:
            if event.type in _IGNORED or event.type.startswith(_IGNORED_PREFIXES):
                continue
            by = str(event.payload.get("reviewer")) if event.type in _DECISIONS else None
            self._noted.append(_Noted(event.id, by))
        while len(self._noted) > _MAX_EVENTS:
            self._noted_from = self._noted.popleft().id
        return events

    def _still_right(self, kept: _Kept, team: _TeamWork, reviewer: str, now: float) -> bool:
        """Whether ``kept`` may be shown as it is: nothing since that changes counts, or only
        colleagues' decisions for less than :data:`COLLEAGUES_LAG` seconds."""
        if kept.team is not team or kept.as_of < self._noted_from:
            return False
        if now - kept.at >= KEPT_AT_MOST and self._checked_to > kept.as_of:
            return False
        since = [noted for noted in self._noted if noted.id > kept.as_of]
        if not since:
            return True
        return now - kept.at < COLLEAGUES_LAG and all(
            noted.decided_by is not None and noted.decided_by != reviewer for noted in since
        )

    def _team_unchanged(
        self, team: _TeamWork, workspace: Workspace, events: list[LoggedEvent], now: float
    ) -> bool:
        """Whether ``events``, logged since ``team`` was last checked, leave it as it is."""
        if team.project is not workspace.project:
            return False
        if now - team.read_at >= KEPT_AT_MOST and self._checked_to > team.as_of:
            return False
        for event in events:
            if event.type in _TEAM_UNCHANGED or event.type.startswith(_IGNORED_PREFIXES):
                continue
            # a vote at title and abstract is refused on a record gone on to full text; a consensus
            # can overturn the stage, and an undo take a single reviewer's vote back
            vote = event.type == "screening.decided" and event.payload.get("kind") != "consensus"
            if not (vote and event.payload.get("stage") == Stage.TITLE_ABSTRACT.value):
                return False
        return True


def _read_team(workspace: Workspace, as_of: int) -> _TeamWork:
    """Read after the log's position was: an event committed in between is looked at again on the
    next page, which at worst reads once more."""
    project = workspace.project
    with workspace.unit_of_work(write=False) as uow:
        open_pairs = uow.dedup.open_pair_count()
    studies = included_extractions(workspace) if project.protocol.extraction.fields else []
    try:
        appraisal: AppraisalOverview | None = appraisal_overview(workspace)
    except UserError:  # no appraisal tool chosen yet (the dashboard says so)
        appraisal = None
    return _TeamWork(project, as_of, time.monotonic(), studies, appraisal, open_pairs)


def _conflicts(view: ScreeningOverview) -> tuple[int, int]:
    at = view.statuses
    return at(Stage.TITLE_ABSTRACT)[StageStatus.CONFLICT], at(Stage.FULL_TEXT)[StageStatus.CONFLICT]


def _count(
    workspace: Workspace,
    view: ScreeningOverview,
    team: _TeamWork,
    reviewer: str,
    conflicts: tuple[int, int],
) -> WaitingCounts:
    """The dashboard's tasks (pages_dashboard._tasks) as numbers, for a member who may screen, by the
    same duties (services/web/duties.py). ``conflicts``: at each stage, (0, 0) for a member who may
    not resolve them."""
    rules = stage_rules(workspace)
    duties = duties_of(team.project, reviewer)
    screening = {
        stage: len(waiting_for(view, rules[stage].mode, reviewer, stage)) for stage in duties.screening
    }
    extraction = 0
    if duties.extraction:
        extraction = len(studies_to_extract(workspace.acting_as(reviewer), team.studies))
    appraisal = 0
    if team.appraisal is not None and duties.appraisal:
        appraisal = len(waiting_studies(workspace, reviewer, team.appraisal))
    return WaitingCounts(
        title_abstract=screening.get(Stage.TITLE_ABSTRACT, 0),
        full_text=screening.get(Stage.FULL_TEXT, 0),
        conflicts_title_abstract=conflicts[0],
        conflicts_full_text=conflicts[1],
        duplicates=team.open_pairs,
        extraction=extraction,
        appraisal=appraisal,
    )
