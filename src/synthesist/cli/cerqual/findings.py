"""``synthesist cerqual add|list|show|set|study|table``: GRADE-CERQual per review finding."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from synthesist.cli.common import ActorOption, JsonOption, ProjectOption, console, open_project, print_json
from synthesist.cli.synthesis.outputs import write_output
from synthesist.errors import UserError
from synthesist.services.cerqual.findings import (
    FindingChange,
    add_finding,
    assess_component,
    change_finding,
    correct_study,
    finding_views,
    findings_table_document,
    set_confidence,
    show_finding,
)
from synthesist.services.synthesis.outputs import output_format
from synthesist.synthesis.cerqual import CERQUAL_FORMATS, Component, FindingView
from synthesist.wording import plural

__all__ = ["register"]


FindingArgument = Annotated[str, typer.Argument(help="The finding: F1 (or 1).")]
_ASPECTS = ", ".join(c.value for c in Component) + " (ml for short), or confidence"


def _json(view: FindingView) -> dict[str, Any]:
    finding = view.finding
    components = {}
    for component in Component:
        concern, suggested = view.concern(component)
        entered = view.assessment(component)
        components[component.value] = {
            "concern": concern.value if concern else None,
            "suggested": suggested,
            "explanation": entered.explanation if entered else None,
        }
    return {
        "finding": finding.ref,
        "statement": finding.statement,
        "themes": [t.name for t in view.themes],
        "studies": [
            {
                "study": s.study.label,
                "rating": s.rating,
                "participants": s.participants,
                "source": s.source,
                "note": s.note,
            }
            for s in view.studies
        ],
        "removed": [{"study": s.study.label, "note": s.note} for s in view.removed],
        "methodological_limitations_basis": view.methodological_basis,
        "adequacy_basis": view.adequacy_basis,
        "participants": view.participants,
        "components": components,
        "confidence": finding.confidence.value if finding.confidence else None,
        "explanation": view.explanation(),
        "suggested_confidence": view.suggested_confidence.value if view.suggested_confidence else None,
        "suggestion_reason": view.suggestion_reason,
    }


def _show(view: FindingView) -> None:
    finding = view.finding
    console.print(f"[bold]{finding.ref}[/] {escape(finding.statement)}")
    console.print("Themes: " + (escape(", ".join(t.name for t in view.themes)) or "none"))
    studies = [
        f"{s.study.label} ({s.rating or 'not rated'})" + (" [added]" if s.source == "added" else "")
        for s in view.studies
    ]
    console.print(f"Contributing studies ({len(studies)}): " + (escape(", ".join(studies)) or "none"))
    for removed in view.removed:
        console.print(f"  removed: {escape(removed.study.label)} — {escape(removed.note)}")
    table = Table(title_justify="left")
    for column in ("component", "concern", "explanation"):
        table.add_column(column)
    for component in Component:
        concern, suggested = view.concern(component)
        entered = view.assessment(component)
        if entered is not None:
            words, explanation = entered.concern.label, entered.explanation
        elif suggested and concern is not None:
            words, explanation = f"{concern.label} (suggestion)", view.methodological_basis
        else:
            basis = view.adequacy_basis if component is Component.ADEQUACY else ""
            words, explanation = "not assessed", basis
        table.add_row(component.label, escape(words), escape(explanation))
    console.print(table)
    if finding.confidence is not None:
        console.print(f"Overall: [bold]{escape(finding.confidence.label)}[/] — {escape(view.explanation())}")
    else:
        console.print("Overall: not assessed yet")
    if view.suggested_confidence is not None:
        console.print(
            "[dim]Suggestion (a documented rule, not an assessment): "
            f"{escape(view.suggested_confidence.label)}; {escape(view.suggestion_reason)}[/]"
        )
    else:
        console.print(f"[dim]No suggestion yet: {escape(view.suggestion_reason)}[/]")


def add_command(
    statement: Annotated[str, typer.Argument(help="The summary statement of the review finding.")],
    theme: Annotated[
        list[str] | None, typer.Option("--theme", "-t", help="A theme it summarises, repeatable.")
    ] = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Add a review finding: its summary statement and the themes it summarises (their coding gives
    its contributing studies).

    Example: synthesist cerqual add "Being understood builds trust" --theme "Mutual understanding"
    """
    with open_project(project, actor) as workspace:
        view = add_finding(workspace, statement, theme or [])
    console.print(f"Added {view.finding.ref} with {len(view.studies)} contributing studies.")


def list_command(project: ProjectOption = None, as_json: JsonOption = False) -> None:
    """The review findings with their contributing studies and confidence.

    Example: synthesist cerqual list
    """
    with open_project(project) as workspace:
        views = finding_views(workspace)
    if as_json:
        print_json([_json(view) for view in views])
        return
    if not views:
        console.print('No review findings yet (synthesist cerqual add "STATEMENT" --theme NAME).')
        return
    table = Table(title_justify="left")
    for column in ("#", "finding", "studies", "confidence"):
        table.add_column(column)
    for view in views:
        confidence = view.finding.confidence.label if view.finding.confidence else "not assessed"
        table.add_row(view.finding.ref, escape(view.finding.statement), str(len(view.studies)), confidence)
    console.print(table)


def show_command(
    finding: FindingArgument, project: ProjectOption = None, as_json: JsonOption = False
) -> None:
    """A review finding's evidence profile: themes, contributing studies with their ratings, each
    component's concern and explanation (and what it rests on), the overall confidence, and
    Synthesist's suggestion beside it.

    Example: synthesist cerqual show F1
    """
    with open_project(project) as workspace:
        view = show_finding(workspace, finding)
    if as_json:
        print_json(_json(view))
    else:
        _show(view)


