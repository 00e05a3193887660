"""``synthesist search``: strategies, their translation, and live searches.

The commands on strategies (translate, parse) are defined here; the live searches (run, rerun,
runs, citations) register themselves from ``cli/search_runs.py``.
"""

from __future__ import annotations

import typer

__all__ = ["app"]

app = typer.Typer(
    help="Search strategies: translate them between databases, run them on free sources, and update.\n\n"
    "Example: synthesist search translate main --to ovid-medline",
    no_args_is_help=True,
)
