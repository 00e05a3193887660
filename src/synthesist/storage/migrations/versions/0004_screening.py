"""Screening decisions: every reviewer's vote per record and stage, kept as made.

Undoing a decision stamps it undone (who and when); nothing is deleted. The status of a record at a
stage is derived from the active decisions, never stored.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "screening_decisions",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("record_id", sa.Integer, nullable=False),
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
        sa.PrimaryKeyConstraint("id", name="pk_screening_decisions"),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_screening_decisions_project_id_projects"
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name="fk_screening_decisions_record_id_records"
        ),
        sa.CheckConstraint(
            "vote IN ('include', 'exclude', 'maybe')", name=op.f("ck_screening_decisions_vote")
        ),
        sa.CheckConstraint(
            "kind IN ('screen', 'verify', 'consensus')", name=op.f("ck_screening_decisions_kind")
        ),
        sa.CheckConstraint(
            "stage IN ('title-abstract', 'full-text')", name=op.f("ck_screening_decisions_stage")
        ),
    )
    op.create_index("ix_screening_decisions_project_id", "screening_decisions", ["project_id"])
    op.create_index("ix_screening_decisions_record_id", "screening_decisions", ["record_id"])


def downgrade() -> None:
    op.drop_table("screening_decisions")
