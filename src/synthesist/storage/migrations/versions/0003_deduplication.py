"""Deduplication: runs, pair verdicts, and duplicate groups with their members.

A record's membership row is keyed by the record id, so a record is in at most one group; a partial
unique index lets a group have only one primary member. Records themselves are never touched.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "dedup_runs",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("scope", sa.Text, nullable=False),
        sa.Column("started_by", sa.Text, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("settings", Json, nullable=False),
        sa.Column("max_record_id", sa.Integer, nullable=False, server_default="0"),
        sa.Column("records_checked", sa.Integer, nullable=False, server_default="0"),
        sa.Column("candidate_pairs", sa.Integer, nullable=False, server_default="0"),
        sa.Column("duplicate_pairs", sa.Integer, nullable=False, server_default="0"),
        sa.Column("possible_pairs", sa.Integer, nullable=False, server_default="0"),
        sa.Column("groups_created", sa.Integer, nullable=False, server_default="0"),
        sa.Column("groups_grown", sa.Integer, nullable=False, server_default="0"),
        sa.Column("seconds", sa.Float, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name="pk_dedup_runs"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name="fk_dedup_runs_project_id_projects"),
    )
    op.create_index("ix_dedup_runs_project_id", "dedup_runs", ["project_id"])
    op.create_table(
        "duplicate_groups",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("primary_record_id", sa.Integer, nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("run_id", sa.Integer),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filled", Json, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_duplicate_groups"),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_duplicate_groups_project_id_projects"
        ),
        sa.ForeignKeyConstraint(
            ["primary_record_id"], ["records.id"], name="fk_duplicate_groups_primary_record_id_records"
        ),
        sa.ForeignKeyConstraint(["run_id"], ["dedup_runs.id"], name="fk_duplicate_groups_run_id_dedup_runs"),
        sqlite_autoincrement=True,  # a dissolved group's id is never reused (the event log names groups)
    )
    op.create_index("ix_duplicate_groups_project_id", "duplicate_groups", ["project_id"])
    op.create_table(
        "duplicate_members",
        sa.Column("record_id", sa.Integer, nullable=False),
        sa.Column("group_id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("is_primary", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("record_id", name="pk_duplicate_members"),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name="fk_duplicate_members_record_id_records"),
        sa.ForeignKeyConstraint(
            ["group_id"], ["duplicate_groups.id"], name="fk_duplicate_members_group_id_duplicate_groups"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_duplicate_members_project_id_projects"
        ),
    )
    op.create_index("ix_duplicate_members_group_id", "duplicate_members", ["group_id"])
    op.create_index("ix_duplicate_members_project_id", "duplicate_members", ["project_id"])
    op.create_index(
        "uq_duplicate_members_one_primary",
        "duplicate_members",
        ["group_id"],
        unique=True,
        sqlite_where=sa.text("is_primary"),
        postgresql_where=sa.text("is_primary"),
    )
    op.create_table(
        "duplicate_pairs",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("first_record_id", sa.Integer, nullable=False),
        sa.Column("second_record_id", sa.Integer, nullable=False),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("reasons", Json, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("run_id", sa.Integer),
        sa.Column("decided_by", sa.Text),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("note", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_duplicate_pairs"),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_duplicate_pairs_project_id_projects"
        ),
        sa.ForeignKeyConstraint(
            ["first_record_id"], ["records.id"], name="fk_duplicate_pairs_first_record_id_records"
        ),
        sa.ForeignKeyConstraint(
            ["second_record_id"], ["records.id"], name="fk_duplicate_pairs_second_record_id_records"
        ),
        sa.ForeignKeyConstraint(["run_id"], ["dedup_runs.id"], name="fk_duplicate_pairs_run_id_dedup_runs"),
        sa.UniqueConstraint(
            "project_id", "first_record_id", "second_record_id", name="uq_duplicate_pairs_project_records"
        ),
        sa.CheckConstraint("first_record_id < second_record_id", name=op.f("ck_duplicate_pairs_ordered")),
    )
    op.create_index("ix_duplicate_pairs_status", "duplicate_pairs", ["status"])


def downgrade() -> None:
    for table in ("duplicate_pairs", "duplicate_members", "duplicate_groups", "dedup_runs"):
        op.drop_table(table)
