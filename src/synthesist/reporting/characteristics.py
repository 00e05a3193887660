"""The table of characteristics of included studies, written as CSV, Markdown, HTML or Word.

One row per included study, one column per field of the extraction form, as in the reference
review's table of study characteristics. The writers take a finished :class:`CharacteristicsTable`
(texts only), so each format says exactly the same; the other tables of texts (the theme × study
matrix, the CERQual and sensitivity tables) are written the same way, by the renderers of
:mod:`synthesist.reporting.tables`. CSV, Markdown and HTML are byte-stable for the same table
(golden files pin them); a Word file is a zip whose entries carry the time of writing, so its test
compares the table inside it instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import BinaryIO

from synthesist.reporting.tables import (
    NoteStyle,
    Table,
    csv_table,
    docx_document,
    html_document,
    markdown_document,
)

__all__ = ["TABLE_FORMATS", "CharacteristicsTable", "write_table"]

TABLE_FORMATS = ("csv", "md", "html", "docx")

_STYLE = """
body { font-family: sans-serif; margin: 2em; }
table { border-collapse: collapse; font-size: 0.85em; }
caption { font-weight: bold; text-align: left; margin-bottom: 0.5em; }
th, td { border: 1px solid #999; padding: 0.3em 0.5em; vertical-align: top; text-align: left; }
thead th { background: #eee; }
.note { font-style: italic; font-size: 0.85em; }
"""


@dataclass(frozen=True)
class CharacteristicsTable:
    title: str
    columns: list[str]  # headings: "Study" (each row's name), then the fields' labels
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)  # shown under the table

    def as_table(self) -> Table:
        """The table without a caption: the title is the file's (see :func:`write_table`)."""
        rows = tuple(tuple(row) for row in self.rows)
        return Table(tuple(self.columns), rows, notes=tuple(self.notes), row_headers=True)


def write_table(
    table: CharacteristicsTable,
    format_name: str,
    handle: BinaryIO,
    *,
    notes: NoteStyle = NoteStyle.LINES,
) -> None:
    """Write ``table`` in one of :data:`TABLE_FORMATS` to a binary handle (``notes``: how the
    Markdown sets the notes)."""
    model = table.as_table()
    if format_name == "csv":
        handle.write(csv_table(model))
    elif format_name == "md":
        handle.write(markdown_document(table.title, [model], notes))
    elif format_name == "html":
        handle.write(html_document(table.title, [model], style=_STYLE))
    elif format_name == "docx":
        handle.write(docx_document(table.title, [model]))
    else:
        raise KeyError(format_name)
