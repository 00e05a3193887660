"""``synthesist extract``: data extraction from the included studies.

- ``values.py``: the session's entry (``synthesist extract`` alone), set, complete, verify, flag,
  status, show, discrepancies, resolve
- ``session.py``: the terminal session, field by field
- ``outputs.py``: import, export, table, form
"""

from __future__ import annotations

import typer

from synthesist.cli.common import command_group

__all__ = ["extract_app"]


def extract_app() -> typer.Typer:
    """The ``extract`` group, its commands registered in the order its help lists them."""
    # Imported here: importing a module of this package (for a helper) must not build the group.
    from synthesist.cli.extract import outputs, values

    app = command_group(
        "Extract data from the included studies: a terminal session field by field, or scripted.\n\n"
        "Example: synthesist extract --as alice",
        session=values.session,
    )
    values.register(app)
    outputs.register(app)
    return app
