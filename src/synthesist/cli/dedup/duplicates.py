"""``synthesist dedup run|review|pairs|decide|groups|show|merge|split|undo|primary``."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.panel import Panel
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
from synthesist.dedup.model import DuplicateGroup, PairStatus, StoredPair
from synthesist.errors import UserError
from synthesist.records.model import Record
from synthesist.services.dedup.review import (
    PairView,
    decide_pair,
    group_for_record,
    list_groups,
    list_pairs,
    merge_records,
    review_queue,
    set_group_primary,
    show_group,
    split_group,
    undo_group,
)
from synthesist.services.dedup.runs import DedupRunResult, run_dedup
from synthesist.wording import plural, plural_word

__all__ = ["register"]


NoteOption = Annotated[str | None, typer.Option("--note", help="Why; kept in the event log.")]
_FIELDS = ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "pmid", "issn",
           "publication_type", "language", "abstract")  # fmt: skip


def run(
    all_records: Annotated[
        bool,
        typer.Option("--all", help="Compare all records again, not only those imported since the last run."),
    ] = False,
    project: ProjectOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Find duplicate records. Certain duplicates are marked at once (no record is ever deleted);
    possible duplicates go to the review queue (`synthesist dedup review`).

    Example: synthesist dedup run
    """
    with open_project(project, actor) as workspace, _progress() as progress:
        task = progress.add_task("Deduplicating", total=None)

        def report(stage: str, done: int, total: int) -> None:
            progress.update(task, description=stage.capitalize(), completed=done, total=total)

        result = run_dedup(workspace, scope="all" if all_records else "new", progress=report)
    _show_run(result, as_json)


def _show_run(result: DedupRunResult, as_json: bool) -> None:
    run_ = result.run
    if as_json:
        data: dict[str, Any] = {
            "records_total": result.records_total,
            "duplicates_total": result.duplicates_total,
            "records_remaining": result.remaining,
            "groups_total": result.groups_total,
            "pending_total": result.pending_total,
            "ran": run_ is not None,
        }
        if run_ is not None:
            data.update(
                run_id=run_.id,
                scope=run_.scope,
                seconds=run_.seconds,
                records_checked=run_.records_checked,
                candidate_pairs=run_.candidate_pairs,
                duplicate_pairs=run_.duplicate_pairs,
                possible_pairs=run_.possible_pairs,
                groups_created=run_.groups_created,
                groups_grown=run_.groups_grown,
            )
        print_json(data)
        return
    if run_ is None:
        console.print("No records imported since the last deduplication run; nothing to compare.")
        console.print("Use --all to compare every record again.")
    else:
        console.print(
            f"Run {run_.id}: compared {run_.candidate_pairs:,} likely "
            f"{plural_word(run_.candidate_pairs, 'pair')} among "
            f"{run_.records_checked:,} {plural_word(run_.records_checked, 'record')} "
            f"in {run_.seconds:.1f} s: "
            f"{run_.groups_created:,} new duplicate {plural_word(run_.groups_created, 'group')}, "
            f"{run_.groups_grown:,} grown, "
            f"{run_.possible_pairs:,} possible {plural_word(run_.possible_pairs, 'duplicate')}."
        )
    table = Table(title="Deduplication", title_justify="left")
    table.add_column("")
    table.add_column("Records", justify="right")
    table.add_row("Records identified", f"{result.records_total:,}")
    table.add_row("Duplicates removed", f"{result.duplicates_total:,}")
    table.add_row("Records remaining", f"{result.remaining:,}")
    console.print(table)
    if result.pending_total:
        console.print(
            f"{result.pending_total:,} possible {plural_word(result.pending_total, 'duplicate')} to review: "
            "`synthesist dedup review`."
        )


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )


