"""The PRISMA 2020 diagram as SVG (pinned by a golden file), PNG and PDF.

The golden file ``golden/prisma_reference.svg`` pins the layout byte for byte. After an intended
change to the drawing, regenerate it and look at the result before committing::

    SYNTHESIST_UPDATE_GOLDEN=1 .venv/bin/pytest tests/reporting/test_prisma_svg.py
"""

from __future__ import annotations

import dataclasses
import importlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from synthesist.errors import ConverterUnavailable, UserError
from synthesist.reporting._text_metrics import text_width
from synthesist.reporting.prisma import NamedCount, PrismaCounts
from synthesist.reporting.prisma_output import (
    DiagramFormat,
    diagram_format_for,
    render_prisma,
)
from synthesist.reporting.prisma_svg import MANUAL_NOTE, PAD_X, render_prisma_svg
from tests.golden import assert_golden
from tests.reporting.prisma_examples import BOTH_COLUMNS, NO_OTHER_METHODS, REFERENCE

GOLDEN = Path(__file__).parent / "golden"
SVG_NS = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    return [element.text or "" for element in ET.fromstring(svg).iter(f"{SVG_NS}text")]


def _box_ids(svg: str) -> set[str]:
    return {g.get("id", "") for g in ET.fromstring(svg).iter(f"{SVG_NS}g")}


def _numbers(svg: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r"\(n = ([\d,]+)\)", "\n".join(_texts(svg)))]


def test_the_reference_review_shows_its_numbers_exactly() -> None:
    svg = render_prisma_svg(REFERENCE)
    text = "\n".join(_texts(svg))
    for n in (757, 62, 738, 708, 30, 20, 10):
        assert f"(n = {n})" in text
    assert sorted(set(_numbers(svg))) == sorted(
        {757, 61, 148, 214, 231, 103, 0, 81, 38, 24, 62, 738, 708, 30, 20, 9, 4, 7, 10}
    )
    for database in ("Cochrane Library (n = 61)", "CINAHL (n = 148)", "MEDLINE (n = 214)"):
        assert database in text
    assert "EMBASE (n = 231)" in text and "PsycINFO (n = 103)" in text
    assert sum(entry.n for entry in REFERENCE.databases) == 757
    joined = " ".join(_texts(svg))  # a long reason wraps over lines
    for reason in ("Not chronic back pain (n = 9)", "Cancer pain management (n = 4)"):
        assert reason in joined
    assert "No focus on patient–professional partnership or self-management (n = 7)" in joined


def test_phase_labels_and_column_headers_are_drawn() -> None:
    texts = _texts(render_prisma_svg(REFERENCE))
    for label in ("Identification", "Screening", "Included"):
        assert label in texts
    joined = " ".join(texts)
    assert "Identification of studies via databases and registers" in joined
    assert "Identification of studies via other methods" in joined


def test_the_diagram_matches_the_golden_file() -> None:
    assert_golden(GOLDEN / "prisma_reference.svg", render_prisma_svg(REFERENCE))


def test_the_same_counts_give_the_same_bytes() -> None:
    assert render_prisma_svg(BOTH_COLUMNS) == render_prisma_svg(dataclasses.replace(BOTH_COLUMNS))


def test_no_other_methods_column_without_other_sources() -> None:
    svg = render_prisma_svg(NO_OTHER_METHODS)
    assert not {box for box in _box_ids(svg) if box.startswith(("other-", "header-other"))}
    assert "Identification of studies via other methods" not in " ".join(_texts(svg))
    assert int(ET.fromstring(svg).get("width", "0")) < int(
        ET.fromstring(render_prisma_svg(REFERENCE)).get("width", "0")
    )


def test_sources_screened_with_the_databases_have_no_retrieval_boxes() -> None:
    ids = _box_ids(render_prisma_svg(REFERENCE))
    assert "other-records-identified" in ids
    assert "other-reports-sought" not in ids


def test_both_columns_are_drawn_in_full() -> None:
    svg = render_prisma_svg(BOTH_COLUMNS)
    ids = _box_ids(svg)
    assert {"other-reports-sought", "other-reports-not-retrieved", "other-reports-assessed"} <= ids
    assert "other-reports-excluded" in ids
    joined = " ".join(_texts(svg))
    assert "Records identified (n = 74) from:" in joined
    assert "Not qualitative (n = 4)" in joined


