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
    project_id: int  # 0: bound to no project (a site's accounts, users and sessions only)
    backup: Path | None = None
    owns_engine: bool = True  # False for a view of another Storage's engine (see ``bound_to``)

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

    def bound_to(self, key: str, title: str, *, folder: str | None = None) -> Storage:
        """The same database seen from the project ``key`` (its row made when missing): a site's
        accounts database holds a registry row per review it hosts."""
        project_id = _project_id(self.engine, key, title, create=True, folder=folder, retitle=True)
        return Storage(engine=self.engine, project_id=project_id, owns_engine=False)

    def close(self) -> None:
        if self.owns_engine:
            self.engine.dispose()


def open_storage(url: str, *, project_key: str | None, title: str = "", create: bool = False) -> Storage:
    """Connect, migrate, and find the project's row (create it when ``create``); with no
    ``project_key``, a storage bound to no project (a site's accounts)."""
    engine = create_database_engine(url)
    try:
        backup = upgrade(engine)
        project_id = 0 if project_key is None else _project_id(engine, project_key, title, create)
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


def _project_id(
    engine: Engine, key: str, title: str, create: bool, folder: str | None = None, *, retitle: bool = False
) -> int:
    """The project row's id; ``retitle``: a registry row takes review.toml's title when it differs
    (a title edited by hand, or a registry write that failed after the protocol edit committed)."""
    table = schema.projects
    with engine.begin() as connection:
        found = connection.execute(
            sa.select(table.c.id, table.c.folder, table.c.title).where(table.c.key == key)
        ).first()
        if found is not None:
            changes: dict[str, str] = {}
            if folder is not None and found.folder != folder:
                changes["folder"] = folder
            if retitle and title and found.title != title:
                changes["title"] = title
            if changes:
                connection.execute(table.update().where(table.c.id == found.id).values(**changes))
            return int(found.id)
        if not create:
            raise DatabaseError(
                f"the database has no review project {key!r}",
                hint="project_id in review.toml must match the database; was the database replaced?",
            )
        inserted = connection.execute(
            table.insert()
            .values(key=key, title=title, created_at=datetime.now(UTC), folder=folder)
            .returning(table.c.id)
        )
        return int(inserted.scalar_one())
