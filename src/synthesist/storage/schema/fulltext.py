"""Full texts: reports and their pages, studies, and "not retrieved" marks."""

from __future__ import annotations

import sqlalchemy as sa

from synthesist.storage.schema.base import metadata, partial_unique_index

__all__ = ["report_pages", "reports", "retrieval_failures", "studies", "study_records"]

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
partial_unique_index(
    "uq_retrieval_failures_one_active",
    retrieval_failures.c.record_id,
    where=retrieval_failures.c.withdrawn_at.is_(None),
)
