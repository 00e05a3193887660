"""Login limits: one counter row per (user name, address) and per address.

Replaces ``login_failures`` (one row per failure, counted then inserted): that count-then-insert
was not atomic on PostgreSQL, so simultaneous attempts on one name all saw fewer failures than the
limit. A counter row is taken with one conditional UPDATE, which is atomic on both databases.
Failures in the old table are short-lived (15 minutes) and are not carried over.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_login_failures_name", "login_failures")
    op.drop_table("login_failures")
    op.create_table(
        "login_limits",
        sa.Column("scope", sa.String(10), nullable=False),
        sa.Column("address", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("scope IN ('account', 'address')", name=op.f("ck_login_limits_scope")),
        sa.PrimaryKeyConstraint("scope", "address", "name", name="pk_login_limits"),
    )
    op.create_index("ix_login_limits_window_started_at", "login_limits", ["window_started_at"])


def downgrade() -> None:
    op.drop_index("ix_login_limits_window_started_at", "login_limits")
    op.drop_table("login_limits")
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("address", sa.String(100), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_failures"),
    )
    op.create_index("ix_login_failures_name", "login_failures", ["name"])
