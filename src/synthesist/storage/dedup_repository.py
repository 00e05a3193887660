"""Deduplication storage: runs, pair verdicts and duplicate groups, scoped to one project.

The invariants of :class:`synthesist.ports.DedupRepository` are kept by the schema where it can
(a record is a member of one group at most: its id is the key of ``duplicate_members``; one primary
per group: a partial unique index; a pair is stored once, ``first < second``) and by the methods here
for the rest (the primary is a member; the primary cannot be removed).

A run on 100,000 records saves tens of thousands of pairs and groups, so writes are bulk statements
and reads of all groups or memberships are a fixed number of queries, never one per group.
"""

from __future__ import annotations

import builtins
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

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
from synthesist.errors import NotFound
from synthesist.storage import schema
from synthesist.storage.clock import as_utc as _aware
from synthesist.storage.clock import utc_now as _now
from synthesist.storage.engine import dialect_insert
from synthesist.storage.filters import in_chunks

if TYPE_CHECKING:
    pass

__all__ = ["SqlDedupRepository"]

# (primary id, member ids including the primary, filled fields) of one group to create
_GroupSpec = tuple[int, Sequence[int], dict[str, FilledField]]

_GROUPS_HINT = "`synthesist dedup groups` lists the groups."
_PAIRS_HINT = "`synthesist dedup review` lists the pairs waiting for a decision."

_runs = schema.dedup_runs
_groups = schema.duplicate_groups
_members = schema.duplicate_members
_pairs = schema.duplicate_pairs


