"""``synthesist search``: search strategies and live searches of free sources.

- ``strategies.py``: list, show, translate, parse
- ``runs.py``: run, runs, rerun, citations
"""

from __future__ import annotations

import typer

from synthesist.cli.common import command_group

__all__ = ["search_app"]


def search_app() -> typer.Typer:
    """The ``search`` group, its commands registered in the order its help lists them."""
    # Imported here: importing a module of this package (for a helper) must not build the group.
    from synthesist.cli.search import runs, strategies

    app = command_group(
        "Search strategies: translate them between databases, run them on free sources, and update.\n\n"
        "Example: synthesist search translate main --to ovid-medline",
    )
    strategies.register(app)
    runs.register(app)
    return app
