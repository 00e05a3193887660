"""Indexes for the log page's filters: a project's events by person and by type, in id order
(``ix_events_project_actor``, ``ix_events_project_type``).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-08
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_project_actor", "events", ["project_id", "actor", "id"])
    op.create_index("ix_events_project_type", "events", ["project_id", "type", "id"])


def downgrade() -> None:
    op.drop_index("ix_events_project_type", "events")
    op.drop_index("ix_events_project_actor", "events")
