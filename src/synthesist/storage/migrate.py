"""Bringing a database to the schema this Synthesist expects (Alembic, run in-process).

An older SQLite ``review.db`` is copied to ``review.db.bak-<revision>-<time>`` before it is migrated,
so a failed or unwanted migration never costs the team its data. A database made by a *newer*
Synthesist is refused rather than touched.

Every command opens the database, and nearly always it is already up to date. That check reads the
stored revision with one query and the newest revision from the migration files' ``revision`` and
``down_revision`` lines; Alembic itself (a quarter of a second to import) loads only when they differ,
or when the files say something this reading does not follow (a merge, a branch), and then decides.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from synthesist.errors import DatabaseError
from synthesist.storage.engine import sqlite_path

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["MIGRATIONS_DIR", "current_revision", "head_revision", "upgrade"]

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version"  # Alembic's default, which env.py keeps
# `revision = "0012"` / `down_revision = "0011"` (or None), with an optional annotation (`: str | None`)
_REVISION_LINE = re.compile(
    r"""^(revision|down_revision)\s*(?::[^=\n]+)?=\s*(?:None|["']([^"'\n]+)["'])\s*(?:#.*)?$""", re.MULTILINE
)


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "the migrations folder has no head revision"
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_from_files() -> str | None:
    """The newest revision, read from the migration files without Alembic: the one revision that no
    file names as its ``down_revision``. ``None`` when the files are not one simple chain."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        if path.name.startswith("__"):
            continue
        lines = {name: value for name, value in _REVISION_LINE.findall(path.read_text(encoding="utf-8"))}
        if not lines.get("revision") or "down_revision" not in lines:
            return None  # a tuple of parents (a merge), or a form this reading does not know
        revisions.add(lines["revision"])
        if lines["down_revision"]:
            parents.add(lines["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def stored_revision(engine: Engine) -> str | None:
    """The revision the database records, read with plain SQL; ``None`` before the first migration
    (or when it records several, which only a branched history would)."""
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table(VERSION_TABLE):
            return None
        rows = connection.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return str(rows[0]) if len(rows) == 1 else None


def upgrade(engine: Engine) -> Path | None:
    """Migrate to the latest schema. Returns the backup file made before migrating, if any."""
    stored = stored_revision(engine)
    if stored is not None and stored == head_from_files():
        return None  # up to date: nothing of Alembic needed
    from alembic import command
    from alembic.script import ScriptDirectory

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
