"""Migration 0013 (login counters instead of one row per failure) goes down and up again, on SQLite
and PostgreSQL, ending at exactly the schema the code uses."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from synthesist.storage import schema
from synthesist.storage.migrate import current_revision, head_revision
from synthesist.workspace import Workspace
from tests.helpers import alembic_config


def test_the_login_limits_migration_goes_down_and_up_again(workspace: Workspace) -> None:
    engine = workspace.storage.engine
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0012")
    tables = sa.inspect(engine).get_table_names()
    assert "login_failures" in tables and "login_limits" not in tables
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    assert current_revision(engine) == head_revision()
    tables = sa.inspect(engine).get_table_names()
    assert "login_limits" in tables and "login_failures" not in tables
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), schema.metadata) == []
