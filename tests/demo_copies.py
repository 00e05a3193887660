"""The worked example (``synthesist demo``) built once per database per test run, and a copy of it
for each module that uses it: building takes a minute or two, copying a second.

The SQLite build is a folder (review.toml, review.db, the exports); a copy is a copy of the folder.
The PostgreSQL build is that folder plus a database of the run; a copy is the folder plus
``CREATE DATABASE ... TEMPLATE`` the built one, used through ``SYNTHESIST_DATABASE_URL``.
"""

from __future__ import annotations

import dataclasses
import pickle
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import pytest

from synthesist.review.project import DATABASE_ENV
from synthesist.services.demo.build import DemoResult, build_demo
from tests import postgres_databases, shared_databases

Database = Literal["sqlite", "postgresql"]
_RESULT = "result.pickle"


def _built(tmp_path_factory: pytest.TempPathFactory, database: Database) -> tuple[Path, str | None]:
    """The built demo's folder and, on PostgreSQL, its database's name (a template for copies)."""
    name = postgres_databases.run_database_name("demo") if database == "postgresql" else None
    server = postgres_databases.postgres_server() if name else None

    def build(folder: Path) -> None:
        with pytest.MonkeyPatch.context() as patch:
            patch.delenv(DATABASE_ENV, raising=False)
            if server and name:
                postgres_databases.drop_database(name, server)  # from a worker that died half-way
                patch.setenv(DATABASE_ENV, postgres_databases.create_database(server, name))
            result = build_demo(folder / "demo")  # closes its database: the template has no connection
        (folder / _RESULT).write_bytes(pickle.dumps(result))

    return shared_databases.build_once(tmp_path_factory, f"demo-{database}", build), name


@contextmanager
def demo_copy(tmp_path_factory: pytest.TempPathFactory, database: Database) -> Iterator[DemoResult]:
    """A copy of the worked example of its own for the caller, which may change it. On PostgreSQL
    ``SYNTHESIST_DATABASE_URL`` names the copy's database while the context lasts."""
    built, template = _built(tmp_path_factory, database)
    folder = tmp_path_factory.mktemp("demo") / "demo"
    shutil.copytree(built / "demo", folder)
    result: DemoResult = pickle.loads((built / _RESULT).read_bytes())
    result = dataclasses.replace(result, folder=folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(DATABASE_ENV, raising=False)
        if template is None:
            yield result
            return
        with postgres_databases.postgres_database(template) as url:
            patch.setenv(DATABASE_ENV, url)
            yield result
