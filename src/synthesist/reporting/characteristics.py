"""The table of characteristics of included studies, written as CSV, Markdown, HTML or Word.

One row per included study, one column per field of the extraction form, as in the reference
review's table of study characteristics. The writers take a finished :class:`CharacteristicsTable`
(texts only), so each format says exactly the same. CSV, Markdown and HTML are byte-stable for the
same table (golden files pin them); a Word file is a zip whose entries carry the time of writing,
so its test compares the table inside it instead.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import BinaryIO

__all__ = ["TABLE_FORMATS", "CharacteristicsTable", "write_table"]

TABLE_FORMATS = ("csv", "md", "html", "docx")

# Above this many columns the Word table goes on a landscape page (portrait A4 fits about six).
_LANDSCAPE_FROM = 6
# Word stores when a file was made; a fixed date keeps the same table the same file.
_FIXED_DATE = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class CharacteristicsTable:
    title: str
    columns: list[str]  # headings: "Study", then the fields' labels
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)  # shown under the table


def write_table(table: CharacteristicsTable, format_name: str, handle: BinaryIO) -> None:
    """Write ``table`` in one of :data:`TABLE_FORMATS` to a binary handle."""
    writers: dict[str, Callable[[CharacteristicsTable], bytes]] = {
        "csv": _csv,
        "md": _markdown,
        "html": _html,
        "docx": _docx,
    }
    handle.write(writers[format_name](table))


def _csv(table: CharacteristicsTable) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return out.getvalue().encode("utf-8-sig")  # so that Excel reads the accents right


def _md_cell(text: str) -> str:
    # a pipe would end the cell and a newline the row (<br> keeps a long text's paragraphs); a
    # "<" would start HTML that Markdown renders, so the text's own are written as entities
    escaped = html.escape(text, quote=False).replace("\\", "\\\\").replace("|", "\\|")
    return escaped.replace("\n", "<br>")


def _markdown(table: CharacteristicsTable) -> bytes:
    lines = [f"**{_md_cell(table.title)}**", ""]
    lines.append("| " + " | ".join(_md_cell(column) for column in table.columns) + " |")
    lines.append("|" + "---|" * len(table.columns))
    lines += ["| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in table.rows]
    if table.notes:
        lines.append("")
        lines += [f"*{_md_cell(note)}*" for note in table.notes]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _html_cell(text: str) -> str:
    return html.escape(text, quote=True).replace("\n", "<br>\n")


def _html(table: CharacteristicsTable) -> bytes:
    head = "".join(f'<th scope="col">{_html_cell(column)}</th>' for column in table.columns)
    body = "\n".join(
        "<tr>"
        + "".join(
            f'<th scope="row">{_html_cell(cell)}</th>' if index == 0 else f"<td>{_html_cell(cell)}</td>"
            for index, cell in enumerate(row)
        )
        + "</tr>"
        for row in table.rows
    )
    notes = "".join(f'<p class="note">{_html_cell(note)}</p>\n' for note in table.notes)
    title = _html_cell(table.title)
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; font-size: 0.85em; }}
caption {{ font-weight: bold; text-align: left; margin-bottom: 0.5em; }}
th, td {{ border: 1px solid #999; padding: 0.3em 0.5em; vertical-align: top; text-align: left; }}
thead th {{ background: #eee; }}
.note {{ font-style: italic; font-size: 0.85em; }}
</style>
</head>
<body>
<table>
<caption>{title}</caption>
<thead><tr>{head}</tr></thead>
<tbody>
{body}
</tbody>
</table>
{notes}</body>
</html>
"""
    return page.encode("utf-8")


def _docx(table: CharacteristicsTable) -> bytes:
    from docx import Document  # python-docx: imported here, only Word output needs it
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    properties = document.core_properties
    properties.title = table.title
    properties.author = properties.last_modified_by = "Synthesist"
    properties.created = properties.modified = _FIXED_DATE.replace(tzinfo=None)
    properties.revision = 1
    section = document.sections[0]
    if len(table.columns) >= _LANDSCAPE_FROM:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    document.add_paragraph().add_run(table.title).bold = True
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    size = Pt(8) if len(table.columns) >= _LANDSCAPE_FROM else Pt(10)
    header = grid.rows[0]
    # repeat the heading row on every page the table runs over
    header_properties = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_properties.append(repeat)
    for cell, text in zip(header.cells, table.columns, strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = size
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            paragraphs = text.split("\n\n") if text else [""]
            for index, paragraph in enumerate(paragraphs):
                target = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
                lines = paragraph.split("\n")
                for number, line in enumerate(lines):
                    run = target.add_run(line)
                    run.font.size = size
                    if number < len(lines) - 1:
                        run.add_break()
    for note in table.notes:
        document.add_paragraph().add_run(note).italic = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
