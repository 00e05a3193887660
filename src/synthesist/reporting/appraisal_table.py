"""The appraisal table (the reference review's Table S3): one row per included study, one column per
checklist question with the final answer abbreviated (Y / N / CT), and the study's rating; then the
counts per rating and how the ratings were made. Written as Markdown, CSV, HTML or Word.

The writers take a finished :class:`AppraisalTable` (from
:func:`synthesist.services.appraisal.views.appraisal_table`), so every format says the same. A
checklist with categories (MMAT) gets one table per category, since each has its own questions.
CSV is one sheet with every question's column, for analysis. Each format is written by the
renderers of :mod:`synthesist.reporting.tables`. Markdown, CSV and HTML are byte-stable for the same
table; a Word file carries a fixed date for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from synthesist.appraisal.checklist import AnswerOption, Checklist
from synthesist.appraisal.rules import RuleSet
from synthesist.reporting.tables import (
    Cell,
    CellKind,
    Column,
    NoteStyle,
    Table,
    csv_table,
    docx_document,
    html_document,
    markdown_document,
)

__all__ = [
    "TABLE_FORMATS",
    "UNSTATED_MARK",
    "AppraisalTable",
    "TableColumn",
    "TableGroup",
    "TableRow",
    "analysis_table",
    "answer_cell",
    "display_tables",
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
    if format_name == "csv":
        return csv_table(analysis_table(table))
    tables = display_tables(table)
    if format_name == "md":
        return markdown_document(table.title, tables, NoteStyle.LINES)
    if format_name == "html":
        return html_document(table.title, tables, style=_STYLE, heading=True)
    if format_name == "docx":
        return docx_document(table.title, tables)
    raise KeyError(format_name)


def answer_cell(table: AppraisalTable, answer: str | None) -> Cell:
    option = table.option(answer)
    if option is None:
        return Cell("", CellKind.ANSWER)
    # the colour helps; the abbreviation and its meaning on hover carry the answer for every reader
    return Cell(option.abbreviation, CellKind.ANSWER, meaning=option.label, judgement=option.judgement)


def display_tables(table: AppraisalTable) -> list[Table]:
    """One table per category (one in all for a checklist without categories), each question's
    heading explained under it; the notes under the last."""
    tables = []
    for index, group in enumerate(table.groups):
        header = (
            Column("Study"),
            *(Column(c.heading, c.text, centred=True) for c in group.columns),
            Column("Rating"),
        )
        rows: tuple[tuple[str | Cell, ...], ...] = tuple(
            (row.study, *(answer_cell(table, answer) for answer in row.cells), table.rating_cell(row))
            for row in group.rows
        )
        notes = tuple(table.notes()) if index == len(table.groups) - 1 else ()
        tables.append(Table(header, rows, group.title, notes, row_headers=True))
    return tables


def analysis_table(table: AppraisalTable) -> Table:
    """For analysis: one sheet, a row per study and a column per question of every category."""
    columns: dict[str, TableColumn] = {}
    for group in table.groups:
        for column in group.columns:
            columns.setdefault(column.id, column)
    order = [q.id for q in table.checklist.questions if q.id in columns]
    rows = []
    for group in table.groups:
        for row in group.rows:
            answers = dict(zip([c.id for c in group.columns], row.cells, strict=True))
            rows.append(
                (
                    row.study,
                    row.ref,
                    group.title or "",
                    *(table.cell(answers.get(q)) for q in order),
                    row.rating or "",
                    "" if row.rule is None else str(row.rule + 1),
                    "yes" if row.unstated else "",
                    row.status,
                )
            )
    header = ("study", "study_ref", "category", *order, "rating", "rating_rule", "unstated", "status")
    return Table(header, tuple(rows))


_STYLE = """
body { font-family: sans-serif; margin: 2em; }
h1 { font-size: 1.1em; }
table { border-collapse: collapse; font-size: 0.85em; margin-bottom: 1em; }
caption { font-weight: bold; text-align: left; margin-bottom: 0.5em; }
th, td { border: 1px solid #999; padding: 0.3em 0.5em; text-align: left; }
td.answer { text-align: center; font-weight: bold; }
.favourable { background: #cdeee3; }
.unfavourable { background: #f6d2bd; }
.unclear { background: #fbe7bf; }
.not_applicable { background: #e6e6e6; }
dl.key { font-size: 0.85em; display: grid; grid-template-columns: max-content auto; gap: 0 1em; }
dl.key dd { margin: 0; }
.note { font-style: italic; font-size: 0.85em; }
"""
