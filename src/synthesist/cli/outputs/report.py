"""``synthesist report``: the review report (Markdown, HTML, Word) with its figures."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn

from synthesist.cli.common import ProjectOption, err_console, open_project
from synthesist.cli.files import write_files
from synthesist.services.reporting.report import new_report, parse_formats, report_files, report_steps
from synthesist.wording import plural

__all__ = ["register"]


def report(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder to write the report and its figures/ into.")
    ] = Path("report"),
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format", "-f", help="md, html or docx; repeatable, or all (the default).", show_default=False
        ),
    ] = None,
    project: ProjectOption = None,
) -> None:
    """Write the review report: methods written from the protocol and the event log, the results
    (PRISMA 2020 diagram, study tables, appraisal, themes, conceptual model, CERQual), the search
    strategies and the PRISMA 2020 and ENTREQ checklists with where the report covers each item.

    Example: synthesist report -o report --format html --format docx
    """
    chosen = parse_formats(formats or [])
    with open_project(project) as workspace:
        built = new_report(workspace)
        steps = report_steps(workspace, built)
        # progress on stderr, so stdout carries only the paths written
        with Progress(
            TextColumn("{task.description}"), BarColumn(), console=err_console, transient=True
        ) as progress:
            task = progress.add_task("Building the report", total=len(steps) + 1)
            for step in steps:
                progress.update(task, description=step.name)
                step.run()
                progress.advance(task)
            progress.update(task, description="Writing " + ", ".join(chosen))
            written = write_files(output, report_files(built, chosen))
            progress.advance(task)
    for path in written:
        typer.echo(str(path))  # plain, never wrapped: scripts read these lines
    err_console.print(
        f"Wrote the report ({', '.join(chosen)}) and {plural(len(built.figures()), 'figure')} to {output}"
    )


def register(app: typer.Typer) -> None:
    app.command()(report)
