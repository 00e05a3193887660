"""The team server (migration 0016): invitations, background jobs, and screening rankings stored
with their model's version so that every web process reads the same order."""

from __future__ import annotations

import sqlalchemy as sa

from synthesist.storage.schema.base import Json, metadata

__all__ = ["invitations", "jobs", "screening_models", "screening_offers", "screening_rankings"]

# A single-use, expiring link to join the site (project_id null) or a review with a role. Only the
# token's SHA-256 is stored, as for sessions: a leaked table opens nothing.
invitations = sa.Table(
    "invitations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), index=True),
    sa.Column("role", sa.String(10)),
    sa.Column("email", sa.Text),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("used_at", sa.DateTime(timezone=True)),
    sa.Column("used_by", sa.ForeignKey("users.id")),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
    # a password-reset link for this account (migration 0017); null for an invitation to join
    sa.Column("reset_user_id", sa.ForeignKey("users.id")),
    sa.CheckConstraint("role IS NULL OR role IN ('owner', 'reviewer', 'viewer')", name="role"),
)

# Long work run by the task queue's workers. The queue (Huey) only carries the job's id; this row is
# what pages show and what survives a restart: status, progress, the cursor a job resumes from, the
# request to cancel, and the result or the reason it failed.
jobs = sa.Table(
    "jobs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("params", Json, nullable=False),
    sa.Column("status", sa.String(12), nullable=False, index=True),
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
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed', 'cancelled')", name="status"),
)

# A screening model trained by a job for one stage; its ranking is stored whole, so the next record
# for any reviewer in any process is a query on it.
screening_models = sa.Table(
    "screening_models",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False),
    sa.Column("stage", sa.String(20), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("model", sa.Text, nullable=False),  # the ranker's name, e.g. "tfidf-logistic"
    sa.Column("decisions", sa.Integer, nullable=False),  # labelled decisions it learnt from
    sa.Column("last_event_id", sa.Integer, nullable=False),  # the log as it stood when trained
    sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("phase", sa.Text),
    sa.UniqueConstraint("project_id", "stage", "version", name="uq_screening_models_version"),
)

screening_rankings = sa.Table(
    "screening_rankings",
    metadata,
    sa.Column("model_id", sa.ForeignKey("screening_models.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("record_id", sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("rank", sa.Integer, nullable=False),
    sa.Column("score", sa.Float),
    sa.Index("ix_screening_rankings_model_rank", "model_id", "rank"),
)

# The record each reviewer was last shown at a stage (migration 0018): a record already shown to as
# many colleagues as it lacks votes is not offered to another reviewer until those offers lapse, so
# a team sharing one ranking does not all read the same record and see their votes refused.
screening_offers = sa.Table(
    "screening_offers",
    metadata,
    sa.Column("project_id", sa.ForeignKey("projects.id"), primary_key=True),
    sa.Column("stage", sa.String(20), primary_key=True),
    sa.Column("reviewer", sa.Text, primary_key=True),
    sa.Column("record_id", sa.ForeignKey("records.id"), nullable=False),
    sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_screening_offers_record", "project_id", "stage", "record_id"),
)
