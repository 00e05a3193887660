"""Table numbers in the review report: the main text's tables are Table 1, 2... in reading order and
the appendices' Table S1, S2..., numbered once in the report model so that Markdown, HTML and Word
print the same captions, and a paragraph that mentions a table gets the number the table got."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from synthesist.reporting.report.html import render_html
from synthesist.reporting.report.markdown import render_markdown
from synthesist.reporting.report.model import (
    Checklist,
    ChecklistItem,
    Paragraph,
    Report,
    Section,
    Table,
    table_ref,
)
from synthesist.services.reporting.report import build_report, report_files
from synthesist.workspace import Workspace
from tests.reporting.report_builder import report_project

_CAPTION = re.compile(r"^Table (S?)(\d+)\. \S")


@pytest.fixture
def project(tmp_path: Path, database_url: str | None) -> Iterator[Workspace]:
    workspace = report_project(tmp_path / "review")
    try:
        yield workspace
    finally:
        workspace.close()


def _numbers(captions: list[str]) -> tuple[list[int], list[int]]:
    """The numbers of the main-text and of the supplementary tables, in the order they appear."""
    main: list[int] = []
    supplementary: list[int] = []
    for caption in captions:
        match = _CAPTION.match(caption)
        assert match, f"caption without a number: {caption!r}"
        (supplementary if match.group(1) else main).append(int(match.group(2)))
    return main, supplementary


def _docx_captions(path: Path) -> list[str]:
    docx = pytest.importorskip("docx")
    body = docx.Document(str(path)).element.body
    captions = []
    for element in body.iterchildren():
        if element.tag.endswith("}tbl"):
            caption = element.getprevious()  # each table's caption is the paragraph right before it
            captions.append(docx.text.paragraph.Paragraph(caption, None).text)
    return captions


def test_captions_are_numbered_in_order_and_the_same_in_every_format(
    project: Workspace, tmp_path: Path
) -> None:
    report = build_report(project, today=date(2026, 1, 1))
    (tmp_path / "report.docx").write_bytes(report_files(report, ("docx",))["report.docx"])
    markdown = re.findall(r"^\*\*(Table [^*]+)\*\*$", render_markdown(report), flags=re.MULTILINE)
    html = re.findall(r"<caption>(.*?)</caption>", render_html(report))
    word = _docx_captions(tmp_path / "report.docx")

    main, supplementary = _numbers(markdown)
    assert main == list(range(1, len(main) + 1)) and len(main) >= 5
    assert supplementary == list(range(1, len(supplementary) + 1)) and len(supplementary) >= 3
    assert markdown[0] == "Table 1. Characteristics of the included studies"
    assert [caption.replace("&#x27;", "'") for caption in html] == markdown
    assert word == markdown
    # the anchors that links point to are where they were
    assert '<table id="table-characteristics">\n<caption>Table 1. ' in render_html(report)


def test_a_mention_of_a_table_gets_its_number_and_a_missing_table_leaves_no_gap() -> None:
    def table(caption: str, anchor: str | None = None) -> Table:
        return Table(("A",), (("1",),), caption, anchor=anchor)

    checklist = Checklist("PRISMA 2020", "Page et al. 2021", (ChecklistItem("1", "Title", "Identify", None),))
    report = Report("Review", "today")
    report.sections = [
        Section("methods", "Methods", [Paragraph(f"The strategies are in {table_ref('table-search')}.")]),
        Section("results", "Results", [table("Characteristics", "table-characteristics")]).add(
            Paragraph(f"See {table_ref('table-characteristics')} and {table_ref('appendix-prisma-table')}.")
        ),
        Section("appendices", "Appendices", supplementary=True),
    ]
    report.sections[1].children.append(Section("results-matrix", "Matrix", [table("Matrix")]))
    report.sections[2].children += [
        Section("appendix-search", "Search", [table("Search strategies", "table-search")]),
        Section(
            "appendix-prisma",
            "PRISMA",
            [Checklist(**{**checklist.__dict__, "anchor": "appendix-prisma-table"})],
        ),
    ]
    report.number_tables()

    assert [(t.number, t.caption) for t in report.tables()] == [
        ("1", "Characteristics"),
        ("2", "Matrix"),
        ("S1", "Search strategies"),
        ("S2", "PRISMA 2020 checklist"),
    ]
    methods = report.sections[0].blocks[0]
    mention = report.sections[1].blocks[1]
    assert isinstance(methods, Paragraph) and methods.text == "The strategies are in Table S1."
    assert isinstance(mention, Paragraph) and mention.text == "See Table 1 and Table S2."
    assert "**Table S2. PRISMA 2020 checklist**" in render_markdown(report)
