"""``synthesist screen``: title/abstract and full-text screening.

- ``decisions.py``: the session's entry (``synthesist screen`` alone), decide, undo, conflicts,
  resolve, progress, decisions
- ``session.py``: the terminal session, one record at a time
- ``tools.py``: import-decisions, stop-check, agreement
- ``seeds.py``: seed add, seed remove, seed list
"""

from __future__ import annotations

import typer

from synthesist.cli.common import command_group

__all__ = ["screen_app"]


def screen_app() -> typer.Typer:
    """The ``screen`` group, its commands registered in the order its help lists them."""
    # Imported here: importing a module of this package (for a helper) must not build the group.
    from synthesist.cli.screen import decisions, seeds, tools

    app = command_group(
        "Screen records: a terminal session one record at a time, or scripted decisions.\n\n"
        "Without a command, a session: the protocol's criteria beside each record, its keywords "
        "highlighted. Keys: i include, e exclude, m maybe, u undo, s skip, q quit; at title/abstract p "
        "shows what the stopping rules say (they are shown every 25 decisions too).\n\n"
        "At title/abstract the record most likely to be relevant comes next: a model learns from the "
        "decisions and from the seed studies (screen seed add), and each record says why it comes now. "
        "Before anything relevant is known, records matching the keywords come first, then the rest at "
        "random. Checks of others' decisions come first. Full texts come in id order.\n\n"
        "Example: synthesist screen --stage title-abstract --reviewer alice\n\n"
        "Example: synthesist screen --order id --reviewer alice",
        session=decisions.session,
    )
    decisions.register(app)
    tools.register(app)
    seeds.register(app)
    return app
