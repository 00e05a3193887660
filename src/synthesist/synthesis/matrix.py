"""The theme × study matrix (the reference review's Table 2), computed from a :class:`CodingSnapshot`.

Rows are the included studies, columns the themes of one level (analytical by default) in their
display order, and a cell is marked where the study's findings carry at least one coding that
counts as evidence for the theme:

* the coding's code *rolls up* to the theme: a code sits under descriptive themes, those under an
  analytical theme, so one coding counts for its descriptive theme and for the analytical theme
  above it (and for any theme its code sits under directly);
* it is a person's coding — made by a coder or agreed in consensus. Suggestions of the assistant
  are not evidence until a reviewer accepts them (which makes a new, human coding);
* a coding whose anchor was LOST (the document's text changed and the coded words could not be
  found again) still counts — the reviewer coded the study's finding — but a mark that rests only
  on such codings is flagged, so someone looks before the table is published.

Every included study is a row, also one with no coding yet: "N of M studies" counts M over all of
them, as the review reports it ("8 of the 10 studies"). Pure: no I/O; the writers below turn a
finished :class:`ThemeMatrix` into CSV, Markdown, HTML or Word
(through :mod:`synthesist.reporting.tables`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

from synthesist.reporting.characteristics import CharacteristicsTable, write_table
from synthesist.reporting.tables import NoteStyle, Table, csv_table
from synthesist.synthesis.model import (
    ASSISTANT,
    AnchorStatus,
    Coding,
    CodingOrigin,
    CodingSnapshot,
    Theme,
    ThemeLevel,
)
from synthesist.synthesis.themes import theme_order, themes_of_code

__all__ = [
    "FLAG_MARK",
    "MARK",
    "MATRIX_FORMATS",
    "MatrixColumn",
    "MatrixStudy",
    "ThemeMatrix",
    "analysis_table",
    "code_themes",
    "counts_as_evidence",
    "matrix_table",
    "natural_key",
    "theme_matrix",
    "theme_slug",
    "write_matrix",
]

MATRIX_FORMATS = ("csv", "md", "html", "docx")
MARK = "*"  # as in the reference review's Table 2
FLAG_MARK = "*†"  # present, but only through codings whose anchor was lost


@dataclass(frozen=True, slots=True)
class MatrixStudy:
    """A row: an included study. ``id`` is None for a study without a stored row (it cannot have
    documents, so it has no coding: it still counts among the M studies)."""

    id: int | None
    label: str  # "Cooper 2008"


@dataclass(frozen=True, slots=True)
class MatrixColumn:
    theme: Theme
    studies: frozenset[int]  # ids of the included studies where the theme is present
    flagged: frozenset[int]  # of those, the ones whose mark rests only on codings with a lost anchor
    codings: int  # how many counting codings support the theme across the included studies


@dataclass(frozen=True)
class ThemeMatrix:
    level: ThemeLevel
    studies: tuple[MatrixStudy, ...]  # rows, ordered by label
    columns: tuple[MatrixColumn, ...]  # in the themes' display order
    not_included: tuple[str, ...] = ()  # labels of coded studies that are not (or no longer) included

    @property
    def total(self) -> int:
        """M: every included study, with or without coding."""
        return len(self.studies)

    def present(self, study: MatrixStudy, column: MatrixColumn) -> bool:
        return study.id is not None and study.id in column.studies

    def count_text(self, column: MatrixColumn) -> str:
        return f"{len(column.studies)} of {self.total}"

    def column(self, name: str) -> MatrixColumn:
        wanted = name.casefold()
        for column in self.columns:
            if column.theme.name.casefold() == wanted:
                return column
        raise KeyError(name)

    def mark(self, study: MatrixStudy, column: MatrixColumn) -> str:
        if not self.present(study, column):
            return ""
        return FLAG_MARK if study.id in column.flagged else MARK

    def studies_of(self, column: MatrixColumn) -> list[MatrixStudy]:
        return [study for study in self.studies if self.present(study, column)]


# -- rolling codes up to themes ------------------------------------------------------------------


def counts_as_evidence(coding: Coding) -> bool:
    """A person's coding: not a suggestion (the assistant's codings never count on their own)."""
    return coding.origin is not CodingOrigin.SUGGESTED and coding.coder != ASSISTANT


def code_themes(snapshot: CodingSnapshot) -> dict[int, frozenset[int]]:
    """Code id -> every theme its codings roll up to (the coding engineer's roll-up rule)."""
    index = {theme.id: theme for theme in snapshot.themes}
    return {code.id: frozenset(themes_of_code(code, index)) for code in snapshot.codes}


# -- the matrix ----------------------------------------------------------------------------------


def natural_key(text: str) -> tuple[object, ...]:
    """Sort key that puts "May 2001" before "May 2007" and ignores case and accents' ordering quirks."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", plain))


def theme_matrix(
    snapshot: CodingSnapshot,
    studies: Sequence[MatrixStudy],
    level: ThemeLevel = ThemeLevel.ANALYTICAL,
) -> ThemeMatrix:
    """The matrix of ``studies`` (the included ones) × the themes of ``level``."""
    included = {study.id for study in studies if study.id is not None}
    study_of_document = {document.id: document.study_id for document in snapshot.documents}
    rolled = code_themes(snapshot)
    supported: dict[tuple[int, int], list[bool]] = {}  # (theme, study) -> lost?, per coding
    coded_elsewhere: set[int] = set()
    for coding in snapshot.codings:
        if not counts_as_evidence(coding):
            continue
        study_id = study_of_document.get(coding.document_id)
        if study_id is None:
            continue
        if study_id not in included:
            coded_elsewhere.add(study_id)
            continue
        for theme_id in rolled.get(coding.code_id, ()):
            supported.setdefault((theme_id, study_id), []).append(coding.anchor is AnchorStatus.LOST)
    columns = []
    for theme in theme_order(snapshot.themes, level):
        present = {sid: lost for (tid, sid), lost in supported.items() if tid == theme.id}
        columns.append(
            MatrixColumn(
                theme=theme,
                studies=frozenset(present),
                flagged=frozenset(sid for sid, lost in present.items() if all(lost)),
                codings=sum(len(lost) for lost in present.values()),
            )
        )
    rows = tuple(sorted(studies, key=lambda study: (natural_key(study.label), study.id or 0)))
    elsewhere = tuple(
        sorted((snapshot.study_labels.get(sid, f"S{sid}") for sid in coded_elsewhere), key=natural_key)
    )
    return ThemeMatrix(level=level, studies=rows, columns=tuple(columns), not_included=elsewhere)


# -- writing -------------------------------------------------------------------------------------


def theme_slug(name: str) -> str:
    """``"Roles of health professionals"`` -> ``"roles-of-health-professionals"``: the anchor of a
    theme's evidence in the report (``#theme-<slug>``), stable for the same name."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "theme"


def _title(matrix: ThemeMatrix) -> str:
    return f"Theme × study matrix ({matrix.level.value} themes)"


def _notes(matrix: ThemeMatrix) -> list[str]:
    notes = [
        f"{MARK} the theme is present in the study's coded findings (a coder's or a consensus coding; "
        "the assistant's suggestions are not counted)."
    ]
    if any(column.flagged for column in matrix.columns):
        notes.append(
            f"{FLAG_MARK} present only through codings whose text changed after coding and could not be "
            "found again: check them (synthesist doc anchors)."
        )
    if not matrix.columns:
        notes.append(f"No {matrix.level.value} themes yet.")
    if matrix.not_included:
        notes.append("Coded but not included, so left out: " + ", ".join(matrix.not_included) + ".")
    return notes


def matrix_table(matrix: ThemeMatrix) -> CharacteristicsTable:
    """The matrix as the review prints it: the key-terms row, a row per study, the counts row."""
    themes = [column.theme for column in matrix.columns]
    rows = [["Key terms", *(", ".join(theme.key_terms) for theme in themes)]]
    rows += [
        [study.label, *(matrix.mark(study, column) for column in matrix.columns)] for study in matrix.studies
    ]
    rows.append(["Studies", *(matrix.count_text(column) for column in matrix.columns)])
    return CharacteristicsTable(
        title=_title(matrix),
        columns=["Study", *(theme.name for theme in themes)],
        rows=rows,
        notes=_notes(matrix),
    )


def analysis_table(matrix: ThemeMatrix) -> Table:
    """For analysis: the header and one row per study, nothing else (counts and key terms are in the
    other formats; a spreadsheet derives the counts from the marks)."""
    rows = tuple(
        (study.label, *(matrix.mark(study, column) for column in matrix.columns)) for study in matrix.studies
    )
    return Table(("Study", *(column.theme.name for column in matrix.columns)), rows, row_headers=True)


def write_matrix(matrix: ThemeMatrix, format_name: str, handle: BinaryIO) -> None:
    """Write ``matrix`` in one of :data:`MATRIX_FORMATS` (Markdown, CSV and HTML are byte-stable)."""
    if format_name == "csv":
        handle.write(csv_table(analysis_table(matrix)))
    else:
        write_table(matrix_table(matrix), format_name, handle, notes=NoteStyle.PARAGRAPHS)
