"""Search runs: live searches of free sources, living updates and citation searches.

One row per run of a strategy on a source: the query as sent, where the next page starts (so an
interrupted run resumes), the hits the source reported, how many records were fetched, already in
the project and imported, and the batch they were imported as.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_runs",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("strategy", sa.Text, nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("query_as_run", sa.Text, nullable=False),
        sa.Column("since", sa.Date),
        sa.Column("max_records", sa.Integer),
        sa.Column("page_size", sa.Integer, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("cursor", sa.Text),
        sa.Column("pages", sa.Integer, nullable=False, server_default="0"),
        sa.Column("total", sa.Integer),
        sa.Column("fetched", sa.Integer, nullable=False, server_default="0"),
        sa.Column("imported", sa.Integer, nullable=False, server_default="0"),
        sa.Column("already_present", sa.Integer, nullable=False, server_default="0"),
        sa.Column("batch_id", sa.Integer),
        sa.Column("message", sa.Text),
        sa.Column("started_by", sa.Text, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_search_runs"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name="fk_search_runs_project_id_projects"),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name="fk_search_runs_batch_id_import_batches"
        ),
        sa.CheckConstraint(
            "status IN ('running', 'interrupted', 'completed')", name=op.f("ck_search_runs_status")
        ),
        sa.CheckConstraint(
            "kind IN ('search', 'update', 'backward', 'forward')", name=op.f("ck_search_runs_kind")
        ),
        sqlite_autoincrement=True,  # run ids name the run folders and appear in the event log
    )
    op.create_index("ix_search_runs_project_id", "search_runs", ["project_id"])


def downgrade() -> None:
    op.drop_index("ix_search_runs_project_id", "search_runs")
    op.drop_table("search_runs")
