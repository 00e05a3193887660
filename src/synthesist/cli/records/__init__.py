"""``synthesist records``: list and inspect records.

- ``reading.py``: list, show, batches, rejects
"""

from __future__ import annotations

import typer

from synthesist.cli.common import command_group

__all__ = ["records_app"]


def records_app() -> typer.Typer:
    """The ``records`` group, its commands registered in the order its help lists them."""
    # Imported here: importing a module of this package (for a helper) must not build the group.
    from synthesist.cli.records import reading

    app = command_group(
        'List and inspect records.\n\nExample: synthesist records list --where "year>=2010"',
    )
    reading.register(app)
    return app
