"""``synthesist appraise checklists|checklist show|rules|table|plot``: what can be appraised with,
how ratings are made (and whether the rules cover every case), and the appraisal as table or plot."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from synthesist.appraisal.checklist import Checklist
from synthesist.appraisal.rules import Coverage, describe_counts
from synthesist.cli.common import (
    JsonOption,
    ProjectOption,
    command_group,
    console,
    err_console,
    open_project,
    print_json,
)
from synthesist.cli.files import write_file
from synthesist.errors import UnknownPlugin
from synthesist.services.appraisal.outputs import (
    PlotKind,
    available_checklists,
    plot_format,
    render_appraisal_plot,
    render_appraisal_table,
    table_format,
)
from synthesist.services.appraisal.setup import (
    appraisal_setup,
    check_setup_rules,
    coverage_of,
    unknown_answers,
)
from synthesist.wording import plural

__all__ = ["register"]

_SHOWN = 20  # combinations listed per kind without --all


def checklists(project: ProjectOption = None, as_json: JsonOption = False) -> None:
    """List the appraisal checklists: the built-in ones and the project's own.

    A project's own are checklists/*.toml in the project folder and the files listed as checklists
    in the appraisal section of review.toml.

    Example: synthesist appraise checklists
    """
    found = available_checklists(project)
    if as_json:
        print_json(
            [
                {
                    "id": c.checklist.id,
                    "name": c.checklist.name,
                    "version": c.checklist.version,
                    "licence": c.checklist.licence,
                    "questions": len(c.checklist.questions),
                    "from": c.origin,
                }
                for c in found
            ]
        )
        return
    table = Table(title=plural(len(found), "checklist"))
    for heading in ("Id", "Name", "Version", "Questions", "Licence", "From"):
        table.add_column(heading, overflow="fold")
    for item in found:
        c = item.checklist
        table.add_row(
            c.id,
            escape(c.name),
            escape(c.version),
            _question_count(c),
            escape(c.licence),
            escape(item.origin),
        )
    console.print(table)
    console.print(escape('Use one with tool = "ID" under [appraisal] in review.toml.'))


def _question_count(checklist: Checklist) -> str:
    if not checklist.categories:
        return str(len(checklist.questions))
    asked = sorted({len(checklist.questions_for(s.id)) for s in checklist.categories})
    categories = plural(len(checklist.categories), "category", "categories")
    return f"{'/'.join(map(str, asked))} per study ({categories})"


def checklist_show(
    checklist_id: Annotated[
        str, typer.Argument(metavar="ID", help="The checklist's id, e.g. casp-qualitative.")
    ],
    as_toml: Annotated[bool, typer.Option("--toml", help="Print the checklist file itself.")] = False,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show a checklist: its questions with their hints, answers, sections, licence and source.

    Example: synthesist appraise checklist show mmat-2018
    """
    found = available_checklists(project)
    item = next((c for c in found if c.checklist.id == checklist_id), None)
    if item is None:
        raise UnknownPlugin(
            f'there is no appraisal checklist "{checklist_id}"',
            hint=f"Checklists: {', '.join(c.checklist.id for c in found)}.",
        )
    c = item.checklist
    if as_toml:
        typer.echo(item.text, nl=False)
        return
    if as_json:
        print_json(c.model_dump() | {"from": item.origin})
        return
    console.print(
        f"[bold]{escape(c.name)}[/] ({escape(c.id)}, version {escape(c.version)}; from {escape(item.origin)})"
    )
    console.print(f"Licence: {escape(c.licence)}. {escape(c.licence_note)}")
    if c.citation:
        console.print(f"Cite: {escape(c.citation)}")
    if c.source:
        console.print(f"Source: {escape(c.source)}")
    console.print(
        "Answers: "
        + ", ".join(f"{escape(a.label)} ({escape(a.abbreviation)}, key {a.key_char})" for a in c.answers)
    )
    if c.notes:
        console.print(f"[dim]{escape(c.notes)}[/]")
    section: str | None = None
    for question in c.questions:
        if question.section != section:
            section = question.section
            found_section = c.section(section)
            if found_section is not None:
                extra = " (a category)" if found_section.category else ""
                extra += " (not rated)" if not found_section.rated else ""
                console.print(f"\n[bold]{escape(found_section.title)}[/]{extra}")
        console.print(f"  [bold]{escape(question.heading)}[/] {escape(question.text)}")
        if question.hint:
            console.print(f"      [dim]{escape(question.hint)}[/]")


