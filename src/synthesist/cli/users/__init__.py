"""``synthesist users`` and ``synthesist members``: accounts for the web app, and roles per project.

- ``users.py``: users add, list, passwd, disable, enable
- ``members.py``: members add, list, remove
"""

from __future__ import annotations

import typer

from synthesist.cli.common import command_group

__all__ = ["members_app", "users_app"]


def users_app() -> typer.Typer:
    """The ``users`` group, its commands registered in the order its help lists them."""
    # Imported here: importing a module of this package (for a helper) must not build the group.
    from synthesist.cli.users import users

    app = command_group(
        "Accounts for the web app (they live in the project's database).\n\n"
        "Example: synthesist users add aoife",
    )
    users.register(app)
    return app


def members_app() -> typer.Typer:
    """The ``members`` group, its commands registered in the order its help lists them."""
    from synthesist.cli.users import members

    app = command_group(
        "Who may open a project in the web app, and with which role.\n\n"
        "Example: synthesist members add . aoife --role reviewer",
    )
    members.register(app)
    return app
