"""Extracted values, consensus values, verifiers' flags and completions, scoped to one project."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from synthesist.errors import NotFound
from synthesist.extraction.model import (
    Completion,
    ConsensusValue,
    ExtractedValue,
    Flag,
    Resolution,
    Role,
    ValueSource,
)
from synthesist.storage import schema
from synthesist.storage.clock import as_utc as _aware
from synthesist.storage.clock import utc_now as _now

__all__ = ["SqlExtractionRepository"]

_CHUNK = 500  # ids per IN (...) list


class SqlExtractionRepository:
    def __init__(self, connection: sa.Connection, project_id: int) -> None:
        self._conn = connection
        self._project_id = project_id

    # values

    def set_values(
        self, rows: Sequence[tuple[int, str, str, str | None]], *, source: ValueSource, shared: bool
    ) -> None:
        """Store ``(study_id, field, reviewer, value)`` rows as each reviewer's current value; a
        ``None`` value removes it. ``shared``: the study has one value per field (single modes), so
        any reviewer's earlier value of the field is replaced. The event log keeps earlier values."""
        table = schema.extraction_values
        now = _now()
        for study_id, name, reviewer, _ in rows:
            same = [
                table.c.project_id == self._project_id,
                table.c.study_id == study_id,
                table.c.field == name,
            ]
            if not shared:
                same.append(table.c.reviewer == reviewer)
            self._conn.execute(table.delete().where(*same))
        inserts = [
            {
                "study_id": study_id,
                "field": name,
                "reviewer": reviewer,
                "project_id": self._project_id,
                "value": value,
                "source": source.value,
                "entered_at": now,
            }
            for study_id, name, reviewer, value in rows
            if value is not None
        ]
        if inserts:
            self._conn.execute(table.insert(), inserts)

    def values(self, study_ids: Iterable[int] | None = None) -> builtins.list[ExtractedValue]:
        table = schema.extraction_values
        rows = self._rows(table, study_ids, table.c.entered_at, table.c.field, table.c.reviewer)
        return [
            ExtractedValue(
                row["study_id"],
                row["field"],
                row["reviewer"],
                row["value"],
                ValueSource(row["source"]),
                _aware(row["entered_at"]),
            )
            for row in rows
        ]

    # consensus

    def set_consensus(self, study_id: int, name: str, value: str, *, by: str, note: str | None) -> None:
        table = schema.extraction_consensus
        self._conn.execute(
            table.delete().where(
                table.c.project_id == self._project_id, table.c.study_id == study_id, table.c.field == name
            )
        )
        self._conn.execute(
            table.insert().values(
                study_id=study_id,
                field=name,
                project_id=self._project_id,
                value=value,
                resolved_by=by,
                resolved_at=_now(),
                note=note,
            )
        )

    def consensus(self, study_ids: Iterable[int] | None = None) -> builtins.list[ConsensusValue]:
        table = schema.extraction_consensus
        rows = self._rows(table, study_ids, table.c.study_id, table.c.field)
        return [
            ConsensusValue(
                row["study_id"],
                row["field"],
                row["value"],
                row["resolved_by"],
                _aware(row["resolved_at"]),
                row["note"],
            )
            for row in rows
        ]

    # flags

    def add_flag(self, study_id: int, name: str, note: str, *, by: str, suggested: str | None) -> int:
        table = schema.extraction_flags
        query = (
            table.insert()
            .values(
                project_id=self._project_id,
                study_id=study_id,
                field=name,
                flagged_by=by,
                flagged_at=_now(),
                note=note,
                suggested_value=suggested,
            )
            .returning(table.c.id)
        )
        return int(self._conn.execute(query).scalar_one())

    def resolve_flag(self, flag_id: int, resolution: Resolution, *, by: str) -> None:
        table = schema.extraction_flags
        self._conn.execute(
            table.update()
            .where(table.c.id == flag_id, table.c.project_id == self._project_id)
            .values(resolved_by=by, resolved_at=_now(), resolution=resolution.value)
        )

    def get_flag(self, flag_id: int) -> Flag:
        found = [flag for flag in self.flags() if flag.id == flag_id]
        if not found:
            raise NotFound(f"no flag {flag_id}", hint="`synthesist extract discrepancies` lists open flags.")
        return found[0]

    def flags(self, study_ids: Iterable[int] | None = None) -> builtins.list[Flag]:
        table = schema.extraction_flags
        rows = self._rows(table, study_ids, table.c.id)
        return [
            Flag(
                id=row["id"],
                study_id=row["study_id"],
                field=row["field"],
                flagged_by=row["flagged_by"],
                flagged_at=_aware(row["flagged_at"]),
                note=row["note"],
                suggested_value=row["suggested_value"],
                resolved_by=row["resolved_by"],
                resolved_at=_aware(row["resolved_at"]) if row["resolved_at"] is not None else None,
                resolution=Resolution(row["resolution"]) if row["resolution"] is not None else None,
            )
            for row in rows
        ]

    # completions

    def complete(self, study_id: int, reviewer: str, role: Role) -> bool:
        """Mark the study complete for the reviewer in the role; False if it already was."""
        table = schema.extraction_progress
        exists = self._conn.execute(
            sa.select(table.c.study_id).where(
                table.c.project_id == self._project_id,
                table.c.study_id == study_id,
                table.c.reviewer == reviewer,
                table.c.role == role.value,
            )
        ).first()
        if exists is not None:
            return False
        self._conn.execute(
            table.insert().values(
                study_id=study_id,
                reviewer=reviewer,
                role=role.value,
                project_id=self._project_id,
                completed_at=_now(),
            )
        )
        return True

    def completions(self, study_ids: Iterable[int] | None = None) -> builtins.list[Completion]:
        table = schema.extraction_progress
        rows = self._rows(table, study_ids, table.c.completed_at, table.c.reviewer)
        return [
            Completion(row["study_id"], row["reviewer"], Role(row["role"]), _aware(row["completed_at"]))
            for row in rows
        ]

    def _rows(
        self, table: sa.Table, study_ids: Iterable[int] | None, *order: sa.ColumnElement[Any]
    ) -> builtins.list[sa.RowMapping]:
        query = sa.select(table).where(table.c.project_id == self._project_id)
        if study_ids is None:
            return [row._mapping for row in self._conn.execute(query.order_by(*order))]
        wanted = sorted(set(study_ids))
        found: builtins.list[sa.RowMapping] = []
        for start in range(0, len(wanted), _CHUNK):
            chunk = query.where(table.c.study_id.in_(wanted[start : start + _CHUNK])).order_by(*order)
            found.extend(row._mapping for row in self._conn.execute(chunk))
        return found
