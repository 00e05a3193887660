"""``synthesist prisma``: the PRISMA 2020 flow diagram from the project's data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from synthesist.cli.common import JsonOption, ProjectOption, console, err_console, open_project, print_json
from synthesist.cli.files import write_file
from synthesist.services.reporting.prisma import (
    prisma_counts,
    prisma_document,
    prisma_document_from_csv,
    prisma_format,
)
from synthesist.wording import plural_word

__all__ = ["register"]


def prisma(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="prisma.svg, .png or .pdf for the diagram; .csv for the PRISMA2020 app."
        ),
    ] = None,
    from_csv: Annotated[
        Path | None,
        typer.Option("--from-csv", help="Draw from a PRISMA2020 app/R package CSV instead of the project."),
    ] = None,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """Draw the PRISMA 2020 flow diagram from the records and decisions (numbers for steps done
    elsewhere can be given in prisma.toml beside review.toml; they are marked in the diagram).

    Example: synthesist prisma -o prisma.svg

    Example: synthesist prisma --from-csv PRISMA.csv -o prisma.pdf
    """
    if from_csv is not None:
        if output is None:
            raise typer.BadParameter("name the diagram to write with -o", param_hint="--from-csv")
        written_format = prisma_format(output)
        write_file(output, prisma_document_from_csv(from_csv, written_format))
        err_console.print(f"Wrote the PRISMA 2020 flow diagram ({written_format}) to {output}")
        return
    with open_project(project) as workspace:
        if output is None:
            result = prisma_counts(workspace)
            written = None
        else:
            written = prisma_format(output)
            content, result = prisma_document(workspace, written)
            write_file(output, content)
    if not as_json:  # with --json the warnings are in the JSON
        for warning in result.warnings:
            err_console.print(f"[yellow]Not final:[/] {warning}")
    counts = result.counts
    if as_json:
        print_json(
            {
                "databases": {entry.name: entry.n for entry in counts.databases},
                "other_sources": {entry.name: entry.n for entry in counts.other_sources},
                "records_identified_from_databases": counts.database_records,
                "duplicates_removed": counts.duplicates_removed,
                "records_screened": counts.records_screened,
                "records_excluded": counts.records_excluded,
                "records_awaiting_decision": counts.records_awaiting,
                "reports_sought": counts.reports_sought,
                "reports_not_retrieved": counts.reports_not_retrieved,
                "reports_assessed": counts.reports_assessed,
                "reports_excluded": {entry.name: entry.n for entry in counts.reports_excluded},
                "reports_awaiting_decision": counts.reports_awaiting,
                "studies_included": counts.studies_included,
                "reports_included": counts.reports_included,
                "given_in_prisma_toml": sorted(counts.manual),
                "interim": counts.interim,
                "warnings": result.warnings,
            }
        )
    elif written is None:
        console.print(
            f"Identified {counts.database_records:,} from databases, "
            f"{counts.other_records:,} by other methods; "
            f"{counts.duplicates_removed:,} {plural_word(counts.duplicates_removed, 'duplicate')} removed; "
            f"{counts.records_screened:,} screened, "
            f"{counts.records_excluded:,} excluded; {counts.reports_assessed:,} "
            f"{plural_word(counts.reports_assessed, 'full text')} assessed, "
            f"{sum(e.n for e in counts.reports_excluded):,} excluded; "
            f"{counts.studies_included:,} "
            f"{plural_word(counts.studies_included, 'study', 'studies')} included."
            + (f" Interim: {counts.awaiting_words()}." if counts.interim else "")
        )
        console.print("Write the diagram with -o prisma.svg (or .png, .pdf, .csv).")
    if written is not None and output is not None:
        err_console.print(f"Wrote the PRISMA 2020 flow diagram ({written}) to {output}")


def register(app: typer.Typer) -> None:
    app.command()(prisma)
