"""CSV, TSV and XLSX readers: one header row, one record per row.

CSV/TSV stream through Python's csv module (quoted newlines, line numbers), XLSX through openpyxl's
read-only mode. The field separator is detected from the file (``,``; ``;`` as European Excel
writes; tab; ``|``; Excel's ``sep=;`` first line decides when present) and can be overridden with
``ReadOptions.delimiter``; the CSV reader and the TSV reader differ only in what they claim when
sniffing, so ``--format csv`` on a semicolon or tab file reads it.

Which column holds what, and how a row becomes a record, is shared by the three and
lives in :mod:`synthesist.importing.formats.tabular_rows` (Scopus, Web of Science, Rayyan, Covidence,
PubMed, Zotero and our own headers; ``ReadOptions.column_map`` for any other).
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import ClassVar, Literal

from synthesist.errors import ImportFileError
from synthesist.file_limits import check_zip
from synthesist.importing.base import Reader, ReadItem, ReadOptions, RejectedRecord, register_reader
from synthesist.importing.formats.tabular_rows import ColumnLayout, row_item
from synthesist.importing.source import SourceFile

__all__ = ["CsvReader", "TsvReader", "XlsxReader"]

_NOT_TABULAR_STARTS = ("TY  -", "PMID-", "FN ", "%0 ", "<", "{", "[", "@")
_SNIFF_ROWS = 20
_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
# Excel writes "sep=;" as the first line of a CSV saved for a locale whose separator is not ",".
_EXCEL_SEP_LINE = re.compile(r"^sep=(?P<delimiter>[^\w\s\"])\s*$")


def _table_lines(source: SourceFile) -> list[str]:
    head = source.head.lstrip("\ufeff")
    if not head.strip() or head.lstrip().startswith(_NOT_TABULAR_STARTS):
        return []
    lines = head.split("\n")
    if len(source.head) >= 64 * 1024 - 16:
        lines = lines[:-1]  # the head may end mid-row
    return lines


def detect_delimiter(source: SourceFile) -> tuple[str, float]:
    """The file's field separator and how sure we are it is a table with that separator (0 to 0.9)."""
    lines = _table_lines(source)
    if not lines:
        return ",", 0.0
    declared = _EXCEL_SEP_LINE.match(lines[0])
    if declared is not None:
        delimiter = declared.group("delimiter")
        return delimiter, max(_sniff_delimited(lines[1:], delimiter), 0.6)
    scores = {delimiter: _sniff_delimited(lines, delimiter) for delimiter in _DELIMITERS}
    # On a tie (a one-column file, say), the separator the header line uses most wins.
    best = max(_DELIMITERS, key=lambda delimiter: (scores[delimiter], lines[0].count(delimiter)))
    return best, scores[best]


def _option_delimiter(value: str, file_name: str) -> str:
    delimiter = _DELIMITER_NAMES.get(value.lower(), value)
    if len(delimiter) != 1 or delimiter in '"\r\n' or delimiter.isalnum():
        raise ImportFileError(
            f"{file_name}: {value!r} cannot separate fields",
            hint='Give one character, e.g. --delimiter ";", or a name: comma, semicolon, tab, pipe.',
        )
    return delimiter


def _sniff_delimited(lines: list[str], delimiter: str) -> float:
    """Score lines as ``delimiter``-separated: consistent field counts, known headers."""
    if not lines or lines[0].count(delimiter) == 0:
        return 0.0
    first = lines[0]
    quoting: Literal[0, 1, 2, 3] = (
        csv.QUOTE_NONE if ColumnLayout.looks_like_wos(first.split("\t")) else csv.QUOTE_MINIMAL
    )
    try:
        rows = [
            row for row in csv.reader(lines[: _SNIFF_ROWS * 4], delimiter=delimiter, quoting=quoting) if row
        ]
    except csv.Error:
        return 0.1
    if not rows or len(rows[0]) < 2:
        return 0.0
    width = len(rows[0])
    body = rows[1:_SNIFF_ROWS]
    consistent = sum(1 for row in body if len(row) == width or (len(row) > width and not any(row[width:])))
    if body and consistent < len(body) * 0.8:
        # Quoted newlines split rows when read line by line, so a few mismatches are expected.
        return 0.2
    known = ColumnLayout.known_header_count(rows[0])
    if ColumnLayout.has_title_column(rows[0]) and known >= 2:
        return 0.9
    if known == 0 and not body:
        return 0.2  # one line of text with a comma in it: no evidence of a table
    if known == 0 and delimiter in ";|":
        return 0.25  # prose has semicolons too: without a known header, ask for --format
    return 0.5 if known >= 1 else 0.35


