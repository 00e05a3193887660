"""Appraisal figures as SVG, in the style of robvis: a traffic-light plot (studies × questions, one
circle per answer) and a summary plot (for each question, the share of studies per answer).

Drawn by our own code for the same reasons as the PRISMA diagram (:mod:`.prisma_svg`): a fixed grid
with nothing for a layout engine to decide, integer coordinates, and text measured with the built-in
DejaVu Sans widths, so the same table gives byte-identical SVG on every machine (a golden file pins
it). PNG and PDF come from this SVG through :func:`synthesist.reporting.prisma_output.convert_svg`.

Colour is never the only carrier of meaning: the colours are from the Okabe–Ito palette, which
stays distinguishable with the common colour-vision deficiencies, and every circle also carries a
symbol (+, −, ?, NA), every bar segment its abbreviation, and the legend says what each means.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from synthesist.appraisal.checklist import AnswerOption
from synthesist.reporting._text_metrics import text_width
from synthesist.reporting.appraisal_table import UNSTATED_MARK, AppraisalTable, TableGroup

__all__ = ["COLOURS", "render_summary_svg", "render_traffic_light_svg"]

# Okabe & Ito (2008), "Color Universal Design": bluish green, vermillion, orange, and a grey
COLOURS = {
    "favourable": ("#009E73", "#ffffff"),  # (fill, symbol colour)
    "unfavourable": ("#D55E00", "#ffffff"),
    "unclear": ("#E69F00", "#000000"),
    "not_applicable": ("#BBBBBB", "#000000"),
}
FONT_FAMILY = "DejaVu Sans, Arial, Helvetica, sans-serif"
SIZE = 12
SMALL = 11
TITLE_SIZE = 13
MARGIN = 20
CELL = 34  # width and height of a grid cell
RADIUS = 13
LINE = 17
LABEL_MAX = 240  # study labels longer than this are shortened with "…"
BAR = 420  # width of a 100% bar
BAR_HEIGHT = 22
GREY, BAND, BLACK, WHITE = "#999999", "#f2f2f2", "#000000", "#ffffff"


def _width(text: str, size: int = SIZE, *, bold: bool = False) -> int:
    return -(-int(text_width(text, size, bold=bold) * 100) // 100)  # ceiling, in whole pixels


def _shorten(text: str, limit: int, size: int = SIZE) -> str:
    if _width(text, size) <= limit:
        return text
    while text and _width(text + "…", size) > limit:
        text = text[:-1]
    return text.rstrip() + "…"


def _text(
    x: int, y: int, text: str, *, size: int = SIZE, bold: bool = False, anchor: str = "start", fill: str = ""
) -> str:
    attributes = f'x="{x}" y="{y}"'
    if anchor != "start":
        attributes += f' text-anchor="{anchor}"'
    if size != SIZE:
        attributes += f' font-size="{size}"'
    if bold:
        attributes += ' font-weight="bold"'
    if fill:
        attributes += f' fill="{fill}"'
    return f"<text {attributes}>{escape(text)}</text>"


def _document(width: int, height: int, title: str, body: list[str]) -> str:
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family={quoteattr(FONT_FAMILY)} font-size="{SIZE}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="{WHITE}"/>',
    ]
    return "\n".join([*head, *body, "</svg>"]) + "\n"


def _circle(cx: int, cy: int, option: AnswerOption | None) -> list[str]:
    if option is None:  # no final answer yet
        return [
            f'<circle cx="{cx}" cy="{cy}" r="{RADIUS}" fill="{WHITE}" stroke="{GREY}" '
            'stroke-dasharray="3 2"/>'
        ]
    fill, ink = COLOURS[option.judgement]
    symbol = option.plot_symbol
    size = 15 if len(symbol) == 1 else 10
    return [
        f"<g><title>{escape(option.label)}</title>",
        f'<circle cx="{cx}" cy="{cy}" r="{RADIUS}" fill="{fill}" stroke="{BLACK}" stroke-width="0.5"/>',
        _text(cx, cy + size * 36 // 100, symbol, size=size, bold=True, anchor="middle", fill=ink),
        "</g>",
    ]


def _legend(table: AppraisalTable, x: int, y: int, *, empty: bool) -> tuple[list[str], int, int]:
    """The answers' circles with their labels in one row; returns the drawing, its width, height."""
    out = ['<g id="legend">', _text(x, y + 4, "Answer:", bold=True)]
    cursor = x + _width("Answer:", bold=True) + 12
    entries: list[tuple[AnswerOption | None, str]] = [(o, o.label) for o in table.checklist.answers]
    if empty:
        entries.append((None, "no final answer yet"))
    for option, label in entries:
        out += _circle(cursor + RADIUS, y, option)
        out.append(_text(cursor + 2 * RADIUS + 6, y + 4, label))
        cursor += 2 * RADIUS + 6 + _width(label) + 18
    out.append("</g>")
    return out, cursor - x, 2 * RADIUS


