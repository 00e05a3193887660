"""Accounts for the web app: users, memberships, sessions, login limits."""

from __future__ import annotations

import sqlalchemy as sa

from synthesist.storage.schema.base import metadata

__all__ = ["login_limits", "memberships", "users", "web_sessions"]

# Accounts for the web app (migration 0011). Users belong to the database, not to a project: one
# PostgreSQL database can hold several projects, and a membership gives a user a role in one.
users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    # the name reports and pages show, and the one a protocol may list the person under (issue 19)
    sa.Column("display_name", sa.Text),
    sa.Column("email", sa.Text),  # for invitations and password resets by e-mail (migration 0016)
    # may manage the site: its users, reviews and jobs (migration 0016)
    sa.Column("site_admin", sa.Boolean, nullable=False, server_default=sa.false()),
)

memberships = sa.Table(
    "memberships",
    metadata,
    sa.Column("project_id", sa.ForeignKey("projects.id"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True),
    sa.Column("role", sa.String(10), nullable=False),
    sa.Column("added_by", sa.Text, nullable=False),
    sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('owner', 'reviewer', 'viewer')", name="role"),
)

# The cookie carries a random token; only its SHA-256 is stored, so a leaked table opens no session.
web_sessions = sa.Table(
    "web_sessions",
    metadata,
    sa.Column("token_sha256", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
)

# Login attempts counted per user name and address ("account") and per address ("address", name
# ''), kept in the database so the limit survives restarts and holds across workers (migration
# 0013). One row per counter, so an attempt is taken with one conditional UPDATE, which both
# databases apply atomically (a row lock on PostgreSQL, the write lock on SQLite).
login_limits = sa.Table(
    "login_limits",
    metadata,
    sa.Column("scope", sa.String(10), primary_key=True),
    sa.Column("address", sa.String(100), primary_key=True),
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.CheckConstraint("scope IN ('account', 'address')", name="scope"),
)
