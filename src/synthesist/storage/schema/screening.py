"""Screening decisions and seed studies."""

from __future__ import annotations

import sqlalchemy as sa

from synthesist.storage.schema.base import Json, metadata, partial_unique_index

__all__ = ["screening_decisions", "screening_seeds"]

screening_decisions = sa.Table(
    "screening_decisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("record_id", sa.ForeignKey("records.id"), nullable=False, index=True),
    sa.Column("stage", sa.String(20), nullable=False),
    sa.Column("reviewer", sa.Text, nullable=False),
    sa.Column("vote", sa.String(10), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("labels", Json, nullable=False),
    sa.Column("participants", Json, nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("undone_at", sa.DateTime(timezone=True)),
    sa.Column("undone_by", sa.Text),
    sa.CheckConstraint("vote IN ('include', 'exclude', 'maybe')", name="vote"),
    sa.CheckConstraint("kind IN ('screen', 'verify', 'consensus')", name="kind"),
    sa.CheckConstraint("stage IN ('title-abstract', 'full-text')", name="stage"),
)
# A record is settled by consensus once per stage: the guard behind the record lock that the
# screening service takes (two owners resolving one conflict at once cannot both succeed).
partial_unique_index(
    "uq_screening_decisions_consensus",
    screening_decisions.c.project_id,
    screening_decisions.c.record_id,
    screening_decisions.c.stage,
    where=sa.and_(screening_decisions.c.kind == "consensus", screening_decisions.c.undone_at.is_(None)),
)

# Seed studies: records known to be relevant before screening, for the ranking only. Keyed by the
# record, so a record is a seed at most once; removing one deletes its row (the event log keeps it).
screening_seeds = sa.Table(
    "screening_seeds",
    metadata,
    sa.Column("record_id", sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("added_by", sa.Text, nullable=False),
    sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("note", sa.Text),
)
