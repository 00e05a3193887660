"""Migration 0007 (data extraction) goes down and up again; the database keeps its invariants."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from synthesist.extraction.model import Resolution, ValueSource
from synthesist.services.extraction.values import set_value
from synthesist.storage import schema
from synthesist.storage.migrate import current_revision, head_revision
from synthesist.workspace import Workspace
from tests.helpers import alembic_config

TABLES = {"extraction_values", "extraction_consensus", "extraction_flags", "extraction_progress"}


def test_the_extraction_migration_goes_down_and_up_again(studies: Workspace) -> None:
    set_value(studies, "Cooper 2008", "country", "Scotland")
    engine = studies.storage.engine
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0006")
    assert current_revision(engine) == "0006"
    tables = set(sa.inspect(engine).get_table_names())
    assert not tables & TABLES
    assert {"studies", "study_records", "screening_seeds"} <= tables, "only 0007 and later were undone"
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0007")
    assert set(sa.inspect(engine).get_table_names()) >= TABLES
    columns = {column["name"] for column in sa.inspect(engine).get_columns("extraction_values")}
    assert columns == {"study_id", "field", "reviewer", "project_id", "value", "source", "entered_at"}
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), schema.metadata) == []


def test_one_open_flag_per_field_and_known_sources_only(studies: Workspace) -> None:
    set_value(studies, "Cooper 2008", "country", "Scotland")
    with studies.unit_of_work() as uow:
        first = uow.extraction.add_flag(1, "country", "check", by="bob", suggested=None)
        connection = uow._connection  # a savepoint, so the transaction survives the refusal
        assert connection is not None
        with pytest.raises(sa.exc.IntegrityError), connection.begin_nested():
            uow.extraction.add_flag(1, "country", "again", by="bob", suggested=None)
        uow.extraction.resolve_flag(first, Resolution.KEPT, by="alice")
        uow.extraction.add_flag(1, "country", "again", by="bob", suggested=None)  # the first is closed
        with pytest.raises(sa.exc.IntegrityError), connection.begin_nested():
            connection.execute(schema.extraction_values.update().values(source="guessed"))
        uow.commit()
    with studies.unit_of_work(write=False) as uow:
        assert [(f.note, f.resolution) for f in uow.extraction.flags()] == [
            ("check", Resolution.KEPT),
            ("again", None),
        ]
        assert [v.source for v in uow.extraction.values()] == [ValueSource.ENTERED]
