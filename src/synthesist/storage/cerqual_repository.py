"""GRADE-CERQual findings with their themes, study corrections and assessments, and the conceptual
model's outcomes and links, scoped to one project (migration 0010). The services check everything
before they write; this module only stores and reads."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from synthesist.errors import NotFound
from synthesist.storage import schema
from synthesist.storage.clock import as_utc as _aware
from synthesist.storage.clock import utc_now as _now
from synthesist.synthesis.cerqual import (
    Assessment,
    Component,
    Concern,
    Confidence,
    Finding,
    StudyOverride,
)
from synthesist.synthesis.concept_model import Link, NodeRef, Outcome

__all__ = ["SqlCerqualRepository", "SqlConceptModelRepository"]


class SqlCerqualRepository:
    def __init__(self, connection: sa.Connection, project_id: int) -> None:
        self._conn = connection
        self._project_id = project_id

    def _mine(self, table: sa.Table) -> Any:
        return table.c.project_id == self._project_id

    def next_number(self) -> int:
        table = schema.cerqual_findings
        highest = self._conn.execute(sa.select(sa.func.max(table.c.number)).where(self._mine(table))).scalar()
        return int(highest or 0) + 1

    def add_finding(self, number: int, statement: str, theme_ids: Sequence[int], *, by: str) -> int:
        table = schema.cerqual_findings
        query = (
            table.insert()
            .values(
                project_id=self._project_id,
                number=number,
                statement=statement,
                created_by=by,
                created_at=_now(),
            )
            .returning(table.c.id)
        )
        finding_id = int(self._conn.execute(query).scalar_one())
        self.set_themes(finding_id, theme_ids)
        return finding_id

    def set_themes(self, finding_id: int, theme_ids: Sequence[int]) -> None:
        table = schema.cerqual_finding_themes
        self._conn.execute(table.delete().where(table.c.finding_id == finding_id, self._mine(table)))
        for theme_id in dict.fromkeys(theme_ids):
            self._conn.execute(
                table.insert().values(finding_id=finding_id, theme_id=theme_id, project_id=self._project_id)
            )

    def _update(self, finding_id: int, **values: Any) -> None:
        table = schema.cerqual_findings
        self._conn.execute(table.update().where(table.c.id == finding_id, self._mine(table)).values(**values))

    def set_statement(self, finding_id: int, statement: str) -> None:
        self._update(finding_id, statement=statement)

    def set_confidence(self, finding_id: int, confidence: Confidence | None, explanation: str) -> None:
        self._update(
            finding_id,
            confidence=confidence.value if confidence else None,
            confidence_explanation=explanation,
        )

    def set_participants(self, finding_id: int, participants: int | None, note: str) -> None:
        self._update(finding_id, participants=participants, participants_note=note)

    def set_override(self, finding_id: int, study_id: int, *, include: bool, note: str, by: str) -> None:
        self.clear_override(finding_id, study_id)
        self._conn.execute(
            schema.cerqual_study_overrides.insert().values(
                finding_id=finding_id,
                study_id=study_id,
                project_id=self._project_id,
                include=include,
                note=note,
                decided_by=by,
                decided_at=_now(),
            )
        )

    def clear_override(self, finding_id: int, study_id: int) -> bool:
        table = schema.cerqual_study_overrides
        result = self._conn.execute(
            table.delete().where(
                table.c.finding_id == finding_id, table.c.study_id == study_id, self._mine(table)
            )
        )
        return bool(result.rowcount)

    def set_assessment(
        self, finding_id: int, component: Component, concern: Concern, explanation: str, *, by: str
    ) -> None:
        table = schema.cerqual_assessments
        self._conn.execute(
            table.delete().where(
                table.c.finding_id == finding_id, table.c.component == component.value, self._mine(table)
            )
        )
        self._conn.execute(
            table.insert().values(
                finding_id=finding_id,
                component=component.value,
                project_id=self._project_id,
                concern=concern.value,
                explanation=explanation,
                assessed_by=by,
                assessed_at=_now(),
            )
        )

    def findings(self) -> builtins.list[Finding]:
        """Every finding, by number, with its themes, study corrections and assessments."""
        table = schema.cerqual_findings
        rows = list(self._conn.execute(sa.select(table).where(self._mine(table)).order_by(table.c.number)))
        themes: dict[int, list[int]] = {}
        links = schema.cerqual_finding_themes
        for row in self._conn.execute(sa.select(links).where(self._mine(links)).order_by(links.c.theme_id)):
            themes.setdefault(row.finding_id, []).append(row.theme_id)
        overrides: dict[int, list[StudyOverride]] = {}
        changes = schema.cerqual_study_overrides
        for row in self._conn.execute(
            sa.select(changes).where(self._mine(changes)).order_by(changes.c.study_id)
        ):
            overrides.setdefault(row.finding_id, []).append(
                StudyOverride(row.study_id, bool(row.include), row.note, row.decided_by)
            )
        assessed: dict[int, dict[Component, Assessment]] = {}
        table_a = schema.cerqual_assessments
        for row in self._conn.execute(sa.select(table_a).where(self._mine(table_a))):
            component = Component(row.component)
            assessed.setdefault(row.finding_id, {})[component] = Assessment(
                component, Concern(row.concern), row.explanation, row.assessed_by, _aware(row.assessed_at)
            )
        return [
            Finding(
                id=row.id,
                number=row.number,
                statement=row.statement,
                theme_ids=tuple(themes.get(row.id, ())),
                overrides=tuple(overrides.get(row.id, ())),
                participants=row.participants,
                participants_note=row.participants_note,
                assessments={c: assessed[row.id][c] for c in Component if c in assessed.get(row.id, {})},
                confidence=Confidence(row.confidence) if row.confidence else None,
                confidence_explanation=row.confidence_explanation,
                created_by=row.created_by,
                created_at=_aware(row.created_at),
            )
            for row in rows
        ]

    def get_finding(self, finding_id: int) -> Finding:
        for finding in self.findings():
            if finding.id == finding_id:
                return finding
        raise NotFound(f"no review finding with id {finding_id}")


class SqlConceptModelRepository:
    def __init__(self, connection: sa.Connection, project_id: int) -> None:
        self._conn = connection
        self._project_id = project_id

    def add_outcome(self, name: str, description: str, *, by: str) -> int:
        table = schema.concept_model_outcomes
        query = (
            table.insert()
            .values(
                project_id=self._project_id,
                name=name,
                description=description,
                created_by=by,
                created_at=_now(),
            )
            .returning(table.c.id)
        )
        return int(self._conn.execute(query).scalar_one())

    def outcomes(self) -> builtins.list[Outcome]:
        table = schema.concept_model_outcomes
        query = sa.select(table).where(table.c.project_id == self._project_id).order_by(table.c.id)
        return [Outcome(row.id, row.name, row.description) for row in self._conn.execute(query)]

    def remove_outcome(self, outcome_id: int) -> None:
        table = schema.concept_model_outcomes
        self._conn.execute(
            table.delete().where(table.c.id == outcome_id, table.c.project_id == self._project_id)
        )

    def add_link(self, source: NodeRef, target: NodeRef, kind: str, label: str, *, by: str) -> int:
        table = schema.concept_model_links
        query = (
            table.insert()
            .values(
                project_id=self._project_id,
                from_theme_id=source.theme_id,
                from_outcome_id=source.outcome_id,
                to_theme_id=target.theme_id,
                to_outcome_id=target.outcome_id,
                type=kind,
                label=label,
                created_by=by,
                created_at=_now(),
            )
            .returning(table.c.id)
        )
        return int(self._conn.execute(query).scalar_one())

    def links(self) -> builtins.list[Link]:
        table = schema.concept_model_links
        query = sa.select(table).where(table.c.project_id == self._project_id).order_by(table.c.id)
        return [
            Link(
                row.id,
                NodeRef(row.from_theme_id, row.from_outcome_id),
                NodeRef(row.to_theme_id, row.to_outcome_id),
                row.type,
                row.label,
            )
            for row in self._conn.execute(query)
        ]

    def remove_link(self, link_id: int) -> None:
        table = schema.concept_model_links
        self._conn.execute(
            table.delete().where(table.c.id == link_id, table.c.project_id == self._project_id)
        )

    def clear(self) -> None:
        """Remove every link and outcome (loading a model file replaces the model)."""
        for table in (schema.concept_model_links, schema.concept_model_outcomes):
            self._conn.execute(table.delete().where(table.c.project_id == self._project_id))
