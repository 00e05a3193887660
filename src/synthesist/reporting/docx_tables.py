"""Word tables laid out from what they hold, for every DOCX Synthesist writes (the report, the table
of characteristics, the appraisal table, the theme matrix and the CERQual tables).

Word and LibreOffice give every column of an unsized table the same width, which breaks words
mid-word in a narrow column of names while a column of Y/N answers wastes space. So the widths are
measured here: each column gets at least the width of its longest unbreakable word at the table's
font size (and a column of running text enough for a dozen characters a line), the rest of the
page goes to the columns with the most text, and a column never gets more than its longest line
needs. The widths are written as a fixed layout (``w:tblLayout``, ``w:gridCol``, ``w:tcW``), so
both programs keep them. A table that cannot fit a portrait page that way goes on a landscape page.

Text is measured with Helvetica's published widths, and table text is set in Arial, which has the
same widths (as has Liberation Sans, LibreOffice's Arial), so the measurement holds in both.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # python-docx is imported where a Word file is written, not on import
    from docx.document import Document
    from docx.section import Section
    from docx.table import Table
    from docx.text.paragraph import Paragraph

__all__ = [
    "TABLE_FONT",
    "PageWidths",
    "TableLayout",
    "add_caption",
    "add_note",
    "add_table",
    "estimated_lines",
    "keep_with_next",
    "new_document",
    "page_widths",
    "plan_table",
    "set_landscape",
    "start_section",
    "text_width",
]

TABLE_FONT = "Arial"

# Helvetica's advance widths in thousandths of an em, for the characters " " to "~" (Adobe's core
# font metrics, shared by Arial and Liberation Sans).
_HELVETICA = (
    (278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278)
    + (556,) * 10
    + (278, 278, 584, 584, 584, 556, 1015)
    + (667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833)
    + (722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611)
    + (278, 278, 278, 469, 556, 333)
    + (556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833)
    + (556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500)
    + (334, 260, 334, 584)
)
_OTHER = {"–": 556, "—": 1000, "‘": 222, "’": 222, "“": 333, "”": 333, "×": 584, "†": 556, "…": 1000}
_UNKNOWN = 722  # wider than most letters, so a word with a character not listed still fits
_BOLD = 1.1  # Helvetica Bold is at most about this much wider than the regular weight
# Table Grid's cell margins (0.075 in each side), plus slack for the renderers' rounding
_CELL_PADDING = 10.8 + 2.0
_PROSE_CHARACTERS = 12  # a column of running text gets room for at least this many a line
_AVERAGE_CHARACTER = 0.5  # em: a typical character of English text in Arial
_LONGEST_WORD_SHARE = 0.35  # a longer "word" (a URL) may break rather than take the page
_SHORT_ROW_LINES = 15  # rows up to this many lines are not split across pages
_SHORT_TABLE_LINES = 25  # tables up to this many lines are kept on one page
# Readable sizes, in the order tried: portrait first, landscape only when portrait cannot hold it.
_SIZES = ((False, 9.0), (False, 8.0), (True, 8.0), (True, 7.0))
_FIXED_DATE = datetime(2000, 1, 1)  # Word stores when a file was made; the same table, the same file


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width of ``text`` on one line, in points, at ``size`` points."""
    total = 0
    for character in text:
        code = ord(character)
        if 32 <= code <= 126:
            total += _HELVETICA[code - 32]
        elif character in _OTHER:
            total += _OTHER[character]
        else:
            base = unicodedata.normalize("NFKD", character)[:1]  # "é" measures as "e"
            total += _HELVETICA[ord(base) - 32] if base and 32 <= ord(base) <= 126 else _UNKNOWN
    return total * size / 1000 * (_BOLD if bold else 1.0)


def _longest_word(text: str, size: float, *, bold: bool = False) -> float:
    return max((text_width(word, size, bold=bold) for word in text.split()), default=0.0)


def _longest_line(text: str, size: float, *, bold: bool = False) -> float:
    return max((text_width(line, size, bold=bold) for line in text.split("\n")), default=0.0)


def estimated_lines(text: str, width: float, size: float, *, bold: bool = False) -> int:
    """How many lines ``text`` takes in a column ``width`` points wide, wrapped at spaces."""
    room = max(width - _CELL_PADDING, 1.0)
    space = text_width(" ", size, bold=bold)
    lines = 0
    for line in text.split("\n"):
        lines += 1
        used = 0.0
        for word in line.split():
            word_width = text_width(word, size, bold=bold)
            if used and used + space + word_width > room:
                lines += 1
                used = 0.0
            # a word wider than the column is broken by the renderer over as many lines as it needs
            lines += max(math.ceil(word_width / room) - 1, 0)
            used = (used + space if used else 0.0) + word_width
    return lines


