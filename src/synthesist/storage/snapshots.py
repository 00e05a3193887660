"""A consistent copy of a project's database, and putting one back (``synthesist backup|restore``).

SQLite: the online backup API copies the file page by page under a read transaction, so a server
writing at the same time neither blocks nor tears the copy (a file copy could catch a half-written
page or miss what is still in the WAL). PostgreSQL: ``pg_dump`` in its custom format, restored with
``pg_restore`` into an empty database; both ship with the server, and doing it ourselves would mean
re-implementing their handling of sequences, constraints and large values.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from synthesist.errors import ConverterUnavailable, DatabaseError, UserError
from synthesist.storage.engine import create_database_engine

__all__ = ["database_kind", "restore_snapshot", "take_snapshot"]


def database_kind(url: str) -> str:
    """``sqlite`` or ``postgresql``."""
    return "sqlite" if make_url(url).get_backend_name() == "sqlite" else "postgresql"


def take_snapshot(engine: Engine, target: Path) -> str:
    """Write a consistent copy of the database to ``target``; returns its kind."""
    if engine.dialect.name == "sqlite":
        original = sqlite3.connect(engine.url.database or "")
        copy = sqlite3.connect(target)
        try:
            original.backup(copy)
        finally:
            copy.close()
            original.close()
        return "sqlite"
    _run_pg("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", f"--file={target}"], engine.url)
    return "postgresql"


def restore_snapshot(url: str, source: Path, kind: str) -> None:
    """Put a snapshot back: an SQLite file where ``url`` points (which must not exist yet), or a dump
    into the PostgreSQL database at ``url`` (which must hold no tables)."""
    if kind != database_kind(url):
        raise UserError(
            f"the backup holds a {kind} database, and the project's database is {database_kind(url)}",
            hint="Restore into a database of the same kind (set --database-url), then move it with "
            "`synthesist export` and `synthesist import` if need be.",
        )
    if kind == "sqlite":
        path = Path(make_url(url).database or "")
        if path.exists():
            raise UserError(f"{path} exists already", hint="Restore into a new folder.")
        shutil.copyfile(source, path)
        return
    engine = create_database_engine(url)
    try:
        with engine.connect() as connection:
            tables = sa.inspect(connection).get_table_names()
    except sa.exc.OperationalError as error:
        raise DatabaseError(f"cannot reach the database to restore into: {error.orig}") from None
    finally:
        engine.dispose()
    if tables:
        raise UserError(
            f"the database {make_url(url).render_as_string(hide_password=True)} is not empty "
            f"({len(tables)} tables)",
            hint="Restore into a new, empty database (createdb NAME) and pass it with --database-url.",
        )
    _run_pg(
        "pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", str(source)], make_url(url), "-d"
    )


def _run_pg(program: str, arguments: list[str], url: sa.URL, database_flag: str | None = None) -> None:
    found = shutil.which(program)
    if found is None:
        raise ConverterUnavailable(
            f"{program} is not installed, and a PostgreSQL project is backed up and restored with it",
            hint="Install PostgreSQL's client programs (Debian: apt install postgresql-client).",
        )
    # the password goes through the environment, not the command line that `ps` shows
    environment = {**os.environ, "PGPASSWORD": url.password or os.environ.get("PGPASSWORD", "")}
    plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    target = [database_flag, plain] if database_flag else [plain]
    finished = subprocess.run([found, *arguments, *target], env=environment, capture_output=True, text=True)
    if finished.returncode != 0:
        raise DatabaseError(f"{program} failed: {finished.stderr.strip() or finished.returncode}")
