"""Search runs in and out of ``search_runs``, scoped to one project."""

from __future__ import annotations

import builtins
from typing import Any

import sqlalchemy as sa

from synthesist.errors import NotFound
from synthesist.search.runs import NewSearchRun, RunKind, RunStatus, SearchRun
from synthesist.storage import schema
from synthesist.storage.clock import as_utc as _aware
from synthesist.storage.clock import utc_now as _now

__all__ = ["SqlSearchRunRepository"]


class SqlSearchRunRepository:
    def __init__(self, connection: sa.Connection, project_id: int) -> None:
        self._conn = connection
        self._project_id = project_id

    def add(self, run: NewSearchRun) -> int:
        table = schema.search_runs
        values = {
            "project_id": self._project_id,
            "strategy": run.strategy,
            "source": run.source,
            "kind": run.kind.value,
            "query": run.query,
            "query_as_run": run.query_as_run,
            "since": run.since,
            "max_records": run.max_records,
            "page_size": run.page_size,
            "status": RunStatus.RUNNING.value,
            "cursor": run.cursor,
            "started_by": run.started_by,
            "started_at": _now(),
        }
        return int(self._conn.execute(table.insert().values(**values).returning(table.c.id)).scalar_one())

    def get(self, run_id: int) -> SearchRun:
        row = self._conn.execute(self._select().where(schema.search_runs.c.id == run_id)).mappings().first()
        if row is None:
            raise NotFound(f"no search run {run_id}", hint="`synthesist search runs` lists the runs.")
        return _run(row)

    def list(self) -> builtins.list[SearchRun]:
        rows = self._conn.execute(self._select().order_by(schema.search_runs.c.id)).mappings()
        return [_run(row) for row in rows]

    def page_saved(
        self, run_id: int, *, cursor: str | None, pages: int, fetched: int, total: int | None
    ) -> None:
        self._update(run_id, cursor=cursor, pages=pages, fetched=fetched, total=total)

    def set_status(self, run_id: int, status: RunStatus, *, message: str | None = None) -> None:
        self._update(run_id, status=status.value, message=message)

    def complete(self, run_id: int, *, batch_id: int | None, imported: int, already_present: int) -> None:
        self._update(
            run_id,
            status=RunStatus.COMPLETED.value,
            batch_id=batch_id,
            imported=imported,
            already_present=already_present,
            message=None,
            finished_at=_now(),
        )

    def _update(self, run_id: int, **values: Any) -> None:
        table = schema.search_runs
        self._conn.execute(
            table.update()
            .where(table.c.id == run_id, table.c.project_id == self._project_id)
            .values(**values)
        )

    def _select(self) -> sa.Select[Any]:
        return sa.select(schema.search_runs).where(schema.search_runs.c.project_id == self._project_id)


def _run(row: sa.RowMapping) -> SearchRun:
    return SearchRun(
        id=row["id"],
        strategy=row["strategy"],
        source=row["source"],
        kind=RunKind(row["kind"]),
        query=row["query"],
        query_as_run=row["query_as_run"],
        since=row["since"],
        max_records=row["max_records"],
        page_size=row["page_size"],
        status=RunStatus(row["status"]),
        cursor=row["cursor"],
        pages=row["pages"],
        total=row["total"],
        fetched=row["fetched"],
        imported=row["imported"],
        already_present=row["already_present"],
        batch_id=row["batch_id"],
        message=row["message"],
        started_by=row["started_by"],
        started_at=_aware(row["started_at"]),
        finished_at=_aware(row["finished_at"]) if row["finished_at"] is not None else None,
    )
