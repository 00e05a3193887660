"""The terminal extraction session behind ``synthesist extract``: study by study, field by field.

Input is read a line at a time (so it works from a pipe and in tests): Enter keeps the shown
value, text replaces it, and commands start with ``/`` so that no value is mistaken for one:
``/clear``, ``/r [PAGE]`` (the report's text), ``/b`` (back a field), ``/s`` (skip the study),
``/q`` (quit). A long text runs over several lines and ends with an empty line. Every value is
saved at once through :func:`~synthesist.services.extraction.values.set_value`, so quitting loses
nothing already entered.
"""

from __future__ import annotations

import re

from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from synthesist.cli.common import console
from synthesist.errors import UserError
from synthesist.extraction.values import display_value
from synthesist.fulltext.model import Report
from synthesist.review.extraction_settings import MULTI_CHOICE_SEPARATOR, ExtractionField
from synthesist.services.extraction.values import (
    FieldEntry,
    StudyForm,
    complete_study,
    set_value,
    studies_to_extract,
    study_form,
)
from synthesist.services.fulltext.reports import report_text
from synthesist.wording import plural
from synthesist.workspace import Workspace

__all__ = ["run_session"]

_TYPE_HINTS = {
    "short_text": "text",
    "long_text": "text; several lines, an empty line ends it",
    "number": "a number",
    "choice": "the number or the text of one choice",
    "multi_choice": f"numbers or texts of choices, separated by {MULTI_CHOICE_SEPARATOR!r} or spaces",
    "date": "a date: 2012-03-04, 4 March 2012, March 2012 or 2012",
    "participant_counts": "counts by group, e.g. patients=12, professionals=3",
}


class _Quit(Exception):
    pass


def _read_line(prompt: str = "> ") -> str:
    try:
        return console.input(prompt)
    except EOFError:  # the end of piped input is a quit, not a crash
        raise _Quit from None


def run_session(workspace: Workspace, only: str | None = None) -> None:
    reviewer = workspace.actor
    refs = [only] if only is not None else [study.ref for study in studies_to_extract(workspace)]
    if not refs:
        console.print(f"No study left for {escape(reviewer)} to extract.")
        return
    try:
        for number, ref in enumerate(refs, start=1):
            _study(workspace, ref, number, len(refs))
    except _Quit:
        console.print("Stopped; every value entered is saved.")
        return
    console.print("Done: every study in this session has been through.")


def _study(workspace: Workspace, ref: str, number: int, total: int) -> None:
    form = study_form(workspace, ref)
    console.print(_header(form, number, total))
    index = 0
    while index < len(form.entries):
        entry = form.entries[index]
        console.print(_field_panel(entry, index, len(form.entries)))
        answer = _answer(entry.field)
        command = answer.strip().lower() if answer.strip().startswith("/") else None
        if command == "/q":
            raise _Quit
        if command == "/s":
            console.print(f"Skipped {escape(form.study.label)}.")
            return
        if command == "/b":
            index = max(0, index - 1)
            continue
        if command is not None and re.fullmatch(r"/r(\s+\d+)?(\s+\d+)?", command):
            _show_report(workspace, form.reports, command)
            continue
        if command is not None and command != "/clear":
            console.print("[red]Unknown command[/]: /clear /r [PAGE] /b /s /q")
            continue
        if command is None and not answer.strip():
            index += 1  # Enter: keep the value shown
            continue
        text = "" if command == "/clear" else _choice_numbers(entry.field, answer)
        try:
            result = set_value(workspace, ref, entry.field.name, text)
        except UserError as error:
            console.print(f"[red]{escape(error.message)}[/]")
            continue  # the same field again
        shown = display_value(entry.field, result.value) or "(empty)"
        console.print(f"[green]Saved[/] {escape(shown)}" if result.changed else "[dim]Unchanged[/]")
        form = study_form(workspace, ref)  # the study may have got a stored id and label
        index += 1
    console.print(f"Mark {escape(form.study.label)} complete? [y/N]")
    if _read_line().strip().lower() in ("y", "yes"):
        try:
            found, _ = complete_study(workspace, ref)
            console.print(f"[green]Complete[/]: {escape(found.label)} is {found.extraction.status.value}.")
        except UserError as error:
            console.print(f"[red]{escape(error.message)}[/]")


def _answer(field: ExtractionField) -> str:
    first = _read_line()
    if field.type != "long_text" or not first.strip() or first.strip().startswith("/"):
        return first
    lines = [first]
    while True:
        line = _read_line("… ")
        if not line.strip():
            return "\n".join(lines)
        lines.append(line)


def _choice_numbers(field: ExtractionField, text: str) -> str:
    """``2`` is the second choice, ``1 3`` or ``1;3`` the first and third (numbers as shown)."""
    if field.type not in ("choice", "multi_choice"):
        return text
    parts = re.split(rf"[\s,{MULTI_CHOICE_SEPARATOR}]+", text.strip())
    if not all(part.isdigit() and 1 <= int(part) <= len(field.choices) for part in parts):
        return text  # typed out (or a number that is not a choice: the check will say so)
    if field.type == "choice" and len(parts) != 1:
        return text
    return f"{MULTI_CHOICE_SEPARATOR} ".join(field.choices[int(part) - 1] for part in parts)


def _header(form: StudyForm, number: int, total: int) -> Panel:
    study = form.study
    files = ", ".join(f"report {r.id}: {r.file_name} ({plural(r.page_count, 'page')})" for r in form.reports)
    lines = [
        f"Records {', '.join(str(r) for r in study.view.study.record_ids)}; {files or 'no report attached'}",
        f"Status: {study.extraction.status.value}. Enter keeps a value; /clear /r [PAGE] /b /s /q",
    ]
    return Panel(
        Text("\n".join(lines)), title=f"{escape(study.label)} ({study.ref}) — study {number} of {total}"
    )


def _field_panel(entry: FieldEntry, index: int, total: int) -> Text:
    field = entry.field
    text = Text()
    text.append(f"[{index + 1}/{total}] {field.display_label}", style="bold")
    text.append(f" ({field.name}{', required' if field.required else ''}) — {_TYPE_HINTS[field.type]}\n")
    if field.help:
        text.append(f"  {field.help}\n", style="dim")
    for number, choice in enumerate(field.choices, start=1):
        text.append(f"  {number} {choice}\n")
    if field.unit:
        text.append(f"  in {field.unit}\n", style="dim")
    current = display_value(field, entry.value)
    if current:
        source = " (from the record)" if entry.prefilled else ""
        text.append(f"  Current{source}: {current}\n", style="cyan")
    if entry.flag is not None:
        text.append(f"  Flagged by {entry.flag.flagged_by}: {entry.flag.note}\n", style="yellow")
    return text


def _show_report(workspace: Workspace, reports: list[Report], command: str) -> None:
    if not reports:
        console.print("[dim]No report is attached to this study (synthesist fulltext attach).[/]")
        return
    numbers = [int(part) for part in command.split()[1:]]
    report, page = reports[0], 1
    if len(numbers) == 2:
        report = next((r for r in reports if r.id == numbers[0]), reports[0])
        page = numbers[1]
    elif numbers:
        page = numbers[0]
    try:
        found = report_text(workspace, report.id, page)
    except UserError as error:
        console.print(f"[red]{escape(error.message)}[/]")
        return
    for shown in found.pages:
        console.rule(
            f"Report {report.id} ({escape(report.file_name)}), page {shown.number} of {report.page_count}"
        )
        console.print(Text(shown.text) if shown.text else Text("(no text on this page)", style="dim"))
