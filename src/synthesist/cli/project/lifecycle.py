"""``synthesist init``, ``status`` and ``log``."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from synthesist.cli.common import ActorOption, JsonOption, ProjectOption, console, open_project, print_json
from synthesist.services.projects import init_project
from synthesist.services.records.reading import actor_names, project_status, read_log

__all__ = ["register"]


def init(
    folder: Annotated[Path, typer.Argument(help="Folder for the new project (created if missing).")],
    title: Annotated[
        str | None, typer.Option("--title", "-t", help="The review's title (required without --protocol).")
    ] = None,
    protocol: Annotated[
        Path | None,
        typer.Option("--protocol", help="Start from an existing review.toml (copied with a new project id)."),
    ] = None,
    actor: ActorOption = None,
) -> None:
    """Create a review project: a commented review.toml (the protocol) and its database.

    Example: synthesist init back-pain --title "Patient–professional partnerships in chronic back pain"

    Example: synthesist init update-2026 --protocol ../back-pain/review.toml

    Set database_url in review.toml (or SYNTHESIST_DATABASE_URL) to use PostgreSQL instead of review.db.
    """
    workspace = init_project(folder, title, actor, protocol_from=protocol)
    try:
        console.print(
            f"Created review project [bold]{workspace.project.title}[/] in {workspace.project.root}"
        )
        console.print(f"  protocol: {workspace.project.protocol_path}")
        console.print(f"  database: {workspace.storage.display_url}")
        console.print('Next: edit review.toml, then `synthesist import FILE --source "MEDLINE (Ovid)"`.')
    finally:
        workspace.close()


def status(project: ProjectOption = None, as_json: JsonOption = False) -> None:
    """Show the project's records per source and per stage.

    Example: synthesist status --json
    """
    with open_project(project) as workspace:
        result = project_status(workspace)
    if as_json:
        print_json(
            {
                "title": result.title,
                "project_id": result.project_id,
                "database": result.database,
                "sources": [asdict(line) for line in result.sources],
                "records_from_databases": result.from_databases,
                "records_from_other_methods": result.from_other_methods,
                "stages": result.stages,
                "duplicates_removed": result.duplicates,
                "records_after_deduplication": result.remaining,
                "duplicate_groups": result.duplicate_groups,
                "possible_duplicates_to_review": result.possible_duplicates,
                "deduplicated": result.deduplicated,
                "interim": result.interim,
                "not_final": list(result.not_final),
            }
        )
        return
    console.print(f"[bold]{result.title}[/]  ({result.project_id})")
    table = Table(title="Records identified", title_justify="left")
    table.add_column("Source")
    table.add_column("Kind")
    table.add_column("Batches", justify="right")
    table.add_column("Records", justify="right")
    table.add_column("Rejected", justify="right")
    for line in result.sources:
        kind = f"other: {line.other_method}" if line.other_method else "database"
        table.add_row(line.source, kind, str(line.batches), str(line.records), str(line.rejects))
    table.add_section()
    table.add_row("From databases", "", "", str(result.from_databases), "")
    table.add_row("From other methods", "", "", str(result.from_other_methods), "")
    console.print(table)
    stages = Table(title="Stages", title_justify="left")
    stages.add_column("Stage")
    stages.add_column("n", justify="right")  # records, reports or studies, as the stage says
    for stage, count in result.stages.items():
        stages.add_row(stage, f"{count:,}")
    console.print(stages)
    if result.interim and result.flow is not None:
        # the same words the diagram's label and the report's note use
        console.print(f"[bold yellow]Interim:[/] {result.flow.awaiting_words()}.")
    if result.total and not result.deduplicated:
        console.print(
            "[yellow]Records were imported since the last deduplication:[/] run `synthesist dedup run`."
        )
    if result.possible_duplicates:
        console.print(
            f"{result.possible_duplicates:,} possible duplicates wait for a reviewer: "
            "`synthesist dedup review`."
        )


def log(
    project: ProjectOption = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", help="Only the newest N events.")] = None,
    event_type: Annotated[
        list[str] | None, typer.Option("--type", help="Only events of this type (repeatable).")
    ] = None,
    as_json: JsonOption = False,
    actor: ActorOption = None,
) -> None:
    """Show the event log: every change to the project, who made it and when (oldest first).

    Example: synthesist log -n 20 --type records.imported
    """
    with open_project(project, actor) as workspace:
        events = read_log(workspace, limit=limit, types=event_type)
        names = actor_names(workspace)
    if as_json:
        print_json(
            [
                {
                    "id": e.id,
                    "type": e.type,
                    "actor": e.actor,
                    "actor_name": names.get(e.actor, e.actor),
                    "occurred_at": e.occurred_at.isoformat(),
                    "payload": e.payload,
                }
                for e in events
            ]
        )
        return
    table = Table()
    table.add_column("#", justify="right")
    table.add_column("When (UTC)")
    table.add_column("Who")
    table.add_column("Event")
    table.add_column("What")
    for event in events:
        decoded = event.decoded()
        what = decoded.summary() if decoded else str(event.payload)
        who = names.get(event.actor, event.actor)
        table.add_row(str(event.id), f"{event.occurred_at:%Y-%m-%d %H:%M:%S}", who, event.type, what)
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(status)
    app.command()(log)
