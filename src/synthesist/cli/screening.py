"""``synthesist screen``: a terminal screening session; decide, undo, conflicts, resolve, progress."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.console import Group
from rich.markup import escape
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from synthesist.cli.common import ActorOption, JsonOption, ProjectOption, console, open_project, print_json
from synthesist.errors import UserError
from synthesist.records.stored import StoredRecord
from synthesist.screening.highlight import keyword_spans
from synthesist.screening.model import ScreeningDecision, Stage, StageStatus, Vote
from synthesist.services.records import get_record
from synthesist.services.screening import (
    DecisionResult,
    decide,
    next_records,
    overview,
    resolve_conflict,
    undo_decision,
)
from synthesist.services.screening_views import visible_decisions
from synthesist.workspace import Workspace, current_actor

__all__ = ["app"]

app = typer.Typer(
    help="Screen records: a terminal session one record at a time, or scripted decisions.\n\n"
    "Example: synthesist screen --stage title-abstract --reviewer alice",
    invoke_without_command=True,
)

StageOption = Annotated[Stage, typer.Option("--stage", "-s", help="title-abstract or full-text.")]
ReviewerOption = Annotated[
    str | None,
    typer.Option("--reviewer", "-r", help="Who decides (default: --as, $SYNTHESIST_USER or your login)."),
]
NoteOption = Annotated[str | None, typer.Option("--note", help="A remark kept with the decision.")]


@app.callback()
def session(
    ctx: typer.Context,
    stage: StageOption = Stage.TITLE_ABSTRACT,
    reviewer: ReviewerOption = None,
    project: ProjectOption = None,
) -> None:
    """Screen one record at a time: the protocol's criteria beside it, its keywords highlighted.
    Keys: i include, e exclude, m maybe, u undo, s skip, q quit.

    Example: synthesist screen --stage title-abstract --reviewer alice
    """
    if ctx.invoked_subcommand is not None:
        return
    name = current_actor(reviewer)
    with open_project(project, name) as workspace:
        _session(workspace, stage, name)


def _session(workspace: Workspace, stage: Stage, reviewer: str) -> None:
    skipped: set[int] = set()
    done = 0
    while True:
        waiting = [r for r in next_records(workspace, reviewer, stage) if r not in skipped]
        if not waiting:
            console.print(f"Nothing left for {reviewer} at {stage.label}. Decided {done} this session.")
            return
        record_id = waiting[0]
        stored = get_record(workspace, record_id)
        console.print(_record_panel(workspace, stored, stage, len(waiting), done))
        key = _ask_key(stage)
        if key == "q":
            console.print(f"Decided {done} this session.")
            return
        if key == "s":
            skipped.add(record_id)
            continue
        try:
            if key == "u":
                undone = undo_decision(workspace, reviewer=reviewer, stage=stage)
                skipped.discard(undone.record_id)
                done = max(0, done - 1)
                console.print(f"[cyan]Undid[/] your {undone.vote} on record {undone.record_id}.")
                continue
            vote = {"i": Vote.INCLUDE, "e": Vote.EXCLUDE, "m": Vote.MAYBE}[key]
            reason = _ask_reason(workspace) if vote is Vote.EXCLUDE and stage is Stage.FULL_TEXT else None
            result = decide(workspace, record_id, stage, vote, reviewer=reviewer, reason=reason)
        except UserError as error:
            console.print(f"[red]{escape(str(error))}[/]")
            continue
        done += 1
        console.print(_result_line(record_id, vote, result))


def _read_key() -> str:
    # One key press at a terminal; from a pipe or a script, one character at a time.
    key = typer.getchar(echo=False) if sys.stdin.isatty() else sys.stdin.read(1)
    return key.lower() if key not in ("", "\x03", "\x04") else "q"


def _ask_key(stage: Stage) -> str:
    console.print(
        "[bold green]i[/] include  [bold red]e[/] exclude  [bold yellow]m[/] maybe  "
        "[bold]u[/] undo  [bold]s[/] skip  [bold]q[/] quit"
    )
    while True:
        key = _read_key()
        if key in ("i", "e", "m", "u", "s", "q"):
            return key


def _ask_reason(workspace: Workspace) -> str:
    reasons = workspace.project.protocol.screening.exclusion_reasons
    for number, reason in enumerate(reasons, start=1):
        console.print(f"  [bold]{number}[/] {escape(reason)}")
    console.print("Reason (number):")
    while True:
        key = _read_key()
        if key == "q":
            raise UserError("no reason chosen; the record was not excluded")
        if key.isdigit() and 1 <= int(key) <= len(reasons):
            return reasons[int(key) - 1]


def _highlighted(text: str, workspace: Workspace) -> Text:
    screening = workspace.project.protocol.screening
    rich = Text(text)
    for span in keyword_spans(text, screening.highlight_include, screening.highlight_exclude):
        rich.stylize("bold green" if span.kind == "include" else "bold red", span.start, span.end)
    return rich


def _record_panel(workspace: Workspace, stored: StoredRecord, stage: Stage, waiting: int, done: int) -> Panel:
    record = stored.record
    authors = "; ".join(author.display for author in record.authors[:6]) + (
        " et al." if len(record.authors) > 6 else ""
    )
    where = ", ".join(str(part) for part in (record.journal, record.year) if part)
    body: list[Any] = [
        _highlighted(record.title or "[no title]", workspace).copy(),
        Text(f"{authors}\n{where}", style="dim"),
        Text(""),
        _highlighted(record.abstract or "(no abstract)", workspace),
    ]
    criteria = workspace.project.protocol.criteria
    if criteria.inclusion or criteria.exclusion:
        table = Table.grid(padding=(0, 1))
        for label, items, style in (
            ("Include if", criteria.inclusion, "green"),
            ("Exclude if", criteria.exclusion, "red"),
        ):
            for item in items:
                table.add_row(f"[{style}]{label}[/]", escape(item))
        body += [Text(""), table]
    body += [Text(""), ProgressBar(total=done + waiting, completed=done, width=40)]
    return Panel(
        Group(*body),
        title=f"Record {stored.id} — {stage.label} — {done} decided, {waiting} to go",
        subtitle=escape(f"{stored.source}"),
    )


def _result_line(record_id: int, vote: Vote, result: DecisionResult) -> str:
    colour = {Vote.INCLUDE: "green", Vote.EXCLUDE: "red", Vote.MAYBE: "yellow"}[vote]
    extra = "" if result.kind.value == "screen" else f" ({result.kind.value})"
    return f"[{colour}]{vote.value}[/] record {record_id}{extra}: now {result.status.value}"


@app.command("decide")
def decide_command(
    record_id: Annotated[int, typer.Argument(help="The record.")],
    vote: Annotated[Vote, typer.Argument(help="include, exclude or maybe.")],
    stage: StageOption = Stage.TITLE_ABSTRACT,
    reviewer: ReviewerOption = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Exclusion reason (required at full text): text or number.")
    ] = None,
    note: NoteOption = None,
    label: Annotated[list[str] | None, typer.Option("--label", help="A free tag, repeatable.")] = None,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record one decision, for scripts.

    Example: synthesist screen decide 42 exclude --stage full-text --reason 2 --reviewer alice
    """
    name = current_actor(reviewer)
    with open_project(project, name) as workspace:
        result = decide(
            workspace, record_id, stage, vote, reviewer=name, reason=reason, note=note, labels=label or []
        )
    if as_json:
        print_json(
            {
                "decision_id": result.decision_id,
                "kind": result.kind.value,
                "status": result.status.value,
                "state": result.state.value,
            }
        )
        return
    console.print(_result_line(record_id, vote, result))


