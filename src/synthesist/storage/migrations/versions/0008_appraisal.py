"""Critical appraisal: every answer to a checklist question, and the category chosen per study.

Answers are kept as given: answering again adds a row, and the latest answer of each reviewer
counts; what is final, in conflict or waiting is derived from them (synthesist.appraisal.status).
Checklist, question and answer ids are plain strings, because checklists are data files, not
tables; the service checks each answer against its checklist before writing. A study has at most
one category per checklist (``appraisal_categories`` is keyed by both).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "appraisal_answers",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("study_id", sa.Integer, nullable=False),
        sa.Column("checklist", sa.String(80), nullable=False),
        sa.Column("question", sa.String(40), nullable=False),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("answer", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("quote", sa.Text),
        sa.Column("page", sa.Integer),
        sa.Column("participants", _JSON, nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_appraisal_answers"),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_appraisal_answers_project_id_projects"
        ),
        sa.ForeignKeyConstraint(["study_id"], ["studies.id"], name="fk_appraisal_answers_study_id_studies"),
        sa.CheckConstraint(
            "kind IN ('appraise', 'verify', 'consensus')", name=op.f("ck_appraisal_answers_kind")
        ),
        sa.CheckConstraint("page IS NULL OR page >= 1", name=op.f("ck_appraisal_answers_page")),
        sqlite_autoincrement=True,  # answer ids are named in the event log
    )
    op.create_index("ix_appraisal_answers_project_id", "appraisal_answers", ["project_id"])
    op.create_index("ix_appraisal_answers_study_id", "appraisal_answers", ["study_id"])
    op.create_table(
        "appraisal_categories",
        sa.Column("study_id", sa.Integer, nullable=False),
        sa.Column("checklist", sa.String(80), nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("category", sa.String(80), nullable=False),
        sa.Column("chosen_by", sa.Text, nullable=False),
        sa.Column("chosen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("study_id", "checklist", name="pk_appraisal_categories"),
        sa.ForeignKeyConstraint(
            ["study_id"], ["studies.id"], name="fk_appraisal_categories_study_id_studies"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name="fk_appraisal_categories_project_id_projects"
        ),
    )
    op.create_index("ix_appraisal_categories_project_id", "appraisal_categories", ["project_id"])


def downgrade() -> None:
    for table in ("appraisal_categories", "appraisal_answers"):
        op.drop_table(table)
