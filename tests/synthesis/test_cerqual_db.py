"""GRADE-CERQual through the services, on SQLite and PostgreSQL: contributing studies from the
coding, methodological limitations from the ratings, adequacy from the extracted participants, the
suggestions, corrections, events, refusals that write nothing, and the SoQF table (golden)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document as WordDocument

from synthesist.errors import NotFound, UserError
from synthesist.services.cerqual.findings import (
    FindingChange,
    add_finding,
    assess_component,
    change_finding,
    correct_study,
    finding_views,
    findings_table_document,
    set_confidence,
    show_finding,
)
from synthesist.synthesis.cerqual import Component, Concern, Confidence
from synthesist.workspace import Workspace
from tests.golden import assert_golden
from tests.synthesis.golden_files import GOLDEN
from tests.synthesis.workspace_builder import reference_workspace


@pytest.fixture
def reference(tmp_path: Path, database_url: str | None) -> Iterator[Workspace]:
    workspace = reference_workspace(tmp_path / "review", appraise=True, participants=True)
    try:
        yield workspace
    finally:
        workspace.close()


def _events(workspace: Workspace) -> list[str]:
    with workspace.unit_of_work(write=False) as uow:
        return [event.type for event in uow.events.list() if event.type.startswith("cerqual.")]


def test_a_finding_from_coding_to_confidence(reference: Workspace) -> None:
    view = add_finding(
        reference, "Involving patients lets them share responsibility", ["patient involvement"]
    )
    assert view.finding.ref == "F1"
    assert [s.study.label for s in view.studies] == [
        "Cooper 2008",
        "Jeffrey 2012",
        "May 2001",
        "May 2007",
        "Slade 2009",
    ]
    assert view.methodological_basis == "1 of 5 contributing studies rated Low; 2 rated Medium; 2 rated High"
    assert view.methodological_suggestion is Concern.MINOR
    assert view.adequacy_basis == "5 studies, 88 participants (from extraction; 1 without a count)"
    assert view.suggested_confidence is None
    assert view.suggestion_reason == "assess coherence, adequacy, relevance first"

    assess_component(reference, "F1", "coherence", "minor", "May 2001 describes involvement less clearly")
    view = assess_component(reference, "1", "adequacy", "moderate")
    assert (
        view.assessment(Component.ADEQUACY).explanation
        == "5 studies, 88 participants (from extraction; 1 without a count)"
    )  # type: ignore[union-attr]
    view = assess_component(reference, "F1", "relevance", "none", "all in chronic back pain care")
    # ML still Synthesist's suggestion: minor (ml), minor (coherence), moderate (adequacy) -> low
    assert view.concern(Component.METHODOLOGICAL_LIMITATIONS) == (Concern.MINOR, True)
    assert view.suggested_confidence is Confidence.LOW
    assert "one level down for moderate concerns about adequacy" in view.suggestion_reason
    view = assess_component(reference, "F1", "ml", "suggested")
    assert view.concern(Component.METHODOLOGICAL_LIMITATIONS) == (Concern.MINOR, False)
    view = set_confidence(reference, "F1", "suggested")
    assert view.finding.confidence is Confidence.LOW
    assert view.explanation().startswith(
        "Minor concerns about methodological limitations; minor concerns about"
    )

    view = correct_study(reference, "F1", "May 2007", False, "coded there, but not about this finding")
    assert "May 2007" not in [s.study.label for s in view.studies]
    assert [s.study.label for s in view.removed] == ["May 2007"]
    assert view.methodological_basis == "2 of 4 contributing studies rated Medium; 2 rated High"
    view = correct_study(reference, "F1", "Östlund 2001", True, "its trust data bear on involvement")
    assert [s.source for s in view.studies if s.study.label == "Östlund 2001"] == ["added"]
    view = correct_study(reference, "F1", "May 2007", None)
    assert "May 2007" in [s.study.label for s in view.studies]

    view = change_finding(
        reference, "F1", FindingChange(participants=120, participants_note="from the papers")
    )
    assert view.adequacy_basis.startswith("6 studies, 120 participants (entered: from the papers)")
    assert _events(reference) == [
        "cerqual.finding_added",
        "cerqual.component_assessed",
        "cerqual.component_assessed",
        "cerqual.component_assessed",
        "cerqual.component_assessed",
        "cerqual.confidence_set",
        "cerqual.study_corrected",
        "cerqual.study_corrected",
        "cerqual.study_corrected",
        "cerqual.finding_changed",
    ]


def test_refusals_write_nothing(reference: Workspace) -> None:
    add_finding(reference, "Communication is the foundation", ["Effective communication"])
    before = _events(reference)
    with pytest.raises(UserError, match="not a CERQual component"):
        assess_component(reference, "F1", "trustworthiness", "minor", "x")
    with pytest.raises(UserError, match="not a level of concern"):
        assess_component(reference, "F1", "coherence", "some", "x")
    with pytest.raises(UserError, match="explain the concerns about coherence"):
        assess_component(reference, "F1", "coherence", "minor")
    with pytest.raises(UserError, match="only for methodological limitations"):
        assess_component(reference, "F1", "relevance", "suggested")
    with pytest.raises(NotFound, match="no review finding 'F9'"):
        show_finding(reference, "F9")
    with pytest.raises(NotFound, match="no theme called 'Trust'"):
        add_finding(reference, "Trust matters", ["Trust"])
    with pytest.raises(UserError, match="say why"):
        correct_study(reference, "F1", "May 2007", True)
    with pytest.raises(UserError, match="no suggestion yet"):
        set_confidence(reference, "F1", "suggested")
    assert _events(reference) == before
    assert len(finding_views(reference)) == 1


def test_summary_of_qualitative_findings(reference: Workspace) -> None:
    add_finding(
        reference, "Effective communication is the foundation of partnership", ["Effective communication"]
    )
    add_finding(
        reference, "Patients want care that fits their lives", ["Individualised care", "Healthcare service"]
    )
    for component, level, why in (
        ("ml", "suggested", ""),
        ("coherence", "none", "the studies agree"),
        ("adequacy", "minor", "8 studies with rich data"),
        ("relevance", "minor", "two studies had mixed chronic pain"),
    ):
        assess_component(reference, "F1", component, level, why or None)
    set_confidence(reference, "F1", "moderate", "minor concerns about adequacy and relevance")
    content, count = findings_table_document(reference, "md")
    assert count == 2
    assert_golden(GOLDEN / "soqf.md", content.decode("utf-8"))
    content, _ = findings_table_document(reference, "md", profile=True)
    assert_golden(GOLDEN / "cerqual_profile.md", content.decode("utf-8"))
    content, _ = findings_table_document(reference, "docx")
    [table] = WordDocument(io.BytesIO(content)).tables
    assert [cell.text for cell in table.rows[1].cells][3] == "Moderate confidence"
