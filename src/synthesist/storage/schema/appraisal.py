"""Critical appraisal: answers and chosen categories."""

from __future__ import annotations

import sqlalchemy as sa

from synthesist.storage.schema.base import Json, metadata

__all__ = ["appraisal_answers", "appraisal_categories"]

# Critical appraisal (migration 0008). Every answer is kept as given (the latest of each reviewer
# counts; status is derived, see synthesist.appraisal.status). Checklist, question and answer ids
# come from checklist data files, so they are plain strings, checked by the service against the
# checklist, not foreign keys. Answer ids appear in the event log, so SQLite must never reuse one.
appraisal_answers = sa.Table(
    "appraisal_answers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("study_id", sa.ForeignKey("studies.id"), nullable=False, index=True),
    sa.Column("checklist", sa.String(80), nullable=False),
    sa.Column("question", sa.String(40), nullable=False),
    sa.Column("reviewer", sa.Text, nullable=False),
    sa.Column("answer", sa.String(40), nullable=False),
    sa.Column("kind", sa.String(12), nullable=False),
    sa.Column("comment", sa.Text),
    sa.Column("quote", sa.Text),
    sa.Column("page", sa.Integer),
    sa.Column("participants", Json, nullable=False),
    sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('appraise', 'verify', 'consensus')", name="kind"),
    sa.CheckConstraint("page IS NULL OR page >= 1", name="page"),
    sqlite_autoincrement=True,
)

# The category chosen for a study, for checklists with alternative sections (MMAT's designs).
appraisal_categories = sa.Table(
    "appraisal_categories",
    metadata,
    sa.Column("study_id", sa.ForeignKey("studies.id"), primary_key=True),
    sa.Column("checklist", sa.String(80), primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("category", sa.String(80), nullable=False),
    sa.Column("chosen_by", sa.Text, nullable=False),
    sa.Column("chosen_at", sa.DateTime(timezone=True), nullable=False),
)
