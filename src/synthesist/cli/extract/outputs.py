"""``synthesist extract import|export|table|form``: data in and out of extraction, and the form."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from synthesist.cli.common import (
    ActorOption,
    JsonOption,
    ProjectOption,
    console,
    err_console,
    open_project,
    print_json,
)
from synthesist.cli.files import text_file, write_file
from synthesist.errors import UserError
from synthesist.review.extraction_settings import ExtractionField
from synthesist.services.extraction.csv_import import import_values
from synthesist.services.extraction.table import (
    characteristics_table_output,
    export_included_studies,
    table_format_for,
)
from synthesist.services.extraction.values import extraction_form
from synthesist.wording import plural

__all__ = ["register"]


def import_command(
    file: Annotated[
        Path, typer.Argument(help="A CSV file: a row per study, or columns study, field, value.")
    ],
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Import extracted values from a CSV file as your own: one row per study (a column "study"
    with its label, record id or S + id, then a column per field, by name or label), or the long
    layout with the columns study, field, value. Empty cells are left alone. All or nothing: every
    problem is listed with its line and column, and then nothing is imported.

    Example: synthesist extract import extraction.csv --as alice
    """
    with open_project(project, actor) as workspace:
        done = import_values(workspace, file)
    console.print(
        f"Imported {plural(done.values, 'value')} for {plural(done.studies, 'study', 'studies')} "
        f"({done.layout} layout); {done.changed} changed."
    )


def export(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The CSV file to write, or - for standard output.")
    ],
    project: ProjectOption = None,
) -> None:
    """Export the included studies as CSV: study id, label, records, and the value of each field
    (as agreed, in dual extraction). `extract import` reads the file back.

    Example: synthesist extract export -o included-studies.csv
    """
    with open_project(project) as workspace:
        if str(output) == "-":
            count = export_included_studies(workspace, sys.stdout)
        else:
            with text_file(output) as handle:
                count = export_included_studies(workspace, handle)
    err_console.print(
        f"Exported {plural(count, 'included study', 'included studies')}"
        + ("" if str(output) == "-" else f" to {output}")
    )


def table(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: Markdown to the screen).")
    ] = None,
    format_name: Annotated[
        str | None,
        typer.Option("--format", "-f", help="csv, md, html or docx (default: from the extension)."),
    ] = None,
    project: ProjectOption = None,
) -> None:
    """The table of characteristics of the included studies: one row per study, one column per
    field. A Word table goes on a landscape page when it is wide.

    Example: synthesist extract table -o characteristics.docx

    Example: synthesist extract table --format html -o characteristics.html
    """
    chosen = table_format_for(output, format_name)
    to_screen = output is None or str(output) == "-"
    with open_project(project) as workspace:
        if to_screen and chosen == "docx":
            raise UserError("a Word table is written to a file", hint="Example: -o characteristics.docx")
        written = characteristics_table_output(workspace, chosen)
    if output is None or to_screen:
        sys.stdout.buffer.write(written.content)
        sys.stdout.flush()
    else:
        write_file(output, written.content)
    for note in written.table.notes:
        err_console.print(f"[yellow]{escape(note)}[/]")
    if not to_screen:
        err_console.print(
            f"Wrote the table of {plural(len(written.table.rows), 'study', 'studies')} "
            f"as {chosen} to {output}"
        )


def form(project: ProjectOption = None, as_json: JsonOption = False) -> None:
    """The extraction form: the mode, and each field's name, label, type, whether it is required
    and its help (the default form is the reference review's, when review.toml gives none).

    Example: synthesist extract form
    """
    with open_project(project) as workspace:
        settings = extraction_form(workspace)
    if as_json:
        print_json(
            {
                "mode": settings.mode,
                "fields": [field.model_dump(exclude_defaults=True) for field in settings.form],
            }
        )
        return
    default = "" if settings.fields else " (the default form)"
    console.print(f"Mode: {settings.mode}{default}")
    table = Table()
    for column in ("Name", "Label", "Type", "Required", "Help"):
        table.add_column(column)
    for field in settings.form:
        table.add_row(
            field.name,
            escape(field.display_label),
            _type_text(field),
            "yes" if field.required else "",
            escape(field.help),
        )
    console.print(table)


def _type_text(field: ExtractionField) -> str:
    if field.choices:
        return f"{field.type}: " + escape("; ".join(field.choices))
    if field.groups:
        return f"{field.type}: " + escape(", ".join(field.groups))
    if field.unit:
        return f"{field.type} ({escape(field.unit)})"
    return field.type


def register(app: typer.Typer) -> None:
    """Add import, export, table and form to the ``extract`` group."""
    app.command("import")(import_command)
    app.command()(export)
    app.command()(table)
    app.command()(form)
