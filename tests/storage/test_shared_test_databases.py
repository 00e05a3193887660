"""The suite's own shortcuts keep tests apart: a pooled PostgreSQL database comes back to the next
test as a new copy would be, and one whose schema a test changed is not handed out again."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from synthesist.storage import open_storage, schema
from tests import postgres_databases


def _project_ids(url: str) -> list[int]:
    storage = open_storage(url, project_key="k", title="t", create=True)
    try:
        with storage.engine.connect() as connection:
            return list(connection.execute(sa.select(schema.projects.c.id)).scalars())
    finally:
        storage.close()


def test_a_pooled_database_comes_back_empty_with_its_sequences_restarted(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    with postgres_databases.migrated_database(tmp_path_factory) as first:
        assert _project_ids(first) == [1]
        engine = sa.create_engine(first.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as connection:  # a second project, and a transaction left open
            connection.execute(schema.projects.insert().values(key="b", title="B", created_at=sa.func.now()))
        left_open = engine.connect()
        left_open.begin()
        left_open.execute(schema.projects.insert().values(key="c", title="C", created_at=sa.func.now()))
    with postgres_databases.migrated_database(tmp_path_factory) as second:
        assert second == first, "the emptied database is the one handed out next"
        assert _project_ids(second) == [1]
    left_open.invalidate()  # ended by the pool, which disconnected it
    engine.dispose()


def test_a_database_whose_schema_changed_is_not_reused(tmp_path_factory: pytest.TempPathFactory) -> None:
    with postgres_databases.migrated_database(tmp_path_factory) as changed:
        engine = sa.create_engine(changed.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as connection:
            connection.execute(sa.text("ALTER TABLE projects ADD COLUMN extra integer"))
        engine.dispose()
    with postgres_databases.migrated_database(tmp_path_factory) as fresh:
        assert fresh != changed
        assert _project_ids(fresh) == [1]
