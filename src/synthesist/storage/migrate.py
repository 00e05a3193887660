"""Bringing a database to the schema this Synthesist expects (Alembic, run in-process).

An older SQLite ``review.db`` is copied to ``review.db.bak-<revision>-<time>`` before it is migrated,
so a failed or unwanted migration never costs the team its data. A database made by a *newer*
Synthesist is refused rather than touched.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from synthesist.errors import DatabaseError
from synthesist.storage.engine import sqlite_path

__all__ = ["MIGRATIONS_DIR", "current_revision", "head_revision", "upgrade"]

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "the migrations folder has no head revision"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> Path | None:
    """Migrate to the latest schema. Returns the backup file made before migrating, if any."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return None
    scripts = ScriptDirectory.from_config(_config())
    known = {script.revision for script in scripts.walk_revisions()}
    if current is not None and current not in known:
        raise DatabaseError(
            f"the database is at schema revision {current!r}, which this Synthesist does not know",
            hint="It was written by a newer version of Synthesist: upgrade Synthesist to open it.",
        )
    backup = _backup_sqlite(engine, current) if current is not None else None
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return backup


def _backup_sqlite(engine: Engine, revision: str) -> Path | None:
    path = sqlite_path(engine)
    if path is None or not path.exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    backup = path.with_name(f"{path.name}.bak-{revision}-{stamp}")
    # SQLite's online backup copies every committed transaction, including those still in the WAL
    # (a plain file copy would miss them).
    with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(backup)) as target:
        source.backup(target)
    return backup
