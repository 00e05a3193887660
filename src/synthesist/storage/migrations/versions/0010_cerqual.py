"""GRADE-CERQual findings and the conceptual model.

A review finding (``cerqual_findings``) is a summary statement with a number people name it by
(F1, F2...), the reviewer's overall confidence and its explanation, and participants entered by
hand when the extraction has none. It links the themes it summarises (``cerqual_finding_themes``);
its contributing studies are derived from the coding of those themes, so only a reviewer's
corrections are stored (``cerqual_study_overrides``: add or remove a study, with a note). Each of the
four CERQual components has at most one assessment per finding (``cerqual_assessments``).

The conceptual model: outcomes that are not themes (``concept_model_outcomes``) and typed links
(``concept_model_links``) whose ends are each a theme or an outcome — exactly one of the two, a
check says so on both backends.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_COMPONENTS = "'methodological-limitations', 'coherence', 'adequacy', 'relevance'"
_CONCERNS = "'none', 'minor', 'moderate', 'serious'"
_CONFIDENCE = "'high', 'moderate', 'low', 'very-low'"
_LINK_TYPES = "'is-foundation-of', 'leads-to', 'supports', 'influences', 'is-part-of', 'hinders'"


def _fk(table: str, column: str, referred: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{referred}.id"], name=f"fk_{table}_{column}_{referred}")


def upgrade() -> None:
    op.create_table(
        "cerqual_findings",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("statement", sa.Text, nullable=False),
        sa.Column("participants", sa.Integer),
        sa.Column("participants_note", sa.Text, nullable=False, server_default=""),
        sa.Column("confidence", sa.String(10)),
        sa.Column("confidence_explanation", sa.Text, nullable=False, server_default=""),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cerqual_findings"),
        _fk("cerqual_findings", "project_id", "projects"),
        sa.UniqueConstraint("project_id", "number", name="uq_cerqual_findings_project_number"),
        sa.CheckConstraint(
            f"confidence IS NULL OR confidence IN ({_CONFIDENCE})",
            name=op.f("ck_cerqual_findings_confidence"),
        ),
        sa.CheckConstraint(
            "participants IS NULL OR participants >= 0", name=op.f("ck_cerqual_findings_participants")
        ),
        sqlite_autoincrement=True,  # finding ids are named in the event log
    )
    op.create_index("ix_cerqual_findings_project_id", "cerqual_findings", ["project_id"])

    op.create_table(
        "cerqual_finding_themes",
        sa.Column("finding_id", sa.Integer, nullable=False),
        sa.Column("theme_id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("finding_id", "theme_id", name="pk_cerqual_finding_themes"),
        _fk("cerqual_finding_themes", "finding_id", "cerqual_findings"),
        _fk("cerqual_finding_themes", "theme_id", "themes"),
        _fk("cerqual_finding_themes", "project_id", "projects"),
    )
    op.create_index("ix_cerqual_finding_themes_project_id", "cerqual_finding_themes", ["project_id"])

    op.create_table(
        "cerqual_study_overrides",
        sa.Column("finding_id", sa.Integer, nullable=False),
        sa.Column("study_id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("include", sa.Boolean, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("decided_by", sa.Text, nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("finding_id", "study_id", name="pk_cerqual_study_overrides"),
        _fk("cerqual_study_overrides", "finding_id", "cerqual_findings"),
        _fk("cerqual_study_overrides", "study_id", "studies"),
        _fk("cerqual_study_overrides", "project_id", "projects"),
    )
    op.create_index("ix_cerqual_study_overrides_project_id", "cerqual_study_overrides", ["project_id"])

    op.create_table(
        "cerqual_assessments",
        sa.Column("finding_id", sa.Integer, nullable=False),
        sa.Column("component", sa.String(30), nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("concern", sa.String(10), nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("assessed_by", sa.Text, nullable=False),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("finding_id", "component", name="pk_cerqual_assessments"),
        _fk("cerqual_assessments", "finding_id", "cerqual_findings"),
        _fk("cerqual_assessments", "project_id", "projects"),
        sa.CheckConstraint(f"component IN ({_COMPONENTS})", name=op.f("ck_cerqual_assessments_component")),
        sa.CheckConstraint(f"concern IN ({_CONCERNS})", name=op.f("ck_cerqual_assessments_concern")),
    )
    op.create_index("ix_cerqual_assessments_project_id", "cerqual_assessments", ["project_id"])

    op.create_table(
        "concept_model_outcomes",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_concept_model_outcomes"),
        _fk("concept_model_outcomes", "project_id", "projects"),
        sa.UniqueConstraint("project_id", "name", name="uq_concept_model_outcomes_project_name"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_concept_model_outcomes_project_id", "concept_model_outcomes", ["project_id"])

    op.create_table(
        "concept_model_links",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("from_theme_id", sa.Integer),
        sa.Column("from_outcome_id", sa.Integer),
        sa.Column("to_theme_id", sa.Integer),
        sa.Column("to_outcome_id", sa.Integer),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("label", sa.Text, nullable=False, server_default=""),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_concept_model_links"),
        _fk("concept_model_links", "project_id", "projects"),
        _fk("concept_model_links", "from_theme_id", "themes"),
        _fk("concept_model_links", "from_outcome_id", "concept_model_outcomes"),
        _fk("concept_model_links", "to_theme_id", "themes"),
        _fk("concept_model_links", "to_outcome_id", "concept_model_outcomes"),
        sa.CheckConstraint(
            "(from_theme_id IS NULL) <> (from_outcome_id IS NULL)",
            name=op.f("ck_concept_model_links_one_source"),
        ),
        sa.CheckConstraint(
            "(to_theme_id IS NULL) <> (to_outcome_id IS NULL)", name=op.f("ck_concept_model_links_one_target")
        ),
        sa.CheckConstraint(f"type IN ({_LINK_TYPES})", name=op.f("ck_concept_model_links_type")),
        sqlite_autoincrement=True,  # link ids are named in the event log and by remove-link
    )
    op.create_index("ix_concept_model_links_project_id", "concept_model_links", ["project_id"])


def downgrade() -> None:
    for table in (
        "concept_model_links",
        "concept_model_outcomes",
        "cerqual_assessments",
        "cerqual_study_overrides",
        "cerqual_finding_themes",
        "cerqual_findings",
    ):
        op.drop_table(table)
