"""The appraisal table (the reference review's Table S3): one row per included study, one column per
checklist question with the final answer abbreviated (Y / N / CT), and the study's rating; then the
counts per rating and how the ratings were made. Written as Markdown, CSV, HTML or Word.

The writers take a finished :class:`AppraisalTable` (from
:func:`synthesist.services.appraisal.views.appraisal_table`), so every format says the same. A
checklist with categories (MMAT) gets one table per category, since each has its own questions.
CSV is one sheet with every question's column, for analysis. Markdown, CSV and HTML are byte-stable
for the same table; a Word file carries a fixed date for the same reason.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from dataclasses import dataclass

from synthesist.appraisal.checklist import AnswerOption, Checklist
from synthesist.appraisal.rules import RuleSet
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

__all__ = [
    "TABLE_FORMATS",
    "UNSTATED_MARK",
    "AppraisalTable",
    "TableColumn",
    "TableGroup",
    "TableRow",
    "render_table",
]

TABLE_FORMATS = ("md", "csv", "html", "docx")
UNSTATED_MARK = "†"


@dataclass(frozen=True)
class TableColumn:
    id: str
    heading: str  # "Q1"
    text: str  # the question


@dataclass(frozen=True)
class TableRow:
    study: str
    ref: str  # how to name the study on the command line
    cells: tuple[str | None, ...]  # the final answer id per column, None when there is none yet
    rating: str | None
    rule: int | None  # 0-based index of the rule that gave the rating
    unstated: bool  # rated by a rule for combinations the rules' source leaves unstated
    status: str


@dataclass(frozen=True)
class TableGroup:
    title: str | None  # the category, for a checklist with categories
    columns: tuple[TableColumn, ...]
    rows: tuple[TableRow, ...]


@dataclass(frozen=True)
class AppraisalTable:
    checklist: Checklist
    groups: tuple[TableGroup, ...]
    ratings: tuple[str, ...]  # in the rules' order
    rules: RuleSet | None
    default_rules: bool
    rule_words: str | None = None
    dual: bool = False

    @property
    def title(self) -> str:
        return f"Critical appraisal of the included studies: {self.checklist.name}, {self.checklist.version}"

    @property
    def rows(self) -> list[TableRow]:
        return [row for group in self.groups for row in group.rows]

    def option(self, answer: str | None) -> AnswerOption | None:
        return next((o for o in self.checklist.answers if o.id == answer), None)

    def cell(self, answer: str | None) -> str:
        option = self.option(answer)
        return option.abbreviation if option else ""

    def rating_cell(self, row: TableRow) -> str:
        if row.rating is None:
            return f"not rated ({row.status})" if self.rules is not None else ""
        return f"{row.rating} {UNSTATED_MARK}" if row.unstated else row.rating

    def rating_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(self.ratings, 0)
        for row in self.rows:
            if row.rating is not None:
                counts[row.rating] += 1
        not_rated = sum(1 for row in self.rows if row.rating is None)
        if not_rated and self.rules is not None:
            counts["not rated yet"] = not_rated
        return counts

    def notes(self) -> list[str]:
        """What a reader needs under the table: the abbreviations, the ratings and their rules."""
        notes = ["; ".join(f"{o.abbreviation} = {o.label}" for o in self.checklist.answers) + "."]
        if self.rules is None:
            notes.append("No overall rating: the protocol gives no rating rules.")
            return notes
        counts = self.rating_counts()
        notes.append(
            "Studies per rating: " + "; ".join(f"{rating} {count}" for rating, count in counts.items()) + "."
        )
        source = "the reference review's Table 1 (the default)" if self.default_rules else "the protocol"
        labels = self.checklist.labels
        rules = "; ".join(f"{r.rating}: {r.words(labels)}" for r in self.rules.rules if not r.unstated)
        notes.append(f"Rating rules, from {source}; answers a rule does not name may be any number: {rules}.")
        if self.rule_words:
            notes.append(f"Rating rule as the protocol states it: {self.rule_words}")
        for index, rule in enumerate(self.rules.rules):
            if rule.unstated:
                marked = [row.study for row in self.rows if row.rule == index]
                which = f" ({', '.join(marked)})" if marked else " (no study)"
                note = rule.note or f"combinations the rules' source leaves unstated are rated {rule.rating}"
                notes.append(f"{UNSTATED_MARK} {note}{which}")
        return notes


def render_table(table: AppraisalTable, format_name: str) -> bytes:
    """The table in one of :data:`TABLE_FORMATS`, as the bytes of a file."""
    writers: dict[str, Callable[[AppraisalTable], bytes]] = {
        "md": _markdown,
        "csv": _csv,
        "html": _html,
        "docx": _docx,
    }
    return writers[format_name](table)


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _markdown(table: AppraisalTable) -> bytes:
    lines = [f"**{_md(table.title)}**", ""]
    for group in table.groups:
        if group.title:
            lines += [f"*{_md(group.title)}*", ""]
        headings = ["Study", *(c.heading for c in group.columns), "Rating"]
        lines.append("| " + " | ".join(_md(h) for h in headings) + " |")
        lines.append("|---|" + ":-:|" * len(group.columns) + "---|")
        for row in group.rows:
            cells = [row.study, *(table.cell(a) for a in row.cells), table.rating_cell(row)]
            lines.append("| " + " | ".join(_md(c) for c in cells) + " |")
        lines.append("")
        lines += [f"{_md(c.heading)}: {_md(c.text)}  " for c in group.columns]
        if group.columns:
            lines.append("")
    lines += [f"*{_md(note)}*  " for note in table.notes()]
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")


def _csv(table: AppraisalTable) -> bytes:
    columns: dict[str, TableColumn] = {}
    for group in table.groups:
        for column in group.columns:
            columns.setdefault(column.id, column)
    order = [q.id for q in table.checklist.questions if q.id in columns]
    out = io.StringIO(newline="")
    writer = safe_writer(out, lineterminator="\r\n")
    writer.writerow(["study", "study_ref", "category", *order, "rating", "rating_rule", "unstated", "status"])
    for group in table.groups:
        for row in group.rows:
            answers = dict(zip([c.id for c in group.columns], row.cells, strict=True))
            writer.writerow(
                [
                    row.study,
                    row.ref,
                    group.title or "",
                    *(table.cell(answers.get(q)) for q in order),
                    row.rating or "",
                    "" if row.rule is None else row.rule + 1,
                    "yes" if row.unstated else "",
                    row.status,
                ]
            )
    return out.getvalue().encode("utf-8-sig")  # so that Excel reads the accents right


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _html(table: AppraisalTable) -> bytes:
    parts: list[str] = []
    for group in table.groups:
        caption = _h(group.title or table.title)
        head = "".join(f'<th scope="col" title="{_h(c.text)}">{_h(c.heading)}</th>' for c in group.columns)
        body = []
        for row in group.rows:
            cells = "".join(_html_answer(table, answer) for answer in row.cells)
            rating = _h(table.rating_cell(row))
            body.append(f'<tr><th scope="row">{_h(row.study)}</th>{cells}<td>{rating}</td></tr>')
        parts.append(
            f"<table>\n<caption>{caption}</caption>\n"
            f'<thead><tr><th scope="col">Study</th>{head}<th scope="col">Rating</th></tr></thead>\n'
            "<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>"
        )
        if group.columns:
            parts.append(
                '<dl class="questions">'
                + "".join(f"<dt>{_h(c.heading)}</dt><dd>{_h(c.text)}</dd>" for c in group.columns)
                + "</dl>"
            )
    notes = "\n".join(f'<p class="note">{_h(note)}</p>' for note in table.notes())
    title = _h(table.title)
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
h1 {{ font-size: 1.1em; }}
table {{ border-collapse: collapse; font-size: 0.85em; margin-bottom: 1em; }}
caption {{ font-weight: bold; text-align: left; margin-bottom: 0.5em; }}
th, td {{ border: 1px solid #999; padding: 0.3em 0.5em; text-align: left; }}
td.answer {{ text-align: center; font-weight: bold; }}
.favourable {{ background: #cdeee3; }}
.unfavourable {{ background: #f6d2bd; }}
.unclear {{ background: #fbe7bf; }}
.not_applicable {{ background: #e6e6e6; }}
dl.questions {{ font-size: 0.85em; display: grid; grid-template-columns: max-content auto; gap: 0 1em; }}
dl.questions dd {{ margin: 0; }}
.note {{ font-style: italic; font-size: 0.85em; }}
</style>
</head>
<body>
<h1>{title}</h1>
{chr(10).join(parts)}
{notes}
</body>
</html>
"""
    return page.encode("utf-8")


