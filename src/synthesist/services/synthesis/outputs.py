"""What the synthesis produces, read from the project: the theme × study matrix, the evidence view
of a theme, and the sensitivity of the themes to studies rated low.

Each reads one :func:`~synthesist.services.synthesis.snapshot.coding_snapshot`, the included
studies (every one a row of the matrix, coded or not) and, where asked for, the appraisal ratings,
then calls the pure functions of :mod:`synthesist.synthesis.matrix` and
:mod:`synthesist.synthesis.evidence`. Nothing here writes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from synthesist.errors import NotFound, ProtocolError, UnknownPlugin, UserError
from synthesist.services.appraisal.views import appraisal_overview
from synthesist.services.fulltext.reports import list_studies
from synthesist.services.synthesis.refs import find_theme
from synthesist.services.synthesis.snapshot import coding_snapshot
from synthesist.synthesis.evidence import (
    EVIDENCE_FORMATS,
    SENSITIVITY_FORMATS,
    SensitivityReport,
    ThemeEvidence,
    evidence_html,
    evidence_markdown,
    sensitivity,
    theme_evidence,
    write_sensitivity,
)
from synthesist.synthesis.matrix import MATRIX_FORMATS, MatrixStudy, ThemeMatrix, theme_matrix, write_matrix
from synthesist.synthesis.model import ThemeLevel
from synthesist.synthesis.themes import theme_order
from synthesist.workspace import Workspace

__all__ = [
    "Ratings",
    "evidence_document",
    "included_rows",
    "matrix_document",
    "output_format",
    "parse_theme_level",
    "sensitivity_document",
    "sensitivity_report",
    "study_ratings",
    "synthesis_matrix",
    "synthesis_matrix_document",
    "theme_evidence_views",
]


@dataclass(frozen=True)
class Ratings:
    """The appraisal rating of each included study (by study id), best rating first in ``order``."""

    by_study: dict[int, str | None]
    order: tuple[str, ...]
    note: str | None = None  # why there are none, when there are none


def parse_theme_level(text: str | ThemeLevel) -> ThemeLevel:
    if isinstance(text, ThemeLevel):
        return text
    for level in ThemeLevel:
        if text.strip().casefold() == level.value:
            return level
    raise UserError(f"{text!r} is not a level of theme", hint="Levels: analytical, descriptive.")


def output_format(path: str | None, chosen: str | None, formats: Sequence[str], default: str = "md") -> str:
    """The format ``--format`` names, else the output file's extension, else ``default``."""
    if chosen is None and path not in (None, "-"):
        suffix = str(path).rsplit(".", 1)[-1].lower() if "." in str(path) else ""
        chosen = {"markdown": "md", "htm": "html"}.get(suffix, suffix) or None
    name = (chosen or default).lower()
    if name not in formats:
        raise UnknownPlugin(f"no output format {name!r}", hint="Formats: " + ", ".join(formats) + ".")
    return name


def included_rows(workspace: Workspace) -> list[MatrixStudy]:
    """Every included study as a row: its id (None for a record that is a study of its own and has
    nothing stored yet) and its label."""
    return [
        MatrixStudy(view.study.id, view.study.label) for view in list_studies(workspace, included_only=True)
    ]


def study_ratings(workspace: Workspace) -> Ratings:
    """Each included study's appraisal rating; none (with the reason) when the protocol names no
    checklist or its rating rules have problems."""
    try:
        overview = appraisal_overview(workspace)
    except ProtocolError as error:
        return Ratings({}, (), f"no appraisal ratings: {error.message}")
    rules = overview.setup.rules
    ratings = {
        study.study_id: (study.rating.rating if study.rating else None)
        for study in overview.studies
        if study.study_id is not None
    }
    note = None
    if overview.rule_problems:
        note = (
            "no appraisal ratings: the rating rules in review.toml have problems (synthesist appraise rules)"
        )
    elif rules is None:
        note = "no appraisal ratings: review.toml asks for none"
    return Ratings(ratings, tuple(rules.ratings) if rules else (), note)


