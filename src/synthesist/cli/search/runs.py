"""``synthesist search run|runs|rerun|citations``: live searches of free sources."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich import box
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from synthesist.cli.common import (
    ActorOption,
    JsonOption,
    ProjectOption,
    console,
    err_console,
    open_project,
    print_json,
)
from synthesist.errors import UserError
from synthesist.search.runs import RunKind, RunStatus, SearchRun
from synthesist.search.sources import SOURCES, SourceOptions, source_label
from synthesist.services.search.citations import Direction, search_citations
from synthesist.services.search.runs import RunOutcome, list_runs, rerun, resume_run, start_run

__all__ = ["register"]

SourceOption = Annotated[
    str | None,
    typer.Option("--source", help=f"Where to search: {', '.join(SOURCES)}."),
]
ApiKeyOption = Annotated[
    str | None,
    typer.Option(
        "--api-key",
        help="PubMed: an NCBI API key (10 requests a second instead of 3; or set NCBI_API_KEY). "
        "OpenAlex: an OpenAlex API key (or OPENALEX_API_KEY).",
    ),
]
EmailOption = Annotated[
    str | None,
    typer.Option(
        "--email",
        help="Your e-mail, sent with the requests as the services ask (OpenAlex and Crossref: their polite "
        "pool; or set SYNTHESIST_EMAIL).",
    ),
]


@contextmanager
def _progress_bar(description: str) -> Iterator[Callable[[int, int | None], None]]:
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )
    with bar:
        task = bar.add_task(description, total=None)

        def update(fetched: int, expected: int | None) -> None:
            bar.update(task, completed=fetched, total=expected)

        yield update


def run_command(
    name: Annotated[str | None, typer.Argument(help="The strategy: search/NAME.toml in the project.")] = None,
    source: SourceOption = None,
    max_records: Annotated[
        int | None, typer.Option("--max", help="Fetch at most this many records.", min=1)
    ] = None,
    query: Annotated[
        str | None,
        typer.Option(
            "--query", help="Run this query, written in the source's own syntax, instead of the strategy's."
        ),
    ] = None,
    resume: Annotated[
        int | None, typer.Option("--resume", help="Continue the interrupted run with this id.")
    ] = None,
    api_key: ApiKeyOption = None,
    email: EmailOption = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run a strategy on a free source and import the results as one search batch.

    Every page is saved in the project (search/runs/RUN/) as it arrives; the records are imported
    only when all pages are in, so an interrupted run imports nothing and resumes where it stopped.

    Example: synthesist search run main --source pubmed --max 2000
    """
    options = SourceOptions(api_key=api_key, email=email)
    with open_project(project, actor) as workspace:
        if resume is not None:
            if name or source or query or max_records:
                raise UserError("--resume continues a run as it was started; give only the run id")
            with _progress_bar(f"Resuming run {resume}") as progress:
                outcome = resume_run(workspace, resume, options=options, progress=progress)
        else:
            if not name or not source:
                raise UserError(
                    "name the strategy and the source",
                    hint="Example: synthesist search run main --source pubmed "
                    "(or --resume RUN to continue an interrupted run).",
                )
            label = source_label(source)
            with _progress_bar(f"Searching {label}") as progress:
                outcome = start_run(
                    workspace,
                    name,
                    source,
                    query=query,
                    max_records=max_records,
                    options=options,
                    progress=progress,
                )
    _show_outcomes([outcome], as_json)


def runs_command(project: ProjectOption = None, as_json: JsonOption = False) -> None:
    """List the searches run on free sources, living updates and citation searches.

    Example: synthesist search runs
    """
    with open_project(project) as workspace:
        runs = list_runs(workspace)
    if as_json:
        print_json([_run_json(run) for run in runs])
        return
    if not runs:
        console.print(
            "No searches have been run yet. Start one with `synthesist search run NAME --source pubmed`."
        )
        return
    # without column rules, and with the dates and statuses kept whole, the table fits 80 columns
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    for heading in ("Run", "Strategy", "Source"):
        table.add_column(heading)
    table.add_column("Date", no_wrap=True, min_width=10)
    for heading in ("Hits", "Imported", "Already\nin"):
        table.add_column(heading, justify="right")
    table.add_column("Status", no_wrap=True, min_width=11)
    for run in runs:
        kind = "" if run.kind is RunKind.SEARCH else f" ({_KIND_WORDS[run.kind]})"
        status = run.status.value
        table.add_row(
            str(run.id),
            escape(run.strategy) + kind,
            source_label(run.source),
            run.searched_on.isoformat(),
            "" if run.total is None else str(run.total),
            str(run.imported),
            str(run.already_present) if run.kind is not RunKind.SEARCH else "",
            escape(status),
        )
    console.print(table)
    for run in runs:
        if run.message:
            console.print(f"Run {run.id} {run.status.value}: {escape(run.message)}")
        if run.status is not RunStatus.COMPLETED:
            console.print(f"  continue it with `synthesist search run --resume {run.id}`")


