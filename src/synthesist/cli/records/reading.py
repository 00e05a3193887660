"""``synthesist records list|show|batches|rejects``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from synthesist.cli.common import (
    JsonOption,
    ProjectOption,
    WhereOption,
    console,
    open_project,
    print_json,
    record_filter,
)
from synthesist.dedup.model import DuplicateGroup
from synthesist.records.stored import StoredRecord
from synthesist.services.dedup.review import find_group_of
from synthesist.services.records.reading import get_record, list_batches, list_records, record_rejects
from synthesist.wording import plural_word

__all__ = ["register"]


def _as_json(stored: StoredRecord, *, raw: bool = True) -> dict[str, object]:
    data: dict[str, object] = {
        "record_id": stored.id,
        "batch_id": stored.batch_id,
        "source": stored.source,
        "file": stored.file_name,
        "position": stored.position,
        "line": stored.line,
    }
    data.update(stored.record.to_dict() if raw else stored.record.canonical())
    return data


def _duplicate_line(group: DuplicateGroup | None, record_id: int) -> str | None:
    if group is None:
        return None
    if group.primary_id == record_id:
        others = ", ".join(map(str, group.duplicate_ids))
        return f"primary record of group {group.id}; its duplicates: {others}"
    return f"duplicate of record {group.primary_id} (group {group.id})"


def list_(
    where: WhereOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many records to show.")] = 50,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many records first.")] = 0,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """List records (id order), optionally filtered.

    Example: synthesist records list --where "source~cinahl" --where "year>=2005" -n 20
    """
    with open_project(project) as workspace:
        page, total = list_records(workspace, record_filter(where), limit=limit, offset=offset)
    if as_json:
        print_json({"total": total, "offset": offset, "records": [_as_json(s, raw=False) for s in page]})
        return
    table = Table(
        title=f"{total:,} {plural_word(total, 'record')}"
        + (f" (showing {offset + 1}–{offset + len(page)})" if page else "")
    )
    table.add_column("ID", justify="right")
    table.add_column("Source")
    table.add_column("First author")
    table.add_column("Year", justify="right")
    table.add_column("Title", overflow="fold", ratio=1)
    for stored in page:
        record = stored.record
        table.add_row(
            str(stored.id),
            escape(stored.source),
            escape(record.first_author or ""),
            str(record.year or ""),
            escape(record.title or "[no title]"),
        )
    console.print(table)


def show(
    record_id: Annotated[int, typer.Argument(help="The record's id (see `records list`).")],
    raw: Annotated[bool, typer.Option("--raw", help="Also show the fields exactly as in the file.")] = False,
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one record, where it came from, and (with --raw) its original fields.

    Example: synthesist records show 42 --raw
    """
    with open_project(project) as workspace:
        stored = get_record(workspace, record_id)
        group = find_group_of(workspace, record_id)
    if as_json:
        data = _as_json(stored)
        data["duplicate_group"] = group.id if group else None
        data["duplicate_of"] = group.primary_id if group and group.primary_id != record_id else None
        print_json(data)
        return
    record = stored.record
    table = Table(show_header=False, title=f"Record {stored.id}", title_justify="left")
    table.add_column("Field", style="bold")
    table.add_column("Value", overflow="fold")
    rows = [
        ("Title", record.title),
        ("Authors", "; ".join(a.display for a in record.authors)),
        ("Year", str(record.year) if record.year else None),
        ("Journal", record.journal),
        ("Volume / issue / pages", " / ".join(x or "-" for x in (record.volume, record.issue, record.pages))),
        ("DOI", record.doi),
        ("PMID", record.pmid),
        ("ISSN", record.issn),
        ("Language", record.language),
        ("Publication type", record.publication_type),
        ("Keywords", "; ".join(record.keywords)),
        ("URL", record.url),
        ("Abstract", record.abstract),
        ("Source", f"{stored.source} — {stored.file_name}, record {stored.position} (line {stored.line})"),
        ("Source record id", record.source_record_id),
        ("Batch", str(stored.batch_id)),
        ("Duplicates", _duplicate_line(group, record_id)),
    ]
    for name, value in rows:
        if value:
            table.add_row(name, escape(value))
    console.print(table)
    if raw:
        raw_table = Table(title="Fields as in the file", title_justify="left")
        raw_table.add_column("Field", style="bold")
        raw_table.add_column("Value", overflow="fold")
        for tag, values in record.raw.items():
            for value in values:
                raw_table.add_row(escape(tag), escape(value))
        console.print(raw_table)


def batches(project: ProjectOption = None, as_json: JsonOption = False) -> None:
    """List import batches: file, source, search date, records and rejects.

    Example: synthesist records batches --json
    """
    with open_project(project) as workspace:
        found = list_batches(workspace)
    if as_json:
        print_json([asdict(batch) for batch in found])
        return
    # Six columns fit an 80-column terminal; who imported each batch and when is in `log` and --json.
    table = Table()
    table.add_column("Batch", justify="right", no_wrap=True)
    table.add_column("Source", overflow="fold", min_width=12)
    table.add_column("File (format)", overflow="fold", min_width=12)
    table.add_column("Searched", no_wrap=True)
    table.add_column("Records", justify="right", no_wrap=True)
    table.add_column("Rejects", justify="right", no_wrap=True)
    for b in found:
        other = f" ({b.other_method})" if b.other_method and b.other_method != b.source else ""
        table.add_row(
            str(b.id),
            escape(b.source + other),
            escape(f"{b.file_name} ({b.format})"),
            b.searched_on.isoformat() if b.searched_on else "-",
            f"{b.record_count:,}",
            str(b.reject_count),
        )
    console.print(table)


def rejects(
    batch_id: Annotated[int, typer.Argument(help="The import batch (see `records batches`).")],
    project: ProjectOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the records rejected from a batch imported with --skip-invalid, with line and reason.

    Example: synthesist records rejects 3
    """
    with open_project(project) as workspace:
        found = record_rejects(workspace, batch_id)
    if as_json:
        print_json([{"line": r.line, "reason": r.reason, "excerpt": r.excerpt} for r in found])
        return
    table = Table(title=f"{len(found)} rejected records in batch {batch_id}", title_justify="left")
    table.add_column("Line", justify="right")
    table.add_column("Reason")
    table.add_column("Excerpt", overflow="fold")
    for reject in found:
        table.add_row(str(reject.line), escape(reject.reason), escape(reject.excerpt))
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``records`` group."""
    app.command("list")(list_)
    app.command()(show)
    app.command()(batches)
    app.command()(rejects)
