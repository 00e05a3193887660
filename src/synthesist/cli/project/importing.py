"""``synthesist import``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
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
from synthesist.errors import ImportFileError
from synthesist.services.records.imports import ImportRequest, ImportResult, import_files
from synthesist.wording import plural, plural_word

__all__ = ["register"]

_FORMATS = "auto|ris|nbib|pubmed-xml|bibtex|endnote-xml|endnote-tagged|cochrane-text|wos|csv|tsv|xlsx|json"
# listed with spaces, so the help can wrap the list instead of cutting it at the terminal's edge
_FORMATS_LISTED = _FORMATS.replace("|", ", ")


def import_(
    files: Annotated[
        list[Path], typer.Argument(help="Export files (one search batch per file).", show_default=False)
    ],
    source: Annotated[
        str | None,
        typer.Option("--source", "-s", help='Database and platform searched, e.g. "MEDLINE (Ovid)".'),
    ] = None,
    format_name: Annotated[
        str, typer.Option("--format", "-f", help=f"File format: {_FORMATS_LISTED}.")
    ] = "auto",
    searched_on: Annotated[
        str | None, typer.Option("--searched-on", help="Date the search was run (YYYY-MM-DD).")
    ] = None,
    query_file: Annotated[
        Path | None, typer.Option("--query-file", help="Text file with the search strategy as run.")
    ] = None,
    other_method: Annotated[
        str | None,
        typer.Option(
            "--other-method",
            help='Records found by other methods (PRISMA 2020), e.g. "reference lists", "websites".',
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Import a file again that was imported before.")
    ] = False,
    skip_invalid: Annotated[
        bool,
        typer.Option("--skip-invalid", help="Import the valid records; list the malformed ones in a report."),
    ] = False,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="Override encoding detection (e.g. cp1252).")
    ] = None,
    column_map: Annotated[
        list[str] | None,
        typer.Option("--map", help='CSV/XLSX column for a field, repeatable: --map "title=Article Name".'),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="XLSX sheet to read (default: the first).")
    ] = None,
    delimiter: Annotated[
        str | None,
        typer.Option(
            "--delimiter",
            help='CSV field separator if detection is wrong: ",", ";", "|" or tab.',
        ),
    ] = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import database exports as search batches (all-or-nothing unless --skip-invalid).

    Example: synthesist import medline.ris -s "MEDLINE (Ovid)" --searched-on 2014-06-30 --query-file q.txt

    Example: synthesist import refs.ris --other-method "reference lists"

    The format is detected from the content; the same file is refused a second time unless --force.
    """
    request = ImportRequest(
        paths=files,
        source=source,
        format=format_name,
        searched_on=_parse_date(searched_on),
        query=_read_query(query_file),
        other_method=other_method,
        force=force,
        skip_invalid=skip_invalid,
        encoding=encoding,
        column_map=_parse_map(column_map or []),
        sheet=sheet,
        delimiter=delimiter,
    )
    with open_project(project, actor) as workspace, _progress() as progress:
        task = progress.add_task("Importing", total=None)

        def report(file_name: str, count: int) -> None:
            progress.update(
                task, description=f"Importing {file_name}: {count:,} {plural_word(count, 'record')}"
            )

        result = import_files(workspace, request, progress=report)
    _show(result, as_json)


def _parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date; write YYYY-MM-DD", param_hint="--searched-on"
        ) from None


def _read_query(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFileError(f"{path}: cannot read the query file ({exc})") from exc


def _parse_map(items: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in items:
        field, sep, column = item.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise typer.BadParameter(
                f"{item!r}: write FIELD=COLUMN, e.g. title=Article Name", param_hint="--map"
            )
        mapping[field.strip()] = column.strip()
    return mapping


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )


def _show(result: ImportResult, as_json: bool) -> None:
    if as_json:
        print_json(
            {
                "records": result.records,
                "rejects": result.rejects,
                "files": [
                    {
                        "file": str(item.path),
                        "batch_id": item.batch_id,
                        "source": item.source,
                        "format": item.format,
                        "encoding": item.encoding,
                        "records": item.records,
                        "rejects": len(item.rejects),
                        "reject_report": str(item.reject_report) if item.reject_report else None,
                    }
                    for item in result.files
                ],
                "warnings": result.warnings,
            }
        )
        return
    table = Table(
        title=f"Imported {result.records:,} {plural_word(result.records, 'record')}", title_justify="left"
    )
    for column in ("File", "Batch", "Source", "Format", "Encoding", "Records", "Rejected"):
        # a file name or source is folded onto more lines, never cut: the user must recognise it
        table.add_column(
            column,
            justify="right" if column in ("Batch", "Records", "Rejected") else "left",
            overflow="fold",
        )
    for item in result.files:
        table.add_row(
            item.path.name,
            str(item.batch_id),
            item.source,
            item.format,
            item.encoding or "-",
            f"{item.records:,}",
            str(len(item.rejects)),
        )
    console.print(table)
    for item in result.files:
        if item.reject_report:
            console.print(
                f"[yellow]{plural(len(item.rejects), 'entry', 'entries')} of {item.path.name} rejected:[/] "
                f"{item.reject_report}"
            )
    for warning in result.warnings:
        console.print(f"[yellow]Warning:[/] {warning}")


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
