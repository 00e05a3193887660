"""The team server: a site's registry of review folders, e-mail addresses and site administrators,
invitations, background jobs, and stored screening rankings.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from synthesist.storage.schema.base import Json

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("projects") as table:
        table.add_column(sa.Column("folder", sa.Text))
    with op.batch_alter_table("users") as table:
        table.add_column(sa.Column("email", sa.Text))
        table.add_column(sa.Column("site_admin", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("project_id", sa.Integer),
        sa.Column("role", sa.String(10)),
        sa.Column("email", sa.Text),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.Column("used_by", sa.Integer),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint(
            "role IS NULL OR role IN ('owner', 'reviewer', 'viewer')", name=op.f("ck_invitations_role")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_invitations_project_id_projects")
        ),
        sa.ForeignKeyConstraint(["used_by"], ["users.id"], name=op.f("fk_invitations_used_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_invitations_token_sha256")),
    )
    op.create_index("ix_invitations_project_id", "invitations", ["project_id"])
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("params", Json, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("progress_done", sa.Integer, nullable=False, server_default="0"),
        sa.Column("progress_total", sa.Integer),
        sa.Column("message", sa.Text),
        sa.Column("cursor", Json),
        sa.Column("result", Json),
        sa.Column("error", sa.Text),
        sa.Column("requested_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True)),
        sa.Column("cancel_requested", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("worker", sa.Text),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed', 'cancelled')",
            name=op.f("ck_jobs_status"),
        ),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name=op.f("fk_jobs_project_id_projects")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    op.create_index("ix_jobs_project_id", "jobs", ["project_id"])
    op.create_index("ix_jobs_status", "jobs", ["status"])
    op.create_table(
        "screening_models",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("decisions", sa.Integer, nullable=False),
        sa.Column("last_event_id", sa.Integer, nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("phase", sa.Text),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_screening_models_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_models")),
        sa.UniqueConstraint("project_id", "stage", "version", name="uq_screening_models_version"),
    )
    op.create_table(
        "screening_rankings",
        sa.Column("model_id", sa.Integer, nullable=False),
        sa.Column("record_id", sa.Integer, nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("score", sa.Float),
        sa.ForeignKeyConstraint(
            ["model_id"],
            ["screening_models.id"],
            name=op.f("fk_screening_rankings_model_id_screening_models"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_screening_rankings_record_id_records")
        ),
        sa.PrimaryKeyConstraint("model_id", "record_id", name=op.f("pk_screening_rankings")),
    )
    op.create_index("ix_screening_rankings_model_rank", "screening_rankings", ["model_id", "rank"])


def downgrade() -> None:
    op.drop_index("ix_screening_rankings_model_rank", "screening_rankings")
    op.drop_table("screening_rankings")
    op.drop_table("screening_models")
    op.drop_index("ix_jobs_status", "jobs")
    op.drop_index("ix_jobs_project_id", "jobs")
    op.drop_table("jobs")
    op.drop_index("ix_invitations_project_id", "invitations")
    op.drop_table("invitations")
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch copy of "projects" or
    # "users" would drop the table that other tables' rows refer to.
    op.drop_column("users", "site_admin")
    op.drop_column("users", "email")
    op.drop_column("projects", "folder")
