"""Reading the project's records: list, show, export, status, and the event log."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from synthesist.dedup.model import DuplicateGroup, PairStatus
from synthesist.errors import UserError
from synthesist.events import LoggedEvent
from synthesist.exporting.base import ExportItem, get_writer, writer_for_path
from synthesist.importing.batch import ImportBatch, ImportReject, SourceCount
from synthesist.records.query import Condition, RecordFilter
from synthesist.records.stored import StoredRecord
from synthesist.review.source_names import protocol_spelling
from synthesist.screening.model import Stage, StageStatus
from synthesist.screening.status import StageRule
from synthesist.services.screening.decisions import ScreeningOverview, overview_in, stage_rules
from synthesist.services.screening.views import redact_blind_events, screening_columns
from synthesist.workspace import Workspace

if TYPE_CHECKING:
    from synthesist.reporting.prisma import PrismaCounts

__all__ = [
    "SEARCH_FIELDS",
    "ProjectStatus",
    "actor_names",
    "export_format",
    "export_records",
    "get_record",
    "list_batches",
    "list_records",
    "project_status",
    "read_log",
    "record_rejects",
    "redact_log",
    "search_records",
]


def list_records(
    workspace: Workspace,
    record_filter: RecordFilter | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[list[StoredRecord], int]:
    """One page of records (in id order) and the total that match."""
    with workspace.unit_of_work(write=False) as uow:
        total = uow.records.count(record_filter)
        page = list(uow.records.iterate(record_filter, limit=limit, offset=offset))
    return page, total


SEARCH_FIELDS = {"title": "Title", "author": "Author", "doi": "DOI"}


def search_records(
    workspace: Workspace, text: str, field: str = "title", *, limit: int = 50, offset: int = 0
) -> tuple[list[StoredRecord], int]:
    """One page of the records whose ``field`` (title, any author, DOI) contains every word of
    ``text``, case-insensitively (every record when ``text`` is blank), and how many match. Built on
    the records' filter language, so the search runs in the database as ``--where "title~pain"``."""
    if field not in SEARCH_FIELDS:
        raise UserError(f"cannot search records by {field!r}", hint=f"Search by {', '.join(SEARCH_FIELDS)}.")
    # a DOI is one word; elsewhere each word must appear, in any order
    words = [text.strip()] if field == "doi" else [word.strip(".,;:()\"'") for word in text.split()]
    record_filter = RecordFilter(tuple(Condition(field, "~", word) for word in words if word))
    return list_records(workspace, record_filter, limit=limit, offset=offset)


def get_record(workspace: Workspace, record_id: int) -> StoredRecord:
    with workspace.unit_of_work(write=False) as uow:
        return uow.records.get(record_id)


def export_records(
    workspace: Workspace,
    format_name: str,
    handle: TextIO,
    record_filter: RecordFilter | None = None,
    *,
    deduplicated: bool = False,
) -> int:
    """Stream the matching records to ``handle`` in ``format_name``; returns how many were written.

    Every record carries its deduplication columns (``duplicate_group``, ``is_primary``,
    ``duplicate_of``) and its screening columns (state; status, decisions and exclusion reason at
    each stage). With ``deduplicated`` the duplicates are left out and each primary record is
    written with the gaps its duplicates fill (PRISMA: the records that go to screening).
    """
    writer = get_writer(format_name)
    with workspace.unit_of_work(write=False) as uow:
        membership = uow.dedup.membership()
        groups = {group.id: group for group in uow.dedup.groups()} if deduplicated else {}
        view = overview_in(uow, workspace)
        rules = stage_rules(workspace)
        items = _export_items(
            uow.records.iterate(record_filter), membership, groups, deduplicated, view, rules
        )
        return writer.write(items, handle)


