"""``synthesist fulltext attach|not-retrieved|list|show|study|ungroup|studies``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from synthesist.cli.common import ActorOption, JsonOption, ProjectOption, console, open_project, print_json
from synthesist.fulltext.model import Report, RetrievalFailure, Study
from synthesist.services.fulltext.reports import (
    StudyView,
    attach_report,
    group_study,
    included_totals,
    list_reports,
    list_studies,
    mark_not_retrieved,
    not_retrieved_marks,
    report_text,
    ungroup_records,
    withdraw_not_retrieved,
)
from synthesist.wording import plural

__all__ = ["register"]


RecordArgument = Annotated[int, typer.Argument(help="The record.")]


def attach(
    record_id: RecordArgument,
    file: Annotated[Path, typer.Argument(help="The full text: PDF, Word (.docx) or plain text (.txt).")],
    name: Annotated[
        str | None, typer.Option("--name", help="Store it under this file name (default: its own).")
    ] = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Attach a record's full text: the file is copied into the project folder (fulltext/record-N/)
    and its text is extracted page by page. Withdraws a "not retrieved" mark on the record.

    Example: synthesist fulltext attach 42 ~/Downloads/cooper-2008.pdf
    """
    with open_project(project, actor) as workspace:
        result = attach_report(workspace, record_id, file, file_name=name)
    report = result.report
    if as_json:
        print_json(
            _report_json(report)
            | {
                "state": result.state.value,
                "withdrawn_not_retrieved": result.withdrawn.reason if result.withdrawn else None,
                "warnings": list(result.warnings),
            }
        )
        return
    console.print(
        f"Attached {escape(report.file_name)} to record {record_id} as report {report.id}: "
        f"{plural(report.page_count, 'page')}, text {report.text_status.value}. "
        f"Stored as {escape(report.stored_path)}."
    )
    if result.withdrawn:
        console.print(f'Withdrew the "not retrieved" mark ({escape(result.withdrawn.reason)}).')
    if report.text_status.value != "extracted":
        console.print(
            "[yellow]Some pages have no text layer (a scan?): run OCR on the file to code those pages.[/]"
        )
    for warning in result.warnings:
        console.print(f"[yellow]Warning:[/] {escape(warning)}")
    console.print(f"Record {record_id} is now: {result.state.value}.")


def not_retrieved(
    record_id: RecordArgument,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why it could not be obtained (PRISMA reports it).")
    ] = None,
    withdraw: Annotated[
        bool,
        typer.Option("--withdraw", help="Withdraw the mark (made by mistake); the record is sought again."),
    ] = False,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Mark a record's full text as sought but not retrieved (PRISMA 2020: reports not retrieved).

    Example: synthesist fulltext not-retrieved 42 --reason "not held by the library; authors did not reply"
    """
    with open_project(project, actor) as workspace:
        if withdraw:
            mark = withdraw_not_retrieved(workspace, record_id)
            console.print(
                f"Record {record_id} is no longer marked not retrieved (was: {escape(mark.reason)})."
            )
            return
        mark = mark_not_retrieved(workspace, record_id, reason or "")
    console.print(f"Record {record_id}: full text not retrieved ({escape(mark.reason)}).")


def list_command(
    record: Annotated[int | None, typer.Option("--record", "-r", help="Only this record's reports.")] = None,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the attached reports, and the records whose full text was not retrieved.

    Example: synthesist fulltext list --record 42
    """
    with open_project(project) as workspace:
        reports = list_reports(workspace, record)
        marks = [m for m in not_retrieved_marks(workspace) if record is None or m.record_id == record]
    if as_json:
        print_json(
            {"reports": [_report_json(r) for r in reports], "not_retrieved": [_mark_json(m) for m in marks]}
        )
        return
    table = Table(title=plural(len(reports), "report"), title_justify="left")
    for column in ("Report", "Record", "File", "Pages", "Text", "Attached by", "When (UTC)"):
        table.add_column(
            column,
            justify="right" if column in ("Report", "Record", "Pages") else "left",
            overflow="fold" if column == "File" else "ellipsis",
            ratio=1 if column == "File" else None,
        )
    for r in reports:
        when = f"{r.attached_at:%Y-%m-%d %H:%M}"
        table.add_row(str(r.id), str(r.record_id), escape(r.stored_path), str(r.page_count),
                      r.text_status.value, escape(r.attached_by), when)  # fmt: skip
    console.print(table)
    if marks:
        table = Table(title=f"{len(marks)} not retrieved", title_justify="left")
        for column in ("Record", "Reason", "Marked by", "When (UTC)"):
            table.add_column(column)
        for m in marks:
            table.add_row(
                str(m.record_id), escape(m.reason), escape(m.marked_by), f"{m.marked_at:%Y-%m-%d %H:%M}"
            )
        console.print(table)


