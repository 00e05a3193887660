"""Full texts: attaching reports, marking records not retrieved, reading a report's pages, and
grouping records into studies.

Every write is one transaction with its event. Attaching reads the file and extracts its text
before the transaction (a 300-page PDF takes seconds; the write lock is held only for the inserts),
copies the file into the project folder inside it, and removes the copy again when the transaction
does not commit — so a file in ``fulltext/`` always has its row, and a row always has its file.

Where a record stands comes from the screening overview: a report can be attached to a record
whose full text is sought, was marked not retrieved (the mark is withdrawn), or is being assessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from synthesist.errors import Conflict, InvalidTransition, NotFound, UserError
from synthesist.events import (
    NotRetrievedMarked,
    NotRetrievedWithdrawn,
    ReportAttached,
    StudyGrouped,
    StudyUngrouped,
)
from synthesist.fulltext.files import file_digest, relative_path, remove_copy, safe_name, store_copy
from synthesist.fulltext.model import (
    ATTACHABLE,
    GROUPABLE,
    NewReport,
    Page,
    Report,
    RetrievalFailure,
    Study,
)
from synthesist.fulltext.pdf_text import extract_text
from synthesist.ports import UnitOfWork
from synthesist.records.clean import remove_controls
from synthesist.records.model import Record
from synthesist.screening.model import RecordState

# The screening overview for a few records inside the caller's transaction: ``overview`` would open
# a transaction of its own (a race with the write) and ``overview_in`` derives every record's state.
from synthesist.services.screening.decisions import ScreeningOverview, overview, overview_in
from synthesist.workspace import Workspace

__all__ = [
    "AttachResult",
    "ReportText",
    "StudyView",
    "attach_report",
    "group_study",
    "included_totals",
    "list_reports",
    "list_studies",
    "list_studies_in",
    "mark_not_retrieved",
    "not_retrieved_marks",
    "report_text",
    "ungroup_records",
    "withdraw_not_retrieved",
]


@dataclass(frozen=True)
class AttachResult:
    report: Report
    state: RecordState  # the record's state afterwards
    withdrawn: RetrievalFailure | None = None  # the "not retrieved" mark the report withdrew
    warnings: tuple[str, ...] = ()


def _states(uow: UnitOfWork, workspace: Workspace, record_ids: Sequence[int]) -> dict[int, RecordState]:
    view = overview_in(uow, workspace, only=record_ids)
    return {record_id: progress.state for record_id, progress in view.records.items()}


def attach_report(
    workspace: Workspace, record_id: int, path: Path, *, file_name: str | None = None
) -> AttachResult:
    """Copy ``path`` into the project folder as a report of ``record_id`` and store its text page
    by page. The same file twice on one record is refused; a different file with a name already
    used is stored under a new name. Withdraws a "not retrieved" mark on the record."""
    # refuses a damaged, protected, unknown or expanding file before any write; said of the file,
    # so the web's upload form shows it beside its file field
    try:
        extracted = extract_text(path, workspace.project.protocol.limits.file_limits())
    except UserError as refused:
        refused.field = "file"
        raise
    sha256, size = file_digest(path)
    name = safe_name(file_name or path.name)
    copy: Path | None = None
    committed = False
    try:
        with workspace.unit_of_work() as uow:
            uow.records.get(record_id)
            state = _states(uow, workspace, [record_id])[record_id]
            if state not in ATTACHABLE:
                raise InvalidTransition(
                    f"record {record_id} is {state.value}; a report can be attached only to a record "
                    "that reached the full-text stage",
                    hint=_attach_hint(state, record_id),
                )
            same = uow.fulltext.find_by_sha256(sha256)
            for report in same:
                if report.record_id == record_id:
                    raise Conflict(
                        f"{path.name}: this file is already attached to record {record_id} "
                        f"as report {report.id} ({report.stored_path})",
                        hint="`synthesist fulltext list` shows the reports.",
                        field="file",
                    )
            warnings = tuple(
                f"the same file is attached to record {report.record_id} (report {report.id}): are the "
                "two records duplicates?"
                for report in same
            )
            taken = {PurePosixPath(report.stored_path).name for report in uow.fulltext.reports([record_id])}
            copy = store_copy(path, workspace.project.root, record_id, name, taken)
            new = NewReport(
                record_id=record_id,
                file_name=path.name,
                stored_path=relative_path(copy, workspace.project.root),
                sha256=sha256,
                media_type=extracted.media_type,
                size=size,
                page_count=len(extracted.pages),
                text_status=extracted.status,
                attached_by=workspace.actor,
            )
            report_id = uow.fulltext.add_report(new, extracted.pages)
            uow.events.append(
                ReportAttached(
                    report_id=report_id,
                    record_id=record_id,
                    file_name=new.file_name,
                    stored_path=new.stored_path,
                    sha256=sha256,
                    media_type=new.media_type,
                    pages=new.page_count,
                    text_status=new.text_status.value,
                ),
                workspace.actor,
            )
            withdrawn = uow.fulltext.withdraw_not_retrieved(record_id, by=workspace.actor)
            if withdrawn is not None:
                uow.events.append(
                    NotRetrievedWithdrawn(withdrawn.id, record_id, withdrawn.reason, report_id),
                    workspace.actor,
                )
            report = uow.fulltext.get_report(report_id)
            after = _states(uow, workspace, [record_id])[record_id]
            uow.commit()
            committed = True
    except BaseException:
        if copy is not None and not committed:
            remove_copy(copy)
        raise
    return AttachResult(report, after, withdrawn, warnings)


def _attach_hint(state: RecordState, record_id: int) -> str:
    if state is RecordState.DUPLICATE:
        return f"Attach it to the record's primary instead (`synthesist dedup show --record {record_id}`)."
    if state in (RecordState.TITLE_ABSTRACT, RecordState.EXCLUDED_TITLE_ABSTRACT):
        return f"Include it at title/abstract first: synthesist screen decide {record_id} include"
    return "`synthesist records show` shows where the record stands."


def mark_not_retrieved(workspace: Workspace, record_id: int, reason: str) -> RetrievalFailure:
    """Mark a sought record's full text as not retrieved (PRISMA: reports not retrieved)."""
    reason = remove_controls(reason).strip()
    if not reason:
        raise UserError(
            "say why the full text could not be retrieved",
            field="reason",
            hint='Pass --reason, e.g. --reason "not available from the library or the authors".',
        )
    with workspace.unit_of_work() as uow:
        uow.records.get(record_id)
        state = _states(uow, workspace, [record_id])[record_id]
        if state is RecordState.NOT_RETRIEVED:
            mark = uow.fulltext.not_retrieved([record_id])[record_id]
            raise InvalidTransition(
                f"record {record_id} is already marked not retrieved by {mark.marked_by}: {mark.reason}"
            )
        if state is not RecordState.SOUGHT:
            raise InvalidTransition(
                f"record {record_id} is {state.value}; only a record whose full text is sought can be "
                "marked not retrieved",
                hint="A record with a report or a full-text decision has been retrieved.",
            )
        failure_id = uow.fulltext.mark_not_retrieved(record_id, reason, by=workspace.actor)
        uow.events.append(NotRetrievedMarked(failure_id, record_id, reason), workspace.actor)
        mark = uow.fulltext.not_retrieved([record_id])[record_id]
        uow.commit()
    return mark


