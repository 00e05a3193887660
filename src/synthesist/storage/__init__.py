"""Storage: the only package that imports SQLAlchemy.

:func:`open_storage` connects to a project's database (SQLite file or PostgreSQL URL), brings the
schema up to date (backing up an older SQLite file first) and finds or creates the project's row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from synthesist.errors import DatabaseError
from synthesist.storage import schema
from synthesist.storage.disk_errors import storage_full_error
from synthesist.storage.engine import create_database_engine
from synthesist.storage.migrate import upgrade
from synthesist.storage.unit_of_work import SqlUnitOfWork

__all__ = ["Storage", "open_storage"]


@dataclass
class Storage:
    engine: Engine
    project_id: int
    backup: Path | None = None

    @property
    def display_url(self) -> str:
        """The database address to show a user (password hidden)."""
        return self.engine.url.render_as_string(hide_password=True)

    def unit_of_work(self, *, write: bool = True) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self.project_id, write=write)

    def snapshot(self, target: Path) -> str:
        """A consistent copy of the database in ``target`` (see :mod:`synthesist.storage.snapshots`);
        returns the database kind."""
        from synthesist.storage.snapshots import take_snapshot

        return take_snapshot(self.engine, target)

    def close(self) -> None:
        self.engine.dispose()


def open_storage(url: str, *, project_key: str, title: str, create: bool = False) -> Storage:
    """Connect, migrate, and find the project's row (create it when ``create``)."""
    engine = create_database_engine(url)
    try:
        backup = upgrade(engine)
        project_id = _project_id(engine, project_key, title, create)
    except OperationalError as exc:
        engine.dispose()
        full = storage_full_error(exc, engine)
        if full is not None:
            raise full from None
        raise DatabaseError(
            f"cannot open the database {engine.url.render_as_string(hide_password=True)}: {exc.orig}",
            hint="Check database_url in review.toml or SYNTHESIST_DATABASE_URL, and that the server runs.",
        ) from exc
    except BaseException:
        engine.dispose()
        raise
    return Storage(engine=engine, project_id=project_id, backup=backup)


def _project_id(engine: Engine, key: str, title: str, create: bool) -> int:
    table = schema.projects
    with engine.begin() as connection:
        found = connection.execute(sa.select(table.c.id).where(table.c.key == key)).scalar()
        if found is not None:
            return int(found)
        if not create:
            raise DatabaseError(
                f"the database has no review project {key!r}",
                hint="project_id in review.toml must match the database; was the database replaced?",
            )
        inserted = connection.execute(
            table.insert().values(key=key, title=title, created_at=datetime.now(UTC)).returning(table.c.id)
        )
        return int(inserted.scalar_one())
