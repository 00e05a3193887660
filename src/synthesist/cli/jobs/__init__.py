"""``synthesist jobs`` and ``synthesist worker``: background jobs.

- ``jobs.py``: jobs list, show, cancel
- ``worker.py``: the worker command (a Huey consumer of a site's or a review's queue)
"""

from __future__ import annotations

import typer

from synthesist.cli.common import command_group

__all__ = ["jobs_app"]


def jobs_app() -> typer.Typer:
    """The ``jobs`` group, its commands registered in the order its help lists them."""
    from synthesist.cli.jobs import jobs

    app = command_group(
        "Background jobs (imports, deduplication, searches, reports, rankings): list, show, cancel.\n\n"
        "Example: synthesist jobs list",
    )
    jobs.register(app)
    return app
