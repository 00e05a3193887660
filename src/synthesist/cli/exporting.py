"""``synthesist export``."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TextIO

import typer

from synthesist.cli.common import ProjectOption, WhereOption, err_console, open_project, record_filter
from synthesist.exporting.base import available_writers
from synthesist.services.records import export_records

__all__ = ["register"]


def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write, or - for standard output.")],
    format_name: Annotated[
        str | None,
        typer.Option("--format", "-f", help="ris, csv, bibtex or json (default: from the file extension)."),
    ] = None,
    where: WhereOption = None,
    project: ProjectOption = None,
) -> None:
    """Export records to RIS, CSV, BibTeX or JSON; re-importing the file gives the same records.

    Example: synthesist export --format csv --where "year>=2000" -o records.csv
    """
    chosen = format_name or _format_from_extension(output)
    chosen_filter = record_filter(where)
    with open_project(project) as workspace:
        if str(output) == "-":
            count = export_records(workspace, chosen, sys.stdout, chosen_filter)
        else:
            count = _export_atomically(
                output, lambda handle: export_records(workspace, chosen, handle, chosen_filter)
            )
    err_console.print(
        f"Exported {count:,} records as {chosen}" + ("" if str(output) == "-" else f" to {output}")
    )


def _format_from_extension(output: Path) -> str:
    suffix = output.suffix.lower().lstrip(".")
    by_extension = {writer.extension.lstrip("."): name for name, writer in available_writers().items()}
    by_extension.update({"bib": "bibtex", "txt": "ris"})
    if suffix in by_extension:
        return by_extension[suffix]
    raise typer.BadParameter(
        f"cannot tell the format from {output.name!r}; pass --format ({', '.join(available_writers())})",
        param_hint="--format",
    )


def _export_atomically(output: Path, write: Callable[[TextIO], int]) -> int:
    """Write to a temporary file beside the target, then rename: a failed export leaves no half file."""
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            count = write(handle)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


def register(app: typer.Typer) -> None:
    app.command()(export)
