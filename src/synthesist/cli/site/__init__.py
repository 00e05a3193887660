"""``synthesist site``: a site that hosts many reviews (``synthesist serve --site DIR`` serves it).

- ``commands.py``: site init, add, list, admin
"""

from __future__ import annotations

import typer

from synthesist.cli.common import command_group

__all__ = ["site_app"]


def site_app() -> typer.Typer:
    """The ``site`` group, its commands registered in the order its help lists them."""
    from synthesist.cli.site import commands

    app = command_group(
        "A site: one team server hosting many reviews, with one set of accounts.\n\n"
        'Example: synthesist site init /srv/synthesist --name "Evidence Unit"',
    )
    commands.register(app)
    return app