class SqlDedupRepository:
    def __init__(self, connection: sa.Connection, project_id: int) -> None:
        self._conn = connection
        self._project_id = project_id

    # runs

    def add_run(self, run: NewDedupRun) -> int:
        query = (
            _runs.insert()
            .values(
                project_id=self._project_id,
                scope=run.scope,
                started_by=run.started_by,
                started_at=_now(),
                settings=run.settings,
            )
            .returning(_runs.c.id)
        )
        return int(self._conn.execute(query).scalar_one())

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
    ) -> None:
        self._conn.execute(
            _runs.update()
            .where(_runs.c.id == run_id, _runs.c.project_id == self._project_id)
            .values(
                max_record_id=max_record_id,
                records_checked=records_checked,
                candidate_pairs=candidate_pairs,
                duplicate_pairs=duplicate_pairs,
                possible_pairs=possible_pairs,
                groups_created=groups_created,
                groups_grown=groups_grown,
                seconds=seconds,
            )
        )

    def last_run(self) -> DedupRun | None:
        query = sa.select(_runs).where(_runs.c.project_id == self._project_id).order_by(_runs.c.id.desc())
        row = self._conn.execute(query.limit(1)).mappings().first()
        return None if row is None else _run(row)

    def runs(self) -> builtins.list[DedupRun]:
        query = sa.select(_runs).where(_runs.c.project_id == self._project_id).order_by(_runs.c.id)
        return [_run(row) for row in self._conn.execute(query).mappings()]

    # pairs

    def save_pairs(self, verdicts: Sequence[PairVerdict], *, run_id: int | None, status: PairStatus) -> int:
        """The stored keys are read first, so the count is exact whatever the driver reports as an
        executemany rowcount, and a re-run sends nothing already stored. ON CONFLICT DO NOTHING
        still guards against a concurrent run on PostgreSQL (SQLite writers are serialised)."""
        stored = set(self.pair_statuses())
        rows: dict[tuple[int, int], dict[str, Any]] = {}
        for verdict in verdicts:
            key = (verdict.first, verdict.second)
            if key not in stored and key not in rows:
                rows[key] = {
                    "project_id": self._project_id,
                    "first_record_id": verdict.first,
                    "second_record_id": verdict.second,
                    "outcome": verdict.outcome.value,
                    "score": verdict.score,
                    "reasons": list(verdict.reasons),
                    "status": status.value,
                    "run_id": run_id,
                }
        if rows:
            # without RETURNING, SQLAlchemy hands the rows to the driver's executemany (fast on both)
            self._conn.execute(
                dialect_insert(self._conn, _pairs).on_conflict_do_nothing(), list(rows.values())
            )
        return len(rows)

    def pairs(
        self, *, status: PairStatus | None = None, outcome: Outcome | None = None
    ) -> builtins.list[StoredPair]:
        query = self._select_pairs().order_by(_pairs.c.id)
        if status is not None:
            query = query.where(_pairs.c.status == status.value)
        if outcome is not None:
            query = query.where(_pairs.c.outcome == outcome.value)
        return [_pair(row) for row in self._conn.execute(query).mappings()]

    def get_pair(self, pair_id: int) -> StoredPair:
        row = self._conn.execute(self._select_pairs().where(_pairs.c.id == pair_id)).mappings().first()
        if row is None:
            raise NotFound(f"no duplicate pair {pair_id}", hint=_PAIRS_HINT)
        return _pair(row)

    def find_pair(self, first: int, second: int) -> StoredPair | None:
        """The pair of two records, in either order."""
        low, high = sorted((first, second))
        query = self._select_pairs().where(_pairs.c.first_record_id == low, _pairs.c.second_record_id == high)
        row = self._conn.execute(query).mappings().first()
        return None if row is None else _pair(row)

    def decide_pair(self, pair_id: int, status: PairStatus, *, by: str, note: str | None = None) -> None:
        result = self._conn.execute(
            _pairs.update()
            .where(_pairs.c.id == pair_id, _pairs.c.project_id == self._project_id)
            .values(status=status.value, decided_by=by, decided_at=_now(), note=note)
        )
        if result.rowcount == 0:
            raise NotFound(f"no duplicate pair {pair_id}", hint=_PAIRS_HINT)

    def pair_statuses(self) -> dict[tuple[int, int], PairStatus]:
        query = sa.select(_pairs.c.first_record_id, _pairs.c.second_record_id, _pairs.c.status).where(
            _pairs.c.project_id == self._project_id
        )
        return {(first, second): PairStatus(status) for first, second, status in self._conn.execute(query)}

    def _select_pairs(self) -> sa.Select[Any]:
        return sa.select(_pairs).where(_pairs.c.project_id == self._project_id)

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
    ) -> int:
        [group_id] = self.create_groups(
            [(primary_id, member_ids, filled)], origin=origin, run_id=run_id, created_by=created_by
        )
        return group_id

    def create_groups(
        self, specs: Sequence[_GroupSpec], *, origin: GroupOrigin, run_id: int | None, created_by: str
    ) -> builtins.list[int]:
        """Create many groups in bulk; returns the new ids in the order of ``specs``.

        The ids are reserved first, so that groups and members can both go in as plain executemany
        inserts: INSERT ... RETURNING for thousands of rows was several times slower (psycopg parses
        each large multi-row statement in Python; SQLite falls back to one statement per row).
        """
        for primary_id, member_ids, _filled in specs:
            if primary_id not in member_ids:
                raise ValueError(f"primary record {primary_id} is not among the members {list(member_ids)}")
        if not specs:
            return []
        ids = self._reserve_group_ids(len(specs))
        created_at = _now()
        group_rows = [
            {
                "id": group_id,
                "project_id": self._project_id,
                "primary_record_id": primary_id,
                "origin": origin.value,
                "run_id": run_id,
                "created_by": created_by,
                "created_at": created_at,
                "filled": _filled_json(filled),
            }
            for group_id, (primary_id, _members, filled) in zip(ids, specs, strict=True)
        ]
        self._conn.execute(_groups.insert(), group_rows)
        member_rows = [
            self._member_row(group_id, record_id, is_primary=record_id == primary_id)
            for group_id, (primary_id, member_ids, _filled) in zip(ids, specs, strict=True)
            for record_id in sorted(set(member_ids))
        ]
        self._conn.execute(_members.insert(), member_rows)
        return ids

    def _reserve_group_ids(self, count: int) -> builtins.list[int]:
        """``count`` fresh group ids, ascending. PostgreSQL: drawn from the id sequence, so no
        other transaction can get them. SQLite: above the highest id ever used (the table is
        AUTOINCREMENT, and SQLite records explicit ids in sqlite_sequence too); the write
        transaction (BEGIN IMMEDIATE) keeps other writers out meanwhile."""
        if self._conn.dialect.name == "postgresql":
            sequence = sa.func.pg_get_serial_sequence(_groups.name, _groups.c.id.name)
            query = sa.select(sa.func.nextval(sequence)).select_from(sa.func.generate_series(1, count))
            return sorted(int(value) for value in self._conn.execute(query).scalars())
        used = self._conn.execute(
            sa.text("SELECT seq FROM sqlite_sequence WHERE name = :table"), {"table": _groups.name}
        ).scalar()
        present = self._conn.execute(sa.select(sa.func.max(_groups.c.id))).scalar()
        highest = max(int(used or 0), int(present or 0))
        return list(range(highest + 1, highest + 1 + count))

    def add_members(self, group_id: int, record_ids: Sequence[int]) -> None:
        """Add records as duplicates (not primary). A record already in a group is refused by the
        database (IntegrityError): callers check :meth:`membership` first."""
        self._group_row(group_id)
        if record_ids:
            rows = [self._member_row(group_id, record_id, is_primary=False) for record_id in set(record_ids)]
            self._conn.execute(_members.insert(), rows)

    def remove_members(self, group_id: int, record_ids: Sequence[int]) -> None:
        """Remove duplicates from a group. The primary cannot be removed (change it with
        :meth:`set_primary` first, or dissolve the group with :meth:`delete_group`); a group left
        with one member is the caller's to dissolve."""
        primary_id = self._group_row(group_id)["primary_record_id"]
        if primary_id in record_ids:
            raise ValueError(f"record {primary_id} is the primary of group {group_id} and cannot be removed")
        if record_ids:
            self._conn.execute(
                _members.delete().where(
                    _members.c.group_id == group_id, _members.c.record_id.in_(list(record_ids))
                )
            )

    def set_primary(self, group_id: int, record_id: int) -> None:
        self._group_row(group_id)
        is_member = self._conn.execute(
            sa.select(_members.c.record_id).where(
                _members.c.group_id == group_id, _members.c.record_id == record_id
            )
        ).first()
        if is_member is None:
            raise ValueError(f"record {record_id} is not a member of group {group_id}")
        # Clear the old primary first: the partial unique index checks each statement, and two
        # primaries would exist in between if the new one were set first.
        in_group = _members.c.group_id == group_id
        self._conn.execute(_members.update().where(in_group, _members.c.is_primary).values(is_primary=False))
        self._conn.execute(
            _members.update().where(in_group, _members.c.record_id == record_id).values(is_primary=True)
        )
        self._conn.execute(
            _groups.update().where(_groups.c.id == group_id).values(primary_record_id=record_id)
        )

    def set_filled(self, group_id: int, filled: dict[str, FilledField]) -> None:
        result = self._conn.execute(
            _groups.update()
            .where(_groups.c.id == group_id, _groups.c.project_id == self._project_id)
            .values(filled=_filled_json(filled))
        )
        if result.rowcount == 0:
            raise NotFound(f"no duplicate group {group_id}", hint=_GROUPS_HINT)

    def delete_group(self, group_id: int) -> None:
        self._group_row(group_id)
        self._conn.execute(_members.delete().where(_members.c.group_id == group_id))
        self._conn.execute(_groups.delete().where(_groups.c.id == group_id))

    def get_group(self, group_id: int) -> DuplicateGroup:
        row = self._group_row(group_id)
        query = sa.select(_members.c.record_id).where(_members.c.group_id == group_id)
        return _group(row, sorted(self._conn.execute(query).scalars()))

    def group_of(self, record_id: int) -> DuplicateGroup | None:
        query = sa.select(_members.c.group_id).where(
            _members.c.record_id == record_id, _members.c.project_id == self._project_id
        )
        group_id = self._conn.execute(query).scalar()
        return None if group_id is None else self.get_group(group_id)

    def groups(self) -> builtins.list[DuplicateGroup]:
        """Every group, by id, from two queries (groups, then all members)."""
        members: defaultdict[int, builtins.list[int]] = defaultdict(list)
        query = (
            sa.select(_members.c.group_id, _members.c.record_id)
            .where(_members.c.project_id == self._project_id)
            .order_by(_members.c.group_id, _members.c.record_id)
        )
        for group_id, record_id in self._conn.execute(query):
            members[group_id].append(record_id)
        rows = self._conn.execute(
            sa.select(_groups).where(_groups.c.project_id == self._project_id).order_by(_groups.c.id)
        ).mappings()
        return [_group(row, members[row["id"]]) for row in rows]

    def membership(self, record_ids: Iterable[int] | None = None) -> dict[int, tuple[int, bool]]:
        query = sa.select(_members.c.record_id, _members.c.group_id, _members.c.is_primary).where(
            _members.c.project_id == self._project_id
        )
        found: dict[int, tuple[int, bool]] = {}
        for chunk in in_chunks(record_ids):
            chosen = query if chunk is None else query.where(_members.c.record_id.in_(chunk))
            for record_id, group_id, is_primary in self._conn.execute(chosen):
                found[record_id] = (group_id, bool(is_primary))
        return found

    def counts(self) -> tuple[int, int]:
        groups = sa.select(sa.func.count()).where(_groups.c.project_id == self._project_id)
        duplicates = sa.select(sa.func.count()).where(
            _members.c.project_id == self._project_id, sa.not_(_members.c.is_primary)
        )
        return int(self._conn.execute(groups).scalar_one()), int(self._conn.execute(duplicates).scalar_one())

    def open_pair_count(self) -> int:
        first, second = _members.alias("first_member"), _members.alias("second_member")
        # a pending pair whose records a merge has already put in one group is settled by it
        same_group = (
            sa.select(sa.literal(1))
            .select_from(first.join(second, first.c.group_id == second.c.group_id))
            .where(
                first.c.record_id == _pairs.c.first_record_id,
                second.c.record_id == _pairs.c.second_record_id,
            )
        )
        query = sa.select(sa.func.count()).where(
            _pairs.c.project_id == self._project_id,
            _pairs.c.status == PairStatus.PENDING.value,
            ~same_group.exists(),
        )
        return int(self._conn.execute(query).scalar_one())

    def _group_row(self, group_id: int) -> sa.RowMapping:
        query = sa.select(_groups).where(_groups.c.id == group_id, _groups.c.project_id == self._project_id)
        row = self._conn.execute(query).mappings().first()
        if row is None:
            raise NotFound(f"no duplicate group {group_id}", hint=_GROUPS_HINT)
        return row

    def _member_row(self, group_id: int, record_id: int, *, is_primary: bool) -> dict[str, Any]:
        return {
            "record_id": record_id,
            "group_id": group_id,
            "project_id": self._project_id,
            "is_primary": is_primary,
        }


