"""``synthesist fulltext``: attach full-text reports, mark those not retrieved, group reports of a study.

- ``reports.py``: attach, not-retrieved, list, show, study, ungroup, studies
"""

from __future__ import annotations

import typer

from synthesist.cli.common import command_group

__all__ = ["fulltext_app"]


def fulltext_app() -> typer.Typer:
    """The ``fulltext`` group, its commands registered in the order its help lists them."""
    # Imported here: importing a module of this package (for a helper) must not build the group.
    from synthesist.cli.fulltext import reports

    app = command_group(
        "Full texts: attach reports (their text is kept page by page), mark those not retrieved, and "
        "group reports of one study.\n\nExample: synthesist fulltext attach 42 cooper-2008.pdf",
    )
    reports.register(app)
    return app
