"""Schema, migrations and the append-only event log, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from synthesist.errors import DatabaseError
from synthesist.storage import schema
from synthesist.storage.engine import create_database_engine
from synthesist.storage.migrate import current_revision, head_revision, upgrade
from synthesist.workspace import Workspace
from tests.helpers import alembic_config


# These two make `init` migrate an empty database, as a user's would be; elsewhere a new project's
# database is a copy of one the suite migrated once (tests/shared_databases.py).
@pytest.mark.migrate_from_scratch
def test_new_project_is_at_the_latest_revision(workspace: Workspace) -> None:
    assert current_revision(workspace.storage.engine) == head_revision()


@pytest.mark.migrate_from_scratch
def test_migrations_build_exactly_the_schema_the_code_uses(workspace: Workspace) -> None:
    with workspace.storage.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), schema.metadata)
    assert differences == []


@pytest.mark.parametrize("statement", ["UPDATE events SET actor = 'mallory'", "DELETE FROM events"])
def test_the_database_refuses_to_change_the_event_log(workspace: Workspace, statement: str) -> None:
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), workspace.storage.engine.begin() as conn:
        conn.execute(sa.text(statement))
    with workspace.unit_of_work(write=False) as uow:
        assert [event.type for event in uow.events.list()] == ["project.created"]


def test_an_older_sqlite_database_is_backed_up_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / "review.db"
    engine = create_database_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        connection.execute(
            schema.projects.insert().values(key="old", title="Old review", created_at=sa.func.now())
        )
    assert current_revision(engine) == "0001"

    backup = upgrade(engine)

    assert backup is not None and backup.exists() and backup.name.startswith("review.db.bak-0001-")
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        assert connection.execute(sa.select(schema.projects.c.title)).scalar_one() == "Old review"
    old = create_database_engine(f"sqlite:///{backup}")
    assert current_revision(old) == "0001"
    old.dispose()
    engine.dispose()


def test_a_database_from_a_newer_synthesist_is_refused(tmp_path: Path) -> None:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'review.db'}")
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(DatabaseError, match="newer version of Synthesist"):
        upgrade(engine)
    engine.dispose()


def test_sqlite_uses_wal(workspace: Workspace) -> None:
    engine = workspace.storage.engine
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_the_seed_studies_migration_goes_down_and_up_again(workspace: Workspace) -> None:
    engine = workspace.storage.engine
    with workspace.unit_of_work() as uow:
        assert uow.screening.seeds() == []
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0005")
    assert current_revision(engine) == "0005"
    assert "screening_seeds" not in sa.inspect(engine).get_table_names()
    assert "screening_decisions" in sa.inspect(engine).get_table_names(), "only 0006 was undone"
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0006")
    columns = {column["name"] for column in sa.inspect(engine).get_columns("screening_seeds")}
    assert columns == {"record_id", "project_id", "added_by", "added_at", "note"}
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), schema.metadata) == []
