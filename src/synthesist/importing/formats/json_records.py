"""Reader for Synthesist's own JSON export (``{"synthesist_export": 1, "records": [...]}``).

Our writer puts one record per line, but people pass these files through ``jq`` or an editor, so the
reader does not rely on the layout: it walks the top-level object itself and decodes one record at a
time with :meth:`json.JSONDecoder.raw_decode` from a buffer refilled in chunks. That keeps memory flat
for large exports and gives every record (and every syntax error) its line number.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from synthesist.errors import ImportFileError
from synthesist.importing.base import (
    ParsedRecord,
    Reader,
    ReadItem,
    ReadOptions,
    RejectedRecord,
    register_reader,
)
from synthesist.importing.source import SourceFile
from synthesist.records.model import TEXT_FIELDS, Author, Record

__all__ = ["EXPORT_MARKER", "EXPORT_VERSION", "JsonRecordsReader", "record_from_json"]

EXPORT_MARKER = "synthesist_export"
EXPORT_VERSION = 1
_CHUNK = 1 << 20
_EXCERPT_CHARS = 200


class _JsonStream:
    """A forward-only cursor over a JSON text that is read in chunks."""

    def __init__(self, handle: TextIO, name: str) -> None:
        self._handle = handle
        self._name = name
        self._decoder = json.JSONDecoder()
        self._buffer = ""
        self._pos = 0
        self._eof = False
        self.line = 1

    def _fill(self) -> bool:
        if self._eof:
            return False
        chunk = self._handle.read(_CHUNK)
        if not chunk:
            self._eof = True
            return False
        self._buffer = self._buffer[self._pos :] + chunk
        self._pos = 0
        return True

    def error(self, what: str, line: int | None = None) -> ImportFileError:
        return ImportFileError(
            f"{self._name}:{line or self.line}: {what}",
            hint="The JSON export is damaged or cut short: export it from Synthesist again.",
        )

    def peek(self) -> str:
        """The next significant character ('' at the end of the file)."""
        while True:
            while self._pos < len(self._buffer) and self._buffer[self._pos] in " \t\r\n":
                if self._buffer[self._pos] == "\n":
                    self.line += 1
                self._pos += 1
            if self._pos < len(self._buffer) or not self._fill():
                return self._buffer[self._pos : self._pos + 1]

    def expect(self, char: str) -> None:
        found = self.peek()
        if found != char:
            raise self.error(f"expected {char!r} but found {found or 'the end of the file'!r}")
        self._pos += 1

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError as exc:
                if self._fill():
                    continue
                line = self.line + self._buffer.count("\n", self._pos, exc.pos)
                raise self.error(f"invalid JSON: {exc.msg}", line) from exc
            # A number (or literal) that ends exactly at the buffer's end may continue in the next chunk.
            if end == len(self._buffer) and self._fill():
                continue
            self.line += self._buffer.count("\n", self._pos, end)
            self._pos = end
            return value


def _check_str(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"'{name}' must be a string or null, not {type(value).__name__}")
    return value


def _authors(value: Any) -> list[Author]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError("'authors' must be a list")
    authors: list[Author] = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("family"), str):
            raise ValueError("each author must be an object with a 'family' string")
        if not isinstance(item.get("given", ""), str) or not isinstance(
            item.get("organisation", False), bool
        ):
            raise ValueError("an author's 'given' must be a string and 'organisation' true or false")
        authors.append(Author.from_dict(item))
    return authors


def _string_list(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"'{name}' must be a list of strings")
    return list(value)


def _raw(data: dict[str, Any]) -> dict[str, list[str]]:
    raw = data.get("raw")
    if raw is not None:
        if not isinstance(raw, dict):
            raise ValueError("'raw' must be an object of string lists")
        return {str(key): _string_list(values, f"raw.{key}") for key, values in raw.items()}
    # An export without "raw": the record's own JSON fields are what the file holds.
    fields: dict[str, list[str]] = {}
    for key, value in data.items():
        if value is None or value == []:
            continue
        if isinstance(value, list):
            fields[key] = [
                item if isinstance(item, str) else json.dumps(item, ensure_ascii=False) for item in value
            ]
        else:
            fields[key] = [value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)]
    return fields


def record_from_json(data: Any) -> Record:
    """Validate one exported record; ``ValueError`` says what is wrong."""
    if not isinstance(data, dict):
        raise ValueError(f"a record must be a JSON object, not {type(data).__name__}")
    year = data.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise ValueError("'year' must be a whole number or null")
    texts = {name: _check_str(data, name) for name in TEXT_FIELDS}
    return Record(
        **texts,
        year=year,
        authors=_authors(data.get("authors")),
        keywords=_string_list(data.get("keywords"), "keywords"),
        raw=_raw(data),
    )


@register_reader
class JsonRecordsReader(Reader):
    name = "json"
    description = "Synthesist JSON export"
    extensions = (".json",)

    def sniff(self, source: SourceFile) -> float:
        head = source.head.lstrip("\ufeff \t\r\n")
        if not head.startswith("{"):
            return 0.0
        return 1.0 if f'"{EXPORT_MARKER}"' in head[:4096] else 0.05

    def read(self, source: SourceFile, options: ReadOptions) -> Iterator[ReadItem]:
        with source.open_text() as handle:
            stream = _JsonStream(handle, source.name)
            stream.expect("{")
            version: Any = None
            records_seen = False
            while stream.peek() != "}":
                key_line = stream.line
                key = stream.value()
                if not isinstance(key, str):
                    raise stream.error("expected a field name", key_line)
                stream.expect(":")
                if key == "records":
                    records_seen = True
                    yield from self._records(stream)
                else:
                    value = stream.value()
                    if key == EXPORT_MARKER:
                        version = value
                        self._check_version(source, value, key_line)
                if stream.peek() == ",":
                    stream.expect(",")
                elif stream.peek() != "}":
                    stream.expect("}")
            stream.expect("}")
        if version is None:
            raise ImportFileError(
                f'{source.name}:1: not a Synthesist JSON export (no "{EXPORT_MARKER}" field)',
                hint="Only JSON written by `synthesist export --format json` can be imported.",
            )
        if not records_seen:
            raise ImportFileError(f'{source.name}:1: the export has no "records" list')

    @staticmethod
    def _check_version(source: SourceFile, value: Any, line: int) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value > EXPORT_VERSION or value < 1:
            raise ImportFileError(
                f"{source.name}:{line}: unsupported export version {value!r} (this Synthesist reads "
                f"version {EXPORT_VERSION})",
                hint="Upgrade Synthesist to import a file written by a newer version.",
            )

    @staticmethod
    def _records(stream: _JsonStream) -> Iterator[ReadItem]:
        stream.expect("[")
        if stream.peek() == "]":
            stream.expect("]")
            return
        while True:
            stream.peek()
            line = stream.line
            data = stream.value()
            try:
                yield ParsedRecord(record=record_from_json(data), line=line)
            except ValueError as exc:
                excerpt = json.dumps(data, ensure_ascii=False)[:_EXCERPT_CHARS]
                yield RejectedRecord(line=line, reason=str(exc), excerpt=excerpt)
            if stream.peek() == ",":
                stream.expect(",")
                continue
            stream.expect("]")
            return
