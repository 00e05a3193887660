"""Migration 0009 (thematic synthesis) goes down and up again on SQLite and PostgreSQL; the
database refuses spans that are empty or reversed and unknown kinds."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from synthesist.services.synthesis.codes import create_code
from synthesist.services.synthesis.coding import apply_code
from synthesist.services.synthesis.documents import add_document
from synthesist.storage import schema
from synthesist.storage.migrate import current_revision, head_revision
from synthesist.workspace import Workspace
from tests.helpers import alembic_config
from tests.synthesis_helpers import FINDINGS

TABLES = {
    "documents",
    "codes",
    "code_history",
    "themes",
    "code_themes",
    "codings",
    "coding_resolutions",
    "memos",
}


def test_the_synthesis_migration_goes_down_and_up_again(workspace: Workspace) -> None:
    engine = workspace.storage.engine
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0008")
    assert current_revision(engine) == "0008"
    tables = set(sa.inspect(engine).get_table_names())
    assert not tables & TABLES
    assert {"studies", "appraisal_answers"} <= tables, "only 0009 and later were undone"
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0009")
    assert set(sa.inspect(engine).get_table_names()) >= TABLES
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), schema.metadata) == []


@pytest.mark.parametrize(
    "values",
    [{"span_start": 5, "span_end": 5}, {"span_start": -1}, {"kind": "summary"}, {"status": "deleted"}],
)
def test_the_database_refuses_impossible_codings(studies: Workspace, values: dict[str, object]) -> None:
    document = add_document(studies, "Cooper 2008", text=FINDINGS)
    create_code(studies, "trust")
    coding = apply_code(studies, document.id, "trust", segment=3, kind="quote")
    with pytest.raises(sa.exc.IntegrityError), studies.storage.engine.begin() as connection:
        connection.execute(schema.codings.update().where(schema.codings.c.id == coding.id).values(**values))
