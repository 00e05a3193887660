"""``synthesist jobs list|show|cancel``: the background jobs of a review (or of every review of a
site, with ``--site``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from synthesist.cli.common import ActorOption, JsonOption, ProjectOption, console, open_project, print_json
from synthesist.review.jobs import JobStatus, JobView

__all__ = ["register"]

JobArgument = Annotated[int, typer.Argument(help="The job's number (`synthesist jobs list` shows them).")]
SiteOption = Annotated[
    Path | None,
    typer.Option(
        "--site", help="A site's folder: every review's jobs (instead of one review's).", show_default=False
    ),
]


def _progress(job: JobView) -> str:
    if job.percent is not None:
        return f"{job.percent}%"
    return str(job.progress_done) if job.progress_done else ""


def _status(text: str | None) -> list[JobStatus]:
    if text is None:
        return []
    try:
        return [JobStatus(text.strip().lower())]
    except ValueError:
        from synthesist.errors import UserError

        raise UserError(
            f"--status: {text!r} is not a job status",
            hint=f"Use one of: {', '.join(status.value for status in JobStatus)}.",
        ) from None


def jobs_list(
    project: ProjectOption = None,
    site: SiteOption = None,
    status: Annotated[
        str | None,
        typer.Option("--status", help="Only jobs in this state: queued, running, done, failed, cancelled."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Show at most this many (newest first).")] = 50,
    as_json: JsonOption = False,
) -> None:
    """List the background jobs, newest first.

    Example: synthesist jobs list --status running
    """
    from synthesist.services.jobs import list_jobs

    statuses = _status(status)
    if site is not None:
        from synthesist.review.site import load_site
        from synthesist.workspace import open_accounts

        accounts = open_accounts(load_site(site))
        try:
            found = list_jobs(accounts, statuses=statuses, limit=limit)
        finally:
            accounts.close()
    else:
        with open_project(project) as ws:
            found = list_jobs(ws, statuses=statuses, limit=limit)
    if as_json:
        print_json([job.as_json() for job in found])
        return
    if not found:
        console.print("No jobs.")
        return
    # the review's column only for a site's list: one review's jobs all share it
    columns = [
        "Job",
        *(["Review"] if site is not None else []),
        "Kind",
        "Status",
        "Done",
        "By",
        "Queued",
        "Outcome",
    ]
    table = Table(*columns)
    for job in found:
        outcome = job.error if job.status is JobStatus.FAILED else job.message
        table.add_row(
            str(job.id),
            *([job.project_key] if site is not None else []),
            job.kind,
            job.status.value,
            _progress(job),
            job.requested_by,
            f"{job.created_at:%Y-%m-%d %H:%M}",
            outcome or "",
        )
    console.print(table)


def jobs_show(job_id: JobArgument, project: ProjectOption = None, as_json: JsonOption = False) -> None:
    """Show one job: its state, progress, and result or error.

    Example: synthesist jobs show 12
    """
    from synthesist.services.jobs import job_status

    with open_project(project) as ws:
        job = job_status(ws, job_id)
    if as_json:
        print_json(job.as_json())
        return
    console.print(f"Job {job.id}: {job.kind} ({job.status.value})")
    console.print(f"  requested by {job.requested_by} at {job.created_at:%Y-%m-%d %H:%M:%S}")
    if job.params:
        console.print("  parameters: " + ", ".join(f"{k}={v}" for k, v in sorted(job.params.items())))
    if job.started_at:
        console.print(f"  started {job.started_at:%Y-%m-%d %H:%M:%S} (attempt {job.attempts})")
    if _progress(job):
        console.print(f"  progress: {_progress(job)}" + (f" — {job.message}" if job.message else ""))
    if job.finished_at:
        console.print(f"  finished {job.finished_at:%Y-%m-%d %H:%M:%S}")
    if job.error:
        console.print(f"  error: {job.error}")
    if job.result:
        console.print(f"  result: {job.result.get('summary', '')}")


def jobs_cancel(job_id: JobArgument, project: ProjectOption = None, actor: ActorOption = None) -> None:
    """Cancel a queued job, or stop a running one at its next progress report (nothing of it is written).

    Example: synthesist jobs cancel 12
    """
    from synthesist.services.jobs import cancel_job

    with open_project(project, actor) as ws:
        job = cancel_job(ws, job_id)
    if job.status is JobStatus.CANCELLED:
        console.print(f"Job {job.id} ({job.kind}) is cancelled.")
    else:
        console.print(
            f"Job {job.id} ({job.kind}) will stop at its next progress report; nothing of it is written."
        )


def register(app: typer.Typer) -> None:
    """Add the job commands to the ``jobs`` group."""
    app.command("list")(jobs_list)
    app.command("show")(jobs_show)
    app.command("cancel")(jobs_cancel)
