"""Screening decisions (``screening_decisions``) and seed studies (``screening_seeds``), scoped to one
project."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from synthesist.errors import InvalidTransition, NotFound
from synthesist.screening.model import DecisionKind, NewDecision, ScreeningDecision, SeedStudy, Stage, Vote
from synthesist.storage import schema
from synthesist.storage.clock import as_utc as _aware
from synthesist.storage.clock import utc_now as _now

__all__ = ["SqlScreeningRepository"]


class SqlScreeningRepository:
    def __init__(self, connection: sa.Connection, project_id: int) -> None:
        self._conn = connection
        self._project_id = project_id

    def lock_record(self, record_id: int) -> bool:
        """Hold the record's row until the transaction ends, so decisions on one record are taken in
        turn: each voter reads the votes before theirs and is answered truthfully. SQLite needs no
        row lock (a write transaction there is ``BEGIN IMMEDIATE``: one writer at a time) and
        SQLAlchemy leaves ``FOR UPDATE`` out for it; PostgreSQL blocks the second voter here."""
        table = schema.records
        found = self._conn.execute(
            sa.select(table.c.id)
            .where(table.c.id == record_id, table.c.project_id == self._project_id)
            .with_for_update()
        ).first()
        return found is not None

    def add(self, decision: NewDecision) -> int:
        query = (
            schema.screening_decisions.insert()
            .values(
                project_id=self._project_id,
                record_id=decision.record_id,
                stage=decision.stage.value,
                reviewer=decision.reviewer,
                vote=decision.vote.value,
                kind=decision.kind.value,
                reason=decision.reason,
                note=decision.note,
                labels=list(decision.labels),
                participants=list(decision.participants),
                decided_at=_now(),
            )
            .returning(schema.screening_decisions.c.id)
        )
        try:
            return int(self._conn.execute(query).scalar_one())
        except sa.exc.IntegrityError:
            if decision.kind is not DecisionKind.CONSENSUS:
                raise
            # the table's one unique index caught a second consensus that got past the record lock
            raise InvalidTransition(
                f"record {decision.record_id} is already settled by consensus at {decision.stage.label}",
                hint=f"`synthesist screen decisions {decision.record_id}` shows the team's decision.",
            ) from None

    def undo(self, decision_id: int, *, by: str) -> None:
        table = schema.screening_decisions
        self._conn.execute(
            table.update()
            .where(table.c.id == decision_id, table.c.project_id == self._project_id)
            .values(undone_at=_now(), undone_by=by)
        )

    def get(self, decision_id: int) -> ScreeningDecision:
        row = self._conn.execute(self._select().where(schema.screening_decisions.c.id == decision_id)).first()
        if row is None:
            raise NotFound(
                f"no screening decision {decision_id}",
                hint="`synthesist screen decisions RECORD_ID` lists a record's decisions.",
            )
        return _decision(row._mapping)

    def for_records(self, record_ids: Iterable[int]) -> builtins.list[ScreeningDecision]:
        """Every decision (undone ones too) on these records, oldest first."""
        table = schema.screening_decisions
        wanted = sorted(set(record_ids))
        found: builtins.list[ScreeningDecision] = []
        for start in range(0, len(wanted), 500):
            query = self._select().where(table.c.record_id.in_(wanted[start : start + 500]))
            found.extend(_decision(row._mapping) for row in self._conn.execute(query))
        return sorted(found, key=lambda decision: decision.id)

    def active(self, stage: Stage | None = None) -> builtins.list[ScreeningDecision]:
        """Every decision not undone (of one stage, or all), oldest first."""
        table = schema.screening_decisions
        query = self._select().where(table.c.undone_at.is_(None))
        if stage is not None:
            query = query.where(table.c.stage == stage.value)
        return [_decision(row._mapping) for row in self._conn.execute(query.order_by(table.c.id))]

    def latest_by(self, reviewer: str, stage: Stage) -> ScreeningDecision | None:
        """The reviewer's most recent active decision at ``stage`` (what `u` undoes)."""
        table = schema.screening_decisions
        query = (
            self._select()
            .where(table.c.reviewer == reviewer, table.c.stage == stage.value, table.c.undone_at.is_(None))
            .order_by(table.c.id.desc())
            .limit(1)
        )
        row = self._conn.execute(query).first()
        return _decision(row._mapping) if row is not None else None

    def _select(self) -> sa.Select[Any]:
        table = schema.screening_decisions
        return sa.select(table).where(table.c.project_id == self._project_id)

    # seed studies

    def add_seed(self, record_id: int, *, by: str, note: str | None = None) -> None:
        self._conn.execute(
            schema.screening_seeds.insert().values(
                record_id=record_id, project_id=self._project_id, added_by=by, added_at=_now(), note=note
            )
        )

    def remove_seed(self, record_id: int) -> None:
        table = schema.screening_seeds
        self._conn.execute(
            table.delete().where(table.c.record_id == record_id, table.c.project_id == self._project_id)
        )

    def seeds(self) -> builtins.list[SeedStudy]:
        """Every seed study of the project, by record id."""
        table = schema.screening_seeds
        query = sa.select(table).where(table.c.project_id == self._project_id).order_by(table.c.record_id)
        return [
            SeedStudy(
                record_id=row.record_id, added_by=row.added_by, added_at=_aware(row.added_at), note=row.note
            )
            for row in self._conn.execute(query)
        ]


def _decision(row: sa.RowMapping) -> ScreeningDecision:
    return ScreeningDecision(
        id=row["id"],
        record_id=row["record_id"],
        stage=Stage(row["stage"]),
        reviewer=row["reviewer"],
        vote=Vote(row["vote"]),
        kind=DecisionKind(row["kind"]),
        decided_at=_aware(row["decided_at"]),
        reason=row["reason"],
        note=row["note"],
        labels=tuple(row["labels"]),
        participants=tuple(row["participants"]),
        undone_at=_aware(row["undone_at"]) if row["undone_at"] is not None else None,
        undone_by=row["undone_by"],
    )
