"""Read models of the screening pages: everything the screening page, the conflicts page and a
record's page show, each read from one unit of work, so a page is one consistent snapshot and a
route makes one service call.

Decisions reach these pages only through the blind-aware :func:`visible_decisions_in`, so a
reviewer never sees a colleague's vote before the two are compared.
"""

from __future__ import annotations

from dataclasses import dataclass

from synthesist.errors import NotFound
from synthesist.fulltext.model import Page, Report, RetrievalFailure
from synthesist.ports import UnitOfWork
from synthesist.records.stored import StoredRecord
from synthesist.screening.model import ScreeningDecision, Stage, StageStatus
from synthesist.services.screening.decisions import ScreeningOverview, overview_in
from synthesist.services.screening.views import stop_check, visible_decisions_in
from synthesist.workspace import Workspace

__all__ = [
    "ConflictItem",
    "ConflictsPage",
    "FulltextPanel",
    "JustDone",
    "RecordPage",
    "ScreenPage",
    "ScreenProgress",
    "ScreenRecord",
    "StoppingSummary",
    "conflicts_page",
    "just_done",
    "record_page",
    "screen_page_in",
]


@dataclass(frozen=True)
class ConflictItem:
    stored: StoredRecord
    decisions: tuple[ScreeningDecision, ...]  # the active decisions at the page's stage


@dataclass(frozen=True)
class ConflictsPage:
    stage: Stage
    conflicts: tuple[ConflictItem, ...]
    reasons: tuple[str, ...]  # the exclusion reasons offered (full text only)


def conflicts_page(workspace: Workspace, viewer: str, stage: Stage) -> ConflictsPage:
    """The records in conflict at ``stage`` with the decisions that disagree, from one snapshot."""
    conflicts = []
    with workspace.unit_of_work(write=False) as uow:
        view = overview_in(uow, workspace)
        in_conflict = [
            record_id
            for record_id, progress in view.records.items()
            if progress.at(stage) is StageStatus.CONFLICT
        ]
        records = uow.records.get_many(in_conflict, with_raw=False)  # titles: one query, not one each
        for record_id in in_conflict:
            # a conflict is past the blind phase; still asked through the blind-aware view
            decisions = visible_decisions_in(uow, workspace, record_id, viewer)
            conflicts.append(
                ConflictItem(records[record_id], tuple(d for d in decisions if d.stage is stage and d.active))
            )
    return ConflictsPage(stage, tuple(conflicts), _reasons(workspace, stage))


def _reasons(workspace: Workspace, stage: Stage) -> tuple[str, ...]:
    if stage is not Stage.FULL_TEXT:
        return ()
    return tuple(workspace.project.protocol.screening.exclusion_reasons)


@dataclass(frozen=True)
class RecordPage:
    stored: StoredRecord
    decisions: tuple[ScreeningDecision, ...]  # those the viewer may see


def record_page(workspace: Workspace, viewer: str, record_id: int) -> RecordPage:
    with workspace.unit_of_work(write=False) as uow:
        stored = uow.records.get(record_id)
        return RecordPage(stored, tuple(visible_decisions_in(uow, workspace, record_id, viewer)))


@dataclass(frozen=True)
class FulltextPanel:
    """The record's reports, the one shown beside the form, its pages when it is not a PDF (a
    browser shows no Word file in a frame), and the record's "not retrieved" mark."""

    reports: tuple[Report, ...]
    shown: Report | None
    pages: tuple[Page, ...]
    not_retrieved: RetrievalFailure | None


@dataclass(frozen=True)
class ScreenRecord:
    """The record the queue chose, as the page shows it."""

    stored: StoredRecord
    mine: tuple[ScreeningDecision, ...]  # the viewer's own active decisions at the stage
    fulltext: FulltextPanel | None  # at full text only


@dataclass(frozen=True)
class ScreenProgress:
    done: int  # records with a final outcome at the stage
    open: int  # records the stage is open for


@dataclass(frozen=True)
class StoppingSummary:
    """The stopping rules' verdicts on title/abstract screening, as the viewer may count them."""

    screened: int
    pool: int
    relevant_found: int
    recall: float | None
    stop_by: tuple[str, ...]


