"""Shared fixtures. Every test that uses a project runs twice: on SQLite and on PostgreSQL.

PostgreSQL comes from ``SYNTHESIST_TEST_POSTGRES_URL`` (``make test`` sets it, starting a server if
needed); each test gets a database of its own, dropped afterwards. Without the variable the
PostgreSQL variants are skipped with a message; with it set but unreachable they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from typer.testing import CliRunner

import synthesist.services.accounts.users as users_service
from synthesist.review.project import DATABASE_ENV
from synthesist.workspace import ACTOR_ENV, Workspace, open_workspace

POSTGRES_ENV = "SYNTHESIST_TEST_POSTGRES_URL"
DATA = Path(__file__).parent / "data"
EXPORTS = DATA / "exports"
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Passwords are still hashed and checked with argon2id, at its lowest cost: the default cost
    (about 0.1 s a hash, the point in production) spent on every user and login of the web tests
    would cost minutes of the suite and test nothing more."""
    production = users_service._hasher
    users_service._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    users_service._hasher = production


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATABASE_ENV, raising=False)
    monkeypatch.delenv("SYNTHESIST_PROJECT", raising=False)
    monkeypatch.setenv(ACTOR_ENV, "tester")
    # No command server (cli/launch.py) for the commands tests run as subprocesses: none left behind.
    monkeypatch.setenv("SYNTHESIST_NO_SERVER", "1")


def _postgres_database() -> Iterator[str]:
    import psycopg
    from sqlalchemy.engine import make_url

    server = os.environ.get(POSTGRES_ENV)
    if not server:
        pytest.skip(f"PostgreSQL variant: set {POSTGRES_ENV} (make test does)")
    name = f"synthesist_test_{uuid.uuid4().hex[:12]}"
    admin = make_url(server).set(drivername="postgresql")
    admin_dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as connection:
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
            )
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str | None]:
    """None for SQLite (the project's own review.db), else a fresh PostgreSQL database URL."""
    if request.param == "sqlite":
        yield None
        return
    for url in _postgres_database():
        monkeypatch.setenv(DATABASE_ENV, url)
        yield url


@pytest.fixture
def project_dir(tmp_path: Path, database_url: str | None) -> Path:
    from synthesist.services.projects import init_project

    folder = tmp_path / "review"
    init_project(folder, "Patient–professional partnerships in chronic back pain").close()
    return folder


@pytest.fixture
def workspace(project_dir: Path) -> Iterator[Workspace]:
    from synthesist.review.project import find_project

    opened = open_workspace(find_project(project_dir))
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
