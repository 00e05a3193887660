"""Seed studies: records the team knows are relevant before screening, for the ranking only.

A record is a seed at most once (the table is keyed by the record). Removing a seed deletes its
row; the event log keeps who added and removed it, and when.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screening_seeds",
        sa.Column("record_id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("added_by", sa.Text, nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text),
        sa.PrimaryKeyConstraint("record_id", name="pk_screening_seeds"),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name="fk_screening_seeds_record_id_records"),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_screening_seeds_project_id_projects"
        ),
    )
    op.create_index("ix_screening_seeds_project_id", "screening_seeds", ["project_id"])


def downgrade() -> None:
    op.drop_table("screening_seeds")
