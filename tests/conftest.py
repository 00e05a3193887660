"""Shared fixtures. Every test that uses a project runs twice: on SQLite and on PostgreSQL.

PostgreSQL comes from ``SYNTHESIST_TEST_POSTGRES_URL`` (``make test`` sets it, starting a server if
needed); each test gets a database of its own, dropped afterwards. Without the variable the
PostgreSQL variants are skipped with a message; with it set but unreachable they fail.

A new project's database starts as a copy of one migrated once per run (tests/shared_databases.py),
not migrated again for every test; mark a test ``migrate_from_scratch`` to have it migrated.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from typer.testing import CliRunner

import synthesist.services.accounts.users as users_service
from synthesist.review.project import DATABASE_ENV
from synthesist.workspace import ACTOR_ENV, Workspace, open_workspace
from tests import postgres_databases, shared_databases
from tests.shared_databases import FROM_SCRATCH

DATA = Path(__file__).parent / "data"
EXPORTS = DATA / "exports"
SHARED = Path(__file__).resolve().parents[2] / "shared"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{FROM_SCRATCH}: the test's new database is migrated from scratch, not copied"
    )
    shared_databases.start_run()


@pytest.hookimpl(trylast=True)  # after the fixtures' teardown, which queues the last drops
def pytest_sessionfinish(session: pytest.Session) -> None:
    postgres_databases.wait_for_drops()


def pytest_unconfigure(config: pytest.Config) -> None:
    postgres_databases.end_run()


@pytest.fixture(autouse=True)
def _new_sqlite_databases_from_template(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A new SQLite database opened in this process starts as a copy of the migrated template
    (``synthesist.storage.upgrade`` wrapped for the test; production code still migrates)."""
    if request.node.get_closest_marker(FROM_SCRATCH):
        return
    import synthesist.storage as storage

    template = shared_databases.upgrade_from_template(
        lambda: shared_databases.migrated_sqlite_file(tmp_path_factory)
    )
    monkeypatch.setattr(storage, "upgrade", template)


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


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str | None]:
    """None for SQLite (the project's own review.db), else the URL of a PostgreSQL database of the
    test's own: migrated and holding no rows, or empty for ``migrate_from_scratch``."""
    if request.param == "sqlite":
        yield None
        return
    if request.node.get_closest_marker(FROM_SCRATCH):
        database = postgres_databases.postgres_database()
    else:
        database = postgres_databases.migrated_database(tmp_path_factory)
    with database as url:
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
