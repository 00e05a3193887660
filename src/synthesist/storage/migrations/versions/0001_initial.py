"""Initial schema: projects, import batches, records and import rejects.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_projects"),
        sa.UniqueConstraint("key", name="uq_projects_key"),
    )
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
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
        sa.PrimaryKeyConstraint("id", name="pk_import_batches"),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_import_batches_project_id_projects"
        ),
    )
    op.create_index("ix_import_batches_project_id", "import_batches", ["project_id"])
    op.create_index("ix_import_batches_file_sha256", "import_batches", ["file_sha256"])
    op.create_table(
        "records",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("batch_id", sa.Integer, nullable=False),
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
        sa.Column("doi", sa.Text),
        sa.Column("pmid", sa.Text),
        sa.Column("issn", sa.Text),
        sa.Column("abstract", sa.Text),
        sa.Column("keywords", Json, nullable=False),
        sa.Column("language", sa.Text),
        sa.Column("publication_type", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("raw", Json, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_records"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name="fk_records_project_id_projects"),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name="fk_records_batch_id_import_batches"
        ),
        sa.UniqueConstraint("batch_id", "position", name="uq_records_batch_position"),
    )
    op.create_index("ix_records_project_id", "records", ["project_id"])
    op.create_index("ix_records_batch_id", "records", ["batch_id"])
    op.create_index("ix_records_doi", "records", ["doi"])
    op.create_index("ix_records_pmid", "records", ["pmid"])
    op.create_table(
        "import_rejects",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("batch_id", sa.Integer, nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("excerpt", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_import_rejects"),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name="fk_import_rejects_batch_id_import_batches"
        ),
    )
    op.create_index("ix_import_rejects_batch_id", "import_rejects", ["batch_id"])


def downgrade() -> None:
    for table in ("import_rejects", "records", "import_batches", "projects"):
        op.drop_table(table)
