"""``synthesist extract``: the terminal session's entry (``synthesist extract`` alone; the session is in
``session.py``) and the scripted values: set, complete, verify, flag, status, show, discrepancies,
resolve. Import, export, table and form are in ``outputs.py``."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from synthesist.cli.common import (
    ActorOption,
    JsonOption,
    ProjectOption,
    console,
    open_project,
    print_json,
)
from synthesist.cli.extract.session import run_session
from synthesist.extraction.values import display_value
from synthesist.review.extraction_settings import ExtractionField
from synthesist.services.extraction.review import flag_field, list_discrepancies, resolve, verify_study
from synthesist.services.extraction.values import (
    IncludedStudy,
    complete_study,
    extraction_form,
    extraction_status,
    set_value,
    study_form,
)
from synthesist.wording import plural

__all__ = ["register", "session"]

StudyArgument = Annotated[
    str,
    typer.Argument(help='The study: its label ("Cooper 2008"), one of its record ids, or S + its id (S3).'),
]
FieldArgument = Annotated[str, typer.Argument(help="The field: its name (country) or its label.")]


def session(
    ctx: typer.Context,
    study: Annotated[
        str | None,
        typer.Option("--study", help="Only this study (default: each one you have not completed)."),
    ] = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Extract one study at a time, field by field: each field's help and current value are shown;
    Enter keeps the value, text replaces it, /clear empties it. /r shows the study's report text
    (/r 3: page 3), /b goes back a field, /s skips the study, /q quits. At the end of a study you
    can mark it complete.

    In dual extraction you see only your own values until both extractions are complete.

    Example: synthesist extract --as alice

    Example: synthesist extract --study "Cooper 2008"
    """
    if ctx.invoked_subcommand is not None:
        return
    with open_project(project, actor) as workspace:
        run_session(workspace, study)


def set_command(
    study: StudyArgument,
    field: FieldArgument,
    value: Annotated[str, typer.Argument(help='The value; "" removes yours.')],
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Set one field of an included study, checked against the field's type (a number, one of the
    choices, a date such as 2012-03-04, counts such as "patients=12, professionals=3"...).
    Multi-choice values are separated by ";".

    Example: synthesist extract set "Cooper 2008" country "United Kingdom" --as alice

    Example: synthesist extract set 42 participants "patients=25"
    """
    with open_project(project, actor) as workspace:
        result = set_value(workspace, study, field, value)
    where = f"{result.field.name} of {escape(result.study.label)} ({result.study.ref})"
    if not result.changed:
        console.print(f"Unchanged: {where} already is {escape(_shown(result.field, result.value))!r}.")
    elif result.value is None:
        console.print(f"Cleared {where}.")
    else:
        console.print(f"Set {where} to {escape(_shown(result.field, result.value))!r}.")


def complete(study: StudyArgument, project: ProjectOption = None, actor: ActorOption = None) -> None:
    """Mark your extraction of a study complete; refused, naming them, while a required field is
    empty.

    Example: synthesist extract complete "Cooper 2008" --as alice
    """
    with open_project(project, actor) as workspace:
        found, new = complete_study(workspace, study)
    what = "Marked" if new else "Already marked"
    console.print(f"{what} {escape(found.label)} complete; it is now {found.extraction.status.value}.")


def verify(study: StudyArgument, project: ProjectOption = None, actor: ActorOption = None) -> None:
    """Record that you checked a study's extraction (mode "single-verified"). Flag the fields you
    question first; the study is verified once the extractor has resolved every flag.

    Example: synthesist extract verify "Cooper 2008" --as bob
    """
    with open_project(project, actor) as workspace:
        found, new = verify_study(workspace, study)
    what = "Checked" if new else "Already checked"
    console.print(f"{what} {escape(found.label)}; it is now {found.extraction.status.value}.")


def flag(
    study: StudyArgument,
    field: FieldArgument,
    note: Annotated[str, typer.Option("--note", help="What is wrong with the value.")],
    suggest: Annotated[str | None, typer.Option("--suggest", help="The value you think is right.")] = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Flag a field of a complete study as the verifier (mode "single-verified"); the extractor
    corrects or keeps the value with `extract resolve`.

    Example: synthesist extract flag "Cooper 2008" country --note "Table 1 says Scotland" --suggest Scotland
    """
    with open_project(project, actor) as workspace:
        raised = flag_field(workspace, study, field, note, suggest=suggest)
    console.print(f"Flag {raised.id} raised on {raised.field}.")


def status(project: ProjectOption = None, actor: ActorOption = None, as_json: JsonOption = False) -> None:
    """Where each included study's extraction stands: status, fields filled (yours in dual
    extraction), required fields missing, who extracted and checked it, open flags and discrepancies.

    Example: synthesist extract status --as alice
    """
    with open_project(project, actor) as workspace:
        rows = extraction_status(workspace)
        mode = extraction_form(workspace).mode
        fields = len(extraction_form(workspace).form)
    if as_json:
        print_json(
            {
                "mode": mode,
                "studies": [
                    _study_json(row.study)
                    | {
                        "status": row.status.value,
                        "filled": row.filled,
                        "fields": fields,
                        "missing_required": row.missing_required,
                        "extractors": row.extractors,
                        "completed_by": row.completed,
                        "verified_by": row.verifiers,
                        "open_flags": row.open_flags,
                        "discrepancies": row.discrepancies,
                    }
                    for row in rows
                ],
            }
        )
        return
    table = Table(
        title=f"{plural(len(rows), 'included study', 'included studies')} — mode {mode}",
        title_justify="left",
    )
    table.add_column("Study", no_wrap=True)
    for column in ("Status", "Filled", "Required missing", "Extracted by", "Checked by", "To resolve"):
        table.add_column(column)
    for row in rows:
        done = set(row.completed)
        by = ", ".join(f"{name} ✓" if name in done else name for name in row.extractors)
        table.add_row(
            f"{row.study.ref} {escape(row.study.label)}",
            row.status.value,
            f"{row.filled}/{fields}",
            str(len(row.missing_required) or ""),
            escape(by),
            escape(", ".join(row.verifiers)),
            str(row.open_flags + row.discrepancies or ""),
        )
    console.print(table)