def _group_title(group: TableGroup, x: int, y: int) -> list[str]:
    return [_text(x, y, group.title, bold=True)] if group.title else []


def render_traffic_light_svg(table: AppraisalTable) -> str:
    """Studies down, questions across, one circle per final answer, the rating at the right."""
    labels = [_shorten(row.study, LABEL_MAX) for row in table.rows] or [""]
    label_width = max(_width(label) for label in labels) + 16
    ratings = [table.rating_cell(row) for row in table.rows]
    rating_width = max([_width("Rating", bold=True), *(_width(r) for r in ratings)]) + 16
    widest = max((len(group.columns) for group in table.groups), default=0)
    grid_width = label_width + widest * CELL + rating_width
    title = f"Critical appraisal: {table.checklist.name}"

    body: list[str] = [_text(MARGIN, MARGIN + TITLE_SIZE, title, size=TITLE_SIZE, bold=True)]
    y = MARGIN + TITLE_SIZE + 14
    empty = False
    for number, group in enumerate(table.groups, start=1):
        body.append(f'<g id="group-{number}">')
        if group.title:
            y += LINE
            body += _group_title(group, MARGIN, y)
            y += 6
        # column headings
        header_y = y + LINE
        for index, column in enumerate(group.columns):
            cx = MARGIN + label_width + index * CELL + CELL // 2
            body.append(_text(cx, header_y, column.heading, size=SMALL, bold=True, anchor="middle"))
        rating_x = MARGIN + label_width + len(group.columns) * CELL + 10
        body.append(_text(rating_x, header_y, "Rating", size=SMALL, bold=True))
        y = header_y + 8
        for index, row in enumerate(group.rows):
            top = y + index * CELL
            if index % 2 == 0:
                body.append(
                    f'<rect x="{MARGIN}" y="{top}" width="{grid_width}" height="{CELL}" fill="{BAND}"/>'
                )
            middle = top + CELL // 2
            body.append(f'<g id="study-{escape(row.ref)}">')
            body.append(_text(MARGIN + 6, middle + 4, _shorten(row.study, LABEL_MAX)))
            for column_index, answer in enumerate(row.cells):
                cx = MARGIN + label_width + column_index * CELL + CELL // 2
                option = table.option(answer)
                empty = empty or option is None
                body += _circle(cx, middle, option)
            body.append(_text(rating_x, middle + 4, table.rating_cell(row)))
            body.append("</g>")
        y += len(group.rows) * CELL + 8
        body.append("</g>")

    legend, legend_width, legend_height = _legend(table, MARGIN, y + 10 + RADIUS, empty=empty)
    body += legend
    y += 10 + legend_height + 14
    notes = []
    if any(row.unstated for row in table.rows):
        notes.append(
            f"{UNSTATED_MARK} rated by a rule for combinations the rating rules' source leaves unstated"
        )
    columns = {c.id: c for group in table.groups for c in group.columns}
    notes += [f"{c.heading}: {c.text}" for c in columns.values()]
    body.append('<g id="notes">')
    for note in notes:
        y += 15
        body.append(_text(MARGIN, y, note, size=SMALL))
    body.append("</g>")
    widths = [
        grid_width,
        legend_width,
        _width(title, TITLE_SIZE, bold=True),
        *(_width(n, SMALL) for n in notes),
    ]
    width = MARGIN + max(widths) + MARGIN
    return _document(width, y + MARGIN, title, body)


