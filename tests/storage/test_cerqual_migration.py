"""Migration 0010 (CERQual findings and the conceptual model) goes down and up again, and its
checks hold on both backends: a link has exactly one source and one target."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from synthesist.storage import schema
from synthesist.storage.migrate import current_revision, head_revision
from synthesist.workspace import Workspace
from tests.helpers import alembic_config

TABLES = {
    "cerqual_findings",
    "cerqual_finding_themes",
    "cerqual_study_overrides",
    "cerqual_assessments",
    "concept_model_outcomes",
    "concept_model_links",
}


def test_0010_goes_down_and_up_again(workspace: Workspace) -> None:
    engine = workspace.storage.engine
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0009")
    assert current_revision(engine) == "0009"
    tables = set(sa.inspect(engine).get_table_names())
    assert not tables & TABLES and "themes" in tables
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    assert current_revision(engine) == head_revision()
    assert set(sa.inspect(engine).get_table_names()) >= TABLES
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), schema.metadata) == []


def test_a_link_has_one_source_and_one_target(workspace: Workspace) -> None:
    with workspace.unit_of_work() as uow:
        outcome = uow.concept_model.add_outcome("Self-management", "", by="tester")
        uow.commit()
    now = datetime.now(UTC)
    with workspace.storage.engine.connect() as connection:
        project_id = connection.execute(sa.select(schema.projects.c.id)).scalar_one()
    row = {"project_id": project_id, "type": "leads-to", "label": "", "created_by": "me", "created_at": now}
    for bad in (
        {"from_outcome_id": outcome, "to_outcome_id": None},  # no target
        {"from_outcome_id": outcome, "from_theme_id": None, "to_outcome_id": outcome, "to_theme_id": None}
        | {"type": "causes"},  # not a type
    ):
        with pytest.raises(sa.exc.IntegrityError), workspace.storage.engine.begin() as connection:
            connection.execute(schema.concept_model_links.insert().values(**(row | bad)))
