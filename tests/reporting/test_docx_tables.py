"""Word tables laid out from their content: column widths measured from the text (every column at
least its longest word, short codes narrow), landscape only for a table too wide for portrait, the
heading row repeated, short rows kept whole; and in the report, headings and captions kept with
their tables and landscape sections only around the wide ones."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st

from synthesist.reporting.characteristics import CharacteristicsTable, write_table
from synthesist.reporting.docx_tables import PageWidths, plan_table, text_width
from synthesist.services.reporting.report import build_report, report_files
from synthesist.workspace import Workspace
from tests.reporting.report_builder import report_project

LETTER = PageWidths(portrait=432.0, landscape=612.0)  # python-docx's template: Letter, 1.25 in margins
PADDING = 10.8  # Table Grid's cell margins, both sides

CHARACTERISTICS = CharacteristicsTable(
    "Characteristics of the included studies",
    [
        "Study",
        "Authors",
        "Year",
        "Country",
        "Study design and aim",
        "Recruitment and sample",
        "Health condition",
        "Data collection and analysis",
        "Main findings",
        "Recommendations",
    ],
    [
        [
            "MacKichan 2013",
            "MacKichan F, Adamson J, Gooberman-Hill R",
            "2013",
            "United Kingdom",
            "Qualitative study of how older people with chronic pain limit their activities.",
            "Older people with chronic pain recruited through general practices.",
            "Chronic pain in older people, including back pain",
            "Qualitative interviews.",
            "Contributes to the review's themes: mutual understanding, information delivery, "
            "individualised care, healthcare service (Table 2).",
            "",
        ],
        [
            "Östlund 2001",
            "Östlund G, Cedersund E, Alexanderson K, Hensing G",
            "2001",
            "Sweden",
            "Qualitative study of what people with musculoskeletal disorders want from relationships "
            "with professionals in rehabilitation.",
            "People with musculoskeletal disorders in rehabilitation.",
            "Musculoskeletal disorders, including back pain",
            "Qualitative interviews.",
            "Contributes to the review's themes: effective communication, mutual understanding.",
            "",
        ],
    ],
)
APPRAISAL_HEADER = ("Study", *(f"Q{n}" for n in range(1, 11)), "Rating")
APPRAISAL_ROWS = (
    ("Matthias 2012", "Y", "Y", "Y", "CT", "Y", "CT", "Y", "Y", "Y", "Y", "Medium"),
    ("MacKichan 2013", "CT", "Y", "Y", "Y", "Y", "Y", "Y", "CT", "Y", "Y", "Medium"),
)


def _longest_word(texts: tuple[str, ...], size: float) -> float:
    heading, *cells = texts
    words = [text_width(w, size, bold=True) for w in heading.split()]
    words += [text_width(w, size) for cell in cells for w in cell.split()]
    return max(words, default=0.0)


def _docx(table: CharacteristicsTable) -> WordDocument:
    out = io.BytesIO()
    write_table(table, "docx", out)
    return Document(io.BytesIO(out.getvalue()))


def test_widths_follow_the_content_and_every_column_fits_its_longest_word() -> None:
    layout = plan_table(CHARACTERISTICS.columns, CHARACTERISTICS.rows, LETTER)
    assert layout.landscape and layout.size >= 7
    columns = list(zip(CHARACTERISTICS.columns, *CHARACTERISTICS.rows, strict=True))
    for texts, width in zip(columns, layout.widths, strict=True):
        assert width >= _longest_word(texts, layout.size) + PADDING, texts[0]
    widths = dict(zip(CHARACTERISTICS.columns, layout.widths, strict=True))
    assert widths["Year"] < widths["Country"] < widths["Study design and aim"]
    assert sum(layout.widths) <= LETTER.landscape + 0.01


def test_short_codes_get_narrow_columns_and_the_table_stays_portrait() -> None:
    layout = plan_table(APPRAISAL_HEADER, APPRAISAL_ROWS, LETTER)
    assert not layout.landscape and layout.size == 9
    study, *questions, rating = layout.widths
    assert all(q < study / 2 for q in questions)
    assert max(questions) == layout.widths[10]  # "Q10" is the widest code
    assert rating > max(questions)


def test_the_word_file_keeps_the_widths_fixed_and_repeats_the_heading_row() -> None:
    document = _docx(CHARACTERISTICS)
    section = document.sections[0]
    assert section.page_width > section.page_height  # too wide for portrait at a readable size
    [table] = document.tables
    properties = table._tbl.tblPr
    assert properties.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(set(grid)) > 3  # not all alike
    for row in table.rows:
        cells = [int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in row._tr.tc_lst]
        assert cells == grid
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None  # short rows are not split
    header = table.rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])
    caption = document.paragraphs[0]
    assert caption.text == CHARACTERISTICS.title and caption.paragraph_format.keep_with_next


def test_a_narrow_table_is_portrait_and_as_wide_as_its_text() -> None:
    document = _docx(CharacteristicsTable("Studies", ["Study", "Country"], [["Cooper 2008", "UK"]]))
    section = document.sections[0]
    assert section.page_width < section.page_height
    [table] = document.tables
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(grid) < 432 * 20 / 2  # nowhere near the page's width


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéö-", min_size=1, max_size=14)
cells = st.lists(words, min_size=0, max_size=30).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 9).flatmap(
        lambda n: st.tuples(
            st.lists(words, min_size=n, max_size=n),
            st.lists(st.lists(cells, min_size=n, max_size=n), min_size=0, max_size=6),
        )
    )
)
def test_any_table_that_fits_gives_every_column_its_longest_word(
    table: tuple[list[str], list[list[str]]],
) -> None:
    header, rows = table
    layout = plan_table(header, rows, LETTER)
    width = LETTER.landscape if layout.landscape else LETTER.portrait
    assert sum(layout.widths) <= width + 0.01
    columns = list(zip(header, *rows, strict=True))
    longest = [_longest_word(texts, layout.size) + PADDING for texts in columns]
    if sum(longest) <= width * 0.9 and max(longest) <= width * 0.3:
        assert all(w >= need - 0.01 for w, need in zip(layout.widths, longest, strict=True))


@pytest.fixture
def report_docx(tmp_path: Path, database_url: str | None) -> Iterator[WordDocument]:
    workspace: Workspace = report_project(tmp_path / "review")
    try:
        files = report_files(build_report(workspace, today=date(2026, 1, 1)), ("docx",))
    finally:
        workspace.close()
    yield Document(io.BytesIO(files["report.docx"]))


def _body_in_sections(document: WordDocument) -> list[list[object]]:
    """The body's paragraphs and tables, grouped by the section they are in."""
    sections: list[list[object]] = [[]]
    for element in document.element.body.iterchildren():
        sections[-1].append(element)
        if element.tag == qn("w:p") and element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            sections.append([])
    return sections