@dataclass(frozen=True)
class PageWidths:
    """The width between the margins, in points, of a portrait and of a landscape page."""

    portrait: float
    landscape: float


def page_widths(section: Section) -> PageWidths:
    short, long = sorted((section.page_width or 0, section.page_height or 0))
    margins = (section.left_margin or 0) + (section.right_margin or 0)
    return PageWidths(portrait=(short - margins) / 12700, landscape=(long - margins) / 12700)


@dataclass(frozen=True)
class TableLayout:
    widths: tuple[float, ...]  # points, one per column
    size: float  # the font size of the table's text, in points
    landscape: bool

    def row_lines(self, texts: Sequence[str], *, bold: bool = False) -> int:
        return max(
            (estimated_lines(t, w, self.size, bold=bold) for t, w in zip(texts, self.widths, strict=True)),
            default=1,
        )


def plan_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    page: PageWidths,
    *,
    landscape: bool | None = None,
) -> TableLayout:
    """The layout of a table: the first readable size at which every column fits its longest word,
    on a portrait page if it fits there, else landscape (or only the orientation asked for)."""
    sizes = [(turned, size) for turned, size in _SIZES if landscape is None or turned == landscape]
    if landscape is not None and not landscape:
        sizes.append((False, 7.0))
    columns = _measure(header, rows)
    for turned, size in sizes:
        widths = _fit(columns, page.landscape if turned else page.portrait, size, squeeze=False)
        if widths is not None:
            return TableLayout(widths, size, turned)
    # too many columns even for landscape: the smallest size, every column shrunk alike
    turned, size = sizes[-1]
    return TableLayout(
        _fit(columns, page.landscape if turned else page.portrait, size, squeeze=True) or (), size, turned
    )


@dataclass(frozen=True)
class _Column:
    """What a column holds, in ems (widths grow with the font size, so they are measured once)."""

    word: float  # the longest word, the heading's in bold
    line: float  # the longest line of a body cell (of the heading when there are no rows)
    text: float  # the mean width of a body cell's text, unwrapped


