"""The appraisal table (Markdown, CSV, HTML, Word) and the traffic-light and summary plots.

The golden files pin the traffic-light SVG and the Markdown table byte for byte. After an intended
change, regenerate them and look at the result before committing::

    SYNTHESIST_UPDATE_GOLDEN=1 .venv/bin/pytest tests/reporting/test_appraisal_figures.py
"""

from __future__ import annotations

import csv
import dataclasses
import importlib
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from synthesist.reporting.appraisal_svg import COLOURS, render_summary_svg, render_traffic_light_svg
from synthesist.reporting.appraisal_table import render_table
from synthesist.reporting.prisma_output import convert_svg
from tests.golden import assert_golden
from tests.reporting.appraisal_examples import ANSWERS, reference_like_table

GOLDEN = Path(__file__).parent / "golden"
SVG = "{http://www.w3.org/2000/svg}"


def test_the_reference_like_table_has_the_reviews_rating_counts() -> None:
    table = reference_like_table()
    assert table.rating_counts() == {"High": 2, "Medium": 7, "Low": 1}
    [low] = [row for row in table.rows if row.rating == "Low"]
    assert low.unstated, "2 No + 1 Can't tell is a combination Table 1 does not state"


def test_the_traffic_light_plot_matches_the_golden_file() -> None:
    assert_golden(GOLDEN / "appraisal_traffic_light.svg", render_traffic_light_svg(reference_like_table()))


def test_every_answer_is_a_coloured_circle_with_a_symbol_and_the_legend_says_which() -> None:
    root = ET.fromstring(render_traffic_light_svg(reference_like_table()))
    studies = [g for g in root.iter(f"{SVG}g") if g.get("id", "").startswith("study-")]
    assert len(studies) == 10
    letters = "".join(ANSWERS.values())
    symbols = {"y": "+", "n": "−", "c": "?"}
    fills = {"y": COLOURS["favourable"][0], "n": COLOURS["unfavourable"][0], "c": COLOURS["unclear"][0]}
    for group, answers in zip(studies, ANSWERS.values(), strict=True):
        circles = list(group.iter(f"{SVG}circle"))
        texts = [t.text for t in group.iter(f"{SVG}text")]
        assert [c.get("fill") for c in circles] == [fills[a] for a in answers]
        assert texts[1:-1] == [symbols[a] for a in answers], "a symbol in every circle, not colour alone"
    assert sum(1 for _ in root.iter(f"{SVG}circle")) == len(letters) + 3  # and the legend's three
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "legend")
    assert [t.text for t in legend.iter(f"{SVG}text")] == [
        "Answer:",
        "+",
        "Yes",
        "−",
        "No",
        "?",
        "Can't tell",
    ]
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert "Low †" in texts and any(t.startswith("† rated by a rule") for t in texts)
    assert "Study J with a rather long label that is shortened 2014" not in texts
    assert any(t.startswith("Study J with a rather long label") and t.endswith("…") for t in texts)


def test_unanswered_questions_are_drawn_as_empty_circles() -> None:
    table = reference_like_table()
    row = dataclasses.replace(table.rows[0], cells=(None,) * 10, rating=None, rule=None, status="not started")
    group = dataclasses.replace(table.groups[0], rows=(row,))
    svg = render_traffic_light_svg(dataclasses.replace(table, groups=(group,)))
    assert svg.count('stroke-dasharray="3 2"') == 11  # ten questions and the legend's entry
    assert "no final answer yet" in svg and "not rated (not started)" in svg


def test_the_summary_plot_gives_each_questions_share_of_answers() -> None:
    root = ET.fromstring(render_summary_svg(reference_like_table()))
    bars = {g.get("id"): [t.text for t in g.iter(f"{SVG}text")] for g in root.iter(f"{SVG}g")}
    assert bars["question-1"] == ["Q1", "Y 100%", "n = 10"]
    # Q6: 3 Yes, 4 No, 3 Can't tell; Q3: 7 Yes, 1 No, 2 Can't tell (see appraisal_examples.ANSWERS)
    assert bars["question-6"] == ["Q6", "Y 30%", "N 40%", "CT 30%", "n = 10"]
    assert bars["question-3"] == ["Q3", "Y 70%", "N", "CT 20%", "n = 10"]  # 10% is too narrow for "N 10%"
    widths = [
        int(r.get("width", "0"))
        for g in root.iter(f"{SVG}g")
        if g.get("id") == "question-6"
        for r in g.iter(f"{SVG}rect")
    ]
    assert widths == [420, 126, 168, 126], "the bar, then 30%, 40% and 30% of its 420 pixels"
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "legend")
    assert [t.text for t in legend.iter(f"{SVG}text")] == ["Y", "Yes", "N", "No", "CT", "Can't tell"]


def test_the_same_table_gives_the_same_bytes_and_png_and_pdf_convert() -> None:
    table = reference_like_table()
    assert render_traffic_light_svg(table) == render_traffic_light_svg(reference_like_table())
    try:
        importlib.import_module("cairosvg")
    except (ImportError, OSError):
        pytest.skip("CairoSVG or libcairo is not installed")
    svg = render_summary_svg(table).encode("utf-8")
    assert convert_svg(svg, "png").startswith(b"\x89PNG")
    assert convert_svg(svg, "pdf").startswith(b"%PDF")


def test_the_markdown_table_matches_the_golden_file() -> None:
    markdown = render_table(reference_like_table(), "md").decode("utf-8")
    assert_golden(GOLDEN / "appraisal_table.md", markdown)
    assert "| Study A 2005 | Y | Y | Y | Y | Y | Y | Y | Y | Y | Y | High |" in markdown
    assert "Studies per rating: High 2; Medium 7; Low 1." in markdown


def test_csv_html_and_word_say_the_same() -> None:
    table = reference_like_table()
    rows = list(csv.reader(io.StringIO(render_table(table, "csv").decode("utf-8-sig"))))
    assert rows[0] == ["study", "study_ref", "category", *map(str, range(1, 11)), "rating", "rating_rule",
                       "unstated", "status"]  # fmt: skip
    assert rows[10][-4:] == ["Low", "4", "yes", "complete"] and rows[10][3:13].count("N") == 2
    html = render_table(table, "html").decode("utf-8")
    assert html.count('<td class="answer favourable" title="Yes">Y</td>') == "".join(ANSWERS.values()).count(
        "y"
    )
    assert '<th scope="row">Study C 2008</th>' in html and "Low †" in html
    docx = importlib.import_module("docx")
    document = docx.Document(io.BytesIO(render_table(table, "docx")))
    [grid] = document.tables
    assert [cell.text for cell in grid.rows[0].cells] == ["Study", *(f"Q{n}" for n in range(1, 11)), "Rating"]
    assert [cell.text for cell in grid.rows[4].cells][-2:] == ["Y", "Medium"]
    assert re.search(
        r"Studies per rating: High 2; Medium 7; Low 1", "\n".join(p.text for p in document.paragraphs)
    )
