"""The review dashboard's read model: each stage's progress, the signed-in person's next tasks by
duty, conflicts waiting, recent activity and the jobs running.

Everything is derived from the services the stage pages use (the same overview, PRISMA counts,
extraction and appraisal states), so the dashboard can never disagree with them. Blind votes stay
blind: activity comes from the redacted log the log page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from synthesist.appraisal.model import StudyStatus
from synthesist.dedup.model import PairStatus
from synthesist.errors import UserError
from synthesist.extraction.status import ExtractionStatus
from synthesist.review.accounts import Role
from synthesist.review.jobs import JobStatus, JobView
from synthesist.screening.model import Stage, StageStatus
from synthesist.services.appraisal.views import AppraisalOverview, appraisal_overview, waiting_studies
from synthesist.services.extraction.values import IncludedStudy, included_extractions, studies_to_extract
from synthesist.services.records.reading import actor_names, read_log
from synthesist.services.screening.decisions import ScreeningOverview, overview_in, stage_rules, waiting_for
from synthesist.services.web.duties import duties_of
from synthesist.wording import plural
from synthesist.workspace import Workspace

__all__ = ["Activity", "Dashboard", "StageProgress", "Task", "dashboard_page"]

RECENT_ACTIVITY = 8


@dataclass(frozen=True)
class StageProgress:
    """One step of the review: ``done`` of ``total`` (``total`` 0: nothing has reached it yet)."""

    label: str
    done: int
    total: int
    detail: str
    href: str | None  # the step's page, when the viewer may use it
    breakdown: tuple[tuple[str, int], ...] = ()  # records by status, for the screening steps

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass(frozen=True)
class Task:
    label: str
    count: int
    href: str


@dataclass(frozen=True)
class Activity:
    when: datetime
    who: str
    what: str


@dataclass(frozen=True)
class Dashboard:
    records: int
    stages: tuple[StageProgress, ...]
    tasks: tuple[Task, ...]  # the viewer's, by duty; only those with something waiting
    conflicts: tuple[Task, ...]  # every stage's conflicts waiting for the team
    activity: tuple[Activity, ...]  # newest first
    jobs: tuple[JobView, ...]  # queued or running


def dashboard_page(workspace: Workspace, viewer: str, role: Role) -> Dashboard:
    """The dashboard as ``viewer`` (the name they act under) with ``role`` sees it."""
    base = f"/p/{workspace.project.key}"
    with workspace.unit_of_work(write=False) as uow:
        total, sources = uow.records.count(), len(uow.records.counts_by_source())
        _, duplicates = uow.dedup.counts()
        pending = len(uow.dedup.pairs(status=PairStatus.PENDING))
        view = overview_in(uow, workspace)
    stages: list[StageProgress] = [
        StageProgress(
            "Search and import",
            total,
            total,
            f"{plural(total, 'record')} from {plural(sources, 'source')}",
            f"{base}/import",
        ),
        StageProgress(
            "Duplicates",
            duplicates,
            duplicates + pending,
            f"{duplicates} removed, {plural(pending, 'pair')} to review",
            f"{base}/duplicates",
        ),
    ]
    for stage in Stage:
        statuses = view.statuses(stage)
        open_count = sum(n for s, n in statuses.items() if s is not StageStatus.NOT_OPEN)
        done = sum(n for s, n in statuses.items() if s.final)
        stages.append(
            StageProgress(
                f"Screening: {stage.label}",
                done,
                open_count,
                f"{done} of {open_count} decided, {statuses[StageStatus.CONFLICT]} in conflict",
                f"{base}/screen/{stage.value}" if role.can_screen() else f"{base}/conflicts/{stage.value}",
                tuple(
                    (s.value, n) for s, n in sorted(statuses.items()) if n and s is not StageStatus.NOT_OPEN
                ),
            )
        )
    later = _LaterSteps.read(workspace)
    stages += later.progress(base)
    return Dashboard(
        records=total,
        stages=tuple(stages),
        tasks=tuple(task for task in _tasks(workspace, viewer, role, base, view, later) if task.count),
        conflicts=tuple(
            Task(f"Conflicts at {stage.label}", count, f"{base}/conflicts/{stage.value}")
            for stage in Stage
            if (count := view.statuses(stage)[StageStatus.CONFLICT])
        ),
        activity=_activity(workspace),
        jobs=tuple(_jobs(workspace)),
    )


@dataclass(frozen=True)
class _LaterSteps:
    """Extraction and appraisal of the included studies, read once for progress and tasks."""

    studies: list[IncludedStudy]
    appraisal: AppraisalOverview | None  # None: no appraisal tool in the protocol yet

    @classmethod
    def read(cls, workspace: Workspace) -> _LaterSteps:
        try:
            appraisal: AppraisalOverview | None = appraisal_overview(workspace)
        except UserError:
            appraisal = None
        return cls(included_extractions(workspace), appraisal)

    def progress(self, base: str) -> list[StageProgress]:
        extracted = sum(
            1
            for study in self.studies
            if study.extraction.status not in (ExtractionStatus.NOT_STARTED, ExtractionStatus.IN_PROGRESS)
        )
        found = [
            StageProgress(
                "Extraction",
                extracted,
                len(self.studies),
                f"{extracted} of {plural(len(self.studies), 'included study', 'included studies')} extracted",
                f"{base}/extraction",
            )
        ]
        if self.appraisal is not None:
            complete = self.appraisal.statuses()[StudyStatus.COMPLETE]
            count = len(self.appraisal.studies)
            found.append(
                StageProgress(
                    "Appraisal",
                    complete,
                    count,
                    f"{complete} of {plural(count, 'included study', 'included studies')} appraised",
                    f"{base}/appraisal",
                )
            )
        return found


def _tasks(
    workspace: Workspace,
    viewer: str,
    role: Role,
    base: str,
    view: ScreeningOverview,
    later: _LaterSteps,
) -> list[Task]:
    """What waits for the viewer, by the duties the protocol gives them (an empty list of
    reviewers for a step means any member who may write)."""
    if not role.can_screen():
        return []
    rules = stage_rules(workspace)
    duties = duties_of(workspace.project, viewer)
    tasks: list[Task] = []
    for stage in duties.screening:
        waiting = waiting_for(view, rules[stage].mode, viewer, stage)
        tasks.append(
            Task(f"Records to screen at {stage.label}", len(waiting), f"{base}/screen/{stage.value}")
        )
    if duties.extraction:
        count = len(studies_to_extract(workspace.acting_as(viewer), later.studies))
        tasks.append(Task("Studies to extract", count, f"{base}/extraction"))
    if later.appraisal is not None and duties.appraisal:
        count = len(waiting_studies(workspace, viewer, later.appraisal))
        tasks.append(Task("Studies to appraise", count, f"{base}/appraisal"))
    return tasks


def _activity(workspace: Workspace) -> tuple[Activity, ...]:
    names = actor_names(workspace)
    shown = []
    for event in reversed(read_log(workspace, limit=RECENT_ACTIVITY)):
        decoded = event.decoded()
        what = decoded.summary() if decoded is not None else event.type
        shown.append(Activity(event.occurred_at, names.get(event.actor, event.actor), what))
    return tuple(shown)


def _jobs(workspace: Workspace) -> list[JobView]:
    from synthesist.services.jobs import list_jobs

    return list_jobs(workspace, statuses=(JobStatus.QUEUED, JobStatus.RUNNING), limit=10)
