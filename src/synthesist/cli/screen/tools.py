"""``synthesist screen import-decisions|stop-check|agreement``: decisions made elsewhere, the stopping
rules, and agreement between reviewers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from synthesist.cli.common import ActorOption, JsonOption, ProjectOption, console, open_project, print_json
from synthesist.cli.screen.decisions import StageOption
from synthesist.screening.model import Stage, Vote
from synthesist.services.screening.csv_import import import_decisions
from synthesist.services.screening.views import agreement_by_pair, record_stop, stop_check
from synthesist.wording import plural, plural_word

__all__ = ["register"]


def import_decisions_command(
    file: Annotated[
        Path, typer.Argument(help="CSV of decisions (Rayyan export, Covidence export, a sheet).")
    ],
    stage: StageOption = Stage.TITLE_ABSTRACT,
    column_map: Annotated[
        list[str] | None,
        typer.Option(
            "--map", help="FIELD=COLUMN for record, doi, pmid, title, year, decision, reviewer, reason, note."
        ),
    ] = None,
    reviewer: Annotated[
        str | None, typer.Option("--reviewer", "-r", help="Reviewer for rows that name none.")
    ] = None,
    vote: Annotated[
        Vote | None, typer.Option("--vote", help="One decision for every row (e.g. an 'excluded' list).")
    ] = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import decisions made elsewhere, all or nothing; records are matched by id, DOI, PMID or title
    and year. A Rayyan export's notes are read for each reviewer's vote and exclusion reasons.

    Example: synthesist screen import-decisions rayyan.csv --stage title-abstract

    Example: synthesist screen import-decisions sheet.csv --map decision=Vote --map reviewer=Who
    """
    mapping: dict[str, str] = {}
    for item in column_map or []:
        name, sep, column = item.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise typer.BadParameter(f"{item!r}: write FIELD=COLUMN, e.g. decision=Vote", param_hint="--map")
        mapping[name.strip()] = column.strip()
    with open_project(project, actor) as workspace:
        result = import_decisions(
            workspace, file, stage=stage, column_map=mapping, reviewer=reviewer, vote=vote
        )
    if as_json:
        records = len(result.records)
        print_json(
            {
                "decisions": result.decisions,
                "records": records,
                "by_reviewer": result.by_reviewer,
                "rayyan": result.rayyan,
            }
        )
        return
    who = ", ".join(f"{name} {count}" for name, count in sorted(result.by_reviewer.items()))
    kind = " (Rayyan)" if result.rayyan else ""
    console.print(
        f"Imported {plural(result.decisions, 'decision')} on "
        f"{plural(len(result.records), 'record')}{kind}: {who}."
    )


def stop_check_command(
    target: Annotated[float, typer.Option("--target", help="Target recall for the statistical rule.")] = 0.95,
    confidence: Annotated[
        float, typer.Option("--confidence", help="Confidence for the statistical rule.")
    ] = 0.95,
    consecutive: Annotated[
        int, typer.Option("--consecutive", help="N for the N-consecutive-irrelevant rule.")
    ] = 100,
    record: Annotated[
        str | None,
        typer.Option("--record", help="Record that screening stops on this rule (for the report)."),
    ] = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """May title/abstract screening stop? Each stopping rule's verdict, what it assumes, and the
    estimated recall (a lower bound at the chosen confidence). In dual screening, colleagues' votes
    still blind to you are left out of the counts.

    Example: synthesist screen stop-check --target 0.95 --confidence 0.95
    """
    with open_project(project, actor) as workspace:
        if record is not None:
            verdict = record_stop(
                workspace, record, target_recall=target, confidence=confidence, n_consecutive=consecutive
            )
            console.print(f"Recorded: screening stops on the {record} rule. {escape(verdict.summary)}")
            return
        check = stop_check(
            workspace,
            target_recall=target,
            confidence=confidence,
            n_consecutive=consecutive,
            viewer=workspace.actor,
        )
    if as_json:
        print_json(
            {
                "screened": check.screened,
                "pool": check.pool,
                "relevant_found": check.relevant_found,
                "verdicts": [verdict.to_dict() for verdict in check.verdicts],
            }
        )
        return
    console.print(
        f"{check.screened:,} of {check.pool:,} {plural_word(check.pool, 'record')} "
        "screened at title/abstract; "
        f"{check.relevant_found:,} let through."
    )
    table = Table(expand=True)
    for column in ("Rule", "Stop?", "Verdict", "Assumes"):
        table.add_column(column, overflow="fold", ratio=None if column in ("Rule", "Stop?") else 1)
    for verdict in check.verdicts:
        table.add_row(
            verdict.rule,
            "[green]yes[/]" if verdict.stop else "no",
            escape(verdict.summary),
            escape(verdict.assumes),
        )
    console.print(table)


def agreement_command(
    stage: Annotated[Stage | None, typer.Option("--stage", "-s", help="One stage (default: both).")] = None,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """Agreement between reviewers per stage and pair: Cohen's kappa with its 95% CI, percent
    agreement and prevalence-adjusted kappa (PABAK), before consensus.

    Example: synthesist screen agreement --stage title-abstract
    """
    stages = [stage] if stage else list(Stage)
    with open_project(project) as workspace:
        found = [pair for chosen in stages for pair in agreement_by_pair(workspace, chosen)]
    if as_json:
        print_json(
            [{"stage": p.stage.value, "reviewers": list(p.reviewers), **p.agreement.to_dict()} for p in found]
        )
        return
    if not found:
        console.print("No records were decided by two reviewers yet.")
        return
    table = Table(title="Agreement between reviewers (before consensus)")
    for column in ("Stage", "Reviewers", "Records", "Agreement", "Kappa (95% CI)", "PABAK", "Reading"):
        table.add_column(column, justify="right" if column in ("Records", "Agreement", "PABAK") else "left")
    for p in found:
        a = p.agreement
        kappa = "undefined" if a.kappa is None else f"{a.kappa:.2f} ({a.ci_low:.2f} to {a.ci_high:.2f})"
        pabak = "" if a.pabak is None else f"{a.pabak:.2f}"
        who = escape(" & ".join(p.reviewers))
        table.add_row(p.stage.label, who, str(a.n), f"{a.observed:.0%}", kappa, pabak, a.interpretation)
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add these commands to the ``screen`` group."""
    app.command("import-decisions")(import_decisions_command)
    app.command("stop-check")(stop_check_command)
    app.command("agreement")(agreement_command)
