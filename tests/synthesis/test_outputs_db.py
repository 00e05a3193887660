"""The outputs through the database: a project built with the services reproduces the reference
review's theme × study matrix (the issue's acceptance test), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from synthesist.services.synthesis.outputs import (
    evidence_document,
    sensitivity_report,
    synthesis_matrix,
    synthesis_matrix_document,
    theme_evidence_views,
)
from synthesist.synthesis.model import ThemeLevel
from synthesist.workspace import Workspace
from tests.golden import assert_golden
from tests.synthesis.golden_files import GOLDEN
from tests.synthesis.reference import load_reference
from tests.synthesis.test_matrix import REFERENCE_COUNTS
from tests.synthesis.workspace_builder import reference_workspace


@pytest.fixture
def reference(tmp_path: Path, database_url: str | None) -> Iterator[Workspace]:
    workspace = reference_workspace(tmp_path / "review", appraise=True)
    try:
        yield workspace
    finally:
        workspace.close()


def test_the_matrix_equals_the_reference_review(reference: Workspace) -> None:
    matrix = synthesis_matrix(reference)
    assert {c.theme.name: matrix.count_text(c) for c in matrix.columns} == {
        name: f"{count} of 10" for name, count in REFERENCE_COUNTS.items()
    }
    for theme in load_reference().themes:
        assert sorted(s.label for s in matrix.studies_of(matrix.column(theme.name))) == sorted(theme.studies)
    # the same golden file as the hand-built snapshot's: database and pure path agree to the byte
    assert_golden(GOLDEN / "reference_matrix.md", synthesis_matrix_document(reference, "md").decode("utf-8"))
    descriptive = synthesis_matrix(reference, ThemeLevel.DESCRIPTIVE)
    assert [len(c.studies) for c in descriptive.columns] == list(REFERENCE_COUNTS.values())


def test_evidence_and_sensitivity_from_the_database(reference: Workspace) -> None:
    [view] = theme_evidence_views(reference, "patient involvement")
    assert view.count_text == "5 of 10 studies"
    ratings = {s.study.label: s.rating for s in view.studies}
    assert ratings == {
        "Cooper 2008": "High",
        "Jeffrey 2012": "Medium",
        "May 2001": "Medium",
        "May 2007": "Low",
        "Slade 2009": "High",
    }
    document = evidence_document([view], "md")
    assert '<a id="theme-patient-involvement"></a>' in document
    assert "> In May 2007, participants spoke about patient involvement." in document
    report, _ = sensitivity_report(reference)
    assert report.low_ratings == ("Low",) and report.total_low == 1
    assert report.vanishing == []
    roles = next(item for item in report.themes if item.theme.name == "Roles of health professionals")
    assert [s.label for s in roles.low] == ["May 2007"] and roles.without_low == 6
