"""The theme × study matrix, computed from hand-built snapshots (the database version is in
test_synthesis_outputs_db.py)."""

from __future__ import annotations

import csv
import dataclasses
import io

from docx import Document as WordDocument

from synthesist.synthesis.matrix import (
    FLAG_MARK,
    MARK,
    MatrixStudy,
    theme_matrix,
    theme_slug,
    write_matrix,
)
from synthesist.synthesis.model import AnchorStatus, Code, Coding, CodingOrigin, SpanKind, ThemeLevel
from tests.golden import assert_golden
from tests.synthesis.golden_files import GOLDEN
from tests.synthesis.reference import load_reference, reference_snapshot

REFERENCE_COUNTS = {
    "Effective communication": 8,
    "Mutual understanding": 10,
    "Roles of health professionals": 7,
    "Information delivery": 6,
    "Patient involvement": 5,
    "Individualised care": 6,
    "Healthcare service": 7,
}


def test_the_reference_assignments_add_up_to_table_2() -> None:
    reference = load_reference()
    assert len(reference.studies) == 10
    assert {theme.name: theme.count for theme in reference.themes} == REFERENCE_COUNTS
    for theme in reference.themes:
        assert len(set(theme.studies)) == theme.count, theme.name
        assert set(theme.studies) <= set(reference.studies), theme.name
    # the marks per row of Table 2 as printed (empty cells collapsed, but the marks are countable)
    per_study = {
        label: sum(label in theme.studies for theme in reference.themes) for label in reference.studies
    }
    assert per_study == {
        "Jeffrey 2012": 6,
        "Matthias 2010": 5,
        "Matthias 2012": 4,
        "Cooper 2008": 7,
        "Cooper 2009": 4,
        "Östlund 2001": 4,
        "Slade 2009": 6,
        "May 2001": 6,
        "MacKichan 2013": 4,
        "May 2007": 3,
    }


def test_matrix_reproduces_the_reference_review() -> None:
    snapshot, studies = reference_snapshot()
    matrix = theme_matrix(snapshot, studies)
    assert matrix.total == 10
    assert [column.theme.name for column in matrix.columns] == list(REFERENCE_COUNTS)
    assert {c.theme.name: matrix.count_text(c) for c in matrix.columns} == {
        name: f"{count} of 10" for name, count in REFERENCE_COUNTS.items()
    }
    for theme in load_reference().themes:
        column = matrix.column(theme.name)
        assert sorted(s.label for s in matrix.studies_of(column)) == sorted(theme.studies)


def test_descriptive_level_counts_the_same_codings() -> None:
    snapshot, studies = reference_snapshot()
    matrix = theme_matrix(snapshot, studies, ThemeLevel.DESCRIPTIVE)
    assert matrix.columns[0].theme.name == "Effective communication (as described)"
    assert [len(c.studies) for c in matrix.columns] == list(REFERENCE_COUNTS.values())


def test_suggestions_do_not_count_and_lost_anchors_are_flagged() -> None:
    snapshot, studies = reference_snapshot()
    mackichan = next(s for s in studies if s.label == "MacKichan 2013")
    may = next(s for s in studies if s.label == "May 2007")
    extra = [
        # the assistant suggests effective communication in MacKichan: not evidence
        Coding(900, mackichan.id or 0, 301, 0, 5, "assistant", SpanKind.QUOTE, origin=CodingOrigin.SUGGESTED),
        # a reviewer codes May 2007 for information delivery, then the text changes and it is lost
        Coding(901, may.id or 0, 304, 0, 5, "aoife", SpanKind.QUOTE, anchor=AnchorStatus.LOST),
        # a consensus coding counts
        Coding(902, may.id or 0, 306, 0, 5, "aoife & bob", SpanKind.QUOTE, origin=CodingOrigin.CONSENSUS),
    ]
    changed = dataclasses.replace(snapshot, codings=snapshot.codings + tuple(extra))
    matrix = theme_matrix(changed, studies)
    communication = matrix.column("Effective communication")
    assert matrix.mark(mackichan, communication) == ""
    information = matrix.column("Information delivery")
    assert matrix.mark(may, information) == FLAG_MARK
    assert matrix.count_text(information) == "7 of 10"
    assert matrix.mark(may, matrix.column("Individualised care")) == MARK
    # a lost coding beside a sound one: the mark stands unflagged
    extra_lost = Coding(903, may.id or 0, 302, 0, 5, "aoife", SpanKind.QUOTE, anchor=AnchorStatus.LOST)
    again = theme_matrix(dataclasses.replace(changed, codings=(*changed.codings, extra_lost)), studies)
    assert again.mark(may, again.column("Mutual understanding")) == MARK