class _DelimitedReader(Reader):
    delimiter: ClassVar[str]

    def sniff(self, source: SourceFile) -> float:
        if source.encoding is None:
            return 0.0
        delimiter, score = detect_delimiter(source)
        if (delimiter == "\t") == (self.delimiter == "\t"):
            return score
        # The other reader's table: not ours to claim, yet readable when the user names this format.
        return min(score, 0.1)

    def _delimiter(self, source: SourceFile, options: ReadOptions) -> str:
        if options.delimiter is not None:
            return _option_delimiter(options.delimiter, source.name)
        detected, score = detect_delimiter(source)
        return detected if score > 0 else self.delimiter

    def read(self, source: SourceFile, options: ReadOptions) -> Iterator[ReadItem]:
        delimiter = self._delimiter(source, options)
        with source.open_text() as handle:
            first = handle.readline()
            skipped_lines = 0
            if _EXCEL_SEP_LINE.match(first.lstrip("\ufeff")):
                skipped_lines = 1  # the "sep=;" line is not the header: read on from line 2
            else:
                handle.seek(0)
            wos = ColumnLayout.looks_like_wos(first.lstrip("\ufeff").rstrip("\n").split("\t"))
            # Web of Science writes fields unquoted, so a title that starts with '"' must not open a
            # quoted field; every other tool quotes the way the csv module expects.
            quoting: Literal[0, 1, 2, 3] = csv.QUOTE_NONE if wos and delimiter == "\t" else csv.QUOTE_MINIMAL
            reader = csv.reader(handle, delimiter=delimiter, quoting=quoting, strict=True)
            layout: ColumnLayout | None = None
            count = 0
            previous_end = skipped_lines
            while True:
                start = previous_end + 1
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    if "end of data" in str(exc):
                        raise ImportFileError(
                            f"{source.name}:{start}: a quoted field opened here is never closed, "
                            "so the rest of the file cannot be read",
                            hint="The file is probably truncated or was edited by hand: export it again.",
                        ) from exc
                    previous_end = reader.line_num + skipped_lines
                    count += 1
                    yield RejectedRecord(line=start, reason=f"malformed row: {exc}", excerpt="")
                    continue
                previous_end = reader.line_num + skipped_lines
                if not any(cell.strip() for cell in row):
                    continue
                if layout is None:
                    row[0] = row[0].lstrip("\ufeff")
                    layout = ColumnLayout.from_header(row, options, source.name, start, delimiter)
                    continue
                count += 1
                yield row_item(layout, row, start, check_width=True)
        if layout is None:
            raise ImportFileError(f"{source.name}:1: the file has no header row", hint="Export it again.")
        if count == 0:
            raise ImportFileError(
                f"{source.name}:2: the file has a header but no records",
                hint="Export the search results again.",
            )


@register_reader
class CsvReader(_DelimitedReader):
    name = "csv"
    description = "CSV with a header row (Scopus, Rayyan, Covidence, PubMed, Zotero, Synthesist...)"
    extensions = (".csv",)
    delimiter = ","


@register_reader
class TsvReader(_DelimitedReader):
    name = "tsv"
    description = "Tab-separated text with a header row (Web of Science 'Tab-delimited' savedrecs.txt...)"
    extensions = (".tsv", ".tab", ".txt")
    delimiter = "\t"


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@register_reader
class XlsxReader(Reader):
    name = "xlsx"
    description = "Excel workbook (.xlsx) with a header row"
    extensions = (".xlsx", ".xlsm")

    def sniff(self, source: SourceFile) -> float:
        if not source.is_zip:
            return 0.0
        if b"xl/" in source.head_bytes:
            return 0.95
        return 0.5 if source.path.suffix.lower() in self.extensions else 0.0

    def read(self, source: SourceFile, options: ReadOptions) -> Iterator[ReadItem]:
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        # openpyxl holds every shared string in memory: refuse a workbook that would unpack past
        # the limits before it opens one
        check_zip(source.path, source.name, options.limits)
        try:
            workbook = load_workbook(source.path, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ImportFileError(
                f"{source.name}:1: cannot be opened as an Excel workbook ({exc})",
                hint="Save it from Excel as .xlsx (or as CSV) and import again.",
            ) from exc
        try:
            if options.sheet is not None and options.sheet not in workbook.sheetnames:
                raise ImportFileError(
                    f"{source.name}: has no sheet named {options.sheet!r}",
                    hint=f"Its sheets are: {', '.join(workbook.sheetnames)}.",
                )
            sheet = workbook[options.sheet] if options.sheet is not None else workbook.worksheets[0]
            # Some tools write a wrong <dimension>; without resetting, read-only mode trusts it and
            # silently cuts rows or columns.
            reset = getattr(sheet, "reset_dimensions", None)
            if reset is not None:
                reset()
            layout: ColumnLayout | None = None
            count = 0
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                row = [_cell_text(value) for value in values]
                if not any(cell.strip() for cell in row):
                    continue
                if layout is None:
                    layout = ColumnLayout.from_header(row, options, source.name, number)
                    continue
                count += 1
                yield row_item(layout, row, number, check_width=False)
        finally:
            workbook.close()
        if layout is None:
            raise ImportFileError(f"{source.name}: the first sheet is empty", hint="Pass --sheet NAME.")
        if count == 0:
            raise ImportFileError(f"{source.name}:2: the sheet has a header but no records")