def synthesis_matrix(workspace: Workspace, level: ThemeLevel = ThemeLevel.ANALYTICAL) -> ThemeMatrix:
    return theme_matrix(coding_snapshot(workspace), included_rows(workspace), level)


def synthesis_matrix_document(
    workspace: Workspace, format_name: str, level: ThemeLevel = ThemeLevel.ANALYTICAL
) -> bytes:
    """The theme × study matrix as a file's content in one of :data:`MATRIX_FORMATS`."""
    _check_format(format_name, MATRIX_FORMATS, "matrix format")  # before reading the project
    return matrix_document(synthesis_matrix(workspace, level), format_name)


def matrix_document(matrix: ThemeMatrix, format_name: str) -> bytes:
    """A matrix already read (``synthesis_matrix``) as a file's content."""
    _check_format(format_name, MATRIX_FORMATS, "matrix format")
    buffer = io.BytesIO()
    write_matrix(matrix, format_name, buffer)
    return buffer.getvalue()


def _check_format(format_name: str, formats: Sequence[str], what: str) -> None:
    if format_name not in formats:
        raise UnknownPlugin(f"no {what} {format_name!r}", hint="Formats: " + ", ".join(formats))


def theme_evidence_views(
    workspace: Workspace, theme: str | None = None, level: ThemeLevel = ThemeLevel.ANALYTICAL
) -> list[ThemeEvidence]:
    """The evidence of one theme (by name), or of every theme of ``level`` in display order."""
    snapshot = coding_snapshot(workspace)
    if theme is not None:
        chosen = [find_theme(list(snapshot.themes), theme)]
    else:
        chosen = theme_order(snapshot.themes, level)
        if not chosen:
            raise NotFound(
                f"there are no {level.value} themes yet", hint="synthesist theme add ... creates one."
            )
    rows = included_rows(workspace)
    ratings = study_ratings(workspace).by_study
    return [theme_evidence(snapshot, item, rows, ratings) for item in chosen]


def evidence_document(views: Sequence[ThemeEvidence], format_name: str) -> str:
    if format_name not in EVIDENCE_FORMATS:
        raise UnknownPlugin(f"no evidence format {format_name!r}", hint="Formats: md, html.")
    title = f"Evidence: {views[0].theme.name}" if len(views) == 1 else "Evidence by theme"
    return evidence_markdown(views, title) if format_name == "md" else evidence_html(views, title)


def sensitivity_report(
    workspace: Workspace, low: Sequence[str] | None = None, level: ThemeLevel = ThemeLevel.ANALYTICAL
) -> tuple[SensitivityReport, Ratings]:
    """Each theme with and without the studies rated low: ``low`` names the ratings that count as
    low (default: the last rating of the rating rules, e.g. Low)."""
    ratings = study_ratings(workspace)
    if ratings.note and not ratings.order:
        raise UserError(ratings.note, hint="The sensitivity view needs the studies' appraisal ratings.")
    chosen = tuple(low) if low else ratings.order[-1:]
    unknown = [name for name in chosen if name.casefold() not in {r.casefold() for r in ratings.order}]
    if unknown:
        raise UserError(
            f"{unknown[0]!r} is not a rating of the rating rules",
            hint="Ratings: " + ", ".join(ratings.order) + ".",
        )
    matrix = synthesis_matrix(workspace, level)
    return sensitivity(matrix, ratings.by_study, chosen), ratings


def sensitivity_document(report: SensitivityReport, format_name: str) -> bytes:
    """The sensitivity table as a file's content in one of :data:`SENSITIVITY_FORMATS`."""
    _check_format(format_name, SENSITIVITY_FORMATS, "format")
    buffer = io.BytesIO()
    write_sensitivity(report, format_name, buffer)
    return buffer.getvalue()
