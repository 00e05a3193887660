"""Repositories: domain objects in and out of the tables, on one connection, scoped to one project."""

from __future__ import annotations

import builtins
import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from synthesist.errors import NotFound
from synthesist.events import Event, LoggedEvent
from synthesist.events.query import EventQuery
from synthesist.importing.batch import ImportBatch, ImportReject, NewBatch, SourceCount
from synthesist.records.model import TEXT_FIELDS, Author, Record
from synthesist.records.query import RecordFilter
from synthesist.records.stored import StoredRecord
from synthesist.storage import schema
from synthesist.storage.clock import as_utc as _aware
from synthesist.storage.clock import utc_now as _now
from synthesist.storage.filters import filter_clauses

__all__ = ["SqlBatchRepository", "SqlEventRepository", "SqlRecordRepository"]

_INSERT_CHUNK = 2000
# Columns that hold a canonical field as it is (authors, keywords and raw are JSON, handled apart).
_RECORD_COLUMNS = (*TEXT_FIELDS, "year")


class SqlBatchRepository:
    def __init__(self, connection: sa.Connection, project_id: int) -> None:
        self._conn = connection
        self._project_id = project_id

    def add(self, batch: NewBatch) -> int:
        values = {
            "project_id": self._project_id,
            "source": batch.source,
            "file_name": batch.file_name,
            "file_sha256": batch.file_sha256,
            "format": batch.format,
            "encoding": batch.encoding,
            "searched_on": batch.searched_on,
            "query": batch.query,
            "other_method": batch.other_method,
            "imported_by": batch.imported_by,
            "imported_at": _now(),
            "forced": batch.forced,
        }
        result = self._conn.execute(schema.batches.insert().values(**values).returning(schema.batches.c.id))
        return int(result.scalar_one())

    def finish(self, batch_id: int, *, record_count: int, reject_count: int) -> None:
        self._conn.execute(
            schema.batches.update()
            .where(schema.batches.c.id == batch_id)
            .values(record_count=record_count, reject_count=reject_count)
        )

    def get(self, batch_id: int) -> ImportBatch:
        row = self._conn.execute(self._select().where(schema.batches.c.id == batch_id)).mappings().first()
        if row is None:
            raise NotFound(f"no import batch {batch_id}", hint="`synthesist status` lists the batches.")
        return _batch(row)

    def find_by_sha256(self, sha256: str) -> builtins.list[ImportBatch]:
        rows = self._conn.execute(self._select().where(schema.batches.c.file_sha256 == sha256)).mappings()
        return [_batch(row) for row in rows]

    def list(self) -> builtins.list[ImportBatch]:
        rows = self._conn.execute(self._select().order_by(schema.batches.c.id)).mappings()
        return [_batch(row) for row in rows]

    def add_rejects(self, rejects: Sequence[ImportReject]) -> None:
        if rejects:
            self._conn.execute(
                schema.import_rejects.insert(),
                [
                    {"batch_id": r.batch_id, "line": r.line, "reason": r.reason, "excerpt": r.excerpt}
                    for r in rejects
                ],
            )

    def rejects(self, batch_id: int) -> builtins.list[ImportReject]:
        table = schema.import_rejects
        rows = self._conn.execute(
            sa.select(table).where(table.c.batch_id == batch_id).order_by(table.c.line)
        ).mappings()
        return [ImportReject(row["batch_id"], row["line"], row["reason"], row["excerpt"]) for row in rows]

    def _select(self) -> sa.Select[Any]:
        return sa.select(schema.batches).where(schema.batches.c.project_id == self._project_id)


def _batch(row: sa.RowMapping) -> ImportBatch:
    return ImportBatch(
        id=row["id"],
        source=row["source"],
        file_name=row["file_name"],
        file_sha256=row["file_sha256"],
        format=row["format"],
        encoding=row["encoding"],
        searched_on=row["searched_on"],
        query=row["query"],
        other_method=row["other_method"],
        imported_by=row["imported_by"],
        imported_at=_aware(row["imported_at"]),
        record_count=row["record_count"],
        reject_count=row["reject_count"],
        forced=bool(row["forced"]),
    )


