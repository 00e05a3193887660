"""GRADE-CERQual findings and assessments, and the conceptual model."""

from __future__ import annotations

import sqlalchemy as sa

from synthesist.storage.schema.base import metadata

__all__ = [
    "cerqual_assessments",
    "cerqual_finding_themes",
    "cerqual_findings",
    "cerqual_study_overrides",
    "concept_model_links",
    "concept_model_outcomes",
]

# GRADE-CERQual (migration 0010; see synthesist.synthesis.cerqual). A finding's contributing studies
# are derived from the coding of its themes; only a reviewer's corrections are stored. Finding ids
# are named in the event log, so SQLite must never reuse one.
cerqual_findings = sa.Table(
    "cerqual_findings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("number", sa.Integer, nullable=False),  # F1, F2...
    sa.Column("statement", sa.Text, nullable=False),
    sa.Column("participants", sa.Integer),  # entered when the extraction has no counts
    sa.Column("participants_note", sa.Text, nullable=False, server_default=""),
    sa.Column("confidence", sa.String(10)),
    sa.Column("confidence_explanation", sa.Text, nullable=False, server_default=""),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("project_id", "number", name="uq_cerqual_findings_project_number"),
    sa.CheckConstraint(
        "confidence IS NULL OR confidence IN ('high', 'moderate', 'low', 'very-low')", name="confidence"
    ),
    sa.CheckConstraint("participants IS NULL OR participants >= 0", name="participants"),
    sqlite_autoincrement=True,
)

cerqual_finding_themes = sa.Table(
    "cerqual_finding_themes",
    metadata,
    sa.Column("finding_id", sa.ForeignKey("cerqual_findings.id"), primary_key=True),
    sa.Column("theme_id", sa.ForeignKey("themes.id"), primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
)

# A study added to (include) or removed from a finding's derived contributing studies, and why.
cerqual_study_overrides = sa.Table(
    "cerqual_study_overrides",
    metadata,
    sa.Column("finding_id", sa.ForeignKey("cerqual_findings.id"), primary_key=True),
    sa.Column("study_id", sa.ForeignKey("studies.id"), primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("include", sa.Boolean, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("decided_by", sa.Text, nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
)

# One assessment per finding and component; an earlier one is in the event log.
cerqual_assessments = sa.Table(
    "cerqual_assessments",
    metadata,
    sa.Column("finding_id", sa.ForeignKey("cerqual_findings.id"), primary_key=True),
    sa.Column("component", sa.String(30), primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("concern", sa.String(10), nullable=False),
    sa.Column("explanation", sa.Text, nullable=False),
    sa.Column("assessed_by", sa.Text, nullable=False),
    sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(
        "component IN ('methodological-limitations', 'coherence', 'adequacy', 'relevance')", name="component"
    ),
    sa.CheckConstraint("concern IN ('none', 'minor', 'moderate', 'serious')", name="concern"),
)

# The conceptual model (migration 0010; see synthesist.synthesis.concept_model): outcomes that are
# not themes, and typed links whose ends are each a theme or an outcome (exactly one: checked).
concept_model_outcomes = sa.Table(
    "concept_model_outcomes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("project_id", "name", name="uq_concept_model_outcomes_project_name"),
    sqlite_autoincrement=True,
)

concept_model_links = sa.Table(
    "concept_model_links",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("from_theme_id", sa.ForeignKey("themes.id")),
    sa.Column("from_outcome_id", sa.ForeignKey("concept_model_outcomes.id")),
    sa.Column("to_theme_id", sa.ForeignKey("themes.id")),
    sa.Column("to_outcome_id", sa.ForeignKey("concept_model_outcomes.id")),
    sa.Column("type", sa.String(20), nullable=False),
    sa.Column("label", sa.Text, nullable=False, server_default=""),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(from_theme_id IS NULL) <> (from_outcome_id IS NULL)", name="one_source"),
    sa.CheckConstraint("(to_theme_id IS NULL) <> (to_outcome_id IS NULL)", name="one_target"),
    sa.CheckConstraint(
        "type IN ('is-foundation-of', 'leads-to', 'supports', 'influences', 'is-part-of', 'hinders')",
        name="type",
    ),
    sqlite_autoincrement=True,
)
