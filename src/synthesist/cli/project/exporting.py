"""``synthesist export``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from synthesist.cli.common import (
    ActorOption,
    ProjectOption,
    WhereOption,
    err_console,
    open_project,
    record_filter,
)
from synthesist.cli.files import text_file
from synthesist.errors import UnknownPlugin
from synthesist.services.records.reading import export_format, export_records
from synthesist.wording import plural_word

__all__ = ["register"]


def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write, or - for standard output.")],
    format_name: Annotated[
        str | None,
        typer.Option("--format", "-f", help="ris, csv, bibtex or json (default: from the file extension)."),
    ] = None,
    where: WhereOption = None,
    deduplicated: Annotated[
        bool,
        typer.Option(
            "--deduplicated",
            help="Leave out records marked as duplicates; each kept record gets the gaps its "
            "duplicates fill.",
        ),
    ] = False,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Export records to RIS, CSV, BibTeX or JSON; re-importing the file gives the same records.

    The CSV export has the columns duplicate_group, is_primary and duplicate_of after deduplication.

    Example: synthesist export --format csv --where "year>=2000" -o records.csv

    Example: synthesist export --deduplicated -o for-screening.ris
    """
    chosen_filter = record_filter(where)
    with open_project(project, actor) as workspace:
        if str(output) == "-":
            if format_name is None:
                raise UnknownPlugin("writing to standard output needs --format (ris, csv, bibtex or json)")
            count = export_records(
                workspace, format_name, sys.stdout, chosen_filter, deduplicated=deduplicated
            )
            err_console.print(f"Exported {count:,} {plural_word(count, 'record')} as {format_name}")
            return
        chosen = export_format(output, format_name)
        # streamed to the file, not held in memory: an export may have a million records
        with text_file(output) as handle:
            count = export_records(workspace, chosen, handle, chosen_filter, deduplicated=deduplicated)
    err_console.print(f"Exported {count:,} {plural_word(count, 'record')} as {chosen} to {output}")


def register(app: typer.Typer) -> None:
    app.command()(export)
