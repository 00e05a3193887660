"""``synthesist worker``: run background jobs from a site's queue (or a review's own), on this
machine or another one that reaches the same database and queue."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from synthesist.cli.common import ProjectOption, console, open_project

__all__ = ["register"]


def worker(
    site: Annotated[
        Path | None,
        typer.Option("--site", help="The site's folder (its site.toml names the queue).", show_default=False),
    ] = None,
    project: ProjectOption = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Jobs run at once (one process each).")
    ] = 1,
) -> None:
    """Run background jobs (imports, deduplication, searches, reports, rankings) until stopped.

    At start, jobs a stopped server left running are queued again (or marked failed after 3
    attempts). Ctrl+C lets the jobs running finish; a second Ctrl+C stops at once.

    Example: synthesist worker --site /srv/synthesist --workers 2
    """
    from synthesist.services.jobs import queue_url_for, recover_jobs, run_consumer

    if site is not None:
        from synthesist.review.site import load_site
        from synthesist.workspace import open_accounts

        loaded = load_site(site)
        url = loaded.queue_url
        accounts = open_accounts(loaded)
        try:
            recovered = recover_jobs(accounts)
        finally:
            accounts.close()
        where = f"the site {loaded.name}"
    else:
        with open_project(project) as ws:
            url = queue_url_for(ws)
            recovered = recover_jobs(ws)
            where = ws.project.title
    for job in recovered:
        console.print(
            f"Job {job.id} ({job.kind}, {job.project_key}): {job.status.value} after a stopped server"
        )
    shown = url.split("@")[-1]
    console.print(f"Running jobs of {where} from {shown} with {workers} worker(s) (Ctrl+C to stop)")
    run_consumer(url, workers)


def register(app: typer.Typer) -> None:
    app.command()(worker)
