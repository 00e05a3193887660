"""A record is settled by consensus at most once per stage: a partial unique index.

Before this, two owners resolving one conflict at the same moment on PostgreSQL could both store a
consensus (the check and the insert were not under one lock). Where a database already holds more
than one active consensus on a record at a stage, the latest one is what the record's status used;
the earlier ones are marked undone (kept in the history, named as superseded by this migration) so
that the index can be built and the status stays as it was.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_ACTIVE_CONSENSUS = sa.text("kind = 'consensus' AND undone_at IS NULL")
_SUPERSEDED = "superseded by a later consensus (migration 0014)"


def upgrade() -> None:
    decisions = sa.table(
        "screening_decisions",
        sa.column("id", sa.Integer),
        sa.column("project_id", sa.Integer),
        sa.column("record_id", sa.Integer),
        sa.column("stage", sa.String),
        sa.column("kind", sa.String),
        sa.column("decided_at", sa.DateTime(timezone=True)),
        sa.column("undone_at", sa.DateTime(timezone=True)),
        sa.column("undone_by", sa.Text),
    )
    connection = op.get_bind()
    active = connection.execute(
        sa.select(decisions.c.id, decisions.c.project_id, decisions.c.record_id, decisions.c.stage,
                  decisions.c.decided_at)
        .where(decisions.c.kind == "consensus", decisions.c.undone_at.is_(None))
        .order_by(decisions.c.id)
    ).all()  # fmt: skip
    latest: dict[tuple[int, int, str], int] = {}
    for row in active:
        latest[(row.project_id, row.record_id, row.stage)] = row.id
    for row in active:
        if latest[(row.project_id, row.record_id, row.stage)] != row.id:
            connection.execute(
                decisions.update()
                .where(decisions.c.id == row.id)
                .values(undone_at=row.decided_at, undone_by=_SUPERSEDED)
            )
    op.create_index(
        "uq_screening_decisions_consensus",
        "screening_decisions",
        ["project_id", "record_id", "stage"],
        unique=True,
        sqlite_where=_ACTIVE_CONSENSUS,
        postgresql_where=_ACTIVE_CONSENSUS,
    )


def downgrade() -> None:
    op.drop_index("uq_screening_decisions_consensus", "screening_decisions")
