"""``synthesist dedup``: find duplicate records, review the uncertain ones, undo a merge.

- ``duplicates.py``: run, review, pairs, decide, groups, show, merge, split, undo, primary
"""

from __future__ import annotations

import typer

from synthesist.cli.common import command_group

__all__ = ["dedup_app"]


def dedup_app() -> typer.Typer:
    """The ``dedup`` group, its commands registered in the order its help lists them."""
    # Imported here: importing a module of this package (for a helper) must not build the group.
    from synthesist.cli.dedup import duplicates

    app = command_group(
        "Find duplicate records, review the uncertain ones, undo a merge.\n\nExample: synthesist dedup run",
    )
    duplicates.register(app)
    return app
