"""What the services need from storage, as protocols (ports). ``storage/`` implements them.

Services depend on these, never on SQLAlchemy; tests of services could use fakes, and a future
storage backend only has to satisfy these protocols.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator, Sequence
from types import TracebackType
from typing import Protocol

from synthesist.events import Event, LoggedEvent
from synthesist.importing.batch import ImportBatch, ImportReject, NewBatch, SourceCount
from synthesist.records.model import Record
from synthesist.records.query import RecordFilter
from synthesist.records.stored import StoredRecord

__all__ = ["BatchRepository", "EventRepository", "RecordRepository", "UnitOfWork"]


class BatchRepository(Protocol):
    def add(self, batch: NewBatch) -> int: ...
    def finish(self, batch_id: int, *, record_count: int, reject_count: int) -> None: ...
    def get(self, batch_id: int) -> ImportBatch: ...
    def find_by_sha256(self, sha256: str) -> list[ImportBatch]: ...
    def list(self) -> builtins.list[ImportBatch]: ...
    def add_rejects(self, rejects: Sequence[ImportReject]) -> None: ...
    def rejects(self, batch_id: int) -> builtins.list[ImportReject]: ...


class RecordRepository(Protocol):
    def add_many(self, batch_id: int, records: Sequence[tuple[int, int, Record]]) -> None:
        """Insert ``(position, line, record)`` rows of one batch."""

    def get(self, record_id: int) -> StoredRecord: ...
    def iterate(
        self, record_filter: RecordFilter | None = None, *, limit: int | None = None, offset: int = 0
    ) -> Iterator[StoredRecord]: ...
    def count(self, record_filter: RecordFilter | None = None) -> int: ...
    def counts_by_source(self) -> list[SourceCount]: ...


class EventRepository(Protocol):
    def append(self, event: Event, actor: str) -> int: ...
    def list(
        self, *, types: Iterable[str] | None = None, limit: int | None = None, after_id: int = 0
    ) -> builtins.list[LoggedEvent]: ...


class UnitOfWork(Protocol):
    """A transaction: everything done through its repositories commits or rolls back together."""

    @property
    def batches(self) -> BatchRepository: ...
    @property
    def records(self) -> RecordRepository: ...
    @property
    def events(self) -> EventRepository: ...

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