@dataclass(frozen=True)
class ScreenPage:
    stage: Stage
    progress: ScreenProgress
    stopping: StoppingSummary | None  # title/abstract only
    record: ScreenRecord | None  # None when nothing waits for the viewer
    # the stage's reviewers when review.toml lists some and not the viewer (their votes would be
    # refused): the page says so before anyone presses a key
    not_listed: tuple[str, ...] = ()


def screen_page_in(
    uow: UnitOfWork,
    workspace: Workspace,
    viewer: str,
    stage: Stage,
    view: ScreeningOverview,
    record_id: int | None,
    report_id: int | None = None,
) -> ScreenPage:
    """What the screening page shows besides the queue's choice: progress and the stopping rules
    from ``view`` (the overview the queue chose the record from, so the page does not read every
    record and decision again: benchmarks/web_load.py), and the chosen record from ``uow``, the
    snapshot the queue chose it in."""
    done = open_count = 0
    for progress in view.records.values():
        status = progress.at(stage)
        done += status.final
        open_count += status is not StageStatus.NOT_OPEN
    stopping = _stopping(workspace, viewer, view) if stage is Stage.TITLE_ABSTRACT else None
    record = None
    if record_id is not None:
        stored = uow.records.get(record_id)
        # the viewer's own decisions are never blind to them: no need for the blind-aware reading
        mine = tuple(
            d
            for d in uow.screening.for_records([record_id])
            if d.reviewer == viewer and d.stage is stage and d.active
        )
        panel = _fulltext(uow, record_id, report_id) if stage is Stage.FULL_TEXT else None
        record = ScreenRecord(stored, mine, panel)
    section = workspace.project.protocol.screening
    listed = (section.title_abstract if stage is Stage.TITLE_ABSTRACT else section.full_text).reviewers
    not_listed = tuple(listed) if listed and viewer not in listed else ()
    return ScreenPage(stage, ScreenProgress(done, open_count), stopping, record, not_listed)


def _fulltext(uow: UnitOfWork, record_id: int, chosen: int | None) -> FulltextPanel:
    """The chosen report is shown, else the first PDF, else the first report."""
    reports = tuple(uow.fulltext.reports([record_id]))
    pdfs = [r for r in reports if r.media_type == "application/pdf"]
    shown = next((r for r in reports if r.id == chosen), None) or next(iter(pdfs or reports), None)
    pages = uow.fulltext.pages(shown.id, None) if shown and shown.media_type != "application/pdf" else []
    mark = None if reports else uow.fulltext.not_retrieved().get(record_id)
    return FulltextPanel(reports, shown, tuple(pages), mark)


def _stopping(workspace: Workspace, viewer: str, view: ScreeningOverview) -> StoppingSummary:
    """Counted as ``viewer`` may see it: a colleague's votes still blind to them are left out."""
    check = stop_check(workspace, viewer=viewer, view=view)
    recall = next((v.estimated_recall for v in check.verdicts if v.estimated_recall is not None), None)
    return StoppingSummary(
        check.screened,
        check.pool,
        check.relevant_found,
        recall,
        tuple(verdict.rule for verdict in check.verdicts if verdict.stop),
    )


@dataclass(frozen=True)
class JustDone:
    """The record the viewer just decided or undid, for the confirmation above the next record."""

    record_id: int
    title: str | None
    # the viewer's own decision on it at the stage that is still in force (``None`` once undone):
    # the confirmation offers to undo exactly this one
    decision: ScreeningDecision | None


def just_done(workspace: Workspace, viewer: str, stage: Stage, record_id: int) -> JustDone | None:
    """``None`` for a record that does not exist (the id comes from the page's address)."""
    with workspace.unit_of_work(write=False) as uow:
        try:
            stored = uow.records.get(record_id)
        except NotFound:
            return None
        mine = [
            d
            for d in uow.screening.for_records([record_id])
            if d.reviewer == viewer and d.stage is stage and d.active
        ]
    return JustDone(record_id, stored.record.title, max(mine, key=lambda d: d.id) if mine else None)
