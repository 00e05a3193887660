"""The one table model and its renderers: each format's escaping rule holds for any text (a cell
reads back as it was written, nothing in it can end a cell or start markup), and the cell kinds
render as the formats say."""

from __future__ import annotations

import csv
import html
import io
import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from synthesist.exporting.safe_csv import FORMULA_PREFIXES, restore_cell
from synthesist.reporting.characteristics import CharacteristicsTable, write_table
from synthesist.reporting.tables import (
    Cell,
    CellKind,
    Column,
    NoteStyle,
    Table,
    csv_table,
    docx_document,
    html_document,
    html_table,
    markdown_document,
    markdown_table,
    markdown_text,
)

# any text a reviewer may type, with the characters each format treats specially made likely
TEXT = st.text(
    st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc")),
        st.sampled_from("\n|*_`[]<>&\"'\\#=+-@ "),
    ),
    max_size=30,
)


@st.composite
def tables(draw: st.DrawFn) -> Table:
    width = draw(st.integers(1, 4))
    header = tuple(draw(st.lists(TEXT, min_size=width, max_size=width)))
    rows = draw(st.lists(st.lists(TEXT, min_size=width, max_size=width).map(tuple), max_size=4))
    return Table(header, tuple(rows), draw(TEXT), tuple(draw(st.lists(TEXT, max_size=2))))


# -- Markdown ------------------------------------------------------------------------------------


def _markdown_unescape(text: str) -> str:
    return html.unescape(re.sub(r"\\(.)", r"\1", text.replace("<br>", "\n"), flags=re.DOTALL))


def _markdown_cells(line: str) -> list[str]:
    """A rendered row split at its unescaped pipes (a backslash escapes the next character)."""
    cells, current, index = [], "", 0
    inner = line[2:-2]  # "| " ... " |"
    while index < len(inner):
        if inner[index] == "\\":
            current += inner[index : index + 2]
            index += 2
        elif inner.startswith(" | ", index):
            cells.append(current)
            current, index = "", index + 3
        else:
            current += inner[index]
            index += 1
    return [*cells, current]


@given(TEXT)
def test_markdown_text_reads_back_and_starts_no_markup(text: str) -> None:
    escaped = markdown_text(text)
    assert _markdown_unescape(escaped) == text
    assert "\n" not in escaped and "<" not in escaped.replace("<br>", "")
    unescaped_special = re.findall(r"(?<!\\)(?:\\\\)*[|*_`\[\]]", escaped)
    assert not unescaped_special


@settings(max_examples=60)
@given(tables())
def test_a_markdown_row_has_its_cells_whatever_they_say(table: Table) -> None:
    lines = markdown_table(table)
    if table.caption:  # an empty caption is left out
        assert lines[:2] == [f"**{markdown_text(table.caption)}**", ""]
        lines = lines[2:]
    header, separator, *rows = lines[: 2 + len(table.rows)]
    assert separator == "|" + "---|" * len(table.header)
    assert [_markdown_unescape(c) for c in _markdown_cells(header)] == list(table.header)
    for line, row in zip(rows, table.rows, strict=True):
        assert [_markdown_unescape(c) for c in _markdown_cells(line)] == list(row)


def test_markdown_note_styles_and_key() -> None:
    table = Table(
        (Column("Study"), Column("Q1", "Aims *clear*?", centred=True)),
        (("Cooper_2008", Cell("Y", CellKind.ANSWER, meaning="Yes")),),
        notes=("a", "b"),
    )
    body = ["| Study | Q1 |", "|---|:-:|", "| Cooper\\_2008 | Y |", "", "Q1: Aims \\*clear\\*?  ", ""]
    assert markdown_table(table, NoteStyle.LINES) == [*body, "*a*  ", "*b*  "]
    assert markdown_table(table, NoteStyle.PARAGRAPHS) == [*body, "a", "", "b", ""]
    assert markdown_table(table) == [*body, "_a_", "", "_b_", ""]
    assert markdown_document("T", [table]).decode() == "\n".join(["**T**", "", *body, "*a*  ", "*b*"]) + "\n"


def test_a_link_is_plain_text_outside_html() -> None:
    table = Table(("Where",), ((Cell("Selection process", CellKind.LINK, href="#methods-screening"),),), "C")
    assert "| Selection process (#methods-screening) |" in markdown_table(table)
    assert "Selection process (#methods-screening)" in csv_table(table).decode("utf-8-sig")


