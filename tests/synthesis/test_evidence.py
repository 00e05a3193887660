"""The evidence view of a theme and the sensitivity view, from hand-built snapshots."""

from __future__ import annotations

import dataclasses
import io

from synthesist.synthesis.evidence import (
    evidence_html,
    evidence_markdown,
    sensitivity,
    theme_anchor,
    theme_evidence,
    write_sensitivity,
)
from synthesist.synthesis.matrix import theme_matrix
from synthesist.synthesis.model import (
    AnchorStatus,
    Code,
    Coding,
    CodingOrigin,
    SpanKind,
    Theme,
    ThemeLevel,
)
from tests.golden import assert_golden
from tests.synthesis.golden_files import GOLDEN
from tests.synthesis.reference import reference_snapshot

# Illustrative ratings (the review reports 2 high, 7 medium and 1 low, without naming them here)
RATINGS = {
    "Cooper 2008": "High",
    "Slade 2009": "High",
    "May 2007": "Low",
}


def _ratings(studies):  # type: ignore[no-untyped-def]
    return {s.id: RATINGS.get(s.label, "Medium") for s in studies}


def test_evidence_groups_excerpts_by_study_with_page_and_rating() -> None:
    snapshot, studies = reference_snapshot()
    theme = next(t for t in snapshot.themes if t.name == "Patient involvement")
    evidence = theme_evidence(snapshot, theme, studies, _ratings(studies))
    assert evidence.count_text == "5 of 10 studies"
    assert [s.study.label for s in evidence.studies] == [
        "Cooper 2008",
        "Jeffrey 2012",
        "May 2001",
        "May 2007",
        "Slade 2009",
    ]
    may = evidence.studies[3]
    assert may.rating == "Low"
    [excerpt] = may.excerpts
    assert excerpt.text == "In May 2007, participants spoke about patient involvement."
    assert excerpt.page == 1 and excerpt.coders == ("aoife",)
    assert [t.name for t in evidence.below] == ["Patient involvement (as described)"]


def test_a_span_coded_twice_is_shown_once_and_suggestions_and_lost_words_are_handled() -> None:
    snapshot, studies = reference_snapshot()
    theme = next(t for t in snapshot.themes if t.name == "Patient involvement")
    first = next(c for c in snapshot.codings if c.code_id == 305 and c.document_id == 8)  # May 2001
    second = dataclasses.replace(first, id=990, coder="bob")
    suggestion = dataclasses.replace(
        first, id=991, coder="assistant", origin=CodingOrigin.SUGGESTED, start=0, end=2
    )
    lost = Coding(
        992,
        8,
        305,
        500,
        520,
        "bob",
        SpanKind.QUOTE,
        anchor=AnchorStatus.LOST,
        text="words no longer there",
        page=4,
    )
    changed = dataclasses.replace(snapshot, codings=(*snapshot.codings, second, suggestion, lost))
    evidence = theme_evidence(changed, theme, studies, {})
    may = next(s for s in evidence.studies if s.study.label == "May 2001")
    assert [e.coders for e in may.excerpts] == [("aoife", "bob"), ("bob",)]
    assert may.excerpts[1].lost and may.excerpts[1].text == "words no longer there"
    assert may.excerpts[1].page == 4
    assert may.rating is None
    assert "no longer in the document" in evidence_markdown([evidence])


def test_evidence_markdown_and_html_golden() -> None:
    snapshot, studies = reference_snapshot()
    themes = [t for t in snapshot.themes if t.name in ("Patient involvement", "Individualised care")]
    views = [theme_evidence(snapshot, t, studies, _ratings(studies)) for t in themes]
    markdown = evidence_markdown(views)
    assert f'<a id="{theme_anchor(themes[0])}"></a>' in markdown
    assert_golden(GOLDEN / "evidence_patient_involvement.md", markdown)
    page = evidence_html(views)
    assert '<section id="theme-patient-involvement">' in page
    assert_golden(GOLDEN / "evidence_patient_involvement.html", page)


def test_evidence_html_escapes_everything() -> None:
    snapshot, studies = reference_snapshot()
    theme = dataclasses.replace(snapshot.themes[0], name="<b>bold</b>", definition="a & b")
    page = evidence_html([theme_evidence(snapshot, theme, studies, {})])
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page and "a &amp; b" in page


def test_sensitivity_finds_the_theme_that_rests_only_on_low_rated_studies() -> None:
    snapshot, studies = reference_snapshot()
    may = next(s for s in studies if s.label == "May 2007")
    only_may = Theme(150, "Acceptance of pain", ThemeLevel.ANALYTICAL, position=20)
    code = Code(350, "acceptance", theme_ids=(150,))
    coding = Coding(993, may.id or 0, 350, 0, 4, "aoife", SpanKind.QUOTE)
    changed = dataclasses.replace(
        snapshot,
        themes=(*snapshot.themes, only_may),
        codes=(*snapshot.codes, code),
        codings=(*snapshot.codings, coding),
    )
    report = sensitivity(theme_matrix(changed, studies), _ratings(studies), ["Low"])
    assert [t.name for t in report.vanishing] == ["Acceptance of pain"]
    by_name = {item.theme.name: item for item in report.themes}
    assert by_name["Patient involvement"].without_low == 4
    assert by_name["Patient involvement"].note == "holds without the studies rated low"
    assert by_name["Healthcare service"].note == ""
    out = io.BytesIO()
    write_sensitivity(report, "md", out)
    assert_golden(GOLDEN / "sensitivity.md", out.getvalue().decode("utf-8"))


def test_sensitivity_with_unrated_studies() -> None:
    snapshot, studies = reference_snapshot()
    ratings = {s.id: ("Low" if s.label == "May 2007" else None) for s in studies}
    report = sensitivity(theme_matrix(snapshot, studies), ratings, ["low"])
    roles = next(item for item in report.themes if item.theme.name == "Roles of health professionals")
    assert not roles.only_low and roles.no_better_than_low
    assert roles.note == "rests only on studies rated low or not rated yet"