def export_format(path: Path, format_name: str | None = None) -> str:
    """The export format asked for, else the one the file name's extension says (``records.bib``:
    ``bibtex``); an unknown one fails here, before the caller opens any file."""
    chosen = format_name or writer_for_path(path)
    get_writer(chosen)
    return chosen


def _export_items(
    records: Iterable[StoredRecord],
    membership: dict[int, tuple[int, bool]],
    groups: dict[int, DuplicateGroup],
    deduplicated: bool,
    view: ScreeningOverview,
    rules: dict[Stage, StageRule],
) -> Iterator[ExportItem]:
    # Imported here, as in read_log: `status`, `records show` and `screen decide` import this module
    # and should not pay for what only exports need.
    from synthesist.dedup.merge import merged_record

    primary_of = {group_id: record_id for record_id, (group_id, primary) in membership.items() if primary}
    for stored in records:
        group_id, is_primary = membership.get(stored.id, (None, None))
        if deduplicated and is_primary is False:
            continue
        record = stored.record
        if deduplicated and is_primary and group_id in groups:
            record = merged_record(record, groups[group_id].filled)
        duplicate_of = primary_of.get(group_id) if is_primary is False and group_id is not None else None
        yield ExportItem(
            record_id=stored.id,
            record=record,
            source=stored.source,
            extra={
                "duplicate_group": str(group_id) if group_id is not None else None,
                "is_primary": None if is_primary is None else ("yes" if is_primary else "no"),
                "duplicate_of": str(duplicate_of) if duplicate_of is not None else None,
                **screening_columns(view, stored.id, rules),
            },
        )


@dataclass(frozen=True)
class ProjectStatus:
    title: str
    project_id: str
    database: str
    sources: list[SourceCount]
    stages: dict[str, int]
    duplicates: int = 0  # records marked as duplicates (PRISMA: duplicate records removed)
    duplicate_groups: int = 0
    possible_duplicates: int = 0  # pairs waiting in the dedup review queue
    deduplicated: bool = False  # whether `dedup run` has run since the last import
    flow: PrismaCounts | None = None  # the PRISMA numbers every output shows (None: nothing imported)
    not_final: tuple[str, ...] = ()  # why the flow is interim, as `synthesist prisma` says it

    @property
    def interim(self) -> bool:
        """True while a record or report awaits a final decision: the diagram and report say so too."""
        return self.flow is not None and self.flow.interim

    @property
    def from_databases(self) -> int:
        return sum(line.records for line in self.sources if line.other_method is None)

    @property
    def from_other_methods(self) -> int:
        return sum(line.records for line in self.sources if line.other_method is not None)

    @property
    def total(self) -> int:
        return self.from_databases + self.from_other_methods

    @property
    def remaining(self) -> int:
        """Records left after removing duplicates (PRISMA: records screened)."""
        return self.total - self.duplicates


def project_status(workspace: Workspace) -> ProjectStatus:
    # imported here: only `status` needs the PRISMA machinery, not every command that reads records
    from synthesist.services.reporting.prisma import prisma_counts

    with workspace.unit_of_work(write=False) as uow:
        sources = _by_protocol_spelling(workspace, uow.records.counts_by_source())
        total = uow.records.count()
        groups, duplicates = uow.dedup.counts()
        pending = len(uow.dedup.pairs(status=PairStatus.PENDING))
        last_run = uow.dedup.last_run()
        newest = uow.records.max_id()
        view = overview_in(uow, workspace)
    stages = {"imported": total}
    if last_run is not None or groups:
        stages["duplicates removed"] = duplicates
        stages["after deduplication"] = total - duplicates
    flow: PrismaCounts | None = None
    not_final: tuple[str, ...] = ()
    if total:
        # the same numbers as the PRISMA diagram and the report, from the one function that derives them
        result = prisma_counts(workspace)
        flow, not_final = result.counts, tuple(result.warnings)
        ta, ft = view.statuses(Stage.TITLE_ABSTRACT), view.statuses(Stage.FULL_TEXT)
        stages["records screened"] = flow.records_screened
        stages["title/abstract: excluded"] = flow.records_excluded
        stages["title/abstract: awaiting decision"] = flow.records_awaiting
        stages["title/abstract: conflicts"] = ta[StageStatus.CONFLICT]
        stages["full text: sought"] = flow.reports_sought
        stages["full text: not retrieved"] = flow.reports_not_retrieved
        stages["full text: assessed"] = flow.reports_assessed
        stages["full text: excluded"] = flow.reports_excluded_total
        stages["full text: awaiting decision"] = flow.reports_awaiting
        stages["full text: conflicts"] = ft[StageStatus.CONFLICT]
        stages["studies included"] = flow.studies_included
        stages["reports of included studies"] = flow.reports_included
    return ProjectStatus(
        title=workspace.project.title,
        project_id=workspace.project.key,
        database=workspace.storage.display_url,
        sources=sources,
        stages=stages,
        duplicates=duplicates,
        duplicate_groups=groups,
        possible_duplicates=pending,
        deduplicated=last_run is not None and last_run.max_record_id >= newest,
        flow=flow,
        not_final=not_final,
    )


