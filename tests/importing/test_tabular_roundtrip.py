"""Any table of records, written with any supported separator, reads back to the same records.

The table is our CSV export re-written the way other tools save it: ``,`` ``;`` tab or ``|`` between
fields, empty cells as R's ``NA`` or another placeholder, optionally a BOM, CRLF line endings and
Excel's ``sep=`` first line. The format is detected, not named. Restrictions are those of the CSV
round-trip (tests/exporting/test_csv_roundtrip.py): ";" separates names and keywords in a cell.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthesist.exporting.base import ExportItem
from synthesist.exporting.formats.csv_writer import CsvWriter
from synthesist.importing.base import ParsedRecord, ReadOptions, detect_reader
from synthesist.importing.source import open_source
from synthesist.records.model import Author, Record
from tests.exporting.record_strategies import authors, records, text

_PLACEHOLDERS = st.sampled_from(["", "NA", "N/A", "NULL", "n/a", "-"])


def _carried(author: Author) -> bool:
    if ";" in author.family or ";" in author.given:
        return False
    return author.organisation or ("," not in author.family and not author.family.startswith("{"))


_AUTHORS = authors().map(lambda names: [author for author in names if _carried(author)])
_KEYWORD = text(max_size=30).filter(lambda value: ";" not in value)


@st.composite
def _layouts(draw: st.DrawFn) -> dict[str, object]:
    return {
        "separator": draw(st.sampled_from([",", ";", "\t", "|"])),
        "bom": draw(st.booleans()),
        "crlf": draw(st.booleans()),
        "sep_line": draw(st.booleans()),
    }


def _table(originals: list[Record], layout: dict[str, object], placeholders: list[str]) -> str:
    exported = io.StringIO(newline="")
    items = [ExportItem(record_id=n, record=r, source="Scopus") for n, r in enumerate(originals, 1)]
    CsvWriter().write(items, exported)
    rows = list(csv.reader(io.StringIO(exported.getvalue(), newline="")))
    separator = str(layout["separator"])
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n" if layout["crlf"] else "\n")
    if layout["sep_line"] and separator != "\t":
        out.write(f"sep={separator}" + ("\r\n" if layout["crlf"] else "\n"))
    writer.writerow(rows[0])
    for number, row in enumerate(rows[1:]):
        placeholder = placeholders[number % len(placeholders)]
        writer.writerow([cell if cell else placeholder for cell in row])
    return ("\ufeff" if layout["bom"] else "") + out.getvalue()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(records(author_lists=_AUTHORS, keyword=_KEYWORD), min_size=1, max_size=4),
    _layouts(),
    st.lists(_PLACEHOLDERS, min_size=1, max_size=4),
)
def test_any_separator_and_placeholder_reads_back(
    tmp_path: Path, originals: list[Record], layout: dict[str, object], placeholders: list[str]
) -> None:
    path = tmp_path / "table.csv"
    path.write_bytes(_table(originals, layout, placeholders).encode("utf-8"))
    source = open_source(path)
    reader = detect_reader(source)
    assert reader.name == ("tsv" if layout["separator"] == "\t" else "csv")
    items = list(reader.read(source, ReadOptions()))
    assert all(isinstance(item, ParsedRecord) for item in items), items
    back = [item.record.canonical() for item in items if isinstance(item, ParsedRecord)]
    assert back == [record.canonical() for record in originals]
