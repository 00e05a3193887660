"""Draw the PRISMA 2020 flow diagram from :class:`~synthesist.reporting.prisma.PrismaCounts` as SVG.

Why our own SVG and not graphviz: the PRISMA 2020 diagram is a fixed template (Page et al. 2021,
Figure 1): four columns of boxes in five rows, grey phase labels on the left, two column headers. There
is nothing for a layout engine to decide, and graphviz decides it anyway: ``dot`` places nodes by rank
and moves side boxes and elbow arrows wherever its heuristics want, and its output (ids, coordinates,
version comments) changes between graphviz releases, so a golden file could not pin it. Graphviz would
also need the ``dot`` binary on every machine. Here every position is computed from the box contents
with integer arithmetic, so the same counts give byte-identical SVG everywhere; the only thing measured
is text width, from a built-in table of DejaVu Sans widths (:mod:`._text_metrics`), to wrap text to the
box width.

While a record or report still awaits a decision the diagram says so: an "Interim" line above the
headers, and the numbers awaiting a decision beside those excluded. A final diagram has neither, so
its bytes do not change.

PNG and PDF are converted from this SVG (:mod:`synthesist.reporting.prisma_output`), so all three
formats show the same drawing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from synthesist.reporting._text_metrics import text_width
from synthesist.reporting.prisma import MANUAL_FILE_NAME, NamedCount, PrismaCounts

__all__ = [
    "DATABASES_HEADER",
    "INTERIM_LABEL",
    "MANUAL_NOTE",
    "OTHER_METHODS_HEADER",
    "render_prisma_svg",
]

DATABASES_HEADER = "Identification of studies via databases and registers"
OTHER_METHODS_HEADER = "Identification of studies via other methods"
MANUAL_NOTE = f"* given in {MANUAL_FILE_NAME}, not derived from Synthesist's records"
INTERIM_LABEL = "Interim"  # starts the line above an unfinished diagram: "Interim: 1 report awaits ..."

FONT_FAMILY = "DejaVu Sans, Arial, Helvetica, sans-serif"  # measured font first; see _text_metrics
SIZE = 12
HEADING_SIZE = 13
NOTE_SIZE = 11
LINE = 15  # line height of box text
BASELINE = 12  # from the top of a line box to its baseline
PAD_X = 8
PAD_Y = 7
INDENT = 14  # per list level
MARGIN = 20
PHASE_WIDTH = 28
PHASE_GAP = 16
COLUMN = 260  # width of every box column
ARROW_GAP = 40  # between a column and its side column, and between the two column groups
ROW_GAP = 36  # room for the downward arrows
HEADER_GAP = 20

WHITE, BLACK = "#ffffff", "#000000"
PHASE_FILL = "#d9d9d9"
DATABASES_FILL = "#ffd966"  # the template's yellow header
OTHER_FILL = "#d9d9d9"  # and its grey one
INTERIM_COLOUR = "#a63d00"  # Okabe-Ito vermillion, darkened to read as text
INTERIM_GAP = 10  # between the interim line and the headers

# x of the four box columns: databases (A) and its side boxes (B), other methods (C) and its side (D)
_A = MARGIN + PHASE_WIDTH + PHASE_GAP
_B = _A + COLUMN + ARROW_GAP
_C = _B + COLUMN + ARROW_GAP
_D = _C + COLUMN + ARROW_GAP

_PHASES = (("Identification", 0, 0), ("Screening", 1, 3), ("Included", 4, 4))  # label, first, last row


@dataclass(frozen=True, slots=True)
class _Item:
    """One entry of a box: ``text (n = count)tail``, the count part never split across lines."""

    text: str
    count: int | None = None
    manual: bool = False
    indent: int = 0
    tail: str = ""


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    indent: int


@dataclass(frozen=True, slots=True)
class _Box:
    key: str  # the element id, so tests and stylesheets can find a box
    column: int  # x of the box
    row: int
    items: tuple[_Item, ...]
    centred: bool = False
    width: int = COLUMN
    fill: str = WHITE
    size: int = SIZE
    bold: bool = False

    def lines(self) -> list[_Line]:
        return [line for item in self.items for line in _wrap(item, self)]

    def height(self) -> int:
        return 2 * PAD_Y + LINE * len(self.lines())


def _suffix(item: _Item) -> str:
    if item.count is None:
        return item.tail
    return f"(n = {item.count:,}){'*' if item.manual else ''}{item.tail}"


def _wrap(item: _Item, box: _Box) -> list[_Line]:
    """Greedy word wrap to the box width; the ``(n = ...)`` part is one unbreakable word."""
    available = box.width - 2 * PAD_X - item.indent * INDENT
    words = item.text.split()
    suffix = _suffix(item)
    if suffix:
        if words and item.count is None:
            words[-1] += suffix  # a bare tail such as ":" sticks to the last word
        else:
            words.append(suffix)

    def fits(text: str) -> bool:
        return text_width(text, box.size, bold=box.bold) <= available

    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if fits(candidate):
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while not fits(current) and len(current) > 1:  # a word wider than the box: cut it
            cut = next(i for i in range(len(current), 0, -1) if fits(current[:i]) or i == 1)
            lines.append(current[:cut])
            current = current[cut:]
    if current or not lines:
        lines.append(current)
    return [_Line(text, item.indent) for text in lines]


# -- contents --------------------------------------------------------------------------------------------
def _entries(
    counts: PrismaCounts, field_name: str, entries: Iterable[NamedCount], indent: int
) -> list[_Item]:
    return [
        _Item(entry.name or "Reason not recorded", entry.n, counts.is_manual(field_name, entry.name), indent)
        for entry in entries
    ]


# the boxes holding one number: element id, column, row, words, field
_SIMPLE_BOXES = (
    ("records-screened", _A, 1, "Records screened", "records_screened"),
    ("records-excluded", _B, 1, "Records excluded", "records_excluded"),
    ("reports-sought", _A, 2, "Reports sought for retrieval", "reports_sought"),
    ("reports-not-retrieved", _B, 2, "Reports not retrieved", "reports_not_retrieved"),
    ("reports-assessed", _A, 3, "Reports assessed for eligibility", "reports_assessed"),
)
_OTHER_SIMPLE_BOXES = (
    ("other-reports-sought", _C, 2, "Reports sought for retrieval", "other_reports_sought"),
    ("other-reports-not-retrieved", _D, 2, "Reports not retrieved", "other_reports_not_retrieved"),
    ("other-reports-assessed", _C, 3, "Reports assessed for eligibility", "other_reports_assessed"),
)


def _boxes(counts: PrismaCounts) -> list[_Box]:
    def item(text: str, field_name: str, indent: int = 0) -> _Item:
        return _Item(text, getattr(counts, field_name), counts.is_manual(field_name), indent)

    def simple(key: str, column: int, row: int, text: str, field_name: str) -> _Box:
        return _Box(key, column, row, (item(text, field_name),), centred=True)

    m = counts.is_manual
    identified = (
        _Item("Records identified from:"),
        _Item("Databases", counts.database_records, m("database_records") or m("databases"), 1),
        *_entries(counts, "databases", counts.databases, 2),
        _Item("Registers", counts.register_records, m("register_records") or m("registers"), 1),
        *_entries(counts, "registers", counts.registers, 2),
    )
    removed = (
        _Item("Records removed before screening:"),
        item("Duplicate records removed", "duplicates_removed", 1),
        item("Records marked as ineligible by automation tools", "automation_removed", 1),
        item("Records removed for other reasons", "other_removed", 1),
    )
    included = (
        item("Studies included in review", "studies_included"),
        item("Reports of included studies", "reports_included"),
    )
    awaiting = item("Records awaiting a decision", "records_awaiting")
    boxes = [
        _Box("records-identified", _A, 0, identified),
        _Box("records-removed", _B, 0, removed),
        *(
            _Box(spec[0], spec[1], spec[2], (item(spec[3], spec[4]), awaiting), centred=True)
            if spec[4] == "records_excluded" and counts.records_awaiting
            else simple(*spec)
            for spec in _SIMPLE_BOXES
        ),
        _excluded_box("reports-excluded", _B, counts, "reports_excluded"),
        _Box("studies-included", _A, 4, included, centred=True),
    ]
    if counts.has_other_methods:
        boxes.append(_other_identified(counts))
    if counts.other_reports_column:
        boxes += [simple(*spec) for spec in _OTHER_SIMPLE_BOXES]
        boxes.append(_excluded_box("other-reports-excluded", _D, counts, "other_reports_excluded"))
    return boxes


def _excluded_box(key: str, column: int, counts: PrismaCounts, field_name: str) -> _Box:
    reasons: tuple[NamedCount, ...] = getattr(counts, field_name)
    total = sum(entry.n for entry in reasons)
    # a single reason without a name is a bare total (as the PRISMA2020 CSV allows): no list under it
    listed = () if len(reasons) == 1 and not reasons[0].name else reasons
    head = _Item("Reports excluded", total, counts.is_manual(field_name), tail=":" if listed else "")
    items = [head, *_entries(counts, field_name, listed, 1)]
    if field_name == "reports_excluded" and counts.reports_awaiting:
        items.append(
            _Item(
                "Reports awaiting a decision", counts.reports_awaiting, counts.is_manual("reports_awaiting")
            )
        )
    return _Box(key, column, 3, tuple(items), centred=not listed)


def _other_identified(counts: PrismaCounts) -> _Box:
    sources = counts.other_sources
    if len(sources) > 1:
        head = _Item(
            "Records identified", counts.other_records, counts.is_manual("other_sources"), tail=" from:"
        )
    else:
        head = _Item("Records identified from:")
    items = [head, *_entries(counts, "other_sources", sources, 1)]
    if counts.other_records_screened:
        items.append(
            _Item(
                "Screened with the records from databases and registers",
                counts.other_records_screened,
                counts.is_manual("other_records_screened"),
            )
        )
    return _Box("other-records-identified", _C, 0, tuple(items))


def _header(key: str, left: int, right: int, text: str, fill: str) -> _Box:
    return _Box(key, left, -1, (_Item(text),), True, right - left, fill, HEADING_SIZE, True)


# -- layout and drawing -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Placed:
    box: _Box
    x: int
    y: int
    height: int

    @property
    def right(self) -> int:
        return self.x + self.box.width

    @property
    def bottom(self) -> int:
        return self.y + self.height

    @property
    def centre_x(self) -> int:
        return self.x + self.box.width // 2

    @property
    def centre_y(self) -> int:
        return self.y + self.height // 2


def render_prisma_svg(counts: PrismaCounts, *, manual_note: str = MANUAL_NOTE) -> str:
    """The diagram as an SVG document (UTF-8 text); the same counts always give the same bytes."""
    boxes = _boxes(counts)
    other = counts.has_other_methods
    last_column = (_D if counts.other_reports_column else _C) if other else _B
    right_edge = last_column + COLUMN

    headers = [_header("header-databases", _A, _B + COLUMN, DATABASES_HEADER, DATABASES_FILL)]
    if other:
        headers.append(_header("header-other-methods", _C, right_edge, OTHER_METHODS_HEADER, OTHER_FILL))
    header_height = max(box.height() for box in headers)
    # an interim diagram opens with a line saying so; everything else moves down by its height
    top = MARGIN + (LINE + INTERIM_GAP if counts.interim else 0)

    heights = [max((b.height() for b in boxes if b.row == row), default=0) for row in range(5)]
    # a phase label must fit along its bar: grow the phase's last row if the boxes are shorter
    for label, first, last in _PHASES:
        needed = int(text_width(label, HEADING_SIZE, bold=True)) + 2 * PAD_X
        span = sum(heights[first : last + 1]) + ROW_GAP * (last - first)
        heights[last] += max(0, needed - span)
    tops = []
    y = top + header_height + HEADER_GAP
    for height in heights:
        tops.append(y)
        y += height + ROW_GAP
    bottom = tops[-1] + heights[-1]

    placed = {
        b.key: _Placed(b, b.column, tops[b.row] + (heights[b.row] - b.height()) // 2, b.height())
        for b in boxes
    }
    marked = any(item.manual for b in boxes for item in b.items)
    height = bottom + (MARGIN + LINE if marked else 0) + MARGIN
    width = right_edge + MARGIN

    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family={quoteattr(FONT_FAMILY)} font-size="{SIZE}">',
        f"<title>PRISMA 2020 flow diagram{' (interim)' if counts.interim else ''}</title>",
        "<defs>",
        f'<marker id="arrowhead" markerWidth="10" markerHeight="8" refX="10" refY="4" orient="auto" '
        f'markerUnits="userSpaceOnUse"><path d="M0,0 L10,4 L0,8 Z" fill="{BLACK}"/></marker>',
        "</defs>",
        f'<rect width="{width}" height="{height}" fill="{WHITE}"/>',
    ]
    if counts.interim:
        out.append(
            f'<g id="interim" fill="{INTERIM_COLOUR}">'
            + _text(_A, MARGIN + BASELINE, f"{INTERIM_LABEL}: {counts.awaiting_words()}", bold=True)
            + "</g>"
        )
    for label, first, last in _PHASES:
        out += _phase(label, tops[first], tops[last] + heights[last])
    for header in headers:
        out += _draw_box(
            _Placed(header, header.column, top + (header_height - header.height()) // 2, header.height()),
            rounded=True,
        )
    out += _arrows(placed, counts)
    for key in sorted(placed, key=lambda k: (placed[k].box.row, placed[k].x)):
        out += _draw_box(placed[key])
    if marked:
        out.append(_text(_A, bottom + MARGIN + BASELINE, manual_note, size=NOTE_SIZE))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _text(
    x: int, y: int, text: str, *, size: int = SIZE, bold: bool = False, anchor: str = "start", extra: str = ""
) -> str:
    attributes = f'x="{x}" y="{y}"'
    if anchor != "start":
        attributes += f' text-anchor="{anchor}"'
    if size != SIZE:
        attributes += f' font-size="{size}"'
    if bold:
        attributes += ' font-weight="bold"'
    return f"<text {attributes}{extra}>{escape(text)}</text>"


def _phase(label: str, top: int, bottom: int) -> list[str]:
    centre_x = MARGIN + PHASE_WIDTH // 2
    centre_y = (top + bottom) // 2
    baseline = centre_x + HEADING_SIZE * 35 // 100  # rotated: the baseline runs vertically
    return [
        f'<g id="phase-{label.lower()}">',
        f'<rect x="{MARGIN}" y="{top}" width="{PHASE_WIDTH}" height="{bottom - top}" rx="4" '
        f'fill="{PHASE_FILL}"/>',
        _text(
            baseline,
            centre_y,
            label,
            size=HEADING_SIZE,
            bold=True,
            anchor="middle",
            extra=f' transform="rotate(-90 {baseline} {centre_y})"',
        ),
        "</g>",
    ]


def _draw_box(placed: _Placed, *, rounded: bool = False) -> list[str]:
    box = placed.box
    corner = ' rx="6"' if rounded else ""
    out = [
        f'<g id="{box.key}">',
        f'<rect x="{placed.x}" y="{placed.y}" width="{box.width}" height="{placed.height}"{corner} '
        f'fill="{box.fill}" stroke="{BLACK}"/>',
    ]
    for index, line in enumerate(box.lines()):
        y = placed.y + PAD_Y + BASELINE + index * LINE
        if box.centred:
            out.append(_text(placed.centre_x, y, line.text, size=box.size, bold=box.bold, anchor="middle"))
        else:
            out.append(
                _text(placed.x + PAD_X + line.indent * INDENT, y, line.text, size=box.size, bold=box.bold)
            )
    out.append("</g>")
    return out


def _arrows(placed: dict[str, _Placed], counts: PrismaCounts) -> list[str]:
    def down(upper: str, lower: str) -> str:
        a, b = placed[upper], placed[lower]
        return _path(f"M{a.centre_x},{a.bottom} V{b.y}")

    def across(left: str, right: str) -> str:
        a, b = placed[left], placed[right]
        return _path(f"M{a.right},{a.centre_y} H{b.x}")

    paths = [
        across("records-identified", "records-removed"),
        down("records-identified", "records-screened"),
        across("records-screened", "records-excluded"),
        down("records-screened", "reports-sought"),
        across("reports-sought", "reports-not-retrieved"),
        down("reports-sought", "reports-assessed"),
        across("reports-assessed", "reports-excluded"),
        down("reports-assessed", "studies-included"),
    ]
    if counts.has_other_methods and counts.other_records_screened:
        # records from other methods join the database records before screening
        # halfway down the gap under the identification row, clear of every box in it
        source, target = placed["other-records-identified"], placed["records-screened"]
        join = (max(p.bottom for p in placed.values() if p.box.row == 0) + target.y) // 2
        paths.append(_path(f"M{source.centre_x},{source.bottom} V{join} H{target.centre_x}"))
    if counts.other_reports_column:
        included = placed["studies-included"]
        assessed = placed["other-reports-assessed"]
        paths += [
            down("other-records-identified", "other-reports-sought"),
            across("other-reports-sought", "other-reports-not-retrieved"),
            down("other-reports-sought", "other-reports-assessed"),
            across("other-reports-assessed", "other-reports-excluded"),
            _path(f"M{assessed.centre_x},{assessed.bottom} V{included.centre_y} H{included.right}"),
        ]
    return ['<g id="arrows" fill="none" stroke="#000000">', *paths, "</g>"]


def _path(d: str) -> str:
    return f'<path d="{d}" marker-end="url(#arrowhead)"/>'