def show(
    study: StudyArgument,
    project: ProjectOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """One study's form: each field with its value (yours in dual extraction), whether it came from
    the study's record, and any open flag.

    Example: synthesist extract show "Cooper 2008"
    """
    with open_project(project, actor) as workspace:
        found = study_form(workspace, study)
    if as_json:
        print_json(
            _study_json(found.study)
            | {
                "status": found.study.extraction.status.value,
                "fields": [
                    {
                        "name": entry.field.name,
                        "label": entry.field.display_label,
                        "value": entry.value,
                        "prefilled": entry.prefilled,
                        "flag": entry.flag.note if entry.flag else None,
                    }
                    for entry in found.entries
                ],
            }
        )
        return
    console.print(
        f"[bold]{escape(found.study.label)}[/] ({found.study.ref}) — {found.study.extraction.status.value}"
    )
    table = Table(show_header=True)
    table.add_column("Field")
    table.add_column("Value", overflow="fold")
    for entry in found.entries:
        required = " *" if entry.field.required else ""
        value = escape(_shown(entry.field, entry.value))
        if entry.prefilled:
            value += " [dim](from the record)[/]"
        if entry.flag:
            value += f"\n[yellow]flagged by {escape(entry.flag.flagged_by)}: {escape(entry.flag.note)}[/]"
        table.add_row(escape(entry.field.display_label) + required, value)
    console.print(table)


def discrepancies(
    project: ProjectOption = None, actor: ActorOption = None, as_json: JsonOption = False
) -> None:
    """What waits to be resolved: fields on which two complete extractions differ (dual), and open
    verifiers' flags (single-verified).

    Example: synthesist extract discrepancies
    """
    with open_project(project, actor) as workspace:
        items = list_discrepancies(workspace)
    if as_json:
        print_json(
            [
                _study_json(item.study)
                | {"field": item.field.name}
                | (
                    {"kind": "discrepancy", "values": item.discrepancy.values}
                    if item.discrepancy
                    else {
                        "kind": "flag",
                        "flag_id": item.flag.id if item.flag else None,
                        "value": item.current,
                        "flagged_by": item.flag.flagged_by if item.flag else None,
                        "note": item.flag.note if item.flag else None,
                        "suggested_value": item.flag.suggested_value if item.flag else None,
                    }
                )
                for item in items
            ]
        )
        return
    if not items:
        console.print("Nothing to resolve.")
        return
    for item in items:
        where = f"{escape(item.study.label)} ({item.study.ref})"
        console.rule(f"{where} — {escape(item.field.display_label)} ({item.field.name})")
        if item.discrepancy is not None:
            for name, value in item.discrepancy.values.items():
                console.print(
                    f"[bold]{escape(name)}[/]: {escape(_shown(item.field, value)) or '[dim](empty)[/]'}"
                )
        elif item.flag is not None:
            console.print(f"Value: {escape(_shown(item.field, item.current)) or '[dim](empty)[/]'}")
            console.print(
                f"[yellow]Flag {item.flag.id} by {escape(item.flag.flagged_by)}[/]: {escape(item.flag.note)}"
            )
            if item.flag.suggested_value is not None:
                console.print(f"Suggested: {escape(_shown(item.field, item.flag.suggested_value))}")
    console.print(
        f"{len(items)} to resolve: synthesist extract resolve STUDY FIELD VALUE (or --take NAME, --keep)."
    )


def resolve_command(
    study: StudyArgument,
    field: FieldArgument,
    value: Annotated[str | None, typer.Argument(help="The agreed (dual) or corrected (flag) value.")] = None,
    take: Annotated[
        str | None,
        typer.Option(
            "--take", help="Take this reviewer's value (dual), or the verifier's suggested value (flag)."
        ),
    ] = None,
    keep: Annotated[
        bool, typer.Option("--keep", help="Keep the flagged value; say why with --note.")
    ] = False,
    note: Annotated[str | None, typer.Option("--note", help="Why; kept with the resolution.")] = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Resolve a field: record the value two extractions agree on after discussion (dual), or
    correct or keep a value a verifier flagged (single-verified).

    Example: synthesist extract resolve "Cooper 2008" country "United Kingdom" --note "agreed in meeting"

    Example: synthesist extract resolve S3 participants --take bob

    Example: synthesist extract resolve S3 country --keep --note "the methods section says Sweden" --as alice
    """
    with open_project(project, actor) as workspace:
        done = resolve(workspace, study, field, value, take=take, keep=keep, note=note)
    console.print(
        f"{done.resolution.capitalize()}: {done.field.name} of {escape(done.study.label)} is "
        f"{escape(_shown(done.field, done.value))!r}; the study is {done.study.extraction.status.value}."
    )


def _shown(field: ExtractionField, value: str | None) -> str:
    return display_value(field, value)


def _study_json(study: IncludedStudy) -> dict[str, Any]:
    return {
        "study": study.ref,
        "study_id": study.view.study.id,
        "label": study.label,
        "record_ids": list(study.view.study.record_ids),
    }


def register(app: typer.Typer) -> None:
    """Add the scripted extraction commands to the ``extract`` group."""
    app.command("set")(set_command)
    app.command()(complete)
    app.command()(verify)
    app.command()(flag)
    app.command()(status)
    app.command()(show)
    app.command()(discrepancies)
    app.command("resolve")(resolve_command)
