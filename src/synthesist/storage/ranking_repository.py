"""Stored screening rankings (``screening_models``, ``screening_rankings``), scoped to one project.

The queries here are what makes the web's next record cheap: the best-ranked records a reviewer may
still vote on, filtered by the database on the votes already cast, so no process needs the whole
ranking or every decision in memory. The filter is a first cut (it knows votes, not verification
samples or full-text retrieval): the service checks the few records it returns against the
screening rules before offering one.
"""

from __future__ import annotations

import builtins
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from synthesist.errors import Conflict
from synthesist.screening.model import Stage
from synthesist.screening.stored_ranking import RankedRecord, RankingPhase, StoredModel
from synthesist.storage import schema
from synthesist.storage.clock import as_utc, utc_now
from synthesist.storage.engine import dialect_insert

__all__ = ["SqlRankingRepository"]

_models = schema.screening_models
_rankings = schema.screening_rankings
_decisions = schema.screening_decisions
_members = schema.duplicate_members
_offers = schema.screening_offers
_CHUNK = 500  # rows per INSERT and ids per IN (...): well under SQLite's bound-parameter limit


class SqlRankingRepository:
    def __init__(self, connection: sa.Connection, project_id: int) -> None:
        self._conn = connection
        self._project_id = project_id

    # models ---------------------------------------------------------------------------------------

    def latest(self, stage: Stage) -> StoredModel | None:
        found = self.models(stage, limit=1)
        return found[0] if found else None

    def models(self, stage: Stage, *, limit: int | None = None) -> builtins.list[StoredModel]:
        """The stored models of ``stage``, newest first, with how many records each ranks."""
        # ranks run from 0 without gaps: the last rank + 1 is the count, read from the index's end
        # where counting would visit every ranked record (every screening page asks)
        count = (
            sa.select(sa.func.coalesce(sa.func.max(_rankings.c.rank) + 1, 0))
            .where(_rankings.c.model_id == _models.c.id)
            .correlate(_models)
            .scalar_subquery()
        )
        query = (
            sa.select(_models, count.label("records"))
            .where(_models.c.project_id == self._project_id, _models.c.stage == stage.value)
            .order_by(_models.c.version.desc())
            .limit(limit)
        )
        return [_model(row._mapping) for row in self._conn.execute(query)]

    def store(
        self,
        stage: Stage,
        *,
        model: str,
        decisions: int,
        last_event_id: int,
        phase: RankingPhase,
        ranking: Sequence[tuple[int, float | None]],
        keep: int = 3,
    ) -> StoredModel:
        """Store a new version with its ranking (record id and score, best first) and delete the
        versions older than the last ``keep``."""
        previous = self._conn.execute(
            sa.select(sa.func.max(_models.c.version)).where(
                _models.c.project_id == self._project_id, _models.c.stage == stage.value
            )
        ).scalar_one()
        version = (previous or 0) + 1
        trained_at = utc_now()
        try:
            model_id = int(
                self._conn.execute(
                    _models.insert()
                    .values(
                        project_id=self._project_id,
                        stage=stage.value,
                        version=version,
                        model=model,
                        decisions=decisions,
                        last_event_id=last_event_id,
                        trained_at=trained_at,
                        phase=phase.value,
                    )
                    .returning(_models.c.id)
                ).scalar_one()
            )
        except sa.exc.IntegrityError:
            # two trainings finished together on PostgreSQL: the first one's ranking stands
            raise Conflict(
                f"another training stored version {version} of the {stage.label} ranking first",
                hint="Nothing to do: the next record is read from that one.",
            ) from None
        rows = [
            {"model_id": model_id, "record_id": record_id, "rank": rank, "score": score}
            for rank, (record_id, score) in enumerate(ranking)
        ]
        for start in range(0, len(rows), _CHUNK):
            self._conn.execute(_rankings.insert(), rows[start : start + _CHUNK])
        self._prune(stage, version - keep)
        return StoredModel(
            model_id, stage, version, model, decisions, last_event_id, trained_at, phase, len(rows)
        )

    def _prune(self, stage: Stage, up_to_version: int) -> None:
        """Delete the versions up to this one, rankings first: SQLite does not cascade unless told."""
        old = sa.select(_models.c.id).where(
            _models.c.project_id == self._project_id,
            _models.c.stage == stage.value,
            _models.c.version <= up_to_version,
        )
        old_ids = [row.id for row in self._conn.execute(old)]
        if old_ids:
            self._conn.execute(_rankings.delete().where(_rankings.c.model_id.in_(old_ids)))
            self._conn.execute(_models.delete().where(_models.c.id.in_(old_ids)))

    def ranking(self, model_id: int) -> builtins.list[RankedRecord]:
        """A model's whole ranking, best first."""
        query = (
            sa.select(_rankings.c.record_id, _rankings.c.rank, _rankings.c.score)
            .where(_rankings.c.model_id == model_id)
            .order_by(_rankings.c.rank)
        )
        return [RankedRecord(row.record_id, row.rank, row.score) for row in self._conn.execute(query)]

    # the next record --------------------------------------------------------------------------------

    def ranked_candidates(
        self,
        model_id: int,
        stage: Stage,
        *,
        reviewer: str,
        votes_below: int,
        skip: Collection[int] = (),
        after_rank: int = -1,
        limit: int = 50,
        held_since: datetime | None = None,
        window: int | None = None,
    ) -> builtins.list[RankedRecord]:
        """The best-ranked records of the model, after ``after_rank``, that ``reviewer`` has not
        voted on, that have fewer than ``votes_below`` screening votes and no consensus at
        ``stage``, that are not a duplicate of another record, and are not in ``skip``."""
        record = _rankings.c.record_id
        query = (
            sa.select(_rankings.c.record_id, _rankings.c.rank, _rankings.c.score)
            .where(_rankings.c.model_id == model_id, _rankings.c.rank > after_rank)
            .where(*self._open_to(record, stage, reviewer, votes_below, skip, held_since))
            .order_by(_rankings.c.rank)
            .limit(limit)
        )
        if window is not None:
            # a bounded range of ranks: the planner may otherwise test every ranked record before
            # sorting (its estimates are poor on a freshly stored ranking), ~10 ms per 1,000
            query = query.where(_rankings.c.rank <= after_rank + window)
        return [RankedRecord(row.record_id, row.rank, row.score) for row in self._conn.execute(query)]

    def unranked_candidates(
        self,
        model_id: int | None,
        stage: Stage,
        *,
        reviewer: str,
        votes_below: int,
        skip: Collection[int] = (),
        after_id: int = 0,
        limit: int = 50,
        held_since: datetime | None = None,
    ) -> builtins.list[int]:
        """As :meth:`ranked_candidates`, for the records the model does not rank (imported since it
        was trained; every record without a model), in id order. At full text, only records some
        title/abstract vote let through (the service checks that it was the outcome)."""
        records = schema.records
        record = records.c.id
        query = (
            sa.select(record)
            .where(records.c.project_id == self._project_id, record > after_id)
            .where(*self._open_to(record, stage, reviewer, votes_below, skip, held_since))
            .order_by(record)
            .limit(limit)
        )
        if model_id is not None:
            ranked = sa.exists().where(_rankings.c.model_id == model_id, _rankings.c.record_id == record)
            query = query.where(sa.not_(ranked))
        if stage is Stage.FULL_TEXT:
            passed = sa.exists().where(
                _decisions.c.project_id == self._project_id,
                _decisions.c.record_id == record,
                _decisions.c.stage == Stage.TITLE_ABSTRACT.value,
                _decisions.c.undone_at.is_(None),
                _decisions.c.vote != "exclude",
            )
            query = query.where(passed)
        return [row[0] for row in self._conn.execute(query)]

    def _open_to(
        self,
        record: sa.ColumnElement[Any],
        stage: Stage,
        reviewer: str,
        votes_below: int,
        skip: Collection[int],
        held_since: datetime | None = None,
    ) -> builtins.list[sa.ColumnElement[bool]]:
        def active(*conditions: sa.ColumnElement[bool]) -> sa.Exists:
            return sa.exists().where(
                _decisions.c.project_id == self._project_id,
                _decisions.c.record_id == record,
                _decisions.c.stage == stage.value,
                _decisions.c.undone_at.is_(None),
                *conditions,
            )

        votes = (
            sa.select(sa.func.count())
            .where(
                _decisions.c.project_id == self._project_id,
                _decisions.c.record_id == record,
                _decisions.c.stage == stage.value,
                _decisions.c.undone_at.is_(None),
                _decisions.c.kind == "screen",
            )
            .scalar_subquery()
        )
        duplicate = sa.exists().where(
            _members.c.project_id == self._project_id,
            _members.c.record_id == record,
            sa.not_(_members.c.is_primary),
        )
        taken: sa.ColumnElement[Any] = votes
        if held_since is not None:
            # colleagues reading the record now will cast the votes it lacks (their offers lapse)
            taken = votes + (
                sa.select(sa.func.count())
                .where(
                    _offers.c.project_id == self._project_id,
                    _offers.c.stage == stage.value,
                    _offers.c.record_id == record,
                    _offers.c.reviewer != reviewer,
                    _offers.c.offered_at >= held_since,
                    self._not_yet_voted(stage),
                )
                .scalar_subquery()
            )
        conditions = [
            sa.not_(active(_decisions.c.reviewer == reviewer)),
            sa.not_(active(_decisions.c.kind == "consensus")),
            taken < votes_below,
            sa.not_(duplicate),
        ]
        if skip:
            conditions.append(record.not_in(sorted(skip)))
        return conditions

    def offer(self, stage: Stage, reviewer: str, record_id: int) -> None:
        """Note that ``reviewer`` is shown ``record_id`` now (their one current offer at ``stage``)."""
        if self._conn.dialect.name == "postgresql":
            # an offer is fairness, not a result: losing the last second of them in a crash costs
            # nothing, so this commit does not wait for the disk (a page view saves the flush)
            self._conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
        now = utc_now()
        insert = dialect_insert(self._conn, _offers).values(
            project_id=self._project_id,
            stage=stage.value,
            reviewer=reviewer,
            record_id=record_id,
            offered_at=now,
        )
        self._conn.execute(
            insert.on_conflict_do_update(
                index_elements=[_offers.c.project_id, _offers.c.stage, _offers.c.reviewer],
                set_={"record_id": record_id, "offered_at": now},
            )
        )

    def claim(
        self, stage: Stage, reviewer: str, record_id: int, *, votes_below: int, held_since: datetime
    ) -> bool:
        records = schema.records
        # Checked again just before the offer is written: the reviewer's page chose the record a
        # moment ago, and a colleague may have claimed its last vote since (under load the later
        # vote was refused: a wasted read). Two claims in the same instant can still both pass;
        # locking the record for it made every reader of a busy review queue behind its top record.
        still_open = self._conn.execute(
            sa.select(records.c.id).where(
                records.c.id == record_id,
                records.c.project_id == self._project_id,
                *self._open_to(records.c.id, stage, reviewer, votes_below, (), held_since),
            )
        ).first()
        if still_open is None:
            return False
        self.offer(stage, reviewer, record_id)
        return True

    def _not_yet_voted(self, stage: Stage) -> sa.ColumnElement[bool]:
        """An offer still being read: its reviewer has not voted on the record (their vote counts)."""
        return sa.not_(
            sa.exists().where(
                _decisions.c.project_id == self._project_id,
                _decisions.c.record_id == _offers.c.record_id,
                _decisions.c.stage == stage.value,
                _decisions.c.reviewer == _offers.c.reviewer,
                _decisions.c.undone_at.is_(None),
            )
        )

    def held_by_others(self, stage: Stage, reviewer: str, since: datetime) -> dict[int, int]:
        """Records shown to colleagues of ``reviewer`` since ``since``: how many are reading each."""
        query = (
            sa.select(_offers.c.record_id, sa.func.count())
            .where(
                _offers.c.project_id == self._project_id,
                _offers.c.stage == stage.value,
                _offers.c.reviewer != reviewer,
                _offers.c.offered_at >= since,
                self._not_yet_voted(stage),
            )
            .group_by(_offers.c.record_id)
        )
        return {int(row[0]): int(row[1]) for row in self._conn.execute(query)}

    # what changed since a model -------------------------------------------------------------------

    def changes_since(
        self, last_event_id: int, stage: Stage, *, decision_types: Iterable[str], at_most: int
    ) -> int:
        """How many logged events of ``decision_types`` at ``stage`` came after ``last_event_id``,
        counted up to ``at_most`` (the caller only needs to know whether a threshold is reached, and
        a stale model of a busy review can have thousands)."""
        events = schema.events
        wanted = builtins.list(decision_types)
        counted, after = 0, last_event_id
        while counted < at_most:
            query = (
                sa.select(events.c.id, events.c.payload)
                .where(
                    events.c.project_id == self._project_id,
                    events.c.id > after,
                    events.c.type.in_(wanted),
                )
                .order_by(events.c.id)
                .limit(_CHUNK)
            )
            rows = self._conn.execute(query).all()
            if not rows:
                break
            counted += sum(1 for row in rows if (row.payload or {}).get("stage") == stage.value)
            after = rows[-1].id
        return min(counted, at_most)

    def logged_since(self, last_event_id: int, types: Iterable[str]) -> bool:
        """Whether any event of ``types`` was logged after ``last_event_id``."""
        events = schema.events
        query = sa.select(
            sa.exists().where(
                events.c.project_id == self._project_id,
                events.c.id > last_event_id,
                events.c.type.in_(builtins.list(types)),
            )
        )
        return bool(self._conn.execute(query).scalar_one())


def _model(row: sa.RowMapping) -> StoredModel:
    return StoredModel(
        id=row["id"],
        stage=Stage(row["stage"]),
        version=row["version"],
        model=row["model"],
        decisions=row["decisions"],
        last_event_id=row["last_event_id"],
        trained_at=as_utc(row["trained_at"]),
        phase=RankingPhase(row["phase"] or RankingPhase.MODEL.value),
        records=row["records"],
    )
