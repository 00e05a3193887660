"""``synthesist synthesis matrix|evidence|sensitivity``: what the coding adds up to; ``write_output``
serves every command here that writes a file or standard output."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from synthesist.cli.common import JsonOption, ProjectOption, err_console, open_project, print_json
from synthesist.cli.files import write_file
from synthesist.errors import UserError
from synthesist.services.synthesis.outputs import (
    evidence_document,
    matrix_document,
    output_format,
    parse_theme_level,
    sensitivity_document,
    sensitivity_report,
    synthesis_matrix,
    theme_evidence_views,
)
from synthesist.synthesis.evidence import EVIDENCE_FORMATS, SENSITIVITY_FORMATS
from synthesist.synthesis.matrix import MATRIX_FORMATS
from synthesist.wording import plural

__all__ = ["OutputOption", "register", "write_output"]

OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="File to write (default: Markdown to the screen).")
]
LevelOption = Annotated[
    str, typer.Option("--level", "-l", help="The themes to show: analytical or descriptive.")
]


def _format(output: Path | None, chosen: str | None, formats: tuple[str, ...]) -> str:
    name = output_format(str(output) if output is not None else None, chosen, formats)
    if name == "docx" and (output is None or str(output) == "-"):
        raise UserError("a Word file is written to a file", hint="Example: -o matrix.docx")
    return name


def write_output(output: Path | None, data: bytes, what: str) -> None:
    """``data`` to the file, or to the screen (standard output) without one or with ``-``."""
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_file(output, data)
    err_console.print(f"Wrote {escape(what)} to {escape(str(output))}")


def matrix_command(
    output: OutputOption = None,
    format_name: Annotated[
        str | None,
        typer.Option("--format", "-f", help="csv, md, html or docx (default: from the extension)."),
    ] = None,
    level: LevelOption = "analytical",
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """The theme × study matrix: a row per included study, a column per theme, "*" where the
    study's coded findings support the theme (a coder's or a consensus coding, through any code under
    it), the key terms of each theme, and "N of M studies" (M: every included study). CSV has the
    header and one row per study ("Author Year", then a column per theme); Markdown, HTML and Word
    add the key-terms and counts rows.

    Example: synthesist synthesis matrix -o matrix.docx

    Example: synthesist synthesis matrix --format csv --level descriptive -o descriptive.csv
    """
    chosen = "md" if as_json else _format(output, format_name, MATRIX_FORMATS)
    with open_project(project) as workspace:
        matrix = synthesis_matrix(workspace, parse_theme_level(level))
    if as_json:
        print_json(
            {
                "level": matrix.level.value,
                "studies": matrix.total,
                "themes": [
                    {
                        "theme": column.theme.name,
                        "key_terms": list(column.theme.key_terms),
                        "count": len(column.studies),
                        "studies": [s.label for s in matrix.studies_of(column)],
                        "flagged": [s.label for s in matrix.studies_of(column) if s.id in column.flagged],
                    }
                    for column in matrix.columns
                ],
                "not_included": list(matrix.not_included),
            }
        )
        return
    write_output(
        output,
        matrix_document(matrix, chosen),
        f"the matrix of {plural(matrix.total, 'study', 'studies')} × {plural(len(matrix.columns), 'theme')}",
    )


def evidence_command(
    theme: Annotated[
        str | None, typer.Argument(help="The theme (default: every theme of --level, as one document).")
    ] = None,
    output: OutputOption = None,
    format_name: Annotated[
        str | None, typer.Option("--format", "-f", help="md or html (default: from the extension).")
    ] = None,
    level: LevelOption = "analytical",
    project: ProjectOption = None,
) -> None:
    """The evidence a theme rests on: the coded quotes and interpretations under it, grouped by
    study, each with its page, codes and coders, and the contributing studies with their appraisal
    rating. Each theme has the anchor `#theme-<name>` that the conceptual model's nodes link to.

    Example: synthesist synthesis evidence "Mutual understanding"

    Example: synthesist synthesis evidence -o evidence.html
    """
    chosen = _format(output, format_name, EVIDENCE_FORMATS)
    with open_project(project) as workspace:
        views = theme_evidence_views(workspace, theme, parse_theme_level(level))
    text = evidence_document(views, chosen)
    write_output(output, text.encode("utf-8"), f"the evidence of {len(views)} theme(s)")


def sensitivity_command(
    low: Annotated[
        list[str] | None,
        typer.Option(
            "--low", help="A rating that counts as low, repeatable (default: the rules' last, e.g. Low)."
        ),
    ] = None,
    output: OutputOption = None,
    format_name: Annotated[
        str | None,
        typer.Option("--format", "-f", help="md, csv, html or docx (default: from the extension)."),
    ] = None,
    level: LevelOption = "analytical",
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """Which themes rest only on studies rated low, and what each theme keeps without them: its
    studies, those rated low, how many are left, and whether it would vanish.

    Example: synthesist synthesis sensitivity

    Example: synthesist synthesis sensitivity --low Low --low Medium -o sensitivity.docx
    """
    chosen = "md" if as_json else _format(output, format_name, SENSITIVITY_FORMATS)
    with open_project(project) as workspace:
        report, ratings = sensitivity_report(workspace, low, parse_theme_level(level))
    if as_json:
        print_json(
            {
                "low_ratings": list(report.low_ratings),
                "studies": report.total,
                "studies_rated_low": report.total_low,
                "themes": [
                    {
                        "theme": item.theme.name,
                        "studies": [s.label for s in item.studies],
                        "rated_low": [s.label for s in item.low],
                        "not_rated": [s.label for s in item.unrated],
                        "without_low": item.without_low,
                        "vanishes_without_low": item.only_low,
                    }
                    for item in report.themes
                ],
            }
        )
        return
    write_output(output, sensitivity_document(report, chosen), "the sensitivity table")
    unrated = sorted({s.label for item in report.themes for s in item.unrated})
    if unrated:
        err_console.print(f"[yellow]Not rated yet: {escape(', '.join(unrated))}[/]")
    if ratings.note:
        err_console.print(f"[yellow]{escape(ratings.note)}[/]")


def register(app: typer.Typer) -> None:
    """Add the outputs to the ``synthesis`` group."""
    app.command("matrix")(matrix_command)
    app.command("evidence")(evidence_command)
    app.command("sensitivity")(sensitivity_command)