def _by_protocol_spelling(workspace: Workspace, sources: list[SourceCount]) -> list[SourceCount]:
    """One line per database as review.toml spells it (``Medline`` batches join ``MEDLINE``)."""
    spellings = [db.name for db in workspace.project.protocol.search.databases]
    merged: dict[tuple[str, str | None], SourceCount] = {}
    for line in sources:
        name = line.source if line.other_method else protocol_spelling(line.source, spellings)
        key = (name, line.other_method)
        known = merged.get(key)
        merged[key] = (
            replace(line, source=name)
            if known is None
            else replace(
                known,
                batches=known.batches + line.batches,
                records=known.records + line.records,
                rejects=known.rejects + line.rejects,
            )
        )
    return list(merged.values())


def list_batches(workspace: Workspace) -> list[ImportBatch]:
    with workspace.unit_of_work(write=False) as uow:
        return uow.batches.list()


def record_rejects(workspace: Workspace, batch_id: int) -> list[ImportReject]:
    with workspace.unit_of_work(write=False) as uow:
        uow.batches.get(batch_id)
        return uow.batches.rejects(batch_id)


def actor_names(workspace: Workspace) -> dict[str, str]:
    """The name to show for each actor of the log: an account's display name for its login (the log
    keeps the login, which is who acted); actors with no account (a CLI user) as they are."""
    with workspace.accounts.unit_of_work(write=False) as uow:
        return {user.name: user.shown_name for user in uow.users.list() if user.display_name}


def read_log(
    workspace: Workspace, *, limit: int | None = None, types: Iterable[str] | None = None
) -> list[LoggedEvent]:
    """The event log, oldest first, as the pages show it to the person asking: votes still blind
    to them and colleagues' codings are shown as hidden."""
    with workspace.unit_of_work(write=False) as uow:
        events = uow.events.list(types=types, limit=limit)
    return redact_log(workspace, events)


def redact_log(workspace: Workspace, events: list[LoggedEvent]) -> list[LoggedEvent]:
    """The events as the person asking may see them. Each event is redacted on its own, so a page of
    the log is redacted exactly as the whole log would be."""
    # Imported here: appraisal's and extraction's services (~40 ms with what they import) are needed
    # by the log, not by the other commands that import this module.
    from synthesist.services.appraisal.views import redact_blind_appraisal
    from synthesist.services.extraction.values import redact_blind_extraction
    from synthesist.services.synthesis.log_visibility import redact_hidden_codings

    events = redact_blind_events(workspace, events, workspace.actor)
    events = redact_blind_appraisal(workspace, events, workspace.actor)
    events = redact_hidden_codings(workspace, events, workspace.actor)
    return redact_blind_extraction(workspace, events, workspace.actor)
