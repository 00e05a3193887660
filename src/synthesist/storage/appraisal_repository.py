"""Appraisal answers (``appraisal_answers``) and the category chosen per study
(``appraisal_categories``), scoped to one project."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from synthesist.appraisal.model import AnswerKind, NewAnswer, StoredAnswer, StudyCategory
from synthesist.storage import schema
from synthesist.storage.clock import as_utc as _aware
from synthesist.storage.clock import utc_now as _now

__all__ = ["SqlAppraisalRepository"]

_CHUNK = 500  # ids per IN (...) list


class SqlAppraisalRepository:
    def __init__(self, connection: sa.Connection, project_id: int) -> None:
        self._conn = connection
        self._project_id = project_id

    def lock_study(self, study_id: int) -> None:
        """Hold the study's row until the transaction ends, so that appraisers of one study are taken
        in turn (PostgreSQL; on SQLite one write transaction runs at a time already)."""
        table = schema.studies
        self._conn.execute(
            sa.select(table.c.id)
            .where(table.c.id == study_id, table.c.project_id == self._project_id)
            .with_for_update()
        )

    def add_answers(self, answers: Sequence[NewAnswer]) -> builtins.list[int]:
        """Store answers; returns their ids in the order given."""
        table = schema.appraisal_answers
        ids: builtins.list[int] = []
        for answer in answers:
            query = (
                table.insert()
                .values(
                    project_id=self._project_id,
                    study_id=answer.study_id,
                    checklist=answer.checklist,
                    question=answer.question,
                    reviewer=answer.reviewer,
                    answer=answer.answer,
                    kind=answer.kind.value,
                    comment=answer.comment,
                    quote=answer.quote,
                    page=answer.page,
                    participants=list(answer.participants),
                    answered_at=_now(),
                )
                .returning(table.c.id)
            )
            ids.append(int(self._conn.execute(query).scalar_one()))
        return ids

    def answers(self, checklist: str, study_ids: Iterable[int] | None = None) -> builtins.list[StoredAnswer]:
        """Every answer on ``checklist`` (of these studies, or all), oldest first."""
        table = schema.appraisal_answers
        base = sa.select(table).where(table.c.project_id == self._project_id, table.c.checklist == checklist)
        if study_ids is None:
            rows = list(self._conn.execute(base.order_by(table.c.id)))
        else:
            wanted = sorted(set(study_ids))
            rows = []
            for start in range(0, len(wanted), _CHUNK):
                rows += self._conn.execute(base.where(table.c.study_id.in_(wanted[start : start + _CHUNK])))
            rows.sort(key=lambda row: row.id)
        return [_answer(row._mapping) for row in rows]

    def set_category(self, study_id: int, checklist: str, category: str, *, by: str) -> None:
        table = schema.appraisal_categories
        self._conn.execute(
            table.delete().where(
                table.c.study_id == study_id,
                table.c.checklist == checklist,
                table.c.project_id == self._project_id,
            )
        )
        self._conn.execute(
            table.insert().values(
                study_id=study_id,
                checklist=checklist,
                project_id=self._project_id,
                category=category,
                chosen_by=by,
                chosen_at=_now(),
            )
        )

    def categories(self, checklist: str) -> dict[int, StudyCategory]:
        """Study id -> the category chosen for it on ``checklist``."""
        table = schema.appraisal_categories
        query = sa.select(table).where(table.c.project_id == self._project_id, table.c.checklist == checklist)
        return {
            row.study_id: StudyCategory(
                study_id=row.study_id,
                checklist=row.checklist,
                category=row.category,
                chosen_by=row.chosen_by,
                chosen_at=_aware(row.chosen_at),
            )
            for row in self._conn.execute(query)
        }


def _answer(row: sa.RowMapping | dict[str, Any]) -> StoredAnswer:
    return StoredAnswer(
        id=row["id"],
        study_id=row["study_id"],
        checklist=row["checklist"],
        question=row["question"],
        reviewer=row["reviewer"],
        answer=row["answer"],
        kind=AnswerKind(row["kind"]),
        answered_at=_aware(row["answered_at"]),
        comment=row["comment"],
        quote=row["quote"],
        page=row["page"],
        participants=tuple(row["participants"]),
    )
