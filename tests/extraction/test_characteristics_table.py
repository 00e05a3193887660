"""The table of characteristics of included studies, pinned by golden files (Markdown, HTML, CSV;
for Word the table inside the file: its cells and the properties that matter).

After an intended change, rewrite the golden files with SYNTHESIST_UPDATE_GOLDEN=1 and review the
difference before committing it.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from synthesist.errors import UnknownPlugin
from synthesist.reporting.characteristics import CharacteristicsTable, write_table
from synthesist.services.extraction.table import (
    characteristics_table,
    characteristics_table_bytes,
    table_format_for,
)
from synthesist.services.extraction.values import complete_study, set_value
from synthesist.workspace import Workspace
from tests.golden import assert_golden

GOLDEN = Path(__file__).parent / "golden"

# Two studies as the reference review's table describes them (abridged), and one in progress.
EXTRACTED = {
    "Cooper 2008": {
        "country": "UK (Scotland)",
        "design_and_aim": "Qualitative, semi-structured interviews.\nAim: to explore patients' perceptions "
        "of patient-centredness in physiotherapy for low back pain.",
        "recruitment_and_sample": "Purposive sample from NHS physiotherapy departments; 25 patients",
        "health_condition": "Chronic low back pain",
        "data_collection_and_analysis": "Interviews | framework analysis",
        "main_findings": "Patients valued individualised care, communication and involvement.\n\n"
        "Being treated as 'a number' was resented.",
        "recommendations": "Physiotherapists should <listen> & explain.",
    },
    "Matthias 2010": {
        "authors": "Matthias MS, Bair MJ, Nyland KA, Huffman MA, Stubbs DL, Kroenke K, Damush TM",
        "country": "USA",
        "design_and_aim": "Qualitative, focus groups; to explore self-management support.",
        "recruitment_and_sample": "Veterans from a trial; 26 patients",
        "health_condition": "Chronic musculoskeletal pain",
        "data_collection_and_analysis": "Focus groups; immersion/crystallisation",
        "main_findings": "Support and accountability from nurse care managers helped self-management.",
    },
    "Östlund 2001": {"country": "Sweden"},
}


@pytest.fixture
def extracted(studies: Workspace) -> Workspace:
    for label, values in EXTRACTED.items():
        for name, value in values.items():
            set_value(studies, label, name, value)
    complete_study(studies, "Cooper 2008")
    complete_study(studies, "Matthias 2010")
    return studies


def _written(workspace: Workspace, format_name: str) -> bytes:
    return characteristics_table_bytes(workspace, format_name)


def test_one_row_per_included_study_one_column_per_field(extracted: Workspace) -> None:
    table = characteristics_table(extracted)
    assert table.columns[:4] == ["Study", "Authors", "Year", "Country"] and len(table.columns) == 10
    assert [row[:4] for row in table.rows] == [
        ["Cooper 2008", "Cooper K, Smith BH", "2008", "UK (Scotland)"],
        [
            "Matthias 2010",
            "Matthias MS, Bair MJ, Nyland KA, Huffman MA, Stubbs DL, Kroenke K, Damush TM",
            "2010",
            "USA",
        ],
        ["Östlund 2001", "Östlund G, Smith BH", "2001", "Sweden"],
    ]
    assert table.notes == ["Extraction not final for 1 of 3 studies: Östlund 2001 (in progress)."]


@pytest.mark.parametrize(
    ("format_name", "golden"), [("md", "characteristics.md"), ("html", "characteristics.html")]
)
def test_the_table_matches_its_golden_file(extracted: Workspace, format_name: str, golden: str) -> None:
    assert_golden(GOLDEN / golden, _written(extracted, format_name).decode("utf-8"))


def test_the_csv_table_matches_its_golden_file(extracted: Workspace) -> None:
    written = _written(extracted, "csv")
    assert written.startswith(b"\xef\xbb\xbf")  # Excel needs the mark to read UTF-8
    assert_golden(GOLDEN / "characteristics.csv", written.decode("utf-8-sig"))


def docx_summary(data: bytes) -> dict[str, Any]:
    """What a reader sees of the Word file: the page, the title, the table's cells and styling."""
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    [table] = document.tables
    header = table.rows[0]
    return {
        "orientation": "landscape" if section.orientation == WD_ORIENT.LANDSCAPE else "portrait",
        "page_wider_than_high": section.page_width > section.page_height,
        "paragraphs": [p.text for p in document.paragraphs if p.text],
        "style": table.style.name if table.style is not None else None,
        "header_repeats": header._tr.trPr is not None and header._tr.trPr.find(qn("w:tblHeader")) is not None,
        "header_bold": all(run.bold for cell in header.cells for p in cell.paragraphs for run in p.runs),
        "cells": [[cell.text for cell in row.cells] for row in table.rows],
        "title_property": document.core_properties.title,
    }


def test_the_word_table_matches_its_golden_summary(extracted: Workspace) -> None:
    summary = docx_summary(_written(extracted, "docx"))
    assert summary["orientation"] == "landscape" and summary["page_wider_than_high"]
    assert summary["cells"][1][7] == "Interviews | framework analysis"
    assert_golden(
        GOLDEN / "characteristics.docx.json", json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
    )


def test_a_narrow_word_table_stays_portrait() -> None:
    table = CharacteristicsTable("Characteristics", ["Study", "Country"], [["Cooper 2008", "UK"]])
    out = io.BytesIO()
    write_table(table, "docx", out)
    summary = docx_summary(out.getvalue())
    assert summary["orientation"] == "portrait" and summary["cells"] == [
        ["Study", "Country"],
        ["Cooper 2008", "UK"],
    ]


def test_html_escapes_everything() -> None:
    table = CharacteristicsTable(
        "<b>Title</b>",
        ["Study", 'Aim "quoted"'],
        [["<script>alert(1)</script>", "a & b\nline 2"]],
        ["<i>note</i>"],
    )
    out = io.BytesIO()
    write_table(table, "html", out)
    page = out.getvalue().decode("utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<title>&lt;b&gt;Title&lt;/b&gt;</title>" in page and "Aim &quot;quoted&quot;" in page
    assert "a &amp; b<br>\nline 2" in page and "&lt;i&gt;note&lt;/i&gt;" in page


def test_the_format_comes_from_the_option_or_the_extension() -> None:
    assert table_format_for(None, None) == "md"
    assert table_format_for(Path("t.DOCX"), None) == "docx"
    assert table_format_for(Path("t.htm"), None) == "html"
    assert table_format_for(Path("t.txt"), "markdown") == "md"
    with pytest.raises(UnknownPlugin, match=r"cannot tell the table format from 't\.txt'"):
        table_format_for(Path("t.txt"), None)
    with pytest.raises(UnknownPlugin, match="unknown table format 'pdf'"):
        table_format_for(None, "pdf")