def withdraw_not_retrieved(workspace: Workspace, record_id: int) -> RetrievalFailure:
    """Withdraw a "not retrieved" mark made by mistake; the record is sought again."""
    with workspace.unit_of_work() as uow:
        uow.records.get(record_id)
        withdrawn = uow.fulltext.withdraw_not_retrieved(record_id, by=workspace.actor)
        if withdrawn is None:
            state = _states(uow, workspace, [record_id])[record_id]
            raise InvalidTransition(f"record {record_id} is not marked not retrieved (it is {state.value})")
        uow.events.append(NotRetrievedWithdrawn(withdrawn.id, record_id, withdrawn.reason), workspace.actor)
        uow.commit()
    return withdrawn


def list_reports(workspace: Workspace, record_id: int | None = None) -> list[Report]:
    with workspace.unit_of_work(write=False) as uow:
        if record_id is not None:
            uow.records.get(record_id)
        return uow.fulltext.reports(None if record_id is None else [record_id])


def not_retrieved_marks(workspace: Workspace) -> list[RetrievalFailure]:
    """The "not retrieved" marks in force, by record."""
    with workspace.unit_of_work(write=False) as uow:
        return sorted(uow.fulltext.not_retrieved().values(), key=lambda mark: mark.record_id)


@dataclass(frozen=True)
class ReportText:
    report: Report
    pages: list[Page]