def rerun_command(
    name: Annotated[
        str | None, typer.Argument(help="Only this strategy (default: every saved search).")
    ] = None,
    source: SourceOption = None,
    api_key: ApiKeyOption = None,
    email: EmailOption = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Living update: run saved searches again for what each source added since its last run, and
    import only the records not yet in the project (they wait for title/abstract screening).

    Example: synthesist search rerun main --source pubmed
    """
    options = SourceOptions(api_key=api_key, email=email)
    with open_project(project, actor) as workspace, _progress_bar("Updating") as progress:
        outcomes = rerun(workspace, name, source, options=options, progress=progress)
    _show_outcomes(outcomes, as_json)


def citations_command(
    direction: Annotated[
        str, typer.Option("--direction", help="backward (reference lists), forward (citing works) or both.")
    ] = "both",
    study: Annotated[
        str | None,
        typer.Option("--study", help='Only this included study ("Cooper 2008", S3 or a record id).'),
    ] = None,
    api_key: ApiKeyOption = None,
    email: EmailOption = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Citation searching of the included studies through OpenAlex, imported as batches of their own
    (PRISMA 2020: other methods).

    Example: synthesist search citations --direction backward --email me@example.org
    """
    if direction not in ("backward", "forward", "both"):
        raise UserError(f"unknown direction {direction!r}", hint="Use backward, forward or both.")
    chosen: Direction = direction  # type: ignore[assignment]
    options = SourceOptions(api_key=api_key, email=email)
    with open_project(project, actor) as workspace, _progress_bar("Citation searching") as progress:
        result = search_citations(
            workspace, direction=chosen, study=study, options=options, progress=progress
        )
    if as_json:
        print_json(
            {
                "studies": [
                    {"study": s.label, "openalex": s.work_id, "matched_by": s.matched_by}
                    for s in result.studies
                ],
                "runs": [_run_json(outcome.run) for outcome in result.runs],
                "skipped": result.skipped,
            }
        )
        return
    found = len(result.studies) - len(result.not_found)
    console.print(f"{found} of {len(result.studies)} included studies found in OpenAlex.")
    for label in result.not_found:
        console.print(f"  not found: {escape(label)}")
    for line in result.skipped:
        console.print(f"Skipped {escape(line)}.")
    _show_outcomes(result.runs, False)


_KIND_WORDS = {RunKind.UPDATE: "update", RunKind.BACKWARD: "backward", RunKind.FORWARD: "forward"}
_KIND_LABELS = {
    RunKind.SEARCH: "Search",
    RunKind.UPDATE: "Update",
    RunKind.BACKWARD: "Backward citation search",
    RunKind.FORWARD: "Forward citation search",
}


def _show_outcomes(outcomes: list[RunOutcome], as_json: bool) -> None:
    if as_json:
        print_json([{**_run_json(o.run), "notes": list(o.notes)} for o in outcomes])
        return
    for outcome in outcomes:
        run = outcome.run
        what = _KIND_LABELS[run.kind]
        hits = f"{run.total} hits, " if run.total is not None else ""
        present = f", {run.already_present} already in the project" if run.kind is not RunKind.SEARCH else ""
        batch = f" as batch {run.batch_id}" if run.batch_id else ""
        console.print(
            f"{what} {escape(run.strategy)!s} on {source_label(run.source)} (run {run.id}): {hits}"
            f"{run.fetched} fetched{present}, {run.imported} imported{batch}."
        )
        for note in outcome.notes:
            console.print(f"  note: {escape(note)}")


def _run_json(run: SearchRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "strategy": run.strategy,
        "source": run.source,
        "kind": run.kind.value,
        "query": run.query_as_run,
        "since": run.since.isoformat() if run.since else None,
        "status": run.status.value,
        "message": run.message,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "total": run.total,
        "fetched": run.fetched,
        "already_present": run.already_present,
        "imported": run.imported,
        "batch_id": run.batch_id,
        "pages": run.pages,
    }


def register(app: typer.Typer) -> None:
    """Add the live-search commands to the ``search`` group."""
    app.command("run")(run_command)
    app.command("runs")(runs_command)
    app.command("rerun")(rerun_command)
    app.command("citations")(citations_command)