@app.command()
def undo(
    stage: StageOption = Stage.TITLE_ABSTRACT,
    reviewer: ReviewerOption = None,
    decision: Annotated[
        int | None, typer.Option("--decision", help="A decision id (default: your latest).")
    ] = None,
    project: ProjectOption = None,
) -> None:
    """Undo your latest decision at a stage (it stays in the history, marked undone).

    Example: synthesist screen undo --stage title-abstract --reviewer alice
    """
    name = current_actor(reviewer)
    with open_project(project, name) as workspace:
        undone = undo_decision(workspace, reviewer=name, stage=stage, decision_id=decision)
    console.print(
        f"Undid {undone.reviewer}'s {undone.vote.value} on record {undone.record_id} at {undone.stage.label}."
    )


@app.command()
def conflicts(
    stage: StageOption = Stage.TITLE_ABSTRACT,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the records whose reviewers disagree, with each vote.

    Example: synthesist screen conflicts --stage full-text
    """
    with open_project(project) as workspace:
        view = overview(workspace)
        found = [r for r, p in view.records.items() if p.at(stage) is StageStatus.CONFLICT]
        titles = {r: get_record(workspace, r).record.title or "" for r in found}
    votes = {r: [d for d in view.decisions.get(r, []) if d.stage is stage and d.active] for r in found}
    if as_json:
        print_json(
            [
                {"record_id": r, "title": titles[r], "votes": [_decision_json(d) for d in votes[r]]}
                for r in found
            ]
        )
        return
    table = Table(title=f"{len(found)} conflicts at {stage.label}")
    table.add_column("Record", justify="right")
    table.add_column("Title", ratio=1, overflow="fold")
    table.add_column("Votes")
    for r in found:
        table.add_row(
            str(r), escape(titles[r]), escape("; ".join(f"{d.reviewer}: {d.vote.value}" for d in votes[r]))
        )
    console.print(table)
    if found:
        console.print(
            "Settle one with: synthesist screen resolve RECORD include|exclude --with NAME --with NAME"
        )


@app.command()
def resolve(
    record_id: Annotated[int, typer.Argument(help="The record in conflict.")],
    vote: Annotated[
        Vote, typer.Argument(help="The consensus: include or exclude (or maybe at title/abstract).")
    ],
    participants: Annotated[
        list[str], typer.Option("--with", help="Who took part, repeatable (two or more).")
    ],
    stage: StageOption = Stage.TITLE_ABSTRACT,
    reason: Annotated[str | None, typer.Option("--reason", help="Exclusion reason (at full text).")] = None,
    note: NoteOption = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Settle a conflict with the team's consensus decision.

    Example: synthesist screen resolve 42 exclude --with alice --with bob --note "not back pain"
    """
    with open_project(project, actor) as workspace:
        result = resolve_conflict(
            workspace, record_id, stage, vote, participants=participants, reason=reason, note=note
        )
    console.print(_result_line(record_id, vote, result))


@app.command()
def progress(
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """How far screening has come: records per status at each stage, and where every record stands.

    Example: synthesist screen progress
    """
    with open_project(project) as workspace:
        view = overview(workspace)
    data = {
        "stages": {stage.value: {s.value: n for s, n in view.statuses(stage).items()} for stage in Stage},
        "records": {state.value: n for state, n in view.states().items()},
        "full_text_exclusion_reasons": dict(view.exclusion_reasons(Stage.FULL_TEXT)),
    }
    if as_json:
        print_json(data)
        return
    for stage in Stage:
        table = Table(title=f"{stage.label.capitalize()}", title_justify="left")
        table.add_column("Status")
        table.add_column("Records", justify="right")
        for status, count in sorted(
            view.statuses(stage).items(), key=lambda item: list(StageStatus).index(item[0])
        ):
            table.add_row(status.value, f"{count:,}")
        console.print(table)
    reasons = view.exclusion_reasons(Stage.FULL_TEXT)
    if reasons:
        table = Table(title="Excluded at full text, by reason", title_justify="left")
        table.add_column("Reason")
        table.add_column("Records", justify="right")
        for reason, count in reasons.most_common():
            table.add_row(escape(reason), str(count))
        console.print(table)


@app.command()
def decisions(
    record_id: Annotated[int, typer.Argument(help="The record.")],
    reviewer: ReviewerOption = None,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """A record's decisions, undone ones included. In blind dual screening you see only your own
    until the two votes are compared.

    Example: synthesist screen decisions 42 --reviewer alice
    """
    name = current_actor(reviewer)
    with open_project(project, name) as workspace:
        found = visible_decisions(workspace, record_id, name)
    if as_json:
        print_json([_decision_json(d) for d in found])
        return
    table = Table(title=f"Decisions on record {record_id} (as {name})")
    for column in ("#", "Stage", "Reviewer", "Vote", "Kind", "Reason", "When (UTC)", "Undone"):
        table.add_column(column)
    for d in found:
        when = f"{d.decided_at:%Y-%m-%d %H:%M}"
        undone = f"{d.undone_at:%Y-%m-%d %H:%M}" if d.undone_at else ""
        table.add_row(
            str(d.id),
            d.stage.value,
            escape(d.reviewer),
            d.vote.value,
            d.kind.value,
            escape(d.reason or ""),
            when,
            undone,
        )
    console.print(table)


def _decision_json(decision: ScreeningDecision) -> dict[str, Any]:
    return {
        "decision_id": decision.id,
        "stage": decision.stage.value,
        "reviewer": decision.reviewer,
        "vote": decision.vote.value,
        "kind": decision.kind.value,
        "reason": decision.reason,
        "note": decision.note,
        "labels": list(decision.labels),
        "participants": list(decision.participants),
        "decided_at": decision.decided_at.isoformat(),
        "undone_at": decision.undone_at.isoformat() if decision.undone_at else None,
    }
