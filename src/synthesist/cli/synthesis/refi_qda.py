"""REFI-QDA exchange: ``synthesist codebook export|import`` (a ``.qdc`` codebook) and
``synthesist synthesis export|import`` (a ``.qdpx`` project), for NVivo, ATLAS.ti, MAXQDA and
QualCoder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from synthesist.cli.common import ActorOption, ProjectOption, console, err_console, open_project
from synthesist.cli.synthesis.outputs import write_output
from synthesist.errors import UnknownPlugin
from synthesist.services.synthesis.refi_qda import (
    ImportSummary,
    export_codebook,
    export_project,
    import_refi_qda,
)
from synthesist.synthesis.spans import parse_kind
from synthesist.wording import plural

__all__ = ["register_codebook", "register_synthesis"]


def _report(summary: ImportSummary) -> None:
    console.print(
        f"Imported {escape(summary.file)}: {plural(len(summary.themes), 'theme')}, "
        f"{plural(len(summary.codes), 'code')}, {plural(len(summary.documents), 'document')} and "
        f"{plural(len(summary.codings), 'coding')} added."
    )
    if summary.reused:
        kept = ", ".join(f"{count} {kind}" for kind, count in sorted(summary.reused.items()))
        console.print(f"Already in the project, so reused: {kept}.")
    for note in summary.notes:
        err_console.print(f"[yellow]{escape(note)}[/]")


def codebook_export(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The .qdc file to write (- for the screen).")
    ],
    format_name: Annotated[str, typer.Option("--format", "-f", help="qdc (REFI-QDA codebook).")] = "qdc",
    project: ProjectOption = None,
) -> None:
    """Export the codebook as a REFI-QDA codebook (.qdc): themes as codes that cannot be applied
    (analytical above descriptive), codes inside them, definitions and key terms as descriptions.

    Example: synthesist codebook export --format qdc -o codebook.qdc
    """
    if format_name.lower() != "qdc":
        raise UnknownPlugin(f"no codebook format {format_name!r}", hint="Formats: qdc.")
    with open_project(project) as workspace:
        data = export_codebook(workspace)
    write_output(output, data, "the codebook (REFI-QDA .qdc)")


def codebook_import(
    file: Annotated[Path, typer.Argument(help="A REFI-QDA codebook (.qdc).")],
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Import a REFI-QDA codebook (.qdc) from NVivo, ATLAS.ti, MAXQDA or QualCoder: themes and codes
    the project lacks are added, those it has (by name) are reused. All or nothing.

    Example: synthesist codebook import codebook.qdc
    """
    with open_project(project, actor) as workspace:
        summary = import_refi_qda(workspace, file)
    _report(summary)


def project_export(
    output: Annotated[Path, typer.Option("--output", "-o", help="The .qdpx file to write.")],
    project: ProjectOption = None,
) -> None:
    """Export the coded project as REFI-QDA (.qdpx): documents (as text, with their study as a
    case), the codebook, every coder's and every consensus coding, and memos. The assistant's
    suggestions and codings whose text was lost are left out (and counted).

    Example: synthesist synthesis export -o project.qdpx
    """
    with open_project(project) as workspace:
        result = export_project(workspace)
    write_output(
        output,
        result.data,
        f"{plural(result.documents, 'document')}, {plural(result.codes, 'code')}, "
        f"{plural(result.themes, 'theme')} and {plural(result.codings, 'coding')}",
    )
    if result.suggestions_left_out or result.lost_left_out:
        err_console.print(
            f"[yellow]Left out: {plural(result.suggestions_left_out, 'suggestion')} of the assistant, "
            f"{plural(result.lost_left_out, 'coding')} whose text was lost (re-anchor them first).[/]"
        )


def project_import(
    file: Annotated[Path, typer.Argument(help="A REFI-QDA project (.qdpx) or codebook (.qdc).")],
    default_kind: Annotated[
        str,
        typer.Option(
            "--default-kind", help="quote or interpretation: for coded spans the file does not type."
        ),
    ] = "interpretation",
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Import a REFI-QDA project (.qdpx): documents (each in the included study its case or name
    gives), themes, codes, codings and their coders (users, by name). What the project has already
    is reused, so importing twice adds nothing; a malformed file is refused whole, naming the
    problem, and nothing is imported.

    Example: synthesist synthesis import project.qdpx --as alice
    """
    with open_project(project, actor) as workspace:
        summary = import_refi_qda(workspace, file, default_kind=parse_kind(default_kind))
    _report(summary)


def register_codebook(app: typer.Typer) -> None:
    """Add export and import (a ``.qdc`` codebook) to the ``codebook`` group."""
    app.command("export")(codebook_export)
    app.command("import")(codebook_import)


def register_synthesis(app: typer.Typer) -> None:
    """Add export and import (a ``.qdpx`` project) to the ``synthesis`` group."""
    app.command("export")(project_export)
    app.command("import")(project_import)
