"""Tables (SQLAlchemy Core). The schema itself is created and changed only by Alembic migrations;
these definitions must match the latest migration (a test compares them)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

__all__ = [
    "batches",
    "dedup_runs",
    "duplicate_groups",
    "duplicate_members",
    "duplicate_pairs",
    "events",
    "import_rejects",
    "metadata",
    "projects",
    "records",
    "report_pages",
    "reports",
    "retrieval_failures",
    "screening_decisions",
    "studies",
    "study_records",
]

# Named constraints, so that migrations can refer to them on every backend (taguette's habit).
metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Json = sa.JSON().with_variant(JSONB(), "postgresql")

projects = sa.Table(
    "projects",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(200), nullable=False, unique=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

batches = sa.Table(
    "import_batches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("file_sha256", sa.String(64), nullable=False, index=True),
    sa.Column("format", sa.String(40), nullable=False),
    sa.Column("encoding", sa.String(40)),
    sa.Column("searched_on", sa.Date),
    sa.Column("query", sa.Text),
    sa.Column("other_method", sa.Text),
    sa.Column("imported_by", sa.Text, nullable=False),
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("record_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("reject_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("forced", sa.Boolean, nullable=False, server_default=sa.false()),
)

records = sa.Table(
    "records",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("batch_id", sa.ForeignKey("import_batches.id"), nullable=False, index=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("line", sa.Integer, nullable=False),
    sa.Column("source_record_id", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("authors", Json, nullable=False),
    sa.Column("first_author", sa.Text),
    sa.Column("year", sa.Integer),
    sa.Column("journal", sa.Text),
    sa.Column("volume", sa.Text),
    sa.Column("issue", sa.Text),
    sa.Column("pages", sa.Text),
    sa.Column("doi", sa.Text, index=True),
    sa.Column("pmid", sa.Text, index=True),
    sa.Column("issn", sa.Text),
    sa.Column("abstract", sa.Text),
    sa.Column("keywords", Json, nullable=False),
    sa.Column("language", sa.Text),
    sa.Column("publication_type", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("raw", Json, nullable=False),
    sa.UniqueConstraint("batch_id", "position", name="uq_records_batch_position"),
)

import_rejects = sa.Table(
    "import_rejects",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("batch_id", sa.ForeignKey("import_batches.id"), nullable=False, index=True),
    sa.Column("line", sa.Integer, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("excerpt", sa.Text, nullable=False),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("type", sa.String(80), nullable=False, index=True),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("payload", Json, nullable=False),
)

dedup_runs = sa.Table(
    "dedup_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("scope", sa.Text, nullable=False),
    sa.Column("started_by", sa.Text, nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("settings", Json, nullable=False),
    # records with a higher id are "new" for the next incremental run
    sa.Column("max_record_id", sa.Integer, nullable=False, server_default="0"),
    sa.Column("records_checked", sa.Integer, nullable=False, server_default="0"),
    sa.Column("candidate_pairs", sa.Integer, nullable=False, server_default="0"),
    sa.Column("duplicate_pairs", sa.Integer, nullable=False, server_default="0"),
    sa.Column("possible_pairs", sa.Integer, nullable=False, server_default="0"),
    sa.Column("groups_created", sa.Integer, nullable=False, server_default="0"),
    sa.Column("groups_grown", sa.Integer, nullable=False, server_default="0"),
    sa.Column("seconds", sa.Float, nullable=False, server_default="0"),
)

duplicate_groups = sa.Table(
    "duplicate_groups",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("primary_record_id", sa.ForeignKey("records.id"), nullable=False),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("run_id", sa.ForeignKey("dedup_runs.id")),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # field name -> {"value": ..., "record_id": member it came from}
    sa.Column("filled", Json, nullable=False),
    # Groups are dissolved and re-formed; their ids appear in the event log, so SQLite must never
    # hand a dissolved group's id to a new one (PostgreSQL's sequence never does).
    sqlite_autoincrement=True,
)

# The record id is the primary key: a record is in at most one group by construction, so a duplicate
# always points at its own group's primary and chains or cycles cannot be stored (STYLE.md habit 7).
duplicate_members = sa.Table(
    "duplicate_members",
    metadata,
    sa.Column("record_id", sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("group_id", sa.ForeignKey("duplicate_groups.id"), nullable=False, index=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("is_primary", sa.Boolean, nullable=False),
)
# At most one primary per group, enforced by the database (a partial unique index on both backends).
sa.Index(
    "uq_duplicate_members_one_primary",
    duplicate_members.c.group_id,
    unique=True,
    sqlite_where=duplicate_members.c.is_primary,
    postgresql_where=duplicate_members.c.is_primary,
)

duplicate_pairs = sa.Table(
    "duplicate_pairs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False),
    sa.Column("first_record_id", sa.ForeignKey("records.id"), nullable=False),
    sa.Column("second_record_id", sa.ForeignKey("records.id"), nullable=False),
    sa.Column("outcome", sa.Text, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("reasons", Json, nullable=False),
    sa.Column("status", sa.Text, nullable=False, index=True),
    sa.Column("run_id", sa.ForeignKey("dedup_runs.id")),
    sa.Column("decided_by", sa.Text),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Column("note", sa.Text),
    # the unique constraint also serves as the project_id index
    sa.UniqueConstraint(
        "project_id", "first_record_id", "second_record_id", name="uq_duplicate_pairs_project_records"
    ),
    sa.CheckConstraint("first_record_id < second_record_id", name="ordered"),
)

screening_decisions = sa.Table(
    "screening_decisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("record_id", sa.ForeignKey("records.id"), nullable=False, index=True),
    sa.Column("stage", sa.String(20), nullable=False),
    sa.Column("reviewer", sa.Text, nullable=False),
    sa.Column("vote", sa.String(10), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("labels", Json, nullable=False),
    sa.Column("participants", Json, nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("undone_at", sa.DateTime(timezone=True)),
    sa.Column("undone_by", sa.Text),
    sa.CheckConstraint("vote IN ('include', 'exclude', 'maybe')", name="vote"),
    sa.CheckConstraint("kind IN ('screen', 'verify', 'consensus')", name="kind"),
    sa.CheckConstraint("stage IN ('title-abstract', 'full-text')", name="stage"),
)

# Full texts. A report is one document attached to one record; the same file twice on one record is
# refused by a unique constraint. Report ids appear in the event log and, later, in coded passages,
# so SQLite must never reuse one.
reports = sa.Table(
    "reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("record_id", sa.ForeignKey("records.id"), nullable=False, index=True),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("stored_path", sa.Text, nullable=False),  # relative to the project folder
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("media_type", sa.String(100), nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("page_count", sa.Integer, nullable=False),
    sa.Column("text_status", sa.String(20), nullable=False),
    sa.Column("attached_by", sa.Text, nullable=False),
    sa.Column("attached_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("record_id", "sha256", name="uq_reports_record_sha256"),
    sa.UniqueConstraint("project_id", "stored_path", name="uq_reports_project_stored_path"),
    sa.CheckConstraint("text_status IN ('extracted', 'partial', 'no text')", name="text_status"),
    sqlite_autoincrement=True,
)

# A report's text, one row per page, stored once at attach time so positions in it never move.
report_pages = sa.Table(
    "report_pages",
    metadata,
    sa.Column("report_id", sa.ForeignKey("reports.id"), primary_key=True),
    sa.Column("page", sa.Integer, primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.CheckConstraint("page >= 1", name="page"),
)

studies = sa.Table(
    "studies",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sqlite_autoincrement=True,  # emptied studies are deleted; their ids stay in the event log
)

# Keyed by the record: a record belongs to at most one study, by construction.
study_records = sa.Table(
    "study_records",
    metadata,
    sa.Column("record_id", sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("study_id", sa.ForeignKey("studies.id"), nullable=False, index=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
)

# "Sought but not retrieved" marks; attaching a report later stamps the mark withdrawn (kept).
retrieval_failures = sa.Table(
    "retrieval_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("record_id", sa.ForeignKey("records.id"), nullable=False, index=True),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("marked_by", sa.Text, nullable=False),
    sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
    sa.Column("withdrawn_by", sa.Text),
)
# At most one mark in force per record (a partial unique index on both backends).
sa.Index(
    "uq_retrieval_failures_one_active",
    retrieval_failures.c.record_id,
    unique=True,
    sqlite_where=retrieval_failures.c.withdrawn_at.is_(None),
    postgresql_where=retrieval_failures.c.withdrawn_at.is_(None),
)
