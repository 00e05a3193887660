"""A small filter language for choosing records: ``--where "year>=2000" --where "source~medline"``.

Why not raw SQL (as sqlite-utils does)? The same filters must run on SQLite and PostgreSQL, inside
the web app for non-technical reviewers, and never expose the schema; a closed grammar gives clear
errors and lets storage build parameterised queries.

Grammar: ``FIELD OP VALUE`` with OP one of ``= != < <= > >= ~`` (``~`` = contains, case-insensitive).
``FIELD=`` (empty value) selects records where the field is missing; ``FIELD!=`` where it is present.
Several expressions are combined with AND.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from synthesist.errors import InvalidQuery

__all__ = ["FILTER_FIELDS", "Condition", "RecordFilter", "parse_where"]

# field name -> kind ("int" fields compare numerically; "text" fields as text)
FILTER_FIELDS: dict[str, str] = {
    "id": "int",
    "batch": "int",
    "year": "int",
    "source": "text",
    "file": "text",
    "title": "text",
    "abstract": "text",
    "author": "text",
    "journal": "text",
    "doi": "text",
    "pmid": "text",
    "issn": "text",
    "language": "text",
    "publication_type": "text",
    "source_record_id": "text",
}
OPERATORS = ("<=", ">=", "!=", "=", "<", ">", "~")
_EXPRESSION = re.compile(r"^\s*([a-z_]+)\s*(<=|>=|!=|=|<|>|~)\s*(.*?)\s*$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Condition:
    field: str
    op: str
    value: str | int | None  # None: test for missing (=) or present (!=)


@dataclass(frozen=True, slots=True)
class RecordFilter:
    conditions: tuple[Condition, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.conditions)


def parse_where(expressions: Iterable[str]) -> RecordFilter:
    return RecordFilter(tuple(_parse_one(text) for text in expressions if text.strip()))


def _parse_one(text: str) -> Condition:
    match = _EXPRESSION.match(text)
    fields_help = ", ".join(FILTER_FIELDS)
    if not match:
        raise InvalidQuery(
            f"cannot understand the filter {text!r}",
            hint=f'Write FIELD OP VALUE, e.g. "year>=2000" or "title~back pain". Operators: '
            f"{' '.join(OPERATORS)}. Fields: {fields_help}.",
        )
    field, op, raw_value = match.groups()
    if field not in FILTER_FIELDS:
        raise InvalidQuery(f"unknown field {field!r} in filter {text!r}", hint=f"Fields: {fields_help}.")
    value_text = raw_value.strip().strip('"').strip("'")
    if value_text == "":
        if op not in ("=", "!="):
            raise InvalidQuery(f"filter {text!r} needs a value after {op!r}")
        return Condition(field, op, None)
    kind = FILTER_FIELDS[field]
    if kind == "int":
        if op == "~":
            raise InvalidQuery(f"{field!r} is a number: use = != < <= > >=, not ~")
        try:
            return Condition(field, op, int(value_text))
        except ValueError:
            raise InvalidQuery(f"{field!r} is a number, got {value_text!r} in filter {text!r}") from None
    if op in ("<", "<=", ">", ">="):
        raise InvalidQuery(f"{field!r} is text: use = != or ~ (contains), not {op}")
    return Condition(field, op, value_text)
