"""What the suite builds once per run and copies per test: a migrated empty database (SQLite and
PostgreSQL) and, through :mod:`tests.demo_copies`, the worked example.

Building is the slow part (14 migrations take about 0.8 s on PostgreSQL, the worked example a minute
or two); copying is cheap: a file copy for SQLite, ``CREATE DATABASE ... TEMPLATE`` for PostgreSQL.

With pytest-xdist every worker is a process of its own. The workers of one run share a folder (the
controller's ``basetemp``) and take a file lock there: the first builds, the others wait and reuse,
and a build that failed is reported to the others instead of being tried again. The run has an id,
which the controller sets in ``pytest_configure`` and the workers inherit (PostgreSQL databases made
for the run carry it: :mod:`tests.postgres_databases`).

Migrations from scratch stay tested: each template is migrated from an empty database in every run,
``build_demo`` migrates its own database, and tests marked ``migrate_from_scratch`` get an empty
database and no template (tests/storage/test_migrations.py).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

RUN_ENV = "SYNTHESIST_TEST_RUN"  # the id of this run, shared by its xdist workers
FROM_SCRATCH = "migrate_from_scratch"  # the marker: an empty database, migrated as a user's would be


def is_worker() -> bool:
    return "PYTEST_XDIST_WORKER" in os.environ


def start_run() -> None:
    """Called by the controller (or the only process) before any worker starts."""
    if not is_worker():
        os.environ[RUN_ENV] = uuid.uuid4().hex[:10]


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder every process of this run shares (the xdist controller's basetemp)."""
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if is_worker() else base) / "built-once"
    shared.mkdir(exist_ok=True)
    return shared


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    # flock: released by the kernel if the holder dies, so a crashed worker never blocks the others.
    with path.open("w") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield


def build_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """The folder ``name`` of the run's shared folder, which the first caller of the run fills with
    ``build(folder)``; later callers, in any worker, get it as it is."""
    shared = run_folder(tmp_path_factory)
    folder, done, failed = shared / name, shared / f"{name}.done", shared / f"{name}.failed"
    with _locked(shared / f"{name}.lock"):
        if done.exists():
            return folder
        if failed.exists():
            pytest.fail(f"building {name} failed earlier in this run:\n{failed.read_text()}", pytrace=False)
        shutil.rmtree(folder, ignore_errors=True)  # from a worker that died half-way
        folder.mkdir()
        try:
            build(folder)
        except BaseException:
            failed.write_text(traceback.format_exc())
            raise
        done.touch()
    return folder


# --- SQLite -------------------------------------------------------------------------------------


def migrated_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty ``review.db`` migrated from scratch once per run (no project in it yet)."""

    def build(folder: Path) -> None:
        from synthesist.storage.engine import create_database_engine
        from synthesist.storage.migrate import upgrade

        path = folder / "review.db"
        engine = create_database_engine(f"sqlite:///{path}")
        try:
            upgrade(engine)
        finally:
            engine.dispose()
        # Everything into the main file, so that copying that one file copies the database.
        with closing(sqlite3.connect(path)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    return build_once(tmp_path_factory, "sqlite-migrated", build) / "review.db"


def upgrade_from_template(template: Callable[[], Path]) -> Callable[[Engine], Path | None]:
    """``storage.upgrade`` for the tests: a SQLite database that does not exist yet starts as a copy
    of the migrated template (which the real ``upgrade`` then finds up to date); anything else, and
    every PostgreSQL database, goes to the real ``upgrade`` unchanged."""
    from synthesist.storage.engine import sqlite_path
    from synthesist.storage.migrate import upgrade

    def upgrade_copying_template(engine: Engine) -> Path | None:
        path = sqlite_path(engine)
        if path is not None and not path.exists() and path.parent.is_dir():
            shutil.copyfile(template(), path)
        return upgrade(engine)

    return upgrade_copying_template