# -- HTML ----------------------------------------------------------------------------------------


class _Cells(HTMLParser):
    """The texts of the cells of an HTML table (a <br> is followed by the newline it stands for)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.caption: str | None = None
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append("")
            self._in = "cell"
        elif tag == "caption":
            self.caption, self._in = "", "caption"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th", "caption"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "cell":
            self.rows[-1][-1] += data
        elif self._in == "caption":
            self.caption = (self.caption or "") + data


@settings(max_examples=60)
@given(tables())
def test_html_cells_read_back_and_no_text_becomes_markup(table: Table) -> None:
    rendered = html_table(table)
    parser = _Cells()
    parser.feed(rendered)
    assert parser.caption == (table.caption or None)
    assert parser.rows == [list(table.header), *(list(row) for row in table.rows)]
    # every tag in the output is the renderer's own
    assert set(re.findall(r"<(/?\w+)", rendered)) <= {
        "table", "/table", "caption", "/caption", "thead", "/thead", "tbody", "/tbody",
        "tr", "/tr", "th", "/th", "td", "/td", "br",
    }  # fmt: skip


def test_html_cell_kinds_and_row_headings() -> None:
    table = Table(
        (Column("Study"), Column("Q1", "Aims clear?"), "Location"),
        (
            (
                "Cooper 2008",
                Cell("Y", CellKind.ANSWER, meaning="Yes", judgement="favourable"),
                Cell("Selection", CellKind.LINK, href="#methods-screening"),
            ),
            ("May 2001", Cell("", CellKind.ANSWER), Cell("to be written", CellKind.AUTHORS_GAP)),
        ),
        "Appraisal",
        ("A note",),
        anchor="table-x",
        row_headers=True,
    )
    page = html_document("Title & more", [table], style="td { }", heading=True).decode()
    assert '<table id="table-x">' in page and "<h1>Title &amp; more</h1>" in page
    assert '<th scope="col" title="Aims clear?">Q1</th>' in page
    assert '<th scope="row">Cooper 2008</th><td class="answer favourable" title="Yes">Y</td>' in page
    assert '<td><a href="#methods-screening">Selection</a></td>' in page
    assert '<td class="answer"></td><td class="todo">to be written</td>' in page
    assert '<dl class="key"><dt>Q1</dt><dd>Aims clear?</dd></dl>' in page
    assert '<p class="note">A note</p>' in page
    # a simple table's headings need no scope
    assert "<th>Study</th>" in html_table(Table(("Study",), (("Cooper 2008",),)))


# -- CSV -----------------------------------------------------------------------------------------


@settings(max_examples=60)
@given(tables())
def test_csv_reads_back_and_runs_no_formula(table: Table) -> None:
    data = csv_table(table)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [[restore_cell(cell) for cell in row] for row in rows] == [
        list(table.header),
        *(list(row) for row in table.rows),
    ]
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_PREFIXES) or re.fullmatch(r"[+-][\d.eE+-]+", cell)


# -- Word ----------------------------------------------------------------------------------------


def test_word_has_the_title_captions_table_key_and_notes_in_order() -> None:
    import docx

    table = Table(
        (Column("Study"), Column("Q1", "Aims clear?")),
        (("Cooper 2008", Cell("Y", CellKind.ANSWER)),),
        "Qualitative studies",
        ("A note",),
    )
    document = docx.Document(io.BytesIO(docx_document("Appraisal", [table])))
    assert [p.text for p in document.paragraphs if p.text] == [
        "Appraisal",
        "Qualitative studies",
        "Q1: Aims clear?",
        "A note",
    ]
    assert [[c.text for c in row.cells] for row in document.tables[0].rows] == [
        ["Study", "Q1"],
        ["Cooper 2008", "Y"],
    ]


# -- the escaping made one -----------------------------------------------------------------------


def test_the_characteristics_markdown_escapes_emphasis_as_the_report_does() -> None:
    # before tables.py, the table of characteristics left "*" and "_" as they were, so a value
    # such as "*p* < 0.05" or "snake_case_words" turned into emphasis in the file
    table = CharacteristicsTable("T", ["Study", "Result"], [["A_1", "*p* < 0.05"]], ["see *note*"])
    out = io.BytesIO()
    write_table(table, "md", out)
    text = out.getvalue().decode()
    assert "| A\\_1 | \\*p\\* &lt; 0.05 |" in text and "*see \\*note\\**" in text
