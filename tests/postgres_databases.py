"""PostgreSQL databases for the tests: one migrated template per run, and a pool of its copies.

Two costs of PostgreSQL dominated the suite: 14 migrations per test (about 0.8 s), and
``DROP DATABASE``, which in PostgreSQL 15 forces a checkpoint that syncs every file of every database
created since the last one (a copy of ours is about 660 relations: 1-4 s a drop). So:

- the run migrates one empty database from scratch (:func:`migrated_postgres_template`);
- a test that needs a migrated database gets one from its worker's pool, or a new
  ``CREATE DATABASE ... TEMPLATE`` copy; afterwards the rows it wrote are deleted (the tables
  vacuumed to no page, as new) and the sequences restarted, and the database goes back to the pool
  only if its schema is still the template's (a migration test that went down and up is dropped);
- anything else (an empty database, a copy of the worked example) is created and dropped, the drop
  made by a thread of the worker while the next tests run;
- every database carries the run's id, and the controller drops what is left when the run ends.
"""

from __future__ import annotations

import os
import queue
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.shared_databases import RUN_ENV, build_once, is_worker

if TYPE_CHECKING:
    import psycopg

POSTGRES_ENV = "SYNTHESIST_TEST_POSTGRES_URL"
_RUN_PREFIX = "synthesist_run_"
_SYSTEM_SCHEMAS = "('pg_catalog', 'information_schema', 'pg_toast')"


def postgres_server() -> str:
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        pytest.skip(f"PostgreSQL variant: set {POSTGRES_ENV} (make test does)")
    return server


def admin_dsn(server: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)


def database_url(server: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(server).set(drivername="postgresql", database=name)
    return url.render_as_string(hide_password=False)


def run_database_name(purpose: str) -> str:
    """The name of a database of this run (what :func:`end_run` drops)."""
    return f"{_RUN_PREFIX}{os.environ[RUN_ENV]}_{purpose}"


def create_database(server: str, name: str, template: str | None = None) -> str:
    """Create ``name`` (empty, or a copy of ``template``) and return its URL.

    Its sessions commit without waiting for the disk (``synchronous_commit = off``): a test
    database is never recovered after a crash, and waiting for every commit's flush made the
    PostgreSQL variants much slower. Transactions, locks and constraints behave as before."""
    import psycopg

    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(admin_dsn(server), autocommit=True) as connection:
        connection.execute("SET synchronous_commit = off")
        connection.execute(f'CREATE DATABASE "{name}"{copy}')
        connection.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    return database_url(server, name)


def _disconnect(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_dsn(server), autocommit=True) as connection:
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )


def drop_database(name: str, server: str) -> None:
    import psycopg

    _disconnect(server, name)
    with psycopg.connect(admin_dsn(server), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


_doomed: queue.Queue[tuple[str, str]] = queue.Queue()
_dropper: threading.Thread | None = None


def drop_later(name: str, server: str) -> None:
    """Drop ``name`` in a thread of this worker, so that the checkpoint does not hold up the tests."""
    global _dropper
    if _dropper is None:
        _dropper = threading.Thread(target=_drop_queued, name="drop-test-databases", daemon=True)
        _dropper.start()
    _doomed.put((name, server))


def _drop_queued() -> None:
    import psycopg

    while True:
        name, server = _doomed.get()
        try:
            drop_database(name, server)
        except psycopg.Error:
            pass  # still named for the run: end_run drops it
        finally:
            _doomed.task_done()


def wait_for_drops() -> None:
    """Called when a worker's session ends."""
    if _dropper is not None:
        _doomed.join()


def end_run() -> None:
    """Called by the controller once every worker has finished: drop the run's databases."""
    server = os.environ.get(POSTGRES_ENV)
    run = os.environ.get(RUN_ENV)
    if is_worker() or not server or not run:
        return
    import psycopg

    try:
        with psycopg.connect(admin_dsn(server), autocommit=True) as connection:
            names = connection.execute(
                "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", (f"{_RUN_PREFIX}{run}_",)
            ).fetchall()
        # Side by side: the checkpoints that concurrent drops ask for are shared.
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda row: drop_database(row[0], server), names))
    except psycopg.Error as exc:  # the tests have run; a left-over database is not their failure
        print(f"\nwarning: could not drop all of this run's databases ({_RUN_PREFIX}{run}_*): {exc}")


def migrated_postgres_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The name of an empty database migrated from scratch once per run."""
    server = postgres_server()
    name = run_database_name("migrated")

    def build(_folder: Path) -> None:
        from synthesist.storage.engine import create_database_engine
        from synthesist.storage.migrate import upgrade

        drop_database(name, server)  # from a worker that died half-way
        engine = create_database_engine(create_database(server, name))
        try:
            upgrade(engine)
        finally:
            engine.dispose()  # a template must have no connection when it is copied

    build_once(tmp_path_factory, "postgres-migrated", build)
    return name


@contextmanager
def postgres_database(template: str | None = None) -> Iterator[str]:
    """A database of the caller's own (empty, or a copy of ``template``), dropped afterwards."""
    server = postgres_server()
    name = run_database_name(f"t{uuid.uuid4().hex[:12]}")
    url = create_database(server, name, template)
    try:
        yield url
    finally:
        drop_later(name, server)


