"""CSV writer -> CSV reader gives back the same canonical record (``raw`` differs by design).

Restrictions (what a ";"-joined cell cannot carry, documented here):
- author names and keywords contain no ";" (it separates them in the cell);
- a person's family name contains no "," (the first comma separates family from given names) and
  does not look like ``{...}``, which marks an organisation.
Everything else (unicode, quotes, commas in titles and given names, braces, empty fields) must
round-trip.
"""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthesist.exporting.base import ExportItem
from synthesist.exporting.formats.csv_writer import FIXED_COLUMNS, CsvWriter
from synthesist.importing.base import ParsedRecord, ReadOptions
from synthesist.importing.formats.tabular import CsvReader
from synthesist.importing.source import open_source
from synthesist.records.model import Author, Record
from tests.exporting.record_strategies import authors, records, text


def _carried(author: Author) -> bool:
    if ";" in author.family or ";" in author.given:
        return False
    return author.organisation or ("," not in author.family and not author.family.startswith("{"))


_AUTHORS = authors().map(lambda names: [author for author in names if _carried(author)])
_KEYWORD = text(max_size=30).filter(lambda value: ";" not in value)


def _write(originals: list[Record], extra: dict[str, str | None] | None = None) -> str:
    buffer = io.StringIO(newline="")
    items = [
        ExportItem(record_id=n, record=record, source="Scopus", extra=dict(extra or {}))
        for n, record in enumerate(originals, 1)
    ]
    assert CsvWriter().write(items, buffer) == len(originals)
    return buffer.getvalue()


def _read(tmp_path: Path, content: str) -> list[Record]:
    path = tmp_path / "export.csv"
    path.write_text(content, encoding="utf-8", newline="")
    source = open_source(path)
    assert CsvReader().sniff(source) >= 0.9
    parsed = list(CsvReader().read(source, ReadOptions()))
    assert all(isinstance(item, ParsedRecord) for item in parsed), parsed
    return [item.record for item in parsed if isinstance(item, ParsedRecord)]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(records(author_lists=_AUTHORS, keyword=_KEYWORD), min_size=1, max_size=3))
def test_csv_roundtrip(tmp_path: Path, originals: list[Record]) -> None:
    back = _read(tmp_path, _write(originals, {"duplicate_group": "1", "screening": None}))
    assert [record.canonical() for record in back] == [record.canonical() for record in originals]


def test_header_has_the_fixed_columns_then_extra() -> None:
    record = Record(
        title="Patient-centredness", authors=[Author("Cooper", "Kay"), Author("NICE", organisation=True)]
    )
    content = _write([record], {"duplicate_group": "3", "decision": "include"})
    header, row = content.splitlines()[:2]
    assert header.split(",") == [*FIXED_COLUMNS, "duplicate_group", "decision"]
    assert "Cooper, Kay; {NICE}" in row
    assert row.endswith(",3,include")


def test_empty_export_writes_the_header_only() -> None:
    buffer = io.StringIO()
    assert CsvWriter().write([], buffer) == 0
    assert buffer.getvalue().strip() == ",".join(FIXED_COLUMNS)


def test_later_item_with_unknown_extra_column_is_a_bug() -> None:
    items = [
        ExportItem(1, Record(title="a"), "x", {"decision": "include"}),
        ExportItem(2, Record(title="b"), "x", {"other": "y"}),
    ]
    try:
        CsvWriter().write(items, io.StringIO())
    except ValueError as exc:
        assert "other" in str(exc)
    else:
        raise AssertionError("expected ValueError")
