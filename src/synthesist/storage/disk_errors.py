"""A database that cannot write because its disk is full or failing, as a message the user can act on.

SQLAlchemy's own message for these failures quotes the SQL statement and its parameters, that is the
record data being written, and says nothing about what to do. Both databases say precisely what
happened: SQLite with its result codes ``SQLITE_FULL`` and ``SQLITE_IOERR``, PostgreSQL with the
SQLSTATEs ``53100`` (disk_full) and ``58030`` (io_error). The message names where the space is
needed: the folder of a SQLite file, or the PostgreSQL server (whose data folder only its
administrator knows).
"""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from synthesist.errors import StorageFull
from synthesist.storage.engine import sqlite_path

__all__ = ["storage_full_error"]

_SQLITE_FULL_MESSAGE = "database or disk is full"
_SQLITE_IO_MESSAGE = "disk i/o error"
_POSTGRES_DISK_FULL = "53100"
_POSTGRES_IO_ERROR = "58030"


def storage_full_error(error: BaseException, engine: Engine) -> StorageFull | None:
    """The user error for a disk-full or I/O failure of the database, else ``None``."""
    if not isinstance(error, sa.exc.DBAPIError):
        return None
    cause = error.orig
    kind = _sqlite_failure(cause) if isinstance(cause, sqlite3.Error) else _postgres_failure(cause)
    if kind is None:
        return None
    database = sqlite_path(engine)
    if database is not None:
        folder = database.resolve().parent
        where = f"the folder {folder}"
        hint = (
            f"Free space on the disk that holds {folder} (the database file is {database.name}), "
            "or move the project to a disk with room, then run the command again."
        )
    else:
        where = f"the PostgreSQL server {engine.url.host or 'localhost'}"
        hint = "Ask the server's administrator to free space on its data disk, then run the command again."
    problem = "the disk is full" if kind == "full" else "the disk failed to write (I/O error)"
    message = f"{problem}: the database in {where} could not save; nothing was written"
    if kind == "io":
        hint += " If the disk is failing, copy the project elsewhere first."
    return StorageFull(message, hint=hint)


def _sqlite_failure(cause: sqlite3.Error) -> str | None:
    # sqlite_errorcode may be an extended code (SQLITE_IOERR_WRITE is 778): the low byte is the primary one
    code = getattr(cause, "sqlite_errorcode", None)
    text = str(cause).lower()
    if (code is not None and code & 0xFF == sqlite3.SQLITE_FULL) or _SQLITE_FULL_MESSAGE in text:
        return "full"
    if (code is not None and code & 0xFF == sqlite3.SQLITE_IOERR) or _SQLITE_IO_MESSAGE in text:
        return "io"
    return None


def _postgres_failure(cause: object) -> str | None:
    state = getattr(cause, "sqlstate", None)
    if state == _POSTGRES_DISK_FULL:
        return "full"
    if state == _POSTGRES_IO_ERROR:
        return "io"
    return None
