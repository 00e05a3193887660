"""One table model and one renderer per format for every table Synthesist writes: the table of
characteristics, the appraisal table, the theme × study matrix, the CERQual and sensitivity tables,
the evidence view's study table and each table of the report.

A :class:`Table` is a header, rows of cells, a caption, notes and (in the report) an anchor and a
number. Its cells are plain texts or :class:`Cell` objects of a :class:`CellKind` (an appraisal
answer, a link, a gap the authors must fill), so a renderer knows what a cell means, not only what
it says. Each format has ONE escaping rule, applied to every text that goes into it:

* Markdown, :func:`markdown_text`: "&", "<" and ">" as entities (a "<" would start HTML that
  Markdown renders), a backslash and ``| * _ ` [ ]`` escaped with a backslash (a pipe would end
  the cell; the others start emphasis, code or a link, and "*" is the matrix's own mark), and a
  newline as ``<br>`` (it would end the row).
* HTML, :func:`html_text`: :func:`html.escape` with quotes; a newline becomes ``<br>`` and stays.
* CSV: the formula-safe writer (:mod:`synthesist.exporting.safe_csv`), text otherwise as it is.
* Word: text as it is (python-docx escapes XML); a newline is a line break, a blank line starts a
  new paragraph in the cell, and the columns are laid out by :mod:`.docx_tables`.

The ``*_document`` functions write a file of its own: a title and one or more tables, each
table's caption then being a subtitle (the appraisal checklist's categories). Markdown, CSV and HTML
are byte-stable for the same tables; a Word file carries a fixed date for the same reason.
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from synthesist.exporting.safe_csv import safe_writer
from synthesist.reporting.docx_tables import (
    PageWidths,
    TableLayout,
    add_caption,
    add_note,
    add_table,
    new_document,
    page_widths,
    plan_table,
    set_landscape,
)

if TYPE_CHECKING:
    from docx.document import Document

__all__ = [
    "Cell",
    "CellKind",
    "Column",
    "NoteStyle",
    "Table",
    "add_docx_table",
    "csv_table",
    "docx_document",
    "docx_layout",
    "html_document",
    "html_key",
    "html_notes",
    "html_table",
    "html_text",
    "markdown_document",
    "markdown_table",
    "markdown_text",
]


# -- the model -----------------------------------------------------------------------------------


class CellKind(StrEnum):
    TEXT = "text"  # any text; several lines and paragraphs allowed
    ANSWER = "answer"  # a coded answer (Y / N / CT): in HTML coloured by its judgement, its meaning on hover
    LINK = "link"  # a pointer into the document: a link in HTML, "text (#anchor)" in the other formats
    AUTHORS_GAP = "todo"  # "to be written by the authors": flagged in HTML (class "todo")


@dataclass(frozen=True)
class Cell:
    text: str
    kind: CellKind = CellKind.TEXT
    meaning: str | None = None  # ANSWER: what the abbreviation stands for ("Yes")
    judgement: str | None = None  # ANSWER: "favourable", "unclear"... (a CSS class in HTML)
    href: str | None = None  # LINK: "#methods-screening"

    @property
    def plain(self) -> str:
        """The cell as a format without links says it."""
        if self.kind is CellKind.LINK and self.href:
            return f"{self.text} ({self.href})"
        return self.text


@dataclass(frozen=True)
class Column:
    heading: str
    # what an abbreviated heading stands for (a checklist question): a key under the table, and the
    # heading's tooltip in HTML
    description: str | None = None
    centred: bool = False  # short codes (Y / N / CT), centred in Markdown


@dataclass(frozen=True)
class Table:
    header: tuple[str | Column, ...]
    rows: tuple[tuple[str | Cell, ...], ...]
    caption: str | None = None  # without its number: "Characteristics of the included studies"
    notes: tuple[str, ...] = ()  # shown under the table
    anchor: str | None = None  # the id other parts of the report link to
    number: str | None = None  # "1", "S2": given by the report once it is complete, never by builders
    row_headers: bool = False  # the first cell of each row names the row (a study)

    @property
    def title(self) -> str:
        """The caption as every format prints it: "Table 1. Characteristics of the included studies"."""
        caption = self.caption or ""
        return f"Table {self.number}. {caption}" if self.number else caption

    @property
    def columns(self) -> tuple[Column, ...]:
        return tuple(h if isinstance(h, Column) else Column(h) for h in self.header)

    def cells(self) -> list[list[Cell]]:
        return [[c if isinstance(c, Cell) else Cell(c) for c in row] for row in self.rows]

    def texts(self) -> tuple[list[str], list[list[str]]]:
        """The header and the cells as plain texts (for CSV and for laying out a Word table)."""
        return [c.heading for c in self.columns], [[c.plain for c in row] for row in self.cells()]

    def key(self) -> list[Column]:
        """The columns whose heading needs explaining."""
        return [column for column in self.columns if column.description]


# -- Markdown ------------------------------------------------------------------------------------


class NoteStyle(StrEnum):
    """How notes are set under a Markdown table. Each output has kept its own so that its golden file
    stays as it was; the escaping is the same in all three."""

    LINES = "lines"  # *note*, one a line with a hard break: the characteristics and appraisal files
    PARAGRAPHS = "paragraphs"  # a paragraph each: the matrix, CERQual and sensitivity files
    ITALIC_PARAGRAPHS = "italic-paragraphs"  # _note_, a paragraph each: the report


_MARKDOWN_SPECIAL = "|*_`[]"


def markdown_text(text: str) -> str:
    """``text`` safe in a Markdown paragraph or table cell (the one Markdown escaping rule)."""
    escaped = html.escape(text, quote=False).replace("\\", "\\\\")
    for char in _MARKDOWN_SPECIAL:
        escaped = escaped.replace(char, "\\" + char)
    return escaped.replace("\n", "<br>")


def _markdown_row(texts: Iterable[str]) -> str:
    return "| " + " | ".join(markdown_text(text) for text in texts) + " |"


def _markdown_body(table: Table, notes: NoteStyle) -> list[str]:
    """The rows, the key of the headings and the notes, ending with a blank line."""
    columns = table.columns
    lines = [
        _markdown_row(column.heading for column in columns),
        "|" + "".join(":-:|" if column.centred else "---|" for column in columns),
        *(_markdown_row(cell.plain for cell in row) for row in table.cells()),
        "",
    ]
    key = table.key()
    if key:
        # two trailing spaces: a hard line break, one explanation a line
        lines += [f"{markdown_text(c.heading)}: {markdown_text(c.description or '')}  " for c in key]
        lines.append("")
    for note in table.notes:
        if notes is NoteStyle.LINES:
            lines.append(f"*{markdown_text(note)}*  ")
        elif notes is NoteStyle.PARAGRAPHS:
            lines += [markdown_text(note), ""]
        else:
            lines += [f"_{markdown_text(note)}_", ""]
    return lines


def markdown_table(table: Table, notes: NoteStyle = NoteStyle.ITALIC_PARAGRAPHS) -> list[str]:
    """The table's lines: its anchor, its caption in bold, the rows, the key and the notes."""
    lines = [f'<a id="{_attribute(table.anchor)}"></a>', ""] if table.anchor else []
    if table.caption:
        lines += [f"**{markdown_text(table.title)}**", ""]
    return lines + _markdown_body(table, notes)


