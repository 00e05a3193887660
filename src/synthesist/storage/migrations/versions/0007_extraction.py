"""Data extraction: values per study, field and reviewer; consensus values; verification flags.

A reviewer holds at most one current value per study and field (``extraction_values`` is keyed
by study, field and reviewer); earlier values live only in the event log. The agreed value of a
field, when two extractions disagree or a flag was resolved, is one row in
``extraction_consensus``. A verifier's flag on a field stays after it is resolved (with who
resolved it, when and how); at most one flag per study and field is open (a partial unique
index). ``extraction_progress`` holds who marked a study complete, and in which role.

Field names are the names in review.toml's [extraction] form, not foreign keys: the form lives in
the protocol file, and renaming a field there leaves the old values readable rather than lost.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-09
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "extraction_values",
        sa.Column("study_id", sa.Integer, nullable=False),
        sa.Column("field", sa.String(100), nullable=False),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("study_id", "field", "reviewer", name="pk_extraction_values"),
        sa.ForeignKeyConstraint(["study_id"], ["studies.id"], name="fk_extraction_values_study_id_studies"),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_extraction_values_project_id_projects"
        ),
        sa.CheckConstraint(
            "source IN ('entered', 'imported', 'corrected')",
            name=op.f("ck_extraction_values_source"),
        ),
    )
    op.create_index("ix_extraction_values_project_id", "extraction_values", ["project_id"])
    op.create_table(
        "extraction_consensus",
        sa.Column("study_id", sa.Integer, nullable=False),
        sa.Column("field", sa.String(100), nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("resolved_by", sa.Text, nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text),
        sa.PrimaryKeyConstraint("study_id", "field", name="pk_extraction_consensus"),
        sa.ForeignKeyConstraint(
            ["study_id"], ["studies.id"], name="fk_extraction_consensus_study_id_studies"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_extraction_consensus_project_id_projects"
        ),
    )
    op.create_index("ix_extraction_consensus_project_id", "extraction_consensus", ["project_id"])
    op.create_table(
        "extraction_flags",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("study_id", sa.Integer, nullable=False),
        sa.Column("field", sa.String(100), nullable=False),
        sa.Column("flagged_by", sa.Text, nullable=False),
        sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("suggested_value", sa.Text),
        sa.Column("resolved_by", sa.Text),
        sa.Column("resolved_at", sa.DateTime(timezone=True)),
        sa.Column("resolution", sa.String(20)),
        sa.PrimaryKeyConstraint("id", name="pk_extraction_flags"),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_extraction_flags_project_id_projects"
        ),
        sa.ForeignKeyConstraint(["study_id"], ["studies.id"], name="fk_extraction_flags_study_id_studies"),
        sa.CheckConstraint(
            "resolution IS NULL OR resolution IN ('corrected', 'kept')",
            name=op.f("ck_extraction_flags_resolution"),
        ),
        sqlite_autoincrement=True,  # flag ids are named in the event log
    )
    op.create_index("ix_extraction_flags_project_id", "extraction_flags", ["project_id"])
    op.create_index("ix_extraction_flags_study_id", "extraction_flags", ["study_id"])
    op.create_index(
        "uq_extraction_flags_one_open",
        "extraction_flags",
        ["study_id", "field"],
        unique=True,
        sqlite_where=sa.text("resolved_at IS NULL"),
        postgresql_where=sa.text("resolved_at IS NULL"),
    )
    op.create_table(
        "extraction_progress",
        sa.Column("study_id", sa.Integer, nullable=False),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("study_id", "reviewer", "role", name="pk_extraction_progress"),
        sa.ForeignKeyConstraint(["study_id"], ["studies.id"], name="fk_extraction_progress_study_id_studies"),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_extraction_progress_project_id_projects"
        ),
        sa.CheckConstraint("role IN ('extractor', 'verifier')", name=op.f("ck_extraction_progress_role")),
    )
    op.create_index("ix_extraction_progress_project_id", "extraction_progress", ["project_id"])


def downgrade() -> None:
    for table in (
        "extraction_progress",
        "extraction_flags",
        "extraction_consensus",
        "extraction_values",
    ):
        op.drop_table(table)