class SqlRecordRepository:
    def __init__(self, connection: sa.Connection, project_id: int) -> None:
        self._conn = connection
        self._project_id = project_id

    def add_many(self, batch_id: int, records: Sequence[tuple[int, int, Record]]) -> None:
        """Bulk insert. The statement is compiled once and the JSON columns serialised here, then
        sent with the driver's executemany: SQLAlchemy's per-row parameter processing was half the
        time of a 100,000-record import (see docs/benchmarks.md)."""
        sql, keys, positional = _compiled_insert(self._conn)
        for start in range(0, len(records), _INSERT_CHUNK):
            rows = [self._row(batch_id, p, line, r) for p, line, r in records[start : start + _INSERT_CHUNK]]
            params: list[Any] = [tuple(row[k] for k in keys) for row in rows] if positional else rows
            self._conn.exec_driver_sql(sql, params)

    def _row(self, batch_id: int, position: int, line: int, record: Record) -> dict[str, Any]:
        row: dict[str, Any] = {name: getattr(record, name) for name in _RECORD_COLUMNS}
        row.update(
            project_id=self._project_id,
            batch_id=batch_id,
            position=position,
            line=line,
            authors=_json([author.to_dict() for author in record.authors]),
            first_author=record.first_author,
            keywords=_json(record.keywords),
            raw=_json(record.raw),
        )
        return row

    def get(self, record_id: int) -> StoredRecord:
        query = self._select().where(schema.records.c.id == record_id)
        row = self._conn.execute(query).mappings().first()
        if row is None:
            raise NotFound(f"no record {record_id}", hint="`synthesist records list` shows record ids.")
        return _stored(row)

    def get_many(self, record_ids: Iterable[int], *, with_raw: bool = True) -> dict[int, StoredRecord]:
        """The records with these ids (those that exist), by id; queried in chunks of ids. Without
        ``with_raw`` their ``raw`` is empty (decoding it is most of the cost of reading a record)."""
        wanted = sorted(set(record_ids))
        found: dict[int, StoredRecord] = {}
        select = self._select() if with_raw else self._select(without=("raw",))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for row in self._conn.execute(select.where(schema.records.c.id.in_(chunk))).mappings():
                found[row["id"]] = _stored(row)
        return found

    def ids(self) -> builtins.list[int]:
        """Every record id of the project, in order."""
        r = schema.records
        query = sa.select(r.c.id).where(r.c.project_id == self._project_id).order_by(r.c.id)
        return [int(record_id) for record_id in self._conn.execute(query).scalars()]

    def max_id(self) -> int:
        query = sa.select(sa.func.max(schema.records.c.id)).where(
            schema.records.c.project_id == self._project_id
        )
        return int(self._conn.execute(query).scalar() or 0)

    def iterate(
        self, record_filter: RecordFilter | None = None, *, limit: int | None = None, offset: int = 0
    ) -> Iterator[StoredRecord]:
        query = self._select().order_by(schema.records.c.id)
        if record_filter:
            query = query.where(*filter_clauses(record_filter))
        if limit is not None:
            query = query.limit(limit)
        if offset:
            query = query.offset(offset)
        # Per statement: Connection.execution_options() changes the connection itself, and on
        # PostgreSQL every later statement of the transaction would go through a server-side cursor.
        result = self._conn.execute(query, execution_options={"yield_per": 1000}).mappings()
        for row in result:
            yield _stored(row)

    def iterate_for_matching(self, raw_keys: Collection[str]) -> Iterator[tuple[int, Record]]:
        """Every record, in id order, light: no keywords, and of ``raw`` only the ``raw_keys``
        (matched case-insensitively). Deduplication reads every record of a project; decoding each
        record's full ``raw`` JSON was a third of a run's time, and the matcher needs two or three
        of its fields."""
        r = schema.records
        wanted = {key.casefold() for key in raw_keys}
        needles = [f'"{key}"' for key in raw_keys] + [f'"{key.upper()}"' for key in raw_keys]
        columns = [r.c.id, *(r.c[name] for name in _RECORD_COLUMNS)]
        query = (
            sa.select(
                *columns,
                sa.cast(r.c.authors, sa.Text).label("authors_text"),
                sa.cast(r.c.raw, sa.Text).label("raw_text"),
            )
            .where(r.c.project_id == self._project_id)
            .order_by(r.c.id)
        )
        for row in self._conn.execute(query, execution_options={"yield_per": 2000}).mappings():
            raw_text: str = row["raw_text"] or "{}"
            raw: dict[str, list[str]] = {}
            if any(needle in raw_text for needle in needles):
                raw = {k: list(v) for k, v in json.loads(raw_text).items() if k.casefold() in wanted}
            yield (
                row["id"],
                Record(
                    authors=[
                        Author(a["family"], a.get("given", ""), a.get("organisation", False))
                        for a in json.loads(row["authors_text"] or "[]")
                    ],
                    raw=raw,
                    **{name: row[name] for name in _RECORD_COLUMNS},
                ),
            )

    def count(self, record_filter: RecordFilter | None = None) -> int:
        query = (
            sa.select(sa.func.count())
            .select_from(schema.records.join(schema.batches))
            .where(schema.records.c.project_id == self._project_id)
        )
        if record_filter:
            query = query.where(*filter_clauses(record_filter))
        return int(self._conn.execute(query).scalar_one())

    def counts_by_source(self) -> builtins.list[SourceCount]:
        b = schema.batches
        query = (
            sa.select(
                b.c.source,
                b.c.other_method,
                sa.func.count(b.c.id),
                sa.func.sum(b.c.record_count),
                sa.func.sum(b.c.reject_count),
            )
            .where(b.c.project_id == self._project_id)
            .group_by(b.c.source, b.c.other_method)
            .order_by(b.c.other_method.is_not(None), b.c.source)
        )
        return [
            SourceCount(source, other, int(n), int(records or 0), int(rejects or 0))
            for source, other, n, records, rejects in self._conn.execute(query)
        ]

    def _select(self, without: tuple[str, ...] = ()) -> sa.Select[Any]:
        r, b = schema.records, schema.batches
        columns = [column for column in r.c if column.name not in without]
        return (
            sa.select(*columns, b.c.source.label("batch_source"), b.c.file_name.label("batch_file"))
            .select_from(r.join(b))
            .where(r.c.project_id == self._project_id)
        )