def markdown_document(title: str, tables: Sequence[Table], notes: NoteStyle = NoteStyle.LINES) -> bytes:
    """A Markdown file: the title in bold, then each table under its caption in italics."""
    lines = [f"**{markdown_text(title)}**", ""]
    for table in tables:
        if table.caption:
            lines += [f"*{markdown_text(table.caption)}*", ""]
        lines += _markdown_body(table, notes)
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")


# -- HTML ----------------------------------------------------------------------------------------


def _attribute(text: str) -> str:
    return html.escape(text, quote=True)


def html_text(text: str) -> str:
    """``text`` safe in HTML (the one HTML escaping rule), its line breaks kept."""
    return _attribute(text).replace("\n", "<br>\n")


def _html_cell(cell: Cell, *, row_header: bool) -> str:
    tag, attributes = ("th", ' scope="row"') if row_header else ("td", "")
    content = html_text(cell.text)
    if cell.kind is CellKind.ANSWER:
        attributes += f' class="answer {cell.judgement}"' if cell.judgement else ' class="answer"'
        if cell.meaning:
            attributes += f' title="{_attribute(cell.meaning)}"'
    elif cell.kind is CellKind.AUTHORS_GAP:
        attributes += ' class="todo"'
    elif cell.kind is CellKind.LINK and cell.href:
        content = f'<a href="{_attribute(cell.href)}">{content}</a>'
    return f"<{tag}{attributes}>{content}</{tag}>"


