"""The terminal screening session behind ``synthesist screen``: one record at a time, in the order of
the reviewer's :class:`~synthesist.services.screening.queue.PrioritisedQueue`, with why each record
comes now and, at title/abstract, what the stopping rules say every so often."""

from __future__ import annotations

import sys
from typing import Any

import typer
from rich.console import Group
from rich.markup import escape
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from synthesist.cli.common import console
from synthesist.errors import UserError
from synthesist.records.stored import StoredRecord
from synthesist.screening.highlight import keyword_spans
from synthesist.screening.model import Stage, Vote
from synthesist.services.records.reading import get_record
from synthesist.services.screening.decisions import DecisionResult, decide, undo_decision
from synthesist.services.screening.queue import NextRecord, Order, PrioritisedQueue
from synthesist.services.screening.views import StopCheck, stop_check
from synthesist.workspace import Workspace

__all__ = ["STOP_GUIDANCE_EVERY", "result_line", "run_session", "stop_guidance"]

STOP_GUIDANCE_EVERY = 25
"""Decisions between two lines of stopping guidance (title/abstract only); ``p`` shows it at once."""


def run_session(workspace: Workspace, stage: Stage, reviewer: str, order: Order | None = None) -> None:
    with console.status("Preparing the screening order…"):
        queue = PrioritisedQueue(workspace, reviewer, stage, order=order)
    if queue.order is Order.PRIORITY:
        console.print(f"[dim]Most likely relevant records first ({queue.model} model).[/]")
    skipped: set[int] = set()
    done = 0
    while True:
        item = queue.next(skip=skipped)
        if item is None:
            console.print(f"Nothing left for {reviewer} at {stage.label}. Decided {done} this session.")
            return
        stored = get_record(workspace, item.record_id)
        console.print(_record_panel(workspace, stored, stage, item, done))
        key = _ask_key(stage)
        while key == "p":  # the stopping rules, then the same record's keys again
            console.print(stop_guidance(stop_check(workspace, viewer=reviewer)))
            key = _ask_key(stage)
        if key == "q":
            console.print(f"Decided {done} this session.")
            return
        if key == "s":
            skipped.add(item.record_id)
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
            result = decide(workspace, item.record_id, stage, vote, reviewer=reviewer, reason=reason)
        except UserError as error:
            console.print(f"[red]{escape(str(error))}[/]")
            continue
        done += 1
        console.print(result_line(item.record_id, vote, result))
        if stage is Stage.TITLE_ABSTRACT and done % STOP_GUIDANCE_EVERY == 0:
            console.print(stop_guidance(stop_check(workspace, viewer=reviewer)))


def stop_guidance(check: StopCheck) -> str:
    """The stopping rules in one line: how far screening is, the recall estimate, who says stop."""
    parts = [f"{check.screened:,} of {check.pool:,} screened, {check.relevant_found:,} let through"]
    recall = next((v.estimated_recall for v in check.verdicts if v.estimated_recall is not None), None)
    if recall is not None:
        parts.append(f"estimated recall at least {recall:.0%} (95% confidence)")
    stop = [verdict.rule for verdict in check.verdicts if verdict.stop]
    parts.append(f"stop by: {', '.join(stop)}" if stop else "no rule says stop yet")
    return f"[bold]Stopping rules[/]: {'; '.join(parts)}. Details: synthesist screen stop-check"


def _read_key() -> str:
    # One key press at a terminal; from a pipe or a script, one character at a time.
    key = typer.getchar(echo=False) if sys.stdin.isatty() else sys.stdin.read(1)
    return key.lower() if key not in ("", "\x03", "\x04") else "q"


def _ask_key(stage: Stage) -> str:
    keys = ["i", "e", "m", "u", "s", "q"]
    rules = ""
    if stage is Stage.TITLE_ABSTRACT:  # the stopping rules are about title/abstract screening
        keys.append("p")
        rules = "  [bold]p[/] stopping rules"
    console.print(
        "[bold green]i[/] include  [bold red]e[/] exclude  [bold yellow]m[/] maybe  "
        f"[bold]u[/] undo  [bold]s[/] skip{rules}  [bold]q[/] quit"
    )
    while True:
        key = _read_key()
        if key in keys:
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


def _record_panel(
    workspace: Workspace, stored: StoredRecord, stage: Stage, item: NextRecord, done: int
) -> Panel:
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
            for criterion in items:
                table.add_row(f"[{style}]{label}[/]", escape(criterion))
        body += [Text(""), table]
    body += [
        Text(""),
        Text(f"Why now: {item.explain()}", style="cyan"),
        ProgressBar(total=done + item.waiting, completed=done, width=40),
    ]
    return Panel(
        Group(*body),
        title=f"Record {stored.id} — {stage.label} — {done} decided, {item.waiting} to go",
        subtitle=escape(f"{stored.source}"),
    )


def result_line(record_id: int, vote: Vote, result: DecisionResult) -> str:
    colour = {Vote.INCLUDE: "green", Vote.EXCLUDE: "red", Vote.MAYBE: "yellow"}[vote]
    extra = "" if result.kind.value == "screen" else f" ({result.kind.value})"
    return f"[{colour}]{vote.value}[/] record {record_id}{extra}: now {result.status.value}"