_INSERT_KEYS = (*_RECORD_COLUMNS, "project_id", "batch_id", "position", "line", "authors", "first_author",
                "keywords", "raw")  # fmt: skip
_JSON_KEYS = ("authors", "keywords", "raw")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _compiled_insert(connection: sa.Connection) -> tuple[str, tuple[str, ...], bool]:
    """The records INSERT in the connection's dialect and parameter style; JSON columns take text."""
    table = schema.records
    values: dict[str, sa.ColumnElement[Any]] = {
        key: sa.bindparam(key, type_=sa.Text) if key in _JSON_KEYS else sa.bindparam(key)
        for key in _INSERT_KEYS
    }
    if connection.dialect.name == "postgresql":
        values.update(
            {key: sa.cast(sa.bindparam(key, type_=sa.Text), table.c[key].type) for key in _JSON_KEYS}
        )
    compiled = table.insert().values(values).compile(dialect=connection.dialect)
    keys = tuple(compiled.positiontup) if compiled.positional and compiled.positiontup else _INSERT_KEYS
    return str(compiled), keys, bool(compiled.positional)


def _stored(row: sa.RowMapping) -> StoredRecord:
    record = Record(
        authors=[Author.from_dict(a) for a in row["authors"]],
        keywords=list(row["keywords"]),
        raw={key: list(values) for key, values in row["raw"].items()} if "raw" in row else {},
        **{name: row[name] for name in _RECORD_COLUMNS},
    )
    return StoredRecord(
        id=row["id"],
        batch_id=row["batch_id"],
        position=row["position"],
        line=row["line"],
        source=row["batch_source"],
        file_name=row["batch_file"],
        record=record,
    )


