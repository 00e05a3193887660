"""What the services need from storage, as protocols (ports). ``storage/`` implements them.

Services depend on these, never on SQLAlchemy; tests of services could use fakes, and a future
storage backend only has to satisfy these protocols.
"""

from __future__ import annotations

import builtins
from collections.abc import Collection, Iterable, Iterator, Sequence
from types import TracebackType
from typing import Protocol

from synthesist.dedup.model import (
    DedupRun,
    DuplicateGroup,
    FilledField,
    GroupOrigin,
    NewDedupRun,
    Outcome,
    PairStatus,
    PairVerdict,
    StoredPair,
)
from synthesist.events import Event, LoggedEvent
from synthesist.importing.batch import ImportBatch, ImportReject, NewBatch, SourceCount
from synthesist.records.model import Record
from synthesist.records.query import RecordFilter
from synthesist.records.stored import StoredRecord
from synthesist.screening.model import NewDecision, ScreeningDecision, Stage

__all__ = [
    "BatchRepository",
    "DedupRepository",
    "EventRepository",
    "RecordRepository",
    "ScreeningRepository",
    "UnitOfWork",
]


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
    def get_many(self, record_ids: Iterable[int], *, with_raw: bool = True) -> dict[int, StoredRecord]: ...
    def ids(self) -> builtins.list[int]: ...
    def max_id(self) -> int:
        """The highest record id in the project (0 when there are none)."""

    def iterate(
        self, record_filter: RecordFilter | None = None, *, limit: int | None = None, offset: int = 0
    ) -> Iterator[StoredRecord]: ...
    def iterate_for_matching(self, raw_keys: Collection[str]) -> Iterator[tuple[int, Record]]:
        """Every record (id order) without keywords and with only ``raw_keys`` of its raw fields."""

    def count(self, record_filter: RecordFilter | None = None) -> int: ...
    def counts_by_source(self) -> list[SourceCount]: ...


class DedupRepository(Protocol):
    """Runs, pair verdicts and duplicate groups. Invariants the implementation keeps (with database
    constraints where the backend can): a record is in at most one group; a group has exactly one
    primary, which is one of its members; a pair ``(first, second)`` is stored once, first < second."""

    # runs
    def add_run(self, run: NewDedupRun) -> int: ...
    def finish_run(
        self,
        run_id: int,
        *,
        max_record_id: int,
        records_checked: int,
        candidate_pairs: int,
        duplicate_pairs: int,
        possible_pairs: int,
        groups_created: int,
        groups_grown: int,
        seconds: float,
    ) -> None: ...
    def last_run(self) -> DedupRun | None: ...
    def runs(self) -> builtins.list[DedupRun]: ...

    # pairs
    def save_pairs(self, verdicts: Sequence[PairVerdict], *, run_id: int | None, status: PairStatus) -> int:
        """Store new pairs; a pair already stored keeps its row untouched (a reviewer's decision is
        never overwritten by a later run). Returns how many were new."""

    def pairs(
        self, *, status: PairStatus | None = None, outcome: Outcome | None = None
    ) -> builtins.list[StoredPair]: ...
    def get_pair(self, pair_id: int) -> StoredPair: ...
    def find_pair(self, first: int, second: int) -> StoredPair | None: ...
    def decide_pair(self, pair_id: int, status: PairStatus, *, by: str, note: str | None = None) -> None: ...
    def pair_statuses(self) -> dict[tuple[int, int], PairStatus]: ...

    # groups
    def create_group(
        self,
        primary_id: int,
        member_ids: Sequence[int],
        *,
        origin: GroupOrigin,
        run_id: int | None,
        created_by: str,
        filled: dict[str, FilledField],
    ) -> int: ...
    def create_groups(
        self,
        specs: Sequence[tuple[int, Sequence[int], dict[str, FilledField]]],
        *,
        origin: GroupOrigin,
        run_id: int | None,
        created_by: str,
    ) -> builtins.list[int]:
        """Bulk :meth:`create_group` for a run's many groups: ``(primary_id, member_ids, filled)``
        each, sharing origin, run and creator. Returns the new group ids in the order given."""

    def add_members(self, group_id: int, record_ids: Sequence[int]) -> None: ...
    def remove_members(self, group_id: int, record_ids: Sequence[int]) -> None: ...
    def set_primary(self, group_id: int, record_id: int) -> None: ...
    def set_filled(self, group_id: int, filled: dict[str, FilledField]) -> None: ...
    def delete_group(self, group_id: int) -> None:
        """Dissolve a group (its records stay; they are simply no longer duplicates)."""

    def get_group(self, group_id: int) -> DuplicateGroup: ...
    def group_of(self, record_id: int) -> DuplicateGroup | None: ...
    def groups(self) -> builtins.list[DuplicateGroup]: ...
    def membership(self) -> dict[int, tuple[int, bool]]:
        """record id -> (group id, is primary), for every record in a group."""

    def counts(self) -> tuple[int, int]:
        """(number of groups, number of duplicate records i.e. members that are not primary)."""


class ScreeningRepository(Protocol):
    """Screening decisions, kept as made; undoing stamps a decision undone."""

    def add(self, decision: NewDecision) -> int: ...
    def undo(self, decision_id: int, *, by: str) -> None: ...
    def get(self, decision_id: int) -> ScreeningDecision: ...
    def for_records(self, record_ids: Iterable[int]) -> builtins.list[ScreeningDecision]: ...
    def active(self, stage: Stage | None = None) -> builtins.list[ScreeningDecision]: ...
    def latest_by(self, reviewer: str, stage: Stage) -> ScreeningDecision | None: ...


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
    @property
    def dedup(self) -> DedupRepository: ...
    @property
    def screening(self) -> ScreeningRepository: ...

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
