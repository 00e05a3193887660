"""The record each reviewer was last shown per stage, so that reviewers sharing one stored ranking are
spread over records instead of all reading the same one (``screening_offers``).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screening_offers",
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("record_id", sa.Integer, nullable=False),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_screening_offers_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_screening_offers_record_id_records")
        ),
        sa.PrimaryKeyConstraint("project_id", "stage", "reviewer", name=op.f("pk_screening_offers")),
    )
    op.create_index("ix_screening_offers_record", "screening_offers", ["project_id", "stage", "record_id"])


def downgrade() -> None:
    op.drop_index("ix_screening_offers_record", "screening_offers")
    op.drop_table("screening_offers")
