"""The report as a Word document (python-docx): real Word tables laid out from their content by
:mod:`synthesist.reporting.docx_tables` (column widths, a repeating heading row, short tables kept
on one page), figures as PNG (converted from our SVG by
:func:`~synthesist.reporting.prisma_output.convert_svg`, since Word's SVG support is patchy and
LibreOffice's older than that), and a landscape section only around a table too wide for portrait.
Headings and captions keep with what follows them, so no heading ends a page.

A figure that cannot be converted (CairoSVG or cairo missing) becomes a paragraph naming the SVG file
saved beside the report, rather than failing the whole document.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from synthesist.errors import UserError
from synthesist.reporting.docx_tables import (
    TableLayout,
    keep_with_next,
    new_document,
    page_widths,
    start_section,
)
from synthesist.reporting.prisma_output import convert_svg
from synthesist.reporting.report.model import (
    INTERIM_TITLE,
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
from synthesist.reporting.tables import add_docx_table, docx_layout

__all__ = ["render_docx"]

_FIGURE_WIDTH_CM = 16.0
_LANDSCAPE_INTRODUCTION = 800  # characters of paragraphs that may go on a wide table's landscape page


def render_docx(report: Report) -> bytes:
    document = new_document(report.title)
    page = page_widths(document.sections[0])
    document.add_heading(report.title, level=0)
    document.add_paragraph().add_run(report.subtitle).italic = True
    interim = report.interim_note()
    if interim:
        marked = document.add_paragraph()
        marked.add_run(f"{INTERIM_TITLE}. ").bold = True
        marked.add_run(interim)
    if report.notice:
        _notice(document, report.notice)
    items = [item for section in report.sections for item in _flatten(section, 1)]
    layouts = {
        index: docx_layout(table, page)
        for index, (block, _) in enumerate(items)
        if (table := _as_table(block)) is not None
    }
    landscape = False
    for index, (block, level) in enumerate(items):
        wanted = _wants_landscape(items, layouts, index)
        if wanted != landscape:
            # a section break only around a table too wide for portrait, its heading going with it
            start_section(document, landscape=wanted)
            landscape = wanted
        _block(document, block, level, layouts.get(index))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _flatten(section: Section, level: int) -> Iterator[tuple[Block, int]]:
    """The report in reading order: each block with its heading level (a section's title becomes a
    :class:`Heading` one level above its own headings)."""
    yield Heading(section.title, section.id), level
    for block in section.blocks:
        yield block, level + 1 if isinstance(block, Heading) else level
    for child in section.children:
        yield from _flatten(child, level + 1)


def _as_table(block: Block) -> Table | None:
    if isinstance(block, Checklist):
        return block.as_table()
    return block if isinstance(block, Table) else None


def _wants_landscape(items: list[tuple[Block, int]], layouts: dict[int, TableLayout], index: int) -> bool:
    """A wide table is landscape, and so are the headings and the short introduction right before
    it: they stay on its page, and the portrait page before the break does not end with a few
    lines of them."""
    introduction = 0
    while index < len(items) and isinstance(items[index][0], Heading | Paragraph):
        block = items[index][0]
        if isinstance(block, Paragraph):
            introduction += len(block.text)
            if introduction > _LANDSCAPE_INTRODUCTION:
                return False
        index += 1
    return index in layouts and layouts[index].landscape


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


def _block(document: Any, block: Block, level: int, layout: TableLayout | None) -> None:
    if isinstance(block, Heading):
        keep_with_next(document.add_heading(block.text, level=min(level, 9)))
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
        keep_with_next(document.add_paragraph(block.text, style="Quote"))
        document.add_paragraph().add_run(f"— {block.cite}").italic = True
    elif isinstance(block, Figure):
        _figure(document, block)
    else:
        table = _as_table(block)
        assert table is not None and layout is not None
        add_docx_table(document, table, layout)


def _figure(document: Any, figure: Figure) -> None:
    from docx.shared import Cm

    try:
        png = convert_svg(figure.svg.encode("utf-8"), "png")
    except UserError as error:
        document.add_paragraph(f"[Figure not embedded ({error.message}); see figures/{figure.file_name}.]")
    else:
        document.add_picture(io.BytesIO(png), width=Cm(_FIGURE_WIDTH_CM))
        keep_with_next(document.paragraphs[-1])  # the picture's paragraph, kept with its caption
    document.add_paragraph().add_run(figure.caption).italic = True
