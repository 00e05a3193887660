"""Tables (SQLAlchemy Core). The schema itself is created and changed only by Alembic migrations;
these definitions must match the latest migration (a test compares them)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

__all__ = [
    "appraisal_answers",
    "appraisal_categories",
    "batches",
    "cerqual_assessments",
    "cerqual_finding_themes",
    "cerqual_findings",
    "cerqual_study_overrides",
    "code_history",
    "code_themes",
    "codes",
    "coding_resolutions",
    "codings",
    "concept_model_links",
    "concept_model_outcomes",
    "dedup_runs",
    "documents",
    "duplicate_groups",
    "duplicate_members",
    "duplicate_pairs",
    "events",
    "extraction_consensus",
    "extraction_flags",
    "extraction_progress",
    "extraction_values",
    "import_rejects",
    "login_limits",
    "memberships",
    "memos",
    "metadata",
    "projects",
    "records",
    "report_pages",
    "reports",
    "retrieval_failures",
    "screening_decisions",
    "screening_seeds",
    "search_runs",
    "studies",
    "study_records",
    "themes",
    "users",
    "web_sessions",
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


class _Jsonb(sa.types.TypeDecorator[Any]):
    """PostgreSQL's JSONB, imported when a PostgreSQL connection first uses it.

    Naming ``JSONB`` here would import SQLAlchemy's whole PostgreSQL dialect (its asyncpg, psycopg and
    pg8000 modules too) into every command of a SQLite project: ~40 ms of start-up for nothing.
    """

    impl = sa.JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        from sqlalchemy.dialects.postgresql import JSONB

        return dialect.type_descriptor(JSONB())


Json = sa.JSON().with_variant(_Jsonb(), "postgresql")


def _partial_unique_index(name: str, *columns: sa.Column[Any], where: sa.ColumnElement[bool]) -> None:
    """A unique index over the rows where ``where`` holds, on both backends.

    PostgreSQL's condition is attached just before a PostgreSQL connection creates the index: giving
    ``postgresql_where`` here would import the PostgreSQL dialect on SQLite projects (see ``_Jsonb``).
    """
    index = sa.Index(name, *columns, unique=True, sqlite_where=where)

    @sa.event.listens_for(index, "before_create")
    def _postgresql_where(_index: sa.Index, connection: sa.Connection, **_kw: Any) -> None:
        if connection.dialect.name == "postgresql":
            index.dialect_options["postgresql"]["where"] = where


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
_partial_unique_index(
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
# A record is settled by consensus once per stage: the guard behind the record lock that the
# screening service takes (two owners resolving one conflict at once cannot both succeed).
_partial_unique_index(
    "uq_screening_decisions_consensus",
    screening_decisions.c.project_id,
    screening_decisions.c.record_id,
    screening_decisions.c.stage,
    where=sa.and_(screening_decisions.c.kind == "consensus", screening_decisions.c.undone_at.is_(None)),
)

# Seed studies: records known to be relevant before screening, for the ranking only. Keyed by the
# record, so a record is a seed at most once; removing one deletes its row (the event log keeps it).
screening_seeds = sa.Table(
    "screening_seeds",
    metadata,
    sa.Column("record_id", sa.ForeignKey("records.id"), primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("added_by", sa.Text, nullable=False),
    sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("note", sa.Text),
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
_partial_unique_index(
    "uq_retrieval_failures_one_active",
    retrieval_failures.c.record_id,
    where=retrieval_failures.c.withdrawn_at.is_(None),
)

# Data extraction (migration 0007). Field names come from review.toml's form, so they are plain
# strings, not foreign keys: renaming a field in the protocol leaves old values readable. A reviewer
# holds one current value per study and field; earlier values live in the event log.
extraction_values = sa.Table(
    "extraction_values",
    metadata,
    sa.Column("study_id", sa.ForeignKey("studies.id"), primary_key=True),
    sa.Column("field", sa.String(100), primary_key=True),
    sa.Column("reviewer", sa.Text, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("value", sa.Text, nullable=False),  # canonical text of the parsed value
    sa.Column("source", sa.String(20), nullable=False),
    sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('entered', 'imported', 'corrected')", name="source"),
)

# The agreed value of a field once a discrepancy or a verifier's flag was resolved.
extraction_consensus = sa.Table(
    "extraction_consensus",
    metadata,
    sa.Column("study_id", sa.ForeignKey("studies.id"), primary_key=True),
    sa.Column("field", sa.String(100), primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("resolved_by", sa.Text, nullable=False),
    sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("note", sa.Text),
)

# A verifier's query on one field; resolved flags are kept (who, when, corrected or kept).
extraction_flags = sa.Table(
    "extraction_flags",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("study_id", sa.ForeignKey("studies.id"), nullable=False, index=True),
    sa.Column("field", sa.String(100), nullable=False),
    sa.Column("flagged_by", sa.Text, nullable=False),
    sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("suggested_value", sa.Text),
    sa.Column("resolved_by", sa.Text),
    sa.Column("resolved_at", sa.DateTime(timezone=True)),
    sa.Column("resolution", sa.String(20)),
    sa.CheckConstraint("resolution IS NULL OR resolution IN ('corrected', 'kept')", name="resolution"),
    sqlite_autoincrement=True,  # flag ids are named in the event log
)
_partial_unique_index(
    "uq_extraction_flags_one_open",
    extraction_flags.c.study_id,
    extraction_flags.c.field,
    where=extraction_flags.c.resolved_at.is_(None),
)

# Who marked a study's extraction complete, as extractor or as verifier.
extraction_progress = sa.Table(
    "extraction_progress",
    metadata,
    sa.Column("study_id", sa.ForeignKey("studies.id"), primary_key=True),
    sa.Column("reviewer", sa.Text, primary_key=True),
    sa.Column("role", sa.String(20), primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('extractor', 'verifier')", name="role"),
)

# Critical appraisal (migration 0008). Every answer is kept as given (the latest of each reviewer
# counts; status is derived, see synthesist.appraisal.status). Checklist, question and answer ids
# come from checklist data files, so they are plain strings, checked by the service against the
# checklist, not foreign keys. Answer ids appear in the event log, so SQLite must never reuse one.
appraisal_answers = sa.Table(
    "appraisal_answers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("study_id", sa.ForeignKey("studies.id"), nullable=False, index=True),
    sa.Column("checklist", sa.String(80), nullable=False),
    sa.Column("question", sa.String(40), nullable=False),
    sa.Column("reviewer", sa.Text, nullable=False),
    sa.Column("answer", sa.String(40), nullable=False),
    sa.Column("kind", sa.String(12), nullable=False),
    sa.Column("comment", sa.Text),
    sa.Column("quote", sa.Text),
    sa.Column("page", sa.Integer),
    sa.Column("participants", Json, nullable=False),
    sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('appraise', 'verify', 'consensus')", name="kind"),
    sa.CheckConstraint("page IS NULL OR page >= 1", name="page"),
    sqlite_autoincrement=True,
)

# The category chosen for a study, for checklists with alternative sections (MMAT's designs).
appraisal_categories = sa.Table(
    "appraisal_categories",
    metadata,
    sa.Column("study_id", sa.ForeignKey("studies.id"), primary_key=True),
    sa.Column("checklist", sa.String(80), primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("category", sa.String(80), nullable=False),
    sa.Column("chosen_by", sa.Text, nullable=False),
    sa.Column("chosen_at", sa.DateTime(timezone=True), nullable=False),
)

# Thematic synthesis (migration 0009; see synthesist.synthesis.model). A document is the findings
# text of one study; its text is replaced only as a whole (a new version, codings re-anchored). Ids
# of documents, codes, themes and codings are named in the event log and in commands, so SQLite must
# never reuse one.
documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("study_id", sa.ForeignKey("studies.id"), nullable=False, index=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("source", sa.String(10), nullable=False),
    sa.Column("report_id", sa.ForeignKey("reports.id")),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("text_sha256", sa.String(64), nullable=False),
    sa.Column("pages", Json, nullable=False),  # [{"number": 5, "start": 0}, ...]
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.Column("added_by", sa.Text, nullable=False),
    sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("replaced_by", sa.Text),
    sa.Column("replaced_at", sa.DateTime(timezone=True)),
    sa.CheckConstraint("source IN ('pdf', 'docx', 'text', 'pasted')", name="source"),
    sqlite_autoincrement=True,
)

# Codes. A merged code keeps its row (merged_into set, no codings left), so its history and old
# events still name something; names are unique within a project.
codes = sa.Table(
    "codes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("definition", sa.Text, nullable=False, server_default=""),
    sa.Column("key_terms", Json, nullable=False),
    sa.Column("merged_into", sa.ForeignKey("codes.id")),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("project_id", "name", name="uq_codes_project_name"),
    sqlite_autoincrement=True,
)

# What happened to a code: created, renamed, defined, merged (into / from), split.
code_history = sa.Table(
    "code_history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("code_id", sa.ForeignKey("codes.id"), nullable=False, index=True),
    sa.Column("action", sa.String(12), nullable=False),
    sa.Column("detail", Json, nullable=False),
    sa.Column("acted_by", sa.Text, nullable=False),
    sa.Column("acted_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("action IN ('created', 'renamed', 'defined', 'merged', 'split')", name="action"),
    sqlite_autoincrement=True,
)

# Descriptive and analytical themes, a tree by parent_id; position orders siblings (matrix columns).
themes = sa.Table(
    "themes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("level", sa.String(12), nullable=False),
    sa.Column("definition", sa.Text, nullable=False, server_default=""),
    sa.Column("key_terms", Json, nullable=False),
    sa.Column("parent_id", sa.ForeignKey("themes.id")),
    sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("project_id", "name", name="uq_themes_project_name"),
    sa.CheckConstraint("level IN ('descriptive', 'analytical')", name="level"),
    sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    sqlite_autoincrement=True,
)

# A code sits under any number of themes.
code_themes = sa.Table(
    "code_themes",
    metadata,
    sa.Column("code_id", sa.ForeignKey("codes.id"), primary_key=True),
    sa.Column("theme_id", sa.ForeignKey("themes.id"), primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("assigned_by", sa.Text, nullable=False),
    sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
)

# One code on one span of one document by one coder. Nothing is deleted: removing, accepting or
# rejecting (a suggestion) stamps the status, so a rejected suggestion is never made again and the
# assistant's agreement can be measured afterwards. coded_text is the text as coded (re-anchoring).
codings = sa.Table(
    "codings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("document_id", sa.ForeignKey("documents.id"), nullable=False, index=True),
    sa.Column("code_id", sa.ForeignKey("codes.id"), nullable=False, index=True),
    sa.Column("span_start", sa.Integer, nullable=False),
    sa.Column("span_end", sa.Integer, nullable=False),
    sa.Column("page", sa.Integer),
    sa.Column("coder", sa.Text, nullable=False),
    sa.Column("kind", sa.String(24), nullable=False),
    sa.Column("origin", sa.String(12), nullable=False),
    sa.Column("anchor", sa.String(12), nullable=False),
    sa.Column("coded_text", sa.Text, nullable=False),
    sa.Column("memo", sa.Text, nullable=False, server_default=""),
    sa.Column("score", sa.Float),  # a suggestion's score
    sa.Column("source_coding_id", sa.ForeignKey("codings.id")),  # the suggestion it was accepted from
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("status_by", sa.Text),
    sa.Column("status_at", sa.DateTime(timezone=True)),
    sa.CheckConstraint("span_start >= 0 AND span_end > span_start", name="span"),
    sa.CheckConstraint("kind IN ('participant_quote', 'author_interpretation')", name="kind"),
    sa.CheckConstraint("origin IN ('human', 'suggested', 'consensus')", name="origin"),
    sa.CheckConstraint("anchor IN ('ok', 'reanchored', 'lost')", name="anchor"),
    sa.CheckConstraint("status IN ('active', 'removed', 'accepted', 'rejected')", name="status"),
    sqlite_autoincrement=True,
)

# Two coders' disagreement on a segment, settled: the code kept (a consensus coding) or dropped.
coding_resolutions = sa.Table(
    "coding_resolutions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("document_id", sa.ForeignKey("documents.id"), nullable=False, index=True),
    sa.Column("code_id", sa.ForeignKey("codes.id"), nullable=False),
    sa.Column("span_start", sa.Integer, nullable=False),
    sa.Column("span_end", sa.Integer, nullable=False),
    sa.Column("coders", Json, nullable=False),  # the two coders, sorted
    sa.Column("outcome", sa.String(4), nullable=False),
    sa.Column("coding_id", sa.ForeignKey("codings.id")),
    sa.Column("decided_by", sa.Text, nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("note", sa.Text),
    sa.CheckConstraint("outcome IN ('keep', 'drop')", name="outcome"),
    sqlite_autoincrement=True,
)

# Memos: dated notes on the project, a document, a code, a theme or a coding.
memos = sa.Table(
    "memos",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("target", sa.String(10), nullable=False),
    sa.Column("target_id", sa.Integer),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("target IN ('project', 'document', 'code', 'theme', 'coding')", name="target"),
    sqlite_autoincrement=True,
)

# GRADE-CERQual (migration 0010; see synthesist.synthesis.cerqual). A finding's contributing studies
# are derived from the coding of its themes; only a reviewer's corrections are stored. Finding ids
# are named in the event log, so SQLite must never reuse one.
cerqual_findings = sa.Table(
    "cerqual_findings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("number", sa.Integer, nullable=False),  # F1, F2...
    sa.Column("statement", sa.Text, nullable=False),
    sa.Column("participants", sa.Integer),  # entered when the extraction has no counts
    sa.Column("participants_note", sa.Text, nullable=False, server_default=""),
    sa.Column("confidence", sa.String(10)),
    sa.Column("confidence_explanation", sa.Text, nullable=False, server_default=""),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("project_id", "number", name="uq_cerqual_findings_project_number"),
    sa.CheckConstraint(
        "confidence IS NULL OR confidence IN ('high', 'moderate', 'low', 'very-low')", name="confidence"
    ),
    sa.CheckConstraint("participants IS NULL OR participants >= 0", name="participants"),
    sqlite_autoincrement=True,
)

cerqual_finding_themes = sa.Table(
    "cerqual_finding_themes",
    metadata,
    sa.Column("finding_id", sa.ForeignKey("cerqual_findings.id"), primary_key=True),
    sa.Column("theme_id", sa.ForeignKey("themes.id"), primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
)

# A study added to (include) or removed from a finding's derived contributing studies, and why.
cerqual_study_overrides = sa.Table(
    "cerqual_study_overrides",
    metadata,
    sa.Column("finding_id", sa.ForeignKey("cerqual_findings.id"), primary_key=True),
    sa.Column("study_id", sa.ForeignKey("studies.id"), primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("include", sa.Boolean, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("decided_by", sa.Text, nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
)

# One assessment per finding and component; an earlier one is in the event log.
cerqual_assessments = sa.Table(
    "cerqual_assessments",
    metadata,
    sa.Column("finding_id", sa.ForeignKey("cerqual_findings.id"), primary_key=True),
    sa.Column("component", sa.String(30), primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("concern", sa.String(10), nullable=False),
    sa.Column("explanation", sa.Text, nullable=False),
    sa.Column("assessed_by", sa.Text, nullable=False),
    sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(
        "component IN ('methodological-limitations', 'coherence', 'adequacy', 'relevance')", name="component"
    ),
    sa.CheckConstraint("concern IN ('none', 'minor', 'moderate', 'serious')", name="concern"),
)

# The conceptual model (migration 0010; see synthesist.synthesis.concept_model): outcomes that are
# not themes, and typed links whose ends are each a theme or an outcome (exactly one: checked).
concept_model_outcomes = sa.Table(
    "concept_model_outcomes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("project_id", "name", name="uq_concept_model_outcomes_project_name"),
    sqlite_autoincrement=True,
)

concept_model_links = sa.Table(
    "concept_model_links",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.ForeignKey("projects.id"), nullable=False, index=True),
    sa.Column("from_theme_id", sa.ForeignKey("themes.id")),
    sa.Column("from_outcome_id", sa.ForeignKey("concept_model_outcomes.id")),
    sa.Column("to_theme_id", sa.ForeignKey("themes.id")),
    sa.Column("to_outcome_id", sa.ForeignKey("concept_model_outcomes.id")),
    sa.Column("type", sa.String(20), nullable=False),
    sa.Column("label", sa.Text, nullable=False, server_default=""),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(from_theme_id IS NULL) <> (from_outcome_id IS NULL)", name="one_source"),
    sa.CheckConstraint("(to_theme_id IS NULL) <> (to_outcome_id IS NULL)", name="one_target"),
    sa.CheckConstraint(
        "type IN ('is-foundation-of', 'leads-to', 'supports', 'influences', 'is-part-of', 'hinders')",
        name="type",
    ),
    sqlite_autoincrement=True,
)

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
