"""JSON writer -> JSON reader gives back the same record, ``raw`` included: no restrictions."""

from __future__ import annotations

import io
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthesist.exporting.base import ExportItem
from synthesist.exporting.formats.json_writer import JsonWriter
from synthesist.importing.base import ParsedRecord, ReadOptions
from synthesist.importing.formats.json_records import JsonRecordsReader
from synthesist.importing.source import open_source
from synthesist.records.model import Record
from tests.exporting.record_strategies import records, text

_RAW = st.dictionaries(text(max_size=10), st.lists(st.text(max_size=30), min_size=1, max_size=3), max_size=4)


@st.composite
def _with_raw(draw: st.DrawFn) -> Record:
    record = draw(records())
    record.raw = draw(_RAW)
    return record


def _write(originals: list[Record]) -> str:
    buffer = io.StringIO()
    items = [
        ExportItem(record_id=n, record=record, source="Scopus", extra={"duplicate_group": None})
        for n, record in enumerate(originals, 1)
    ]
    assert JsonWriter().write(items, buffer) == len(originals)
    return buffer.getvalue()


def _read(tmp_path: Path, content: str) -> list[Record]:
    path = tmp_path / "export.json"
    path.write_text(content, encoding="utf-8")
    source = open_source(path)
    assert JsonRecordsReader().sniff(source) == 1.0
    parsed = list(JsonRecordsReader().read(source, ReadOptions()))
    assert all(isinstance(item, ParsedRecord) for item in parsed), parsed
    return [item.record for item in parsed if isinstance(item, ParsedRecord)]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_with_raw(), max_size=3))
def test_json_roundtrip(tmp_path: Path, originals: list[Record]) -> None:
    back = _read(tmp_path, _write(originals))
    assert [record.to_dict() for record in back] == [record.to_dict() for record in originals]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_with_raw(), min_size=1, max_size=3), st.sampled_from([None, 1, 2, "\t"]))
def test_reader_accepts_any_layout(tmp_path: Path, originals: list[Record], indent: int | str | None) -> None:
    """The same document re-indented (jq, an editor) reads the same."""
    document = json.loads(_write(originals))
    back = _read(tmp_path, json.dumps(document, indent=indent, ensure_ascii=bool(indent == 2)))
    assert [record.to_dict() for record in back] == [record.to_dict() for record in originals]


def test_one_record_per_line() -> None:
    content = _write([Record(title="a"), Record(title="b")])
    lines = content.splitlines()
    assert lines[0] == '{"synthesist_export": 1, "records": ['
    assert lines[-1] == "]}"
    assert json.loads(lines[1].rstrip(","))["record_id"] == 1
    assert json.loads(lines[2])["source"] == "Scopus"
