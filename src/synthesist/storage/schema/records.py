"""Projects, import batches, records and their rejects, the event log, deduplication, and live search runs."""

from __future__ import annotations

import sqlalchemy as sa

from synthesist.storage.schema.base import Json, metadata, partial_unique_index

__all__ = [
    "batches",
    "dedup_runs",
    "duplicate_groups",
    "duplicate_members",
    "duplicate_pairs",
    "events",
    "import_rejects",
    "projects",
    "records",
    "search_runs",
]

projects = sa.Table(
    "projects",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(200), nullable=False, unique=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # on a site's database: the review's folder, relative to the site's folder (migration 0016)
    sa.Column("folder", sa.Text),
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
    # the log page filters a project's events by person or by type and pages them newest first
    # (events/query.py): each filter reads its own index in id order instead of scanning the project
    sa.Index("ix_events_project_actor", "project_id", "actor", "id"),
    sa.Index("ix_events_project_type", "project_id", "type", "id"),
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
partial_unique_index(
    "uq_duplicate_members_one_primary",
    duplicate_members.c.group_id,
    where=duplicate_members.c.is_primary,
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

# Live searches of free sources, living updates and citation searches (migration 0012). A run's
# pages are kept in the project folder (search/runs/<id>/); the row keeps where the next page
# starts, so an interrupted run resumes, and the batch its records were imported as once complete.
search_runs = sa.Table(
    "search_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
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
    sa.Column("batch_id", sa.ForeignKey("import_batches.id")),
    sa.Column("message", sa.Text),
    sa.Column("started_by", sa.Text, nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.CheckConstraint("status IN ('running', 'interrupted', 'completed')", name="status"),
    sa.CheckConstraint("kind IN ('search', 'update', 'backward', 'forward')", name="kind"),
    sqlite_autoincrement=True,
)