class SqlEventRepository:
    def __init__(self, connection: sa.Connection, project_id: int) -> None:
        self._conn = connection
        self._project_id = project_id

    def append(self, event: Event, actor: str) -> int:
        query = (
            schema.events.insert()
            .values(
                project_id=self._project_id,
                type=event.type,
                actor=actor,
                occurred_at=_now(),
                payload=event.payload(),
            )
            .returning(schema.events.c.id)
        )
        return int(self._conn.execute(query).scalar_one())

    def list(
        self, *, types: Iterable[str] | None = None, limit: int | None = None, after_id: int = 0
    ) -> builtins.list[LoggedEvent]:
        e = schema.events
        query = sa.select(e).where(e.c.project_id == self._project_id, e.c.id > after_id).order_by(e.c.id)
        wanted = builtins.list(types or [])
        if wanted:
            query = query.where(e.c.type.in_(wanted))
        if limit is not None:
            # the newest `limit` events, still shown oldest first
            inner = query.order_by(None).order_by(e.c.id.desc()).limit(limit).subquery()
            query = sa.select(inner).order_by(inner.c.id)
        return self._logged(query)

    def newest(
        self, query: EventQuery, *, limit: int, before: int | None = None, after: int | None = None
    ) -> builtins.list[LoggedEvent]:
        """Up to ``limit`` matching events, newest first: the newest ones; with ``before``, those just
        older than that event id; with ``after``, those just newer. Keyset paging by id: as fast on
        the last page of a long log as on the first (no OFFSET to skip)."""
        e = schema.events
        select = sa.select(e).where(*self._matching(query))
        if after is not None:
            # the oldest `limit` events newer than `after`, turned newest first below
            inner = select.where(e.c.id > after).order_by(e.c.id).limit(limit).subquery()
            return self._logged(sa.select(inner).order_by(inner.c.id.desc()))
        if before is not None:
            select = select.where(e.c.id < before)
        return self._logged(select.order_by(e.c.id.desc()).limit(limit))

    def count(self, query: EventQuery, *, after: int | None = None) -> int:
        """How many events match (with ``after``: how many of them are newer than that event id)."""
        e = schema.events
        counted = sa.select(sa.func.count()).select_from(e).where(*self._matching(query))
        if after is not None:
            counted = counted.where(e.c.id > after)
        return int(self._conn.execute(counted).scalar_one())

    def actors(self, *, after: int = 0) -> builtins.list[str]:
        """Everyone who appears in the log (with ``after``: in the events after that id), by name."""
        return self._distinct(schema.events.c.actor, after)

    def types(self, *, after: int = 0) -> builtins.list[str]:
        """The event types the log holds (with ``after``: in the events after that id), by name."""
        return self._distinct(schema.events.c.type, after)

    def _distinct(self, column: sa.Column[str], after: int) -> builtins.list[str]:
        e = schema.events
        query = sa.select(column).where(e.c.project_id == self._project_id, e.c.id > after).group_by(column)
        return sorted(self._conn.execute(query).scalars())

    def _matching(self, query: EventQuery) -> builtins.list[sa.ColumnElement[bool]]:
        e = schema.events
        clauses: builtins.list[sa.ColumnElement[bool]] = [e.c.project_id == self._project_id]
        if query.actor:
            clauses.append(e.c.actor == query.actor)
        prefix = query.type_prefix
        if prefix is not None:
            clauses.append(e.c.type.startswith(prefix, autoescape=True))
        elif query.event_type:
            clauses.append(e.c.type == query.event_type)
        if query.starts is not None:
            clauses.append(e.c.occurred_at >= query.starts)
        if query.ends_before is not None:
            clauses.append(e.c.occurred_at < query.ends_before)
        return clauses

    def _logged(self, query: sa.Select[Any]) -> builtins.list[LoggedEvent]:
        return [
            LoggedEvent(
                row["id"], row["type"], row["actor"], _aware(row["occurred_at"]), dict(row["payload"])
            )
            for row in self._conn.execute(query).mappings()
        ]
