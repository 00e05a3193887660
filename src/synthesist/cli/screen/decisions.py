"""``synthesist screen``: the terminal screening session's entry (the session itself is in
``session.py``) and the scripted decisions: decide, undo, conflicts, resolve, progress, decisions."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from synthesist.cli.common import ActorOption, JsonOption, ProjectOption, console, open_project, print_json
from synthesist.cli.screen.session import result_line, run_session
from synthesist.screening.model import Stage, StageStatus, Vote
from synthesist.services.records.reading import get_record
from synthesist.services.screening.decisions import decide, overview, resolve_conflict, undo_decision
from synthesist.services.screening.queue import Order
from synthesist.services.screening.views import decision_json, visible_decisions
from synthesist.wording import plural

__all__ = ["StageOption", "register", "session"]

StageOption = Annotated[Stage, typer.Option("--stage", "-s", help="title-abstract or full-text.")]
ReviewerOption = Annotated[
    str | None,
    typer.Option("--reviewer", "-r", help="Who decides (default: --as, $SYNTHESIST_USER or your login)."),
]
NoteOption = Annotated[str | None, typer.Option("--note", help="A remark kept with the decision.")]


def session(
    ctx: typer.Context,
    stage: StageOption = Stage.TITLE_ABSTRACT,
    reviewer: ReviewerOption = None,
    order: Annotated[
        Order | None,
        typer.Option(
            "--order",
            help="priority (most likely relevant first) or id (as imported); default: the "
            "prioritisation settings in review.toml.",
        ),
    ] = None,
    project: ProjectOption = None,
) -> None:
    """Screen one record at a time (the session is described in the group's help above).

    Example: synthesist screen --stage title-abstract --reviewer alice
    """
    if ctx.invoked_subcommand is not None:
        return
    with open_project(project, reviewer) as workspace:
        name = workspace.actor  # the protocol's spelling when reviewer is an account's login
        run_session(workspace, stage, name, order)


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
    with open_project(project, reviewer) as workspace:
        name = workspace.actor  # the protocol's spelling when reviewer is an account's login
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
    console.print(result_line(record_id, vote, result))


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
    with open_project(project, reviewer) as workspace:
        name = workspace.actor  # the protocol's spelling when reviewer is an account's login
        undone = undo_decision(workspace, reviewer=name, stage=stage, decision_id=decision)
    console.print(
        f"Undid {undone.reviewer}'s {undone.vote.value} on record {undone.record_id} at {undone.stage.label}."
    )


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
                {"record_id": r, "title": titles[r], "votes": [decision_json(d) for d in votes[r]]}
                for r in found
            ]
        )
        return
    table = Table(title=f"{plural(len(found), 'conflict')} at {stage.label}")
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
    console.print(result_line(record_id, vote, result))


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
    with open_project(project, reviewer) as workspace:
        name = workspace.actor  # the protocol's spelling when reviewer is an account's login
        found = visible_decisions(workspace, record_id, name)
    if as_json:
        print_json([decision_json(d) for d in found])
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


def register(app: typer.Typer) -> None:
    """Add the scripted decisions to the ``screen`` group."""
    app.command("decide")(decide_command)
    app.command()(undo)
    app.command()(conflicts)
    app.command()(resolve)
    app.command()(progress)
    app.command()(decisions)