def set_command(
    finding: FindingArgument,
    aspect: Annotated[str | None, typer.Argument(help=f"What to assess: {_ASPECTS}.")] = None,
    level: Annotated[
        str | None,
        typer.Argument(
            help="A concern (none, minor, moderate, serious) or a confidence (high, moderate, low, "
            "very-low); "
            '"suggested" takes the suggestion; "none" for confidence clears it.'
        ),
    ] = None,
    explanation: Annotated[str | None, typer.Option("--explanation", "-e", help="Why.")] = None,
    statement: Annotated[str | None, typer.Option("--statement", help="A new summary statement.")] = None,
    theme: Annotated[
        list[str] | None,
        typer.Option("--theme", "-t", help="The themes it summarises (replaces them), repeatable."),
    ] = None,
    participants: Annotated[
        int | None, typer.Option("--participants", help="Participants, when the extraction has no counts.")
    ] = None,
    participants_note: Annotated[
        str | None, typer.Option("--participants-note", help="Where that number is from.")
    ] = None,
    clear_participants: Annotated[
        bool, typer.Option("--clear-participants", help="Use the extracted counts again.")
    ] = False,
    project: ProjectOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Assess a component or the overall confidence of a finding, or change its statement, themes
    or participants. Methodological limitations and adequacy explain themselves from the ratings and
    the numbers unless --explanation says more; the others need one.

    Example: synthesist cerqual set F1 coherence minor -e "one study's data fit less well"

    Example: synthesist cerqual set F1 ml suggested

    Example: synthesist cerqual set F1 confidence moderate -e "minor concerns about coherence and adequacy"

    Example: synthesist cerqual set F2 --participants 48 --participants-note "from the papers' tables"
    """
    change = FindingChange(statement, theme, participants, participants_note, clear_participants)
    if aspect is None and change == FindingChange():
        raise UserError(
            "say what to set", hint=f"An aspect and a level ({_ASPECTS}), or --statement, --theme ..."
        )
    if aspect is not None and level is None:
        raise UserError(f"give the level for {aspect!r}", hint="e.g. cerqual set F1 coherence minor")
    with open_project(project, actor) as workspace:
        view = None
        if change != FindingChange():
            view = change_finding(workspace, finding, change)
        if aspect is not None and level is not None:
            if aspect.strip().casefold() in ("confidence", "overall"):
                cleared = level.strip().casefold() in ("none", "clear")
                view = set_confidence(workspace, finding, None if cleared else level, explanation)
            else:
                view = assess_component(workspace, finding, aspect, level, explanation)
    assert view is not None
    if as_json:
        print_json(_json(view))
    else:
        _show(view)


def study_command(
    finding: FindingArgument,
    study: Annotated[
        str, typer.Argument(help='The study: its label ("Cooper 2008"), a record id or S + id.')
    ],
    add: Annotated[bool, typer.Option("--add", help="Count it among the contributing studies.")] = False,
    remove: Annotated[
        bool, typer.Option("--remove", help="Leave it out of the contributing studies.")
    ] = False,
    reset: Annotated[
        bool, typer.Option("--reset", help="Withdraw the correction: the coding decides.")
    ] = False,
    note: Annotated[str, typer.Option("--note", "-n", help="Why (required with --add and --remove).")] = "",
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Correct a finding's contributing studies, which otherwise follow from the coding of its themes.

    Example: synthesist cerqual study F1 "May 2007" --remove --note "coded there, but off the finding"
    """
    if [add, remove, reset].count(True) != 1:
        raise UserError("choose one of --add, --remove or --reset")
    include = True if add else False if remove else None
    with open_project(project, actor) as workspace:
        view = correct_study(workspace, finding, study, include, note)
    console.print(f"{view.finding.ref} now has {len(view.studies)} contributing studies.")


def table_command(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: Markdown to the screen).")
    ] = None,
    format_name: Annotated[
        str | None,
        typer.Option("--format", "-f", help="md, csv, html or docx (default: from the extension)."),
    ] = None,
    profile: Annotated[
        bool, typer.Option("--profile", help="The evidence profile: every component per finding.")
    ] = False,
    project: ProjectOption = None,
) -> None:
    """The Summary of Qualitative Findings table: each finding, its contributing studies, the
    CERQual assessment of confidence and its explanation (a level not yet assessed shows
    Synthesist's suggestion, labelled as such). --profile writes the evidence profile instead.

    Example: synthesist cerqual table -o soqf.docx

    Example: synthesist cerqual table --profile --format html -o profile.html
    """
    chosen = output_format(str(output) if output is not None else None, format_name, CERQUAL_FORMATS)
    if chosen == "docx" and (output is None or str(output) == "-"):
        raise UserError("a Word file is written to a file", hint="Example: -o soqf.docx")
    with open_project(project) as workspace:
        content, count = findings_table_document(workspace, chosen, profile=profile)
    what = "evidence profile" if profile else "Summary of Qualitative Findings"
    write_output(output, content, f"the {what} ({plural(count, 'finding')})")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``cerqual`` group."""
    app.command("add")(add_command)
    app.command("list")(list_command)
    app.command("show")(show_command)
    app.command("set")(set_command)
    app.command("study")(study_command)
    app.command("table")(table_command)