def report_text(workspace: Workspace, report_id: int, page: int | None = None) -> ReportText:
    """A report's text, every page or the one asked for (numbered from 1 in file order)."""
    with workspace.unit_of_work(write=False) as uow:
        report = uow.fulltext.get_report(report_id)
        pages = uow.fulltext.pages(report_id, page)
    if page is not None and not pages:
        raise NotFound(f"report {report_id} has no page {page}; it has pages 1 to {report.page_count}")
    return ReportText(report, pages)


@dataclass(frozen=True)
class StudyView:
    """A study with where each of its records stands and how many files each has."""

    study: Study
    states: dict[int, RecordState]
    files: dict[int, int]

    @property
    def included(self) -> bool:
        return RecordState.INCLUDED in self.states.values()

    @property
    def included_reports(self) -> list[int]:
        return [record_id for record_id, state in self.states.items() if state is RecordState.INCLUDED]


def included_totals(views: Sequence[StudyView]) -> tuple[int, int]:
    """PRISMA 2020's last box: (studies included, reports of included studies). A report here is a
    record that reached full text (its attached files — paper, supplement — are one report); a
    record of an included study that was itself excluded at full text stays counted as excluded."""
    included = [view for view in views if view.included]
    return len(included), sum(len(view.included_reports) for view in included)


def list_studies(workspace: Workspace, *, included_only: bool = False) -> list[StudyView]:
    """The studies: records grouped with ``group_study``, and every other record that reached full
    text as a study of its own (labelled from its first author and year), by first record id."""
    view = overview(workspace)
    with workspace.unit_of_work(write=False) as uow:
        return _studies(uow, view, included_only=included_only)


def list_studies_in(uow: UnitOfWork, workspace: Workspace, *, included_only: bool = False) -> list[StudyView]:
    """:func:`list_studies` inside a unit of work the caller already has open."""
    return _studies(uow, overview_in(uow, workspace), included_only=included_only)


def _studies(uow: UnitOfWork, view: ScreeningOverview, *, included_only: bool) -> list[StudyView]:
    grouped = uow.fulltext.studies()
    members = {record_id for study in grouped for record_id in study.record_ids}
    alone = [
        record_id
        for record_id, progress in view.records.items()
        if progress.state in GROUPABLE and record_id not in members
    ]
    records = uow.records.get_many(alone, with_raw=False)
    files: dict[int, int] = {}
    for report in uow.fulltext.reports():
        files[report.record_id] = files.get(report.record_id, 0) + 1
    studies = grouped + [
        Study(None, default_label(records[record_id].record, record_id), (record_id,)) for record_id in alone
    ]
    views = [
        StudyView(
            study,
            {r: view.records[r].state for r in study.record_ids if r in view.records},
            {r: files.get(r, 0) for r in study.record_ids},
        )
        for study in sorted(studies, key=lambda study: min(study.record_ids, default=0))
    ]
    return [v for v in views if v.included] if included_only else views


def default_label(record: Record, record_id: int) -> str:
    """ "Cooper 2008": the first author's family name (or the group's name) and the year."""
    if record.authors:
        return " ".join(part for part in (record.authors[0].family, str(record.year or "")) if part)
    if record.title:
        words = record.title.split()
        return " ".join(words[:6]) + (" …" if len(words) > 6 else "")
    return f"record {record_id}"