def _html_answer(table: AppraisalTable, answer: str | None) -> str:
    option = table.option(answer)
    if option is None:
        return '<td class="answer"></td>'
    # the colour helps; the abbreviation and its title carry the answer for every reader
    return f'<td class="answer {option.judgement}" title="{_h(option.label)}">{_h(option.abbreviation)}</td>'


def _docx(table: AppraisalTable) -> bytes:
    document = new_document(table.title)
    page = page_widths(document.sections[0])
    grids = [
        (
            group,
            ["Study", *(c.heading for c in group.columns), "Rating"],
            [[row.study, *(table.cell(a) for a in row.cells), table.rating_cell(row)] for row in group.rows],
        )
        for group in table.groups
    ]
    # one section for the whole file: landscape if any category's table needs it
    landscape = any(plan_table(headings, rows, page).landscape for _, headings, rows in grids)
    set_landscape(document.sections[0], landscape)
    add_caption(document, table.title)
    for group, headings, rows in grids:
        if group.title:
            add_caption(document, group.title, italic=True)
        layout = plan_table(headings, rows, page, landscape=landscape)
        add_table(document, headings, rows, layout)
        for column in group.columns:
            add_note(document, f"{column.heading}: {column.text}", size=layout.size)
    for note in table.notes():
        add_note(document, note, size=9)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