def _percent(part: int, whole: int) -> int:
    return (200 * part + whole) // (2 * whole)  # rounded half up, in integers


def render_summary_svg(table: AppraisalTable) -> str:
    """For each question, a bar split by the share of studies giving each final answer."""
    options = list(table.checklist.answers)
    headings = [c.heading for group in table.groups for c in group.columns] or [""]
    label_width = max(_width(h, bold=True) for h in headings) + 14
    title = f"Critical appraisal: {table.checklist.name}, answers per question"
    body: list[str] = [_text(MARGIN, MARGIN + TITLE_SIZE, title, size=TITLE_SIZE, bold=True)]
    y = MARGIN + TITLE_SIZE + 16
    left = MARGIN + label_width
    for number, group in enumerate(table.groups, start=1):
        if not group.columns:
            continue
        body.append(f'<g id="group-{number}">')
        if group.title:
            y += LINE
            body += _group_title(group, MARGIN, y)
            y += 8
        for index, column in enumerate(group.columns):
            answers = [row.cells[index] for row in group.rows if row.cells[index] is not None]
            total = len(answers)
            top = y + 4
            done = 0
            body.append(f'<g id="question-{escape(column.id)}">')
            body.append(_text(MARGIN, top + BAR_HEIGHT // 2 + 4, column.heading, bold=True))
            body.append(
                f'<rect x="{left}" y="{top}" width="{BAR}" height="{BAR_HEIGHT}" '
                f'fill="{WHITE}" stroke="{GREY}"/>'
            )
            for option in options:
                count = answers.count(option.id)
                if not count:
                    continue
                start = left + BAR * done // total
                done += count
                end = left + BAR * done // total
                fill, ink = COLOURS[option.judgement]
                body.append(
                    f'<rect x="{start}" y="{top}" width="{end - start}" height="{BAR_HEIGHT}" fill="{fill}">'
                    f"<title>{escape(option.label)}: {count} of {total}</title></rect>"
                )
                # the share when it fits, else at least the abbreviation: never colour alone
                label = f"{option.abbreviation} {_percent(count, total)}%"
                if _width(label, SMALL) + 6 > end - start:
                    label = option.abbreviation
                if _width(label, SMALL) + 4 <= end - start:
                    centre = (start + end) // 2
                    body.append(
                        _text(centre, top + BAR_HEIGHT // 2 + 4, label, size=SMALL, anchor="middle", fill=ink)
                    )
            body.append(_text(left + BAR + 8, top + BAR_HEIGHT // 2 + 4, f"n = {total}", size=SMALL))
            body.append("</g>")
            y += BAR_HEIGHT + 8
        body.append("</g>")
    # the legend: a swatch with the abbreviation for each answer
    y += 26
    x = MARGIN
    body.append('<g id="legend">')
    for option in options:
        fill, ink = COLOURS[option.judgement]
        body.append(f'<rect x="{x}" y="{y - 11}" width="{BAR_HEIGHT}" height="16" fill="{fill}"/>')
        body.append(
            _text(
                x + BAR_HEIGHT // 2,
                y + 1,
                option.abbreviation,
                size=SMALL - 1,
                bold=True,
                anchor="middle",
                fill=ink,
            )
        )
        label = f"{option.label}"
        body.append(_text(x + BAR_HEIGHT + 6, y + 1, label))
        x += BAR_HEIGHT + 6 + _width(label) + 18
    body.append("</g>")
    y += 10
    notes = ["Share of the studies with a final answer to each question; n = how many studies that is."]
    notes += [f"{c.heading}: {c.text}" for group in table.groups for c in group.columns]
    for note in dict.fromkeys(notes):
        y += 15
        body.append(_text(MARGIN, y + 6, note, size=SMALL))
    widths = [label_width + BAR + 60, x - MARGIN, _width(title, TITLE_SIZE, bold=True)]
    width = MARGIN + max([*widths, *(_width(n, SMALL) for n in notes)]) + MARGIN
    return _document(width, y + 6 + MARGIN, title, body)