def rules(
    check: Annotated[
        bool, typer.Option("--check", help="Apply the rules to every possible combination of answers.")
    ] = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="List every combination, not the first 20.")
    ] = False,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show the rating rules; with --check, check them against every combination of answers.

    With --check every combination of answers the checklist allows (66 for 10 questions answered
    Yes, No or Can't tell) is rated: the table shows how many each rule covers, then the
    combinations no rule covers or two rules rate differently. Exits with 1 when the rules need
    fixing.

    Example: synthesist appraise rules --check
    """
    with open_project(project) as workspace:
        setup = appraisal_setup(workspace)
        problems = check_setup_rules(workspace, setup)
        unusable = bool(unknown_answers(workspace, setup))  # coverage would say nothing true
    rule_set = setup.rules
    labels = setup.checklist.labels
    coverages = coverage_of(setup) if check and not unusable else []
    if as_json:
        print_json(
            {
                "checklist": setup.checklist.id,
                "default_rules": setup.default_rules,
                "ordered": rule_set.ordered if rule_set else None,
                "rules": [
                    {"rating": r.rating, "when": r.words(labels), "unstated": r.unstated, "note": r.note}
                    for r in (rule_set.rules if rule_set else ())
                ],
                "coverage": [_coverage_json(c, labels) for c in coverages],
                "problems": [p.message for p in problems],
            }
        )
        if check and problems:
            raise typer.Exit(1)
        return
    if rule_set is None:
        console.print(
            "No rating rules: review.toml sets rating_rules = [], so studies get no overall rating."
        )
        return
    source = "the reference review's Table 1 (the default)" if setup.default_rules else "review.toml"
    order = "the first matching rule wins" if rule_set.ordered else "rules must not disagree"
    console.print(f"Rating rules from {source} for {escape(setup.checklist.name)}; {order}.")
    table = Table()
    table.add_column("#", justify="right")
    table.add_column("Rating")
    table.add_column("When (answers not named may be any number)", overflow="fold", ratio=1)
    for coverage in coverages:
        table.add_column(f"Covers of {len(coverage.combinations)}", justify="right")
        table.add_column("Decides", justify="right")
    for index, rule in enumerate(rule_set.rules):
        cells = [
            str(index + 1),
            escape(rule.rating),
            escape(rule.words(labels) + (f"\n{rule.note}" if rule.note else "")),
        ]
        for coverage in coverages:
            cells += [str(coverage.covered_by(index)), str(coverage.decided_by(index))]
        table.add_row(*cells, style="dim" if rule.unstated else None)
    console.print(table)
    if any(rule.unstated for rule in rule_set.rules):
        console.print("[dim]Dim rules rate combinations their source leaves unstated; the table says so.[/]")
    for coverage in coverages:
        _print_coverage(coverage, labels, show_all)
    for problem in problems:
        err_console.print(f"[bold red]Problem:[/] {escape(problem.message)}")
    if check and problems:
        raise typer.Exit(1)
    if check:
        console.print("[green]Every combination gets exactly one rating.[/]")


def _print_coverage(coverage: Coverage, labels: dict[str, str], show_all: bool) -> None:
    total = len(coverage.combinations)
    counts = ", ".join(f"{rating} {n}" for rating, n in coverage.rating_counts().items())
    console.print(
        f"\n{coverage.questions} rated questions: {total} combinations of answers; ratings: {counts}."
    )
    rule_set = coverage.rules
    for title, found in (("Uncovered", coverage.uncovered), ("Contested", coverage.contested)):
        if not found:
            continue
        settled = (
            " (settled by order: the first rule wins)" if title == "Contested" and rule_set.ordered else ""
        )
        console.print(f"{title}: {len(found)}{settled}")
        for combination in found if show_all else found[:_SHOWN]:
            rated = ", ".join(f"rule {i + 1}: {rule_set.rules[i].rating}" for i in combination.matches)
            console.print(
                f"  {escape(describe_counts(combination.as_dict(), labels))}"
                + (f" ({rated})" if rated else "")
            )
        if len(found) > _SHOWN and not show_all:
            console.print(f"  … {len(found) - _SHOWN} more (--all lists them)")


def _coverage_json(coverage: Coverage, labels: dict[str, str]) -> dict[str, Any]:
    return {
        "questions": coverage.questions,
        "combinations": len(coverage.combinations),
        "per_rule": [
            {"rule": i + 1, "covers": coverage.covered_by(i), "decides": coverage.decided_by(i)}
            for i in range(len(coverage.rules.rules))
        ],
        "ratings": coverage.rating_counts(),
        "uncovered": [c.as_dict() for c in coverage.uncovered],
        "contested": [
            {"counts": c.as_dict(), "rules": [i + 1 for i in c.matches]} for c in coverage.contested
        ],
    }


def table(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (.md, .csv, .html, .docx).")
    ] = None,
    format_name: Annotated[
        str | None,
        typer.Option("--format", "-f", help="md, csv, html or docx (default: from the file name, else md)."),
    ] = None,
    project: ProjectOption = None,
) -> None:
    """The appraisal table: each study's final answers (Y, N, CT) and rating, as Table S3.

    One row per included study, one column per question, then the counts per rating and the rules
    that made them (as in the reference review's Table S3).

    Example: synthesist appraise table -o appraisal.docx

    Example: synthesist appraise table --format csv > appraisal.csv
    """
    with open_project(project) as workspace:
        if output is None:
            chosen = table_format(None, format_name)
            if chosen == "docx":
                raise typer.BadParameter(
                    "a Word table needs a file: -o appraisal.docx", param_hint="--format"
                )
            typer.echo(render_appraisal_table(workspace, chosen).decode("utf-8-sig"), nl=False)
            return
        written = table_format(output, format_name)
        write_file(output, render_appraisal_table(workspace, written))
    err_console.print(f"Wrote the appraisal table ({written}) to {output}")


def plot(
    output: Annotated[Path, typer.Option("--output", "-o", help="The figure: .svg, .png or .pdf.")] = Path(
        "appraisal.svg"
    ),
    kind: Annotated[
        PlotKind,
        typer.Option("--kind", help="traffic-light (studies × questions) or summary (answers per question)."),
    ] = PlotKind.TRAFFIC_LIGHT,
    project: ProjectOption = None,
) -> None:
    """Draw the appraisal as a robvis-style traffic-light or summary plot (SVG, PNG, PDF).

    The traffic-light plot has one circle per answer, with a symbol as well as a colour; the summary
    plot shows, for each question, the share of studies per answer.

    Example: synthesist appraise plot -o appraisal.png

    Example: synthesist appraise plot --kind summary -o appraisal-summary.svg
    """
    with open_project(project) as workspace:
        written = plot_format(output)
        write_file(output, render_appraisal_plot(workspace, kind, written))
    err_console.print(f"Wrote the {kind.value} plot ({written.value}) to {output}")


def register(app: typer.Typer) -> None:
    """Add the checklist, rules and output commands to the ``appraise`` group."""
    app.command("checklists")(checklists)
    checklist_app = command_group(
        "One appraisal checklist.\n\nExample: synthesist appraise checklist show casp-qualitative"
    )
    checklist_app.command("show")(checklist_show)
    app.add_typer(checklist_app, name="checklist")
    app.command("rules")(rules)
    app.command("table")(table)
    app.command("plot")(plot)