def test_hand_given_counts_are_marked_with_a_footnote() -> None:
    texts = _texts(render_prisma_svg(BOTH_COLUMNS))
    assert "Registers (n = 5)*" in texts
    assert "ClinicalTrials.gov (n = 5)*" in texts
    assert "Reports sought for retrieval (n = 9)*" in texts
    assert "Reports sought for retrieval (n = 30)" in texts  # computed: not marked
    assert texts[-1] == MANUAL_NOTE == "* given in prisma.toml, not derived from Synthesist's records"
    assert MANUAL_NOTE not in _texts(render_prisma_svg(REFERENCE))


def test_a_total_without_reasons_is_drawn_without_a_list() -> None:
    counts = dataclasses.replace(REFERENCE, reports_excluded=(NamedCount("", 20),))
    assert "Reports excluded (n = 20)" in _texts(render_prisma_svg(counts))


def test_names_are_escaped() -> None:
    counts = dataclasses.replace(
        REFERENCE, databases=(*REFERENCE.databases[:-1], NamedCount("<Psyc&INFO>", 103))
    )
    svg = render_prisma_svg(counts)
    assert "&lt;Psyc&amp;INFO&gt; (n = 103)" in svg
    assert "<Psyc&INFO> (n = 103)" in _texts(svg)


def test_large_numbers_have_thousands_separators_and_stay_on_one_line() -> None:
    counts = PrismaCounts(
        database_records=104_532, databases=(NamedCount("MEDLINE", 104_532),), records_screened=104_532
    )
    texts = _texts(render_prisma_svg(counts))
    assert "Records screened (n = 104,532)" in texts


def test_every_line_fits_its_box() -> None:
    long_name = "A register with a very long name that cannot possibly fit on a single line of the box"
    counts = dataclasses.replace(
        BOTH_COLUMNS,
        register_records=5,
        registers=(NamedCount(long_name, 5),),
        manual=frozenset(),
        reports_excluded=(*REFERENCE.reports_excluded[:2], NamedCount("x" * 80, 7)),
    )
    root = ET.fromstring(render_prisma_svg(counts))
    checked = 0
    for group in root.iter(f"{SVG_NS}g"):
        rect = group.find(f"{SVG_NS}rect")
        if rect is None or not group.get("id", "").startswith(("records", "reports", "other", "studies")):
            continue
        room = int(rect.get("width", "0")) - 2 * PAD_X
        for text in group.iter(f"{SVG_NS}text"):
            indent = int(text.get("x", "0")) - int(rect.get("x", "0")) - PAD_X
            available = room if text.get("text-anchor") == "middle" else room - indent
            assert text_width(text.text or "", 12) <= available, text.text
            checked += 1
    assert checked > 30


def test_the_format_comes_from_the_suffix() -> None:
    assert diagram_format_for(Path("prisma.SVG")) is DiagramFormat.SVG
    assert render_prisma(REFERENCE, "svg").startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<svg')


def test_an_unknown_suffix_is_a_user_error() -> None:
    with pytest.raises(UserError, match=r"prisma\.gif: cannot tell the diagram format") as caught:
        diagram_format_for(Path("prisma.gif"))
    assert caught.value.hint == "End the file name with one of .svg, .png, .pdf."


def _converter_available() -> bool:
    try:
        importlib.import_module("cairosvg")
    except (ImportError, OSError):
        return False
    return True


needs_converter = pytest.mark.skipif(not _converter_available(), reason="CairoSVG or libcairo2 not installed")


@needs_converter
@pytest.mark.parametrize(
    ("suffix", "magic"),
    [(".png", b"\x89PNG\r\n\x1a\n"), (".pdf", b"%PDF-")],
)
def test_png_and_pdf_are_real_files(suffix: str, magic: bytes) -> None:
    content = render_prisma(BOTH_COLUMNS, diagram_format_for(Path(f"prisma{suffix}")))
    assert content.startswith(magic)
    assert len(content) > 5_000


@needs_converter
def test_the_png_is_twice_the_svg_size() -> None:
    png = render_prisma(REFERENCE, "png")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    root = ET.fromstring(render_prisma_svg(REFERENCE))
    assert (width, height) == (2 * int(root.get("width", "0")), 2 * int(root.get("height", "0")))


def test_a_missing_converter_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = importlib.import_module

    def no_cairo(name: str, package: str | None = None) -> object:
        if name == "cairosvg":
            raise OSError("no library called 'cairo-2' was found")
        return real_import(name, package)

    monkeypatch.setattr(importlib, "import_module", no_cairo)
    with pytest.raises(ConverterUnavailable, match="PNG and PDF output need CairoSVG") as caught:
        render_prisma(REFERENCE, "pdf")
    assert "libcairo2" in (caught.value.hint or "")