def group_study(workspace: Workspace, record_ids: Sequence[int], *, label: str | None = None) -> Study:
    """Group records that report one study. Records already in a study bring the others into it
    (the label is changed if one is given); records in two different studies are refused."""
    ids = sorted(set(record_ids))
    if not ids:
        raise UserError("name the records of the study", hint="Example: synthesist fulltext study 12 48")
    label = label.strip() if label is not None else None
    if label == "":
        raise UserError("a study's label cannot be empty", hint='e.g. --label "Cooper 2008"')
    with workspace.unit_of_work() as uow:
        found = uow.records.get_many(ids, with_raw=False)
        missing = [record_id for record_id in ids if record_id not in found]
        if missing:
            raise NotFound(f"no record {missing[0]}", hint="`synthesist records list` shows record ids.")
        for record_id, state in _states(uow, workspace, ids).items():
            if state not in GROUPABLE:
                raise InvalidTransition(
                    f"record {record_id} is {state.value}; only records that reached full text are "
                    "grouped into studies",
                    hint="Duplicates are merged with `synthesist dedup merge`, not grouped."
                    if state is RecordState.DUPLICATE
                    else None,
                )
        membership = uow.fulltext.study_membership()
        existing = sorted({membership[record_id] for record_id in ids if record_id in membership})
        if len(existing) > 1:
            studies = [uow.fulltext.get_study(study_id) for study_id in existing]
            named = "; ".join(f"study {s.id} {s.label!r}: records {_ids(s.record_ids)}" for s in studies)
            raise UserError(
                f"the records are in different studies ({named})",
                hint="Take records out of a study first: synthesist fulltext ungroup RECORD_ID",
            )
        new = [record_id for record_id in ids if record_id not in membership]
        if existing:
            study_id = existing[0]
            study = uow.fulltext.get_study(study_id)
            if not new and (label is None or label == study.label):
                return study  # nothing to change
            uow.fulltext.add_to_study(study_id, new)
            if label is not None and label != study.label:
                uow.fulltext.set_label(study_id, label)
            after = uow.fulltext.get_study(study_id)
            event = StudyGrouped(study_id, after.label, list(after.record_ids), new, False, study.label)
        else:
            chosen = label or default_label(found[ids[0]].record, ids[0])
            study_id = uow.fulltext.create_study(chosen, ids, by=workspace.actor)
            after = uow.fulltext.get_study(study_id)
            event = StudyGrouped(study_id, chosen, list(ids), list(ids), True)
        uow.events.append(event, workspace.actor)
        uow.commit()
    return after


def ungroup_records(workspace: Workspace, record_ids: Sequence[int]) -> list[StudyUngrouped]:
    """Take records out of their studies (each is a study of its own again); a study left without
    records is removed. Returns the events written, one per study."""
    ids = sorted(set(record_ids))
    if not ids:
        raise UserError("name the records to take out of their study")
    written: list[StudyUngrouped] = []
    with workspace.unit_of_work() as uow:
        membership = uow.fulltext.study_membership()
        loose = [record_id for record_id in ids if record_id not in membership]
        if loose:
            raise UserError(
                f"record {loose[0]} is not in a study",
                hint="`synthesist fulltext studies` lists the studies.",
            )
        by_study: dict[int, list[int]] = {}
        for record_id in ids:
            by_study.setdefault(membership[record_id], []).append(record_id)
        for study_id, removed in sorted(by_study.items()):
            study = uow.fulltext.get_study(study_id)
            uow.fulltext.remove_from_studies(removed)
            dissolved = set(study.record_ids) <= set(removed)
            if dissolved:
                uow.fulltext.delete_study(study_id)
            event = StudyUngrouped(study_id, study.label, removed, dissolved)
            uow.events.append(event, workspace.actor)
            written.append(event)
        uow.commit()
    return written


def _ids(record_ids: Sequence[int]) -> str:
    return ", ".join(str(record_id) for record_id in record_ids)