_idle: list[str] = []  # this worker's emptied copies of the migrated template
_template_schema: dict[str, str] = {}  # template → the schema fingerprint of a fresh copy


@contextmanager
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database holding no rows, of the caller's own while the context lasts."""
    server = postgres_server()
    template = migrated_postgres_template(tmp_path_factory)
    if _idle:
        name = _idle.pop()
    else:
        name = run_database_name(f"p{uuid.uuid4().hex[:12]}")
        create_database(server, name, template)
        if template not in _template_schema:
            _template_schema[template] = _schema_fingerprint(database_url(server, name))
    try:
        yield database_url(server, name)
    finally:
        if _emptied(server, name, _template_schema[template]):
            _idle.append(name)
        else:
            drop_later(name, server)


def _emptied(server: str, name: str, schema: str) -> bool:
    """Truncate what the test wrote and restart the sequences; True if the database is then as a
    fresh copy of the template would be (same schema, same revision, no rows)."""
    import psycopg

    url = database_url(server, name)
    try:
        _disconnect(server, name)  # the test's connections, and any transaction it left open
        with psycopg.connect(url, autocommit=True) as connection:
            tables = [
                row[0]
                for row in connection.execute(
                    "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables "
                    f"WHERE schemaname NOT IN {_SYSTEM_SCHEMAS} AND tablename <> 'alembic_version'"
                )
            ]
            written = " UNION ALL ".join(f"SELECT '{t}' WHERE EXISTS (SELECT FROM {t})" for t in tables)
            filled = [row[0] for row in connection.execute(written)] if tables else []
            if filled:
                _empty(connection, filled)
            connection.execute(
                "SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false) "
                f"FROM pg_sequences WHERE schemaname NOT IN {_SYSTEM_SCHEMAS} AND last_value IS NOT NULL"
            )
        return _schema_fingerprint(url) == schema
    except psycopg.Error:
        return False


def _empty(connection: psycopg.Connection[Any], tables: list[str]) -> None:
    """Delete every row of ``tables``, then vacuum them down to no page at all, as in a new copy.

    Not TRUNCATE: it gives each table and index new files (0.5 s for ours, as CASCADE reaches them
    all). DELETE needs the triggers off, the append-only ones and those of the foreign keys
    (``session_replication_role``, for a superuser); without the right, TRUNCATE it is."""
    import psycopg

    try:
        with connection.transaction():
            connection.execute("SET LOCAL session_replication_role = replica")
            for table in tables:
                connection.execute(f"DELETE FROM {table}")
    except psycopg.errors.InsufficientPrivilege:
        connection.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        return
    connection.execute(f"VACUUM {', '.join(tables)}")


# What a test could change in a database besides its rows: schemas, relations and their columns
# (in order), constraints, indexes, triggers (and whether they are enabled), functions, types and
# the Alembic revision.
_FINGERPRINT = f"""
SELECT md5(string_agg(item, E'\\n' ORDER BY item)) FROM (
  SELECT 'schema ' || nspname AS item FROM pg_namespace WHERE nspname NOT LIKE 'pg_%temp%'
  UNION ALL
  SELECT 'relation ' || c.oid::regclass || ' ' || c.relkind::text
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN {_SYSTEM_SCHEMAS} AND n.nspname NOT LIKE 'pg_%temp%'
  UNION ALL
  SELECT 'column ' || a.attrelid::regclass || ' ' || a.attnum || ' ' || a.attname || ' '
         || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull || ' '
         || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE n.nspname NOT IN {_SYSTEM_SCHEMAS} AND n.nspname NOT LIKE 'pg_%temp%'
      AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
    FROM pg_constraint
    WHERE connamespace NOT IN (SELECT oid FROM pg_namespace WHERE nspname IN {_SYSTEM_SCHEMAS})
  UNION ALL
  SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname NOT IN {_SYSTEM_SCHEMAS}
  UNION ALL
  SELECT 'trigger ' || pg_get_triggerdef(oid) || ' ' || tgenabled::text FROM pg_trigger WHERE NOT tgisinternal
  UNION ALL
  SELECT 'function ' || p.oid::regprocedure || ' ' || md5(p.prosrc)
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname NOT IN {_SYSTEM_SCHEMAS}
  UNION ALL
  SELECT 'type ' || t.oid::regtype FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname NOT IN {_SYSTEM_SCHEMAS} AND n.nspname NOT LIKE 'pg_%temp%'
  UNION ALL
  SELECT 'enum ' || enumtypid::regtype || ' ' || enumsortorder || ' ' || enumlabel FROM pg_enum
) AS items
"""


def _schema_fingerprint(url: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute(_FINGERPRINT).fetchone()
        revision = connection.execute("SELECT string_agg(version_num, ',') FROM alembic_version").fetchone()
    return f"{row[0] if row else ''} {revision[0] if revision else ''}"
