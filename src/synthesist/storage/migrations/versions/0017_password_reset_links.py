"""Password-reset links share the invitations table (single-use, expiring, only the token's SHA-256
stored); ``reset_user_id`` names the account a reset link is for (null for an invitation to join).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("invitations") as table:
        table.add_column(sa.Column("reset_user_id", sa.Integer))
        table.create_foreign_key(
            op.f("fk_invitations_reset_user_id_users"), "users", ["reset_user_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("invitations") as table:
        table.drop_constraint(op.f("fk_invitations_reset_user_id_users"), type_="foreignkey")
        table.drop_column("reset_user_id")