def _measure(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[_Column]:
    columns = []
    for heading, *cells in zip(header, *rows, strict=True):
        word = max(_longest_word(heading, 1.0, bold=True), *(_longest_word(c, 1.0) for c in cells), 0.0)
        line = max((_longest_line(c, 1.0) for c in cells), default=_longest_line(heading, 1.0, bold=True))
        text = sum(text_width(c, 1.0) for c in cells) / max(len(cells), 1)
        columns.append(_Column(word, line, text))
    return columns


def _fit(columns: Sequence[_Column], width: float, size: float, *, squeeze: bool) -> tuple[float, ...] | None:
    prose = _PROSE_CHARACTERS * _AVERAGE_CHARACTER
    # the heading may wrap, but not inside a word; the longest line is all a column can use
    natural = [max(c.line, c.word) * size + _CELL_PADDING for c in columns]
    minimum = [
        min(max(c.word, min(c.line, prose)) * size, width * _LONGEST_WORD_SHARE) + _CELL_PADDING
        for c in columns
    ]
    if sum(natural) <= width:
        return tuple(natural)
    if sum(minimum) > width:
        if not squeeze:
            return None
        return tuple(m * width / sum(minimum) for m in minimum)
    return tuple(_share(width - sum(minimum), minimum, natural, [c.text for c in columns]))


def _share(extra: float, minimum: list[float], natural: list[float], weight: list[float]) -> list[float]:
    """Give ``extra`` points to the columns in proportion to how much text they hold, a column
    never past its longest line (what it cannot use goes to the others)."""
    widths = list(minimum)
    growing = {i for i, (low, high) in enumerate(zip(minimum, natural, strict=True)) if high > low}
    while extra > 0.01 and growing:
        total = sum(weight[i] for i in growing)
        shares = {i: extra * (weight[i] / total if total else 1 / len(growing)) for i in growing}
        full = {i for i in growing if widths[i] + shares[i] >= natural[i]}
        if not full:
            for i, share in shares.items():
                widths[i] += share
            break
        for i in full:
            extra -= natural[i] - widths[i]
            widths[i] = natural[i]
        growing -= full
    return widths


def add_table(
    document: Document, header: Sequence[str], rows: Sequence[Sequence[str]], layout: TableLayout
) -> Table:
    """Add a gridded table with ``layout``'s column widths and font size: the heading row repeats
    on every page, short rows are not split across pages and a short table is kept on one page."""
    from docx.shared import Pt

    table: Table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False  # w:tblLayout fixed: the widths below are kept, not worked out again
    _set_table_width(table, sum(layout.widths))
    for column, width in zip(table.columns, layout.widths, strict=True):
        column.width = Pt(width)  # w:gridCol
    _fill(table.rows[0].cells, header, layout, bold=True)
    _row_properties(table.rows[0]._tr, cant_split=True, repeat=True)
    total = layout.row_lines(header, bold=True)
    for texts in rows:
        row = table.add_row()  # type: ignore[no-untyped-call]  # python-docx leaves it unannotated
        _fill(row.cells, texts, layout, bold=False)
        lines = layout.row_lines(texts)
        total += lines
        _row_properties(row._tr, cant_split=lines <= _SHORT_ROW_LINES, repeat=False)
    if total <= _SHORT_TABLE_LINES:
        # Word's way of keeping a table on one page: every row keeps with the next
        for row in table.rows[:-1]:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    keep_with_next(paragraph)
    return table


def _fill(cells: Sequence[object], texts: Sequence[str], layout: TableLayout, *, bold: bool) -> None:
    from docx.shared import Pt
    from docx.table import _Cell

    for cell, text, width in zip(cells, texts, layout.widths, strict=True):
        assert isinstance(cell, _Cell)
        cell.width = Pt(width)  # w:tcW
        # a blank line starts a new paragraph in the cell; a single newline is a line break
        for index, block in enumerate(text.split("\n\n") if text else [""]):
            paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            lines = block.split("\n")
            for number, line in enumerate(lines):
                run = paragraph.add_run(line)
                run.bold = bold or None
                run.font.size = Pt(layout.size)
                run.font.name = TABLE_FONT
                if number < len(lines) - 1:
                    run.add_break()


def _set_table_width(table: Table, points: float) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = table._tbl.tblPr
    width = properties.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        properties.append(width)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(round(points * 20)))


def _row_properties(row: object, *, cant_split: bool, repeat: bool) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.oxml.table import CT_Row

    assert isinstance(row, CT_Row)
    properties = row.get_or_add_trPr()
    # the schema orders cantSplit before tblHeader
    for name, wanted in (("w:cantSplit", cant_split), ("w:tblHeader", repeat)):
        if wanted:
            element = OxmlElement(name)
            element.set(qn("w:val"), "true")
            properties.append(element)


def keep_with_next(paragraph: Paragraph) -> Paragraph:
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def add_caption(document: Document, text: str, *, italic: bool = False) -> Paragraph:
    """A table's caption (bold; a category's title italic), kept on the page of its table and set
    off from whatever ends just above it (often another table)."""
    from docx.shared import Pt

    paragraph = keep_with_next(document.add_paragraph())
    paragraph.paragraph_format.space_before = Pt(10)
    run = paragraph.add_run(text)
    run.bold = not italic or None
    run.italic = italic or None
    return paragraph


def add_note(document: Document, text: str, *, size: float = 8.0) -> Paragraph:
    """A note under a table: small, italic and close to the next, so a key of ten questions does
    not take half a page."""
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(2)
    run = paragraph.add_run(text)
    run.italic = True
    run.font.size = Pt(size)
    return paragraph


def set_landscape(section: Section, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Emu

    short, long = sorted((int(section.page_width or 0), int(section.page_height or 0)))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (long, short) if landscape else (short, long)
    section.page_width, section.page_height = Emu(width), Emu(height)


def start_section(document: Document, *, landscape: bool) -> Section:
    """A new section on a new page, turned to ``landscape`` or back to portrait."""
    from docx.enum.section import WD_SECTION

    section: Section = document.add_section(WD_SECTION.NEW_PAGE)
    set_landscape(section, landscape)
    return section


def new_document(title: str) -> Document:
    """An empty Word document whose properties carry a fixed date, so the same content gives the
    same file."""
    from docx import Document as new

    document = new()
    properties = document.core_properties
    properties.title = title
    properties.author = properties.last_modified_by = "Synthesist"
    properties.created = properties.modified = _FIXED_DATE
    properties.revision = 1
    return document