def test_a_code_directly_under_an_analytical_theme_and_under_two_themes() -> None:
    snapshot, studies = reference_snapshot()
    # code 399 sits under the analytical theme "Patient involvement" (105) and the descriptive
    # theme of "Healthcare service" (207): one coding counts for both analytical themes
    code = Code(399, "self-referral", theme_ids=(105, 207))
    may = next(s for s in studies if s.label == "May 2007")
    coding = Coding(950, may.id or 0, 399, 0, 3, "bob", SpanKind.INTERPRETATION)
    changed = dataclasses.replace(
        snapshot, codes=(*snapshot.codes, code), codings=(*snapshot.codings, coding)
    )
    matrix = theme_matrix(changed, studies)
    assert matrix.present(may, matrix.column("Healthcare service"))
    assert matrix.present(may, matrix.column("Patient involvement"))  # it was already


def test_studies_without_coding_count_in_m_and_excluded_studies_are_named() -> None:
    snapshot, studies = reference_snapshot()
    fewer = [s for s in studies if s.label != "May 2007"] + [MatrixStudy(None, "Zhang 2015")]
    matrix = theme_matrix(snapshot, fewer)
    assert matrix.total == 10
    assert matrix.count_text(matrix.column("Mutual understanding")) == "9 of 10"
    assert matrix.not_included == ("May 2007",)
    assert [s.label for s in matrix.studies][-1] == "Zhang 2015"


def test_rows_sort_naturally() -> None:
    snapshot, studies = reference_snapshot()
    labels = [s.label for s in theme_matrix(snapshot, studies).studies]
    assert labels.index("May 2001") < labels.index("May 2007")
    assert labels[0] == "Cooper 2008" and labels[-1] == "Slade 2009"
    assert labels.index("Matthias 2012") < labels.index("May 2001")


def _written(format_name: str) -> bytes:
    snapshot, studies = reference_snapshot()
    out = io.BytesIO()
    write_matrix(theme_matrix(snapshot, studies), format_name, out)
    return out.getvalue()


def test_markdown_matrix_golden() -> None:
    assert_golden(GOLDEN / "reference_matrix.md", _written("md").decode("utf-8"))


def test_html_matrix_golden_and_escaped() -> None:
    produced = _written("html").decode("utf-8")
    assert produced.startswith("<!DOCTYPE html>")
    assert_golden(GOLDEN / "reference_matrix.html", produced)
    snapshot, studies = reference_snapshot()
    theme = dataclasses.replace(snapshot.themes[0], name="<script>alert(1)</script> & co")
    changed = dataclasses.replace(snapshot, themes=(theme, *snapshot.themes[1:]))
    out = io.BytesIO()
    write_matrix(theme_matrix(changed, studies), "html", out)
    assert "<script>" not in out.getvalue().decode() and "&lt;script&gt;" in out.getvalue().decode()


def test_csv_matrix_is_a_row_per_study_with_a_mark() -> None:
    rows = list(csv.reader(io.StringIO(_written("csv").decode("utf-8-sig"))))
    assert rows[0] == ["Study", *REFERENCE_COUNTS]
    assert len(rows) == 11
    by_study = {row[0]: row[1:] for row in rows[1:]}
    assert by_study["May 2007"] == ["", MARK, MARK, "", MARK, "", ""]
    assert by_study["Cooper 2008"] == [MARK] * 7
    assert_golden(GOLDEN / "reference_matrix.csv", _written("csv").decode("utf-8-sig"))


def test_docx_matrix_is_a_word_table() -> None:
    document = WordDocument(io.BytesIO(_written("docx")))
    [table] = document.tables
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0] == ["Study", *REFERENCE_COUNTS]
    assert cells[1][0] == "Key terms" and cells[1][1].startswith("Communicate, talking")
    assert cells[-1] == ["Studies", *(f"{n} of 10" for n in REFERENCE_COUNTS.values())]
    assert len(cells) == 13


def test_theme_slug() -> None:
    assert theme_slug("Roles of health professionals") == "roles-of-health-professionals"
    assert theme_slug("Östlund's “trust”") == "ostlund-s-trust"
    assert theme_slug("—") == "theme"