def review(
    limit: Annotated[int | None, typer.Option("--limit", "-n", help="Stop after this many pairs.")] = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Walk the possible duplicates side by side, differing fields highlighted.

    Keys: d = duplicates, n = not duplicates, s = skip, q = quit.

    Example: synthesist dedup review --as alice
    """
    with open_project(project, actor) as workspace:
        queue = review_queue(workspace, limit=limit)
        if not queue:
            console.print("No possible duplicates to review.")
            return
        decided = 0
        for position, view in enumerate(queue, start=1):
            console.print(_pair_panel(view, position, len(queue)))
            key = _ask_key()
            if key == "q":
                break
            if key == "s":
                continue
            try:
                group_id = decide_pair(workspace, view.pair.id, "confirm" if key == "d" else "reject")
            except UserError as error:  # decided meanwhile (another reviewer, or an earlier merge here)
                console.print(f"[yellow]Skipped:[/] {escape(error.message)}")
                continue
            decided += 1
            console.print(
                f"[green]Duplicates[/] (group {group_id})" if key == "d" else "[cyan]Not duplicates[/]"
            )
        console.print(f"Decided {decided} of {plural(len(queue), 'pair')}.")


def _ask_key() -> str:
    console.print("[bold]d[/] duplicates   [bold]n[/] not duplicates   [bold]s[/] skip   [bold]q[/] quit")
    while True:
        # One key press at a terminal; from a pipe or a script, one character at a time.
        key = typer.getchar(echo=False) if sys.stdin.isatty() else sys.stdin.read(1)
        key = key.lower()
        if key in ("d", "n", "s", "q"):
            return key
        if key in ("", "\x03", "\x04"):  # end of input, Ctrl-C, Ctrl-D
            return "q"


def _value(record: Record, name: str) -> str:
    value: Any = getattr(record, name)
    if name == "authors":
        return "; ".join(author.display for author in value)
    if name == "abstract" and value:
        return str(value[:400]) + ("…" if len(value) > 400 else "")
    return "" if value is None else str(value)


def _pair_panel(view: PairView, position: int, total: int) -> Panel:
    table = Table(show_header=True, expand=True)
    table.add_column("Field", style="dim", no_wrap=True)
    table.add_column(f"Record {view.first.id} — {escape(view.first.source)}", ratio=1, overflow="fold")
    table.add_column(f"Record {view.second.id} — {escape(view.second.source)}", ratio=1, overflow="fold")
    for name in _FIELDS:
        left, right = _value(view.first.record, name), _value(view.second.record, name)
        if not left and not right:
            continue
        differs = name in view.differences
        style = "bold yellow" if differs else ""
        table.add_row(
            f"[bold yellow]{name}[/]" if differs else name,
            f"[{style}]{escape(left)}[/]" if style else escape(left),
            f"[{style}]{escape(right)}[/]" if style else escape(right),
        )
    reasons = "; ".join(view.pair.reasons) or "similar records"
    return Panel(
        table,
        title=f"Possible duplicate {position} of {total} "
        f"(pair {view.pair.id}, similarity {view.pair.score:.0%})",
        subtitle=escape(reasons),
    )


def pairs(
    status: Annotated[
        PairStatus | None, typer.Option("--status", help="Only pairs with this status.")
    ] = PairStatus.PENDING,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the pairs the matcher found: pending (the review queue), auto, confirmed or rejected.

    Example: synthesist dedup pairs --status rejected
    """
    with open_project(project) as workspace:
        found = list_pairs(workspace, status=status)
    if as_json:
        print_json([_pair_json(pair) for pair in found])
        return
    table = Table(
        title=f"{len(found):,} {plural_word(len(found), 'pair')}" + (f" ({status.value})" if status else "")
    )
    for column in ("Pair", "Records", "Similarity", "Status", "Reasons"):
        table.add_column(column, justify="right" if column in ("Pair", "Similarity") else "left")
    for pair in found:
        table.add_row(str(pair.id), f"{pair.first}, {pair.second}", f"{pair.score:.0%}", pair.status.value,
                      escape("; ".join(pair.reasons)))  # fmt: skip
    console.print(table)


def _pair_json(pair: StoredPair) -> dict[str, Any]:
    return {
        "pair_id": pair.id,
        "records": [pair.first, pair.second],
        "outcome": pair.outcome.value,
        "score": pair.score,
        "reasons": list(pair.reasons),
        "status": pair.status.value,
        "run_id": pair.run_id,
        "decided_by": pair.decided_by,
        "decided_at": pair.decided_at.isoformat() if pair.decided_at else None,
        "note": pair.note,
    }


def decide(
    pair_id: Annotated[int, typer.Argument(help="The pair, from `synthesist dedup pairs`.")],
    decision: Annotated[str, typer.Argument(help="confirm (they are duplicates) or reject.")],
    note: NoteOption = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Decide one possible duplicate without the interactive review.

    Example: synthesist dedup decide 17 confirm --note "same trial, Embase record"
    """
    if decision not in ("confirm", "reject"):
        raise typer.BadParameter("must be confirm or reject", param_hint="DECISION")
    with open_project(project, actor) as workspace:
        group_id = decide_pair(
            workspace, pair_id, "confirm" if decision == "confirm" else "reject", note=note
        )
    console.print(f"Pair {pair_id}: " + (f"duplicates (group {group_id})" if group_id else "not duplicates"))


def groups(
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many groups to show.")] = 50,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the duplicate groups: the primary record kept and its duplicates.

    Example: synthesist dedup groups -n 20
    """
    with open_project(project) as workspace:
        found = list_groups(workspace)
    if as_json:
        print_json([_group_json(group) for group in found])
        return
    table = Table(
        title=f"{len(found):,} duplicate groups" + (f" (first {limit})" if len(found) > limit else "")
    )
    for column in ("Group", "Primary", "Duplicates", "Origin", "Run"):
        table.add_column(column)
    for group in found[:limit]:
        table.add_row(str(group.id), str(group.primary_id), ", ".join(map(str, group.duplicate_ids)),
                      group.origin.value, str(group.run_id or ""))  # fmt: skip
    console.print(table)


def _group_json(group: DuplicateGroup) -> dict[str, Any]:
    return {
        "group_id": group.id,
        "primary": group.primary_id,
        "duplicates": list(group.duplicate_ids),
        "origin": group.origin.value,
        "run_id": group.run_id,
        "created_by": group.created_by,
        "created_at": group.created_at.isoformat(),
        "filled": {name: {"value": f.value, "from_record": f.record_id} for name, f in group.filled.items()},
    }


def show(
    group_id: Annotated[int | None, typer.Argument(help="The group.")] = None,
    record: Annotated[int | None, typer.Option("--record", "-r", help="The group of this record.")] = None,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one duplicate group: its records side by side and the fields filled into the primary.

    Example: synthesist dedup show --record 412
    """
    if (group_id is None) == (record is None):
        raise typer.BadParameter("name a GROUP_ID or --record, not both")
    with open_project(project) as workspace:
        chosen = group_id if group_id is not None else group_for_record(workspace, record or 0).id
        view = show_group(workspace, chosen)
    if as_json:
        print_json(_group_json(view.group) | {"merged": view.merged.canonical()})
        return
    group = view.group
    table = Table(title=f"Duplicate group {group.id} ({group.origin.value})", expand=True)
    table.add_column("Field", style="dim", no_wrap=True)
    members = [view.records[record_id] for record_id in group.member_ids]
    for stored in members:
        label = "primary" if stored.id == group.primary_id else "duplicate"
        table.add_column(f"{stored.id} ({label}) — {escape(stored.source)}", ratio=1, overflow="fold")
    for name in _FIELDS:
        values = [_value(stored.record, name) for stored in members]
        if any(values):
            differs = len(set(values)) > 1
            table.add_row(f"[bold yellow]{name}[/]" if differs else name, *(escape(v) for v in values))
    console.print(table)
    for name, filled in group.filled.items():
        console.print(f"Filled into the primary: {name} from record {filled.record_id}")


def merge(
    record_ids: Annotated[list[int], typer.Argument(help="Two or more record ids.")],
    note: NoteOption = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Mark records as duplicates by hand (a duplicate the matcher missed).

    Example: synthesist dedup merge 12 48 --note "same trial, translated title"
    """
    with open_project(project, actor) as workspace:
        group = merge_records(workspace, record_ids, note=note)
    console.print(
        f"Group {group.id}: primary {group.primary_id}, duplicates {', '.join(map(str, group.duplicate_ids))}"
    )


def split(
    group_id: Annotated[int, typer.Argument(help="The group.")],
    record_ids: Annotated[list[int], typer.Argument(help="The records to take out of it.")],
    note: NoteOption = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Take records out of a duplicate group; they stay apart in later runs.

    Example: synthesist dedup split 7 315 --note "erratum, not the article"
    """
    with open_project(project, actor) as workspace:
        after = split_group(workspace, group_id, record_ids, note=note)
    if after is None:
        console.print(f"Group {group_id} dissolved: its records are unique again.")
    else:
        console.print(
            f"Group {group_id}: primary {after.primary_id}, "
            f"duplicates {', '.join(map(str, after.duplicate_ids))}"
        )


def undo(
    group_id: Annotated[int, typer.Argument(help="The group to dissolve.")],
    note: NoteOption = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Reverse a merge: dissolve the group; its records are unique again and stay apart in later runs.

    Example: synthesist dedup undo 7 --note "different trials of one sponsor"
    """
    with open_project(project, actor) as workspace:
        group = undo_group(workspace, group_id, note=note)
    console.print(
        f"Group {group.id} undone: records {', '.join(map(str, group.member_ids))} are distinct again."
    )


def primary(
    group_id: Annotated[int, typer.Argument(help="The group.")],
    record_id: Annotated[int, typer.Argument(help="The record to keep as the group's primary.")],
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Choose which record of a group is kept (the primary); the others become its duplicates.

    Example: synthesist dedup primary 7 412
    """
    with open_project(project, actor) as workspace:
        group = set_group_primary(workspace, group_id, record_id)
    console.print(f"Group {group.id}: primary {group.primary_id}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``dedup`` group."""
    app.command()(run)
    app.command()(review)
    app.command()(pairs)
    app.command()(decide)
    app.command()(groups)
    app.command()(show)
    app.command()(merge)
    app.command()(split)
    app.command()(undo)
    app.command()(primary)
