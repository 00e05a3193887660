"""The ``synthesist`` command: one Typer app, one sub-module per noun, one error mapper."""

from __future__ import annotations

from typing import Annotated

import typer

from synthesist import __version__
from synthesist.cli.command_table import ROOT_COMMANDS
from synthesist.cli.lazy import LazyGroup

__all__ = ["app", "run"]


class SynthesistGroup(LazyGroup):
    """Every sub-command is imported when it runs, not when ``synthesist`` starts (see cli/lazy.py)."""

    lazy_commands = ROOT_COMMANDS


app = typer.Typer(
    name="synthesist",
    cls=SynthesistGroup,
    help="Systematic reviews and qualitative evidence synthesis, from database exports to the report.\n\n"
    'Example: synthesist init back-pain --title "Partnerships in chronic back pain"',
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Markdown joins the lines of a docstring paragraph (rich mode keeps them as hard line breaks);
    # every sub-app says the same, since Typer takes the mode from the app a command is registered on.
    rich_markup_mode="markdown",
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


def run() -> None:
    app()
