"""Data extraction: values, consensus, verifiers' flags, progress."""

from __future__ import annotations

import sqlalchemy as sa

from synthesist.storage.schema.base import metadata, partial_unique_index

__all__ = ["extraction_consensus", "extraction_flags", "extraction_progress", "extraction_values"]

# Data extraction (migration 0007). Field names come from review.toml's form, so they are plain
# strings, not foreign keys: renaming a field in the protocol leaves old values readable. A reviewer
# holds one current value per study and field; earlier values live in the event log.
extraction_values = sa.Table(
    "extraction_values",
    metadata,
    sa.Column("study_id", sa.ForeignKey("studies.id"), primary_key=True),
    sa.Column("field", sa.String(100), primary_key=True),
    sa.Column("reviewer", sa.Text, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("value", sa.Text, nullable=False),  # canonical text of the parsed value
    sa.Column("source", sa.String(20), nullable=False),
    sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('entered', 'imported', 'corrected')", name="source"),
)

# The agreed value of a field once a discrepancy or a verifier's flag was resolved.
extraction_consensus = sa.Table(
    "extraction_consensus",
    metadata,
    sa.Column("study_id", sa.ForeignKey("studies.id"), primary_key=True),
    sa.Column("field", sa.String(100), primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("resolved_by", sa.Text, nullable=False),
    sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("note", sa.Text),
)

# A verifier's query on one field; resolved flags are kept (who, when, corrected or kept).
extraction_flags = sa.Table(
    "extraction_flags",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("study_id", sa.ForeignKey("studies.id"), nullable=False, index=True),
    sa.Column("field", sa.String(100), nullable=False),
    sa.Column("flagged_by", sa.Text, nullable=False),
    sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("suggested_value", sa.Text),
    sa.Column("resolved_by", sa.Text),
    sa.Column("resolved_at", sa.DateTime(timezone=True)),
    sa.Column("resolution", sa.String(20)),
    sa.CheckConstraint("resolution IS NULL OR resolution IN ('corrected', 'kept')", name="resolution"),
    sqlite_autoincrement=True,  # flag ids are named in the event log
)
partial_unique_index(
    "uq_extraction_flags_one_open",
    extraction_flags.c.study_id,
    extraction_flags.c.field,
    where=extraction_flags.c.resolved_at.is_(None),
)

# Who marked a study's extraction complete, as extractor or as verifier.
extraction_progress = sa.Table(
    "extraction_progress",
    metadata,
    sa.Column("study_id", sa.ForeignKey("studies.id"), primary_key=True),
    sa.Column("reviewer", sa.Text, primary_key=True),
    sa.Column("role", sa.String(20), primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('extractor', 'verifier')", name="role"),
)
