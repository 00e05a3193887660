"""Turning a :class:`RecordFilter` into parameterised SQL conditions (works on SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa

from synthesist.records.query import Condition, RecordFilter
from synthesist.storage import schema

__all__ = ["filter_clauses", "in_chunks"]

IN_CHUNK = 500  # ids per ``IN (...)``: well under SQLite's bound-parameter limit


def in_chunks(ids: Iterable[int] | None) -> Iterator[list[int] | None]:
    """The ids, sorted and unique, in chunks for ``IN`` clauses; ``None`` once when no ids were
    named (no filter: every row). An empty list of ids gives no chunk at all (no query)."""
    if ids is None:
        yield None
        return
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), IN_CHUNK):
        yield wanted[start : start + IN_CHUNK]


def _column(field: str) -> Any:
    r, b = schema.records, schema.batches
    special = {
        "id": r.c.id,
        "batch": r.c.batch_id,
        "source": b.c.source,
        "file": b.c.file_name,
        "author": r.c.first_author,
    }
    return special.get(field, getattr(r.c, field, None))


def filter_clauses(record_filter: RecordFilter) -> list[sa.ColumnElement[bool]]:
    return [_clause(condition) for condition in record_filter.conditions]


def _clause(condition: Condition) -> sa.ColumnElement[bool]:
    column = _column(condition.field)
    if condition.field == "author" and condition.op in ("~", "=", "!=") and condition.value is not None:
        # any author, not only the first: search the JSON text of the author list
        column = sa.cast(schema.records.c.authors, sa.Text)
        pattern = f"%{str(condition.value).lower()}%"
        matched = sa.func.lower(column).like(pattern)
        return sa.not_(matched) if condition.op == "!=" else matched
    if condition.value is None:
        if condition.field in ("title", "abstract", "journal", "doi", "pmid"):
            missing = sa.or_(column.is_(None), column == "")
        else:
            missing = column.is_(None)
        return missing if condition.op == "=" else sa.not_(missing)
    value = condition.value
    if condition.op == "~":
        return sa.func.lower(column).contains(str(value).lower(), autoescape=True)
    if isinstance(value, str) and condition.op in ("=", "!="):
        equal = sa.func.lower(column) == value.lower()
        return equal if condition.op == "=" else sa.or_(sa.not_(equal), column.is_(None))
    operators = {
        "=": column.__eq__,
        "!=": column.__ne__,
        "<": column.__lt__,
        "<=": column.__le__,
        ">": column.__gt__,
        ">=": column.__ge__,
    }
    return operators[condition.op](value)  # type: ignore[no-any-return]
