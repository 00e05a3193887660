"""The quick up-to-date check that every command makes on opening the database (no Alembic) agrees
with Alembic's own answer, and hands over to Alembic whenever the database is not up to date."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from synthesist.storage.engine import create_database_engine
from synthesist.storage.migrate import (
    MIGRATIONS_DIR,
    current_revision,
    head_from_files,
    head_revision,
    stored_revision,
    upgrade,
)
from synthesist.workspace import Workspace


def test_the_head_read_from_the_files_is_alembics_head() -> None:
    assert head_from_files() == head_revision()


def test_the_stored_revision_is_alembics_current_revision(workspace: Workspace) -> None:
    engine = workspace.storage.engine
    assert stored_revision(engine) == current_revision(engine) == head_revision()


def test_a_database_never_migrated_has_no_stored_revision_and_is_migrated(tmp_path: Path) -> None:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'review.db'}")
    assert stored_revision(engine) is None
    assert upgrade(engine) is None  # nothing to back up: there was no schema
    assert stored_revision(engine) == head_revision()
    engine.dispose()


def test_an_older_database_is_still_migrated(tmp_path: Path) -> None:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'review.db'}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
    assert stored_revision(engine) == "0003"
    backup = upgrade(engine)
    assert backup is not None and backup.name.startswith("review.db.bak-0003-")
    assert stored_revision(engine) == head_revision()
    engine.dispose()


def test_a_migration_chain_that_is_not_simple_is_left_to_alembic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True)
    (versions / "0001_first.py").write_text('revision = "0001"\ndown_revision = None\n')
    (versions / "0002_second.py").write_text('revision: str = "0002"\ndown_revision: str | None = "0001"\n')
    monkeypatch.setattr("synthesist.storage.migrate.MIGRATIONS_DIR", tmp_path / "migrations")
    assert head_from_files() == "0002"
    (versions / "0003_merge.py").write_text('revision = "0003"\ndown_revision = ("0001", "0002")\n')
    assert head_from_files() is None
    (versions / "0003_merge.py").write_text('revision = "0003"\ndown_revision = "0001"\n')
    assert head_from_files() is None, "two heads (0002 and 0003)"


def test_the_version_table_is_read_with_plain_sql(workspace: Workspace) -> None:
    engine = workspace.storage.engine
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '0001'"))
    assert stored_revision(engine) == "0001"
    with engine.begin() as connection:
        connection.execute(sa.text(f"UPDATE alembic_version SET version_num = '{head_revision()}'"))