def _run(row: sa.RowMapping) -> DedupRun:
    return DedupRun(
        id=row["id"],
        scope=row["scope"],
        started_by=row["started_by"],
        started_at=_aware(row["started_at"]),
        settings=dict(row["settings"]),
        max_record_id=row["max_record_id"],
        records_checked=row["records_checked"],
        candidate_pairs=row["candidate_pairs"],
        duplicate_pairs=row["duplicate_pairs"],
        possible_pairs=row["possible_pairs"],
        groups_created=row["groups_created"],
        groups_grown=row["groups_grown"],
        seconds=float(row["seconds"]),
    )


def _pair(row: sa.RowMapping) -> StoredPair:
    decided_at = row["decided_at"]
    return StoredPair(
        id=row["id"],
        first=row["first_record_id"],
        second=row["second_record_id"],
        outcome=Outcome(row["outcome"]),
        score=float(row["score"]),
        reasons=tuple(row["reasons"]),
        status=PairStatus(row["status"]),
        run_id=row["run_id"],
        decided_by=row["decided_by"],
        decided_at=None if decided_at is None else _aware(decided_at),
        note=row["note"],
    )


def _group(row: sa.RowMapping, member_ids: Sequence[int]) -> DuplicateGroup:
    return DuplicateGroup(
        id=row["id"],
        primary_id=row["primary_record_id"],
        member_ids=tuple(member_ids),
        origin=GroupOrigin(row["origin"]),
        run_id=row["run_id"],
        created_by=row["created_by"],
        created_at=_aware(row["created_at"]),
        filled={
            name: FilledField(value=item["value"], record_id=item["record_id"])
            for name, item in row["filled"].items()
        },
    )


def _filled_json(filled: dict[str, FilledField]) -> dict[str, dict[str, Any]]:
    return {name: {"value": item.value, "record_id": item.record_id} for name, item in filled.items()}
