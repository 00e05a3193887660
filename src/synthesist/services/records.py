"""Reading the project's records: list, show, export, status, and the event log."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO

from synthesist.events import LoggedEvent
from synthesist.exporting.base import ExportItem, get_writer
from synthesist.importing.batch import ImportBatch, ImportReject, SourceCount
from synthesist.records.query import RecordFilter
from synthesist.records.stored import StoredRecord
from synthesist.workspace import Workspace

__all__ = [
    "ProjectStatus",
    "export_records",
    "get_record",
    "list_batches",
    "list_records",
    "project_status",
    "read_log",
    "record_rejects",
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


def get_record(workspace: Workspace, record_id: int) -> StoredRecord:
    with workspace.unit_of_work(write=False) as uow:
        return uow.records.get(record_id)


def export_records(
    workspace: Workspace, format_name: str, handle: TextIO, record_filter: RecordFilter | None = None
) -> int:
    """Stream the matching records to ``handle`` in ``format_name``; returns how many were written."""
    writer = get_writer(format_name)
    with workspace.unit_of_work(write=False) as uow:
        return writer.write(_export_items(uow.records.iterate(record_filter)), handle)


def _export_items(records: Iterable[StoredRecord]) -> Iterator[ExportItem]:
    for stored in records:
        yield ExportItem(record_id=stored.id, record=stored.record, source=stored.source)


@dataclass(frozen=True)
class ProjectStatus:
    title: str
    project_id: str
    database: str
    sources: list[SourceCount]
    stages: dict[str, int]

    @property
    def from_databases(self) -> int:
        return sum(line.records for line in self.sources if line.other_method is None)

    @property
    def from_other_methods(self) -> int:
        return sum(line.records for line in self.sources if line.other_method is not None)

    @property
    def total(self) -> int:
        return self.from_databases + self.from_other_methods


def project_status(workspace: Workspace) -> ProjectStatus:
    with workspace.unit_of_work(write=False) as uow:
        sources = uow.records.counts_by_source()
        total = uow.records.count()
    return ProjectStatus(
        title=workspace.project.title,
        project_id=workspace.project.key,
        database=workspace.storage.display_url,
        sources=sources,
        # Later stages (deduplication, screening...) add their counts here.
        stages={"imported": total},
    )


def list_batches(workspace: Workspace) -> list[ImportBatch]:
    with workspace.unit_of_work(write=False) as uow:
        return uow.batches.list()


def record_rejects(workspace: Workspace, batch_id: int) -> list[ImportReject]:
    with workspace.unit_of_work(write=False) as uow:
        uow.batches.get(batch_id)
        return uow.batches.rejects(batch_id)


def read_log(
    workspace: Workspace, *, limit: int | None = None, types: Iterable[str] | None = None
) -> list[LoggedEvent]:
    with workspace.unit_of_work(write=False) as uow:
        return uow.events.list(types=types, limit=limit)
