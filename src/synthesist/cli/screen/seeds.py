"""``synthesist screen seed``: the seed studies, records the team knows are relevant before screening."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from synthesist.cli.common import (
    ActorOption,
    JsonOption,
    ProjectOption,
    command_group,
    console,
    open_project,
    print_json,
)
from synthesist.services.screening.seeds import add_seeds, list_seeds, remove_seeds
from synthesist.wording import plural

__all__ = ["register"]

SEED_HELP = (
    "Seed studies: records known to be relevant before screening. The ranking treats them as "
    "relevant, so similar records come first; a seed is not a decision, and the record is still "
    "screened.\n\nExample: synthesist screen seed add 42 10.1016/j.physio.2008.01.005"
)

RecordsArgument = Annotated[
    list[str],
    typer.Argument(
        help="Records by id (42), DOI (10.1016/j.physio.2008.01.005) or PubMed id (pmid:18413186).",
        show_default=False,
    ),
]


def add_command(
    records: RecordsArgument,
    note: Annotated[
        str | None, typer.Option("--note", help="Why the team knows it is relevant, e.g. its source.")
    ] = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Mark records as seed studies. The ranking of title/abstract screening treats them as relevant
    from the start; this does not decide their screening: each is still screened (and comes first).
    A duplicate stands for its group's primary record.

    Example: synthesist screen seed add 42 pmid:18413186 --note "from the scoping search"
    """
    with open_project(project, actor) as workspace:
        change = add_seeds(workspace, records, note=note)
    if change.changed:
        console.print(f"Seed studies now include record{_s(change.changed)} {_ids(change.changed)}.")
    if change.unchanged:
        console.print(f"Already seed studies: record{_s(change.unchanged)} {_ids(change.unchanged)}.")


def remove_command(
    records: RecordsArgument,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Unmark seed studies (all or nothing). Decisions on the records are not touched.

    Example: synthesist screen seed remove 42
    """
    with open_project(project, actor) as workspace:
        change = remove_seeds(workspace, records)
    many = len(change.changed) > 1
    what = "are no longer seed studies" if many else "is no longer a seed study"
    console.print(f"Record{_s(change.changed)} {_ids(change.changed)} {what}.")


def list_command(
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """The seed studies, who added them, and where each stands at title/abstract.

    Example: synthesist screen seed list --json
    """
    with open_project(project) as workspace:
        found = list_seeds(workspace)
    if as_json:
        print_json(
            [
                {
                    "record_id": item.seed.record_id,
                    "title": item.title,
                    "year": item.year,
                    "title_abstract_status": item.status.value,
                    "added_by": item.seed.added_by,
                    "added_at": item.seed.added_at.isoformat(),
                    "note": item.seed.note,
                }
                for item in found
            ]
        )
        return
    if not found:
        console.print("No seed studies yet. Add one with: synthesist screen seed add RECORD")
        return
    table = Table(title=plural(len(found), "seed study", "seed studies"))
    for column in ("Record", "Title", "Year", "Title/abstract", "Added by", "Note"):
        table.add_column(
            column,
            justify="right" if column in ("Record", "Year") else "left",
            ratio=1 if column in ("Title", "Note") else None,
            overflow="fold",
        )
    for item in found:
        table.add_row(
            str(item.seed.record_id),
            escape(item.title or ""),
            str(item.year or ""),
            item.status.value,
            escape(item.seed.added_by),
            escape(item.seed.note or ""),
        )
    console.print(table)


def _s(ids: list[int]) -> str:
    return "s" if len(ids) > 1 else ""


def _ids(ids: list[int]) -> str:
    return ", ".join(str(record_id) for record_id in ids)


def register(app: typer.Typer) -> None:
    """Add the ``seed`` sub-group (add, remove, list) to the ``screen`` group."""
    seed_app = command_group(SEED_HELP)
    seed_app.command("add")(add_command)
    seed_app.command("remove")(remove_command)
    seed_app.command("list")(list_command)
    app.add_typer(seed_app, name="seed")
