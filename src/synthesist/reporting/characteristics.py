"""The table of characteristics of included studies, written as CSV, Markdown, HTML or Word.

One row per included study, one column per field of the extraction form, as in the reference
review's table of study characteristics. The writers take a finished :class:`CharacteristicsTable`
(texts only), so each format says exactly the same. CSV, Markdown and HTML are byte-stable for the
same table (golden files pin them); a Word file is a zip whose entries carry the time of writing,
so its test compares the table inside it instead.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from synthesist.exporting.safe_csv import safe_writer
from synthesist.reporting.docx_tables import (
    add_caption,
    add_note,
    add_table,
    new_document,
    page_widths,
    plan_table,
    set_landscape,
)

__all__ = ["TABLE_FORMATS", "CharacteristicsTable", "write_table"]

TABLE_FORMATS = ("csv", "md", "html", "docx")


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
    writer = safe_writer(out, lineterminator="\r\n")
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
    document = new_document(table.title)
    # one section: the page turns to landscape only when the columns do not fit a portrait one
    layout = plan_table(table.columns, table.rows, page_widths(document.sections[0]))
    set_landscape(document.sections[0], layout.landscape)
    add_caption(document, table.title)
    add_table(document, table.columns, table.rows, layout)
    for note in table.notes:
        add_note(document, note, size=9)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
