"""Thematic synthesis: documents, codes, themes, codings, resolutions, memos."""

from __future__ import annotations

import sqlalchemy as sa

from synthesist.storage.schema.base import Json, metadata

__all__ = [
    "code_history",
    "code_themes",
    "codes",
    "coding_resolutions",
    "codings",
    "documents",
    "memos",
    "themes",
]

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