def show(
    report_id: Annotated[int, typer.Argument(help="The report (see `synthesist fulltext list`).")],
    page: Annotated[
        int | None, typer.Option("--page", help="Only this page (from 1, in file order).")
    ] = None,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show a report's text, page by page, as extracted when it was attached.

    Example: synthesist fulltext show 3 --page 5
    """
    with open_project(project) as workspace:
        found = report_text(workspace, report_id, page)
    if as_json:
        print_json(
            {
                "report": _report_json(found.report),
                "pages": [{"page": p.number, "text": p.text} for p in found.pages],
            }
        )
        return
    report = found.report
    console.print(f"Report {report.id} of record {report.record_id}: {escape(report.file_name)}")
    for p in found.pages:
        console.rule(f"Page {p.number} of {report.page_count}")
        console.print(Text(p.text) if p.text else Text("(no text on this page)", style="dim"))


def study(
    record_ids: Annotated[list[int], typer.Argument(help="The records (reports) of one study.")],
    label: Annotated[
        str | None,
        typer.Option(
            "--label", help='What to call the study, e.g. "Cooper 2008" (default: first author and year).'
        ),
    ] = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Group records that report one study (PRISMA 2020 counts studies and their reports). A record
    already in a study brings the others into it; a record is in one study at most.

    Example: synthesist fulltext study 42 57 --label "Cooper 2008"
    """
    with open_project(project, actor) as workspace:
        grouped = group_study(workspace, record_ids, label=label)
    if as_json:
        print_json(_study_json(grouped))
        return
    ids = ", ".join(str(r) for r in grouped.record_ids)
    console.print(f"Study {grouped.id} {escape(grouped.label)!r}: records {ids}.")


def ungroup(
    record_ids: Annotated[list[int], typer.Argument(help="The records to take out of their study.")],
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Take records out of their study; each is a study of its own again.

    Example: synthesist fulltext ungroup 57
    """
    with open_project(project, actor) as workspace:
        events = ungroup_records(workspace, record_ids)
    for event in events:
        summary = event.summary()
        console.print(escape(summary[:1].upper() + summary[1:]) + ".")


def studies(
    included: Annotated[
        bool, typer.Option("--included", help="Only studies with an included report.")
    ] = False,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the studies: grouped records, and every other record that reached full text as a study
    of its own, with where each record stands.

    Example: synthesist fulltext studies --included
    """
    with open_project(project) as workspace:
        views = list_studies(workspace, included_only=included)
    count, reports = included_totals(views)
    if as_json:
        print_json(
            {
                "studies": [_study_json(v.study) | _records_json(v) for v in views],
                "studies_included": count,
                "reports_of_included_studies": reports,
            }
        )
        return
    table = Table(title=f"{len(views)} stud{'ies' if len(views) != 1 else 'y'}", title_justify="left")
    for column in ("Study", "Label", "Records (state, files)", "Included"):
        table.add_column(column)
    for v in views:
        records = "\n".join(
            f"{r}: {v.states[r].value}, {v.files[r]} file(s)" for r in v.study.record_ids if r in v.states
        )
        table.add_row(str(v.study.id or ""), escape(v.study.label), records, "yes" if v.included else "")
    console.print(table)
    console.print(f"Studies included: {count}; reports of included studies: {reports}.")


def _report_json(report: Report) -> dict[str, Any]:
    return {
        "report_id": report.id,
        "record_id": report.record_id,
        "file_name": report.file_name,
        "stored_path": report.stored_path,
        "sha256": report.sha256,
        "media_type": report.media_type,
        "size": report.size,
        "pages": report.page_count,
        "text_status": report.text_status.value,
        "attached_by": report.attached_by,
        "attached_at": report.attached_at.isoformat(),
    }


def _mark_json(mark: RetrievalFailure) -> dict[str, Any]:
    return {
        "record_id": mark.record_id,
        "reason": mark.reason,
        "marked_by": mark.marked_by,
        "marked_at": mark.marked_at.isoformat(),
    }


def _study_json(found: Study) -> dict[str, Any]:
    return {"study_id": found.id, "label": found.label, "record_ids": list(found.record_ids)}


def _records_json(view: StudyView) -> dict[str, Any]:
    return {
        "records": [
            {"record_id": r, "state": view.states[r].value, "files": view.files[r]}
            for r in view.study.record_ids
            if r in view.states
        ],
        "included": view.included,
    }


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``fulltext`` group."""
    app.command()(attach)
    app.command("not-retrieved")(not_retrieved)
    app.command("list")(list_command)
    app.command()(show)
    app.command()(study)
    app.command()(ungroup)
    app.command()(studies)
