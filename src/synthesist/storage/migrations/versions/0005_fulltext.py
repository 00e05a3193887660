"""Full texts: reports with their text per page, retrieval failures, and studies.

A report is one document attached to one record (the same file twice on one record is refused);
its text is stored page by page when it is attached. A record is in at most one study
(``study_records`` is keyed by record). At most one "not retrieved" mark per record is in force
(a partial unique index); withdrawn marks are kept.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("record_id", sa.Integer, nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("stored_path", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("page_count", sa.Integer, nullable=False),
        sa.Column("text_status", sa.String(20), nullable=False),
        sa.Column("attached_by", sa.Text, nullable=False),
        sa.Column("attached_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reports"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name="fk_reports_project_id_projects"),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name="fk_reports_record_id_records"),
        sa.UniqueConstraint("record_id", "sha256", name="uq_reports_record_sha256"),
        sa.UniqueConstraint("project_id", "stored_path", name="uq_reports_project_stored_path"),
        sa.CheckConstraint(
            "text_status IN ('extracted', 'partial', 'no text')", name=op.f("ck_reports_text_status")
        ),
        sqlite_autoincrement=True,  # report ids are named in the event log and, later, in coding
    )
    op.create_index("ix_reports_project_id", "reports", ["project_id"])
    op.create_index("ix_reports_record_id", "reports", ["record_id"])
    op.create_index("ix_reports_sha256", "reports", ["sha256"])
    op.create_table(
        "report_pages",
        sa.Column("report_id", sa.Integer, nullable=False),
        sa.Column("page", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("report_id", "page", name="pk_report_pages"),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], name="fk_report_pages_report_id_reports"),
        sa.CheckConstraint("page >= 1", name=op.f("ck_report_pages_page")),
    )
    op.create_table(
        "studies",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_studies"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name="fk_studies_project_id_projects"),
        sqlite_autoincrement=True,  # an emptied study is deleted; its id stays in the event log
    )
    op.create_index("ix_studies_project_id", "studies", ["project_id"])
    op.create_table(
        "study_records",
        sa.Column("record_id", sa.Integer, nullable=False),
        sa.Column("study_id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("record_id", name="pk_study_records"),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name="fk_study_records_record_id_records"),
        sa.ForeignKeyConstraint(["study_id"], ["studies.id"], name="fk_study_records_study_id_studies"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name="fk_study_records_project_id_projects"),
    )
    op.create_index("ix_study_records_study_id", "study_records", ["study_id"])
    op.create_index("ix_study_records_project_id", "study_records", ["project_id"])
    op.create_table(
        "retrieval_failures",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("record_id", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("marked_by", sa.Text, nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
        sa.Column("withdrawn_by", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_retrieval_failures"),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_retrieval_failures_project_id_projects"
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name="fk_retrieval_failures_record_id_records"
        ),
    )
    op.create_index("ix_retrieval_failures_project_id", "retrieval_failures", ["project_id"])
    op.create_index("ix_retrieval_failures_record_id", "retrieval_failures", ["record_id"])
    op.create_index(
        "uq_retrieval_failures_one_active",
        "retrieval_failures",
        ["record_id"],
        unique=True,
        sqlite_where=sa.text("withdrawn_at IS NULL"),
        postgresql_where=sa.text("withdrawn_at IS NULL"),
    )


def downgrade() -> None:
    for table in ("retrieval_failures", "study_records", "studies", "report_pages", "reports"):
        op.drop_table(table)
