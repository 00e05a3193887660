"""CSV export: one row per record, fixed columns first, then the caller's ``extra`` columns.

Multi-valued cells are joined with ``"; "``: authors as ``Family, Given`` (an organisation as
``{Name}``, so it is not mistaken for a person when the file is read back), keywords as they are.
The CSV reader recognises this header and inverts that exactly; a name or keyword that itself
contains ``;`` cannot be told apart from two, which is the one thing this format cannot carry.
Open the handle with ``newline=""`` (the csv module writes its own line endings).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from synthesist.exporting.base import ExportItem, Writer, register_writer
from synthesist.exporting.safe_csv import safe_writer
from synthesist.records.model import Author

__all__ = ["FIXED_COLUMNS", "CsvWriter", "author_cell"]

FIXED_COLUMNS: tuple[str, ...] = (
    "record_id",
    "source_record_id",
    "source",
    "title",
    "authors",
    "year",
    "journal",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "abstract",
    "issn",
    "keywords",
    "language",
    "publication_type",
    "url",
)


def author_cell(authors: list[Author]) -> str:
    return "; ".join(f"{{{author.family}}}" if author.organisation else author.display for author in authors)


def _row(item: ExportItem, extra_columns: list[str]) -> list[str]:
    record = item.record
    values: dict[str, object] = {
        "record_id": item.record_id,
        "source": item.source,
        "authors": author_cell(record.authors),
        "keywords": "; ".join(record.keywords),
    }
    row: list[str] = []
    for column in FIXED_COLUMNS:
        value = values[column] if column in values else getattr(record, column)
        row.append("" if value is None else str(value))
    row.extend(item.extra.get(column) or "" for column in extra_columns)
    return row


@register_writer
class CsvWriter(Writer):
    name = "csv"
    description = "CSV (spreadsheet; one row per record, re-importable)"
    extension = ".csv"

    def write(self, items: Iterable[ExportItem], handle: TextIO) -> int:
        """Stream the rows.

        The extra columns are those of the first item: the header is written before later items are
        seen, so callers give every item the same ``extra`` keys (a missing one is an empty cell; an
        unknown one is a programming error and raises ``ValueError``).
        """
        writer = safe_writer(handle, lineterminator="\r\n")
        extra_columns: list[str] | None = None
        count = 0
        for item in items:
            if extra_columns is None:
                extra_columns = list(item.extra)
                writer.writerow([*FIXED_COLUMNS, *extra_columns])
            unknown = [key for key in item.extra if key not in extra_columns]
            if unknown:
                raise ValueError(
                    f"record {item.record_id} has extra columns {unknown} that the first record did not have"
                )
            writer.writerow(_row(item, extra_columns))
            count += 1
        if extra_columns is None:
            writer.writerow(FIXED_COLUMNS)
        return count