def test_the_report_keeps_captions_with_tables_and_turns_only_wide_tables(report_docx: WordDocument) -> None:
    body = list(report_docx.element.body.iterchildren())
    tables = [i for i, element in enumerate(body) if element.tag == qn("w:tbl")]
    assert len(tables) >= 8
    for index in tables[1:]:  # the first is the boxed notice, which has no caption
        caption = body[index - 1]
        assert caption.tag == qn("w:p")
        assert caption.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
        assert body[index].find(f"{qn('w:tr')}/{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    headings = [p for p in report_docx.paragraphs if p.style.name.startswith("Heading")]
    assert headings and all(p.paragraph_format.keep_with_next for p in headings)
    grouped = _body_in_sections(report_docx)
    assert len(grouped) == len(report_docx.sections)
    portrait_width = 432 * 20  # twips
    landscape = 0
    for section, elements in zip(report_docx.sections, grouped, strict=True):
        widths = [
            sum(int(col.get(qn("w:w"))) for col in tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol")))
            for tbl in elements
            if tbl.tag == qn("w:tbl")
        ]
        if section.page_width > section.page_height:
            landscape += 1
            # a landscape section holds a table that a portrait page could not
            assert widths and max(widths) > portrait_width
        else:
            assert all(w <= portrait_width for w in widths)
    assert landscape >= 1
    assert report_docx.sections[-1].page_width < report_docx.sections[-1].page_height
