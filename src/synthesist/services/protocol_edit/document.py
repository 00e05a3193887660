"""Small edits of a parsed review.toml (a tomlkit document) that leave everything else as it was.

tomlkit keeps comments and layout, but its plain ``table[key] = value`` appends a new key after the
table's trailing comments and blank lines, and rewrites a value even when it did not change. These
helpers touch a key only when its value changes, put a new key right after the table's last setting,
and edit arrays of tables (``[[search.databases]]``) element by element, so an edit's diff is the
edit and nothing else: review.toml stays a file a team can read, version and diff.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.items import AoT, Comment, Item, Table, Whitespace

__all__ = ["aot_rows", "put", "set_rows", "table_at"]

_LONG_LIST = 88  # characters: a list longer than this on one line is written one item per line


def _blank(value: Any) -> bool:
    """A form row's value that says nothing (a new row left blank is not added)."""
    return value is None or value is False or value == "" or value == []


def _container(table: Container | Table) -> Container:
    return table if isinstance(table, Container) else table.value


def _plain(value: Any) -> Any:
    return value.unwrap() if isinstance(value, Item | Container) else value


def _item(value: Any) -> Any:
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        # conditions such as when = [{ no = 0 }]: inline tables (tomlkit would make [[tables]])
        conditions = tomlkit.array()
        for element in value:
            if isinstance(element, dict):
                inline = tomlkit.inline_table()
                inline.update(element)
                conditions.append(inline)
            else:
                conditions.append(element)
        return conditions
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        array = tomlkit.array()
        array.extend(value)
        if len(tomlkit.item(value).as_string()) > _LONG_LIST:
            array.multiline(True)
        return array
    return value


def put(table: Container | Table, key: str, value: Any, default: Any = None) -> None:
    """Set ``key`` to ``value``; ``None`` removes it. Nothing happens when the value is already so, or
    when the key is absent and the value is its default (a form's blank field adds no line)."""
    body = _container(table)
    if key in body:
        if _plain(body[key]) == value:
            return
        if value is None:
            del body[key]
        else:
            body[key] = _item(value)
        return
    if value is None or value == default:
        return
    entries = body.body
    example = _commented_example(entries, key)
    if example is not None:
        body._insert_at(example + 1, key, _item(value))  # under its example: "# date_from = 1980"
        return
    last = max(
        (
            i
            for i, (name, item) in enumerate(entries)
            if name is not None and not isinstance(item, Table | AoT)
        ),
        default=None,
    )
    if last is None or any(isinstance(item, Table | AoT) for _, item in entries[last + 1 :]):
        body.add(key, _item(value))  # no plain setting to follow, or sub-tables after: tomlkit orders
    else:
        # right after the last setting: before the table's trailing comments and blank lines
        body._insert_at(last + 1, key, _item(value))


def _commented_example(entries: list[tuple[Any, Any]], key: str) -> int | None:
    """Where the template shows ``key`` commented out on one line (``# date_from = 1980``)."""
    pattern = re.compile(rf"^\s*#\s*{re.escape(key)}\s*=\s*(?P<value>.*)$")
    for index, (name, item) in enumerate(entries):
        if name is None and isinstance(item, Comment):
            found = pattern.match(item.as_string().strip("\n"))
            if found and not found["value"].rstrip().endswith(("[", "{")):
                return index
    return None


def table_at(document: tomlkit.TOMLDocument, *path: str) -> Container | Table:
    """The table at ``path``, made (empty, at the end of its parent) when the file has none."""
    current: Container | Table = document
    for part in path:
        body = _container(current)
        if part not in body:
            body.add(part, tomlkit.table())
        found = body[part]
        if not isinstance(found, Table):
            raise TypeError(f"{part} is not a table")  # only for files the protocol check refuses
        current = found
    return current


def aot_rows(data: Mapping[str, Any], *path: str) -> list[dict[str, Any]]:
    """The elements of an array of tables in parsed (tomllib) data, ``[]`` when absent."""
    value: Any = data
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


def set_rows(
    parent: Container | Table,
    key: str,
    rows: Sequence[tuple[int | None, Mapping[str, Any] | None]],
    defaults: Mapping[str, Any],
) -> None:
    """Edit the array of tables ``parent.key`` row by row.

    Each row is ``(index, values)``: ``index`` is the element it was read from (``None`` for a new
    one); ``values`` ``None`` removes the element. Elements are edited in place (their comments
    stay), removed ones dropped, new ones appended; with none left the array goes.
    """
    body = _container(parent)
    existing = body.get(key)
    array: AoT | None = existing if isinstance(existing, AoT) else None
    tables = list(array.body) if array is not None else []
    removed: list[int] = []
    added: list[Table] = []
    for index, values in rows:
        if index is not None and index < len(tables):
            if values is None:
                removed.append(index)
            else:
                for name, value in values.items():
                    put(tables[index], name, value, defaults.get(name))
        elif values is not None and not all(_blank(value) for value in values.values()):
            table = tomlkit.table()
            for name, value in values.items():
                if value is not None and value != defaults.get(name):
                    table.add(name, _item(value))
            added.append(table)
    if array is not None:
        for index in sorted(removed, reverse=True):
            del array[index]
    if not added:
        if array is not None and not array.body:
            del body[key]
        return
    for table in added:
        table.add(Whitespace("\n"))  # a blank line before whatever header follows
    if array is None or not array.body:
        if array is not None:
            del body[key]
        body.add(key, tomlkit.aot())
        array = body[key]
        assert isinstance(array, AoT)
    for table in added:
        array.append(table)
