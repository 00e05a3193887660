"""``synthesist synthesis``: one Typer app shared by the coding commands (suggest, accept, reject,
agreement: :mod:`synthesist.cli.coding_assist`) and the outputs (matrix, evidence, sensitivity,
model: the outputs' own module). Each module decorates its functions with ``@synthesis_app.command``;
``cli/main.py`` imports them all and registers this app once."""

from __future__ import annotations

import typer

__all__ = ["synthesis_app"]

synthesis_app = typer.Typer(
    rich_markup_mode="markdown",
    help="Thematic synthesis: suggestions from the assistant, agreement between coders, and the "
    "outputs built from the coding (theme × study matrix, evidence, sensitivity, conceptual model).\n\n"
    "Example: synthesist synthesis agreement --coders alice bob",
    no_args_is_help=True,
)
