"""Thematic synthesis: documents, codes with their history, themes, codings, resolutions, memos.

A document is the findings text of one study (from a report's pages, a DOCX or text file, or pasted
text), kept whole with its SHA-256 and where each page starts; a new version replaces the text and
bumps ``version``, and the codings on it are re-anchored or flagged by the service. Codes and themes
have project-unique names; a merged code keeps its row (``merged_into``) so its history stays
readable. ``code_history`` records renames, definitions, merges and splits. A coding is one code on
one span (``span_start``/``span_end``, character offsets, end exclusive) by one coder; it is never
deleted: removal, acceptance and rejection (of a suggestion) stamp ``status``. Two coders'
disagreements settled by consensus are ``coding_resolutions``; memos are dated notes on the
project, a document, a code, a theme or a coding.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-11
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def _fk(table: str, column: str, referred: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{referred}.id"], name=f"fk_{table}_{column}_{referred}")


def _common(table: str) -> list[sa.schema.SchemaItem]:
    """The id primary key and the project it belongs to."""
    return [
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
        _fk(table, "project_id", "projects"),
    ]


def upgrade() -> None:
    op.create_table(
        "documents",
        *_common("documents"),
        sa.Column("study_id", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("report_id", sa.Integer),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("pages", _JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("added_by", sa.Text, nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_by", sa.Text),
        sa.Column("replaced_at", sa.DateTime(timezone=True)),
        _fk("documents", "study_id", "studies"),
        _fk("documents", "report_id", "reports"),
        sa.CheckConstraint("source IN ('pdf', 'docx', 'text', 'pasted')", name=op.f("ck_documents_source")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_documents_project_id", "documents", ["project_id"])
    op.create_index("ix_documents_study_id", "documents", ["study_id"])

    op.create_table(
        "codes",
        *_common("codes"),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("definition", sa.Text, nullable=False, server_default=""),
        sa.Column("key_terms", _JSON, nullable=False),
        sa.Column("merged_into", sa.Integer),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("codes", "merged_into", "codes"),
        sa.UniqueConstraint("project_id", "name", name="uq_codes_project_name"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_codes_project_id", "codes", ["project_id"])

    op.create_table(
        "code_history",
        *_common("code_history"),
        sa.Column("code_id", sa.Integer, nullable=False),
        sa.Column("action", sa.String(12), nullable=False),
        sa.Column("detail", _JSON, nullable=False),
        sa.Column("acted_by", sa.Text, nullable=False),
        sa.Column("acted_at", sa.DateTime(timezone=True), nullable=False),
        _fk("code_history", "code_id", "codes"),
        sa.CheckConstraint(
            "action IN ('created', 'renamed', 'defined', 'merged', 'split')",
            name=op.f("ck_code_history_action"),
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_code_history_project_id", "code_history", ["project_id"])
    op.create_index("ix_code_history_code_id", "code_history", ["code_id"])

    op.create_table(
        "themes",
        *_common("themes"),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("level", sa.String(12), nullable=False),
        sa.Column("definition", sa.Text, nullable=False, server_default=""),
        sa.Column("key_terms", _JSON, nullable=False),
        sa.Column("parent_id", sa.Integer),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("themes", "parent_id", "themes"),
        sa.UniqueConstraint("project_id", "name", name="uq_themes_project_name"),
        sa.CheckConstraint("level IN ('descriptive', 'analytical')", name=op.f("ck_themes_level")),
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name=op.f("ck_themes_not_own_parent")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_themes_project_id", "themes", ["project_id"])

    op.create_table(
        "code_themes",
        sa.Column("code_id", sa.Integer, nullable=False),
        sa.Column("theme_id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("assigned_by", sa.Text, nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code_id", "theme_id", name="pk_code_themes"),
        _fk("code_themes", "code_id", "codes"),
        _fk("code_themes", "theme_id", "themes"),
        _fk("code_themes", "project_id", "projects"),
    )
    op.create_index("ix_code_themes_project_id", "code_themes", ["project_id"])

    op.create_table(
        "codings",
        *_common("codings"),
        sa.Column("document_id", sa.Integer, nullable=False),
        sa.Column("code_id", sa.Integer, nullable=False),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
        sa.Column("page", sa.Integer),
        sa.Column("coder", sa.Text, nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("origin", sa.String(12), nullable=False),
        sa.Column("anchor", sa.String(12), nullable=False),
        sa.Column("coded_text", sa.Text, nullable=False),
        sa.Column("memo", sa.Text, nullable=False, server_default=""),
        sa.Column("score", sa.Float),
        sa.Column("source_coding_id", sa.Integer),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_by", sa.Text),
        sa.Column("status_at", sa.DateTime(timezone=True)),
        _fk("codings", "document_id", "documents"),
        _fk("codings", "code_id", "codes"),
        _fk("codings", "source_coding_id", "codings"),
        sa.CheckConstraint("span_start >= 0 AND span_end > span_start", name=op.f("ck_codings_span")),
        sa.CheckConstraint(
            "kind IN ('participant_quote', 'author_interpretation')", name=op.f("ck_codings_kind")
        ),
        sa.CheckConstraint("origin IN ('human', 'suggested', 'consensus')", name=op.f("ck_codings_origin")),
        sa.CheckConstraint("anchor IN ('ok', 'reanchored', 'lost')", name=op.f("ck_codings_anchor")),
        sa.CheckConstraint(
            "status IN ('active', 'removed', 'accepted', 'rejected')", name=op.f("ck_codings_status")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_codings_project_id", "codings", ["project_id"])
    op.create_index("ix_codings_document_id", "codings", ["document_id"])
    op.create_index("ix_codings_code_id", "codings", ["code_id"])

    op.create_table(
        "coding_resolutions",
        *_common("coding_resolutions"),
        sa.Column("document_id", sa.Integer, nullable=False),
        sa.Column("code_id", sa.Integer, nullable=False),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
        sa.Column("coders", _JSON, nullable=False),
        sa.Column("outcome", sa.String(4), nullable=False),
        sa.Column("coding_id", sa.Integer),
        sa.Column("decided_by", sa.Text, nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text),
        _fk("coding_resolutions", "document_id", "documents"),
        _fk("coding_resolutions", "code_id", "codes"),
        _fk("coding_resolutions", "coding_id", "codings"),
        sa.CheckConstraint("outcome IN ('keep', 'drop')", name=op.f("ck_coding_resolutions_outcome")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_coding_resolutions_project_id", "coding_resolutions", ["project_id"])
    op.create_index("ix_coding_resolutions_document_id", "coding_resolutions", ["document_id"])

    op.create_table(
        "memos",
        *_common("memos"),
        sa.Column("target", sa.String(10), nullable=False),
        sa.Column("target_id", sa.Integer),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "target IN ('project', 'document', 'code', 'theme', 'coding')", name=op.f("ck_memos_target")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_memos_project_id", "memos", ["project_id"])


def downgrade() -> None:
    for table in (
        "memos",
        "coding_resolutions",
        "codings",
        "code_themes",
        "themes",
        "code_history",
        "codes",
        "documents",
    ):
        op.drop_table(table)
