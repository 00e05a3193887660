"""The ``synthesist`` command: one Typer app, one sub-module per noun, one error mapper."""

from __future__ import annotations

from typing import Annotated

import typer

from synthesist import __version__
from synthesist.cli import (
    dedup,
    exporting,
    fulltext,
    importing,
    prisma,
    project,
    records,
    screening,
    screening_tools,  # noqa: F401  (registers import-decisions, stop-check and agreement on `screen`)
    simulate,
)
from synthesist.cli.errors import ErrorMappingGroup

__all__ = ["app", "run"]

app = typer.Typer(
    name="synthesist",
    cls=ErrorMappingGroup,
    help="Systematic reviews and qualitative evidence synthesis, from database exports to the report.\n\n"
    'Example: synthesist init back-pain --title "Partnerships in chronic back pain"',
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"synthesist {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Synthesist command line."""


project.register(app)
importing.register(app)
exporting.register(app)
prisma.register(app)
simulate.register(app)
app.add_typer(records.app, name="records")
app.add_typer(dedup.app, name="dedup")
app.add_typer(screening.app, name="screen")
app.add_typer(fulltext.app, name="fulltext")


def run() -> None:
    app()
