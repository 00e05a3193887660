"""Accounts get a display name ("Aoife Brennan" for the login "aoife"): what pages and reports show,
and the name a protocol may list the person under, so a login acts as the protocol's reviewer.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as table:
        table.add_column(sa.Column("display_name", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("users") as table:
        table.drop_column("display_name")
