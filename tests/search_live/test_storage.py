"""Migration 0012 (search runs) goes down and up again and builds exactly the schema the code uses,
on SQLite and PostgreSQL; the repository keeps a run's progress."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from synthesist.search.runs import NewSearchRun, RunKind, RunStatus
from synthesist.storage import schema
from synthesist.storage.migrate import current_revision, head_revision
from synthesist.workspace import Workspace
from tests.helpers import alembic_config


def test_the_search_runs_migration_goes_down_and_up_again(workspace: Workspace) -> None:
    engine = workspace.storage.engine
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0011")
    assert "search_runs" not in sa.inspect(engine).get_table_names()
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), schema.metadata) == []


def test_a_run_keeps_its_progress(workspace: Workspace) -> None:
    new = NewSearchRun(
        strategy="main",
        source="pubmed",
        kind=RunKind.SEARCH,
        query="x",
        query_as_run="x",
        since=None,
        max_records=None,
        page_size=200,
        cursor="0",
        started_by="tester",
    )
    with workspace.unit_of_work() as uow:
        run_id = uow.search_runs.add(new)
        uow.search_runs.page_saved(run_id, cursor="200", pages=1, fetched=200, total=450)
        uow.search_runs.set_status(run_id, RunStatus.INTERRUPTED, message="HTTP 503")
        uow.commit()
    with workspace.unit_of_work(write=False) as uow:
        run = uow.search_runs.get(run_id)
    assert (run.status, run.cursor, run.pages, run.fetched, run.total, run.message) == (
        RunStatus.INTERRUPTED,
        "200",
        1,
        200,
        450,
        "HTTP 503",
    )
    assert run.started_at.tzinfo is not None and run.finished_at is None and not run.all_pages_in
