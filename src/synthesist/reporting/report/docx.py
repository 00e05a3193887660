"""The report as a Word document (python-docx): real Word tables with a repeating heading row,
figures as PNG (converted from our SVG by :func:`~synthesist.reporting.prisma_output.convert_svg`,
since Word's SVG support is patchy and LibreOffice's older than that), and a landscape section for
each wide table so it stays legible.

A figure that cannot be converted (CairoSVG or cairo missing) becomes a paragraph naming the SVG file
saved beside the report, rather than failing the whole document.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from synthesist.errors import UserError
from synthesist.reporting.prisma_output import convert_svg
from synthesist.reporting.report.model import (
    Block,
    BulletList,
    Checklist,
    Figure,
    Heading,
    Notice,
    Paragraph,
    Quote,
    Report,
    Section,
    Table,
)

__all__ = ["render_docx"]

_FIXED_DATE = datetime(2000, 1, 1)  # so the same report gives the same document properties
_FIGURE_WIDTH_CM = 16.0


def render_docx(report: Report) -> bytes:
    from docx import Document  # python-docx: imported here, only Word output needs it

    document = Document()
    properties = document.core_properties
    properties.title = report.title
    properties.author = properties.last_modified_by = "Synthesist"
    properties.created = properties.modified = _FIXED_DATE
    properties.revision = 1
    document.add_heading(report.title, level=0)
    document.add_paragraph().add_run(report.subtitle).italic = True
    if report.notice:
        _notice(document, report.notice)
    for section in report.sections:
        _section(document, section, 1)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _notice(document: Any, notice: Notice) -> None:
    # a one-cell bordered table is the portable way to draw a box in Word and LibreOffice
    box = document.add_table(rows=1, cols=1)
    box.style = "Table Grid"
    cell = box.rows[0].cells[0]
    cell.paragraphs[0].add_run(notice.title).bold = True
    for paragraph in notice.intro:
        cell.add_paragraph(paragraph)
    for line in notice.items:
        cell.add_paragraph(line, style="List Bullet")
    document.add_paragraph()


def _section(document: Any, section: Section, level: int) -> None:
    document.add_heading(section.title, level=min(level, 9))
    for block in section.blocks:
        _block(document, block, level)
    for child in section.children:
        _section(document, child, level + 1)


def _block(document: Any, block: Block, level: int) -> None:
    if isinstance(block, Heading):
        document.add_heading(block.text, level=min(level + 1, 9))
    elif isinstance(block, Paragraph):
        paragraph = document.add_paragraph()
        if block.style == "missing":
            paragraph.add_run("Not done yet. ").bold = True
            paragraph.add_run(block.text)
        else:
            run = paragraph.add_run(block.text)
            run.italic = block.style == "note"
    elif isinstance(block, BulletList):
        for item in block.items:
            document.add_paragraph(item, style="List Bullet")
    elif isinstance(block, Quote):
        document.add_paragraph(block.text, style="Quote")
        document.add_paragraph().add_run(f"— {block.cite}").italic = True
    elif isinstance(block, Figure):
        _figure(document, block)
    elif isinstance(block, Checklist):
        _table(document, block.as_table())
    else:
        _table(document, block)


def _figure(document: Any, figure: Figure) -> None:
    from docx.shared import Cm

    try:
        png = convert_svg(figure.svg.encode("utf-8"), "png")
    except UserError as error:
        document.add_paragraph(f"[Figure not embedded ({error.message}); see figures/{figure.file_name}.]")
    else:
        document.add_picture(io.BytesIO(png), width=Cm(_FIGURE_WIDTH_CM))
    document.add_paragraph().add_run(figure.caption).italic = True


def _orient(document: Any, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT, WD_SECTION

    current = document.sections[-1]
    section = document.add_section(WD_SECTION.NEW_PAGE)
    width, height = sorted((current.page_width, current.page_height))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)


def _table(document: Any, table: Table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    if table.wide:
        _orient(document, landscape=True)
    document.add_paragraph().add_run(table.caption).bold = True
    grid = document.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    size = Pt(8) if table.wide else Pt(9)
    header = grid.rows[0]
    # repeat the heading row on every page the table runs over
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(header.cells, table.header, strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = size
    for row in table.rows:
        for cell, text in zip(grid.add_row().cells, row, strict=True):
            lines = text.split("\n")
            for number, line in enumerate(lines):
                run = cell.paragraphs[0].add_run(line)
                run.font.size = size
                if number < len(lines) - 1:
                    run.add_break()
    for note in table.notes:
        run = document.add_paragraph().add_run(note)
        run.italic = True
        run.font.size = Pt(8)
    if table.wide:
        _orient(document, landscape=False)