def _html_heading(column: Column, *, scoped: bool) -> str:
    # scope is only needed where rows have headings too: a simple table's headings are unambiguous
    attributes = ' scope="col"' if scoped else ""
    if column.description:
        attributes += f' title="{_attribute(column.description)}"'
    return f"<th{attributes}>{html_text(column.heading)}</th>"


def html_table(table: Table) -> str:
    """The ``<table>`` element, with its caption when it has one."""
    anchor = f' id="{_attribute(table.anchor)}"' if table.anchor else ""
    parts = [f"<table{anchor}>"]
    if table.caption:
        parts.append(f"<caption>{html_text(table.title)}</caption>")
    head = "".join(_html_heading(column, scoped=table.row_headers) for column in table.columns)
    body = [
        "<tr>"
        + "".join(_html_cell(cell, row_header=table.row_headers and i == 0) for i, cell in enumerate(row))
        + "</tr>"
        for row in table.cells()
    ]
    parts += [f"<thead><tr>{head}</tr></thead>", "<tbody>\n" + "\n".join(body) + "\n</tbody>", "</table>"]
    return "\n".join(parts)


def html_key(table: Table) -> str | None:
    """What the abbreviated headings stand for, as a definition list (None when none is)."""
    key = table.key()
    if not key:
        return None
    items = "".join(f"<dt>{html_text(c.heading)}</dt><dd>{html_text(c.description or '')}</dd>" for c in key)
    return f'<dl class="key">{items}</dl>'


def html_notes(table: Table) -> list[str]:
    return [f'<p class="note">{html_text(note)}</p>' for note in table.notes]


def html_document(title: str, tables: Sequence[Table], *, style: str, heading: bool = False) -> bytes:
    """A standalone page: ``style`` inline, the title as ``<h1>`` if ``heading``, then each table
    (captioned with its own caption, else the title), its key and its notes."""
    blocks: list[str] = []
    for table in tables:
        blocks.append(html_table(replace(table, caption=table.caption or title)))
        key = html_key(table)
        blocks += [key] if key else []
        blocks += html_notes(table)
    shown = html_text(title)
    lines = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">']
    lines += [f"<title>{shown}</title>", "<style>", style.strip("\n"), "</style>", "</head>", "<body>"]
    lines += [f"<h1>{shown}</h1>"] if heading else []
    lines += [*blocks, "</body>", "</html>"]
    return ("\n".join(lines) + "\n").encode("utf-8")


# -- CSV -----------------------------------------------------------------------------------------


def csv_table(table: Table) -> bytes:
    """The header and the rows, formula-safe, with a byte-order mark so that Excel reads the accents
    right (caption and notes are not data: a spreadsheet has nowhere to put them)."""
    header, rows = table.texts()
    out = io.StringIO(newline="")
    writer = safe_writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


# -- Word ----------------------------------------------------------------------------------------


def docx_layout(table: Table, page: PageWidths, *, landscape: bool | None = None) -> TableLayout:
    header, rows = table.texts()
    return plan_table(header, rows, page, landscape=landscape)


def add_docx_table(document: Document, table: Table, layout: TableLayout, *, note_size: float = 8.0) -> None:
    """The caption (when there is one), the table, the key at the table's size and the notes."""
    if table.caption:
        add_caption(document, table.title)
    header, rows = table.texts()
    add_table(document, header, rows, layout)
    for column in table.key():
        add_note(document, f"{column.heading}: {column.description}", size=layout.size)
    for note in table.notes:
        add_note(document, note, size=note_size)


def docx_document(title: str, tables: Sequence[Table], *, note_size: float = 9.0) -> bytes:
    """A Word file: the title as a caption, then each table under its caption in italics, all on one
    section, landscape if any of the tables needs it."""
    document = new_document(title)
    page = page_widths(document.sections[0])
    landscape = any(docx_layout(table, page).landscape for table in tables)
    set_landscape(document.sections[0], landscape)
    add_caption(document, title)
    for table in tables:
        if table.caption:
            add_caption(document, table.caption, italic=True)
        layout = docx_layout(table, page, landscape=landscape)
        add_docx_table(document, replace(table, caption=None), layout, note_size=note_size)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
