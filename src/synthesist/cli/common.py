"""Options and output helpers shared by the command groups."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from synthesist.records.query import RecordFilter, parse_where
from synthesist.workspace import Workspace, workspace

__all__ = [
    "ActorOption",
    "JsonOption",
    "ProjectOption",
    "WhereOption",
    "console",
    "err_console",
    "open_project",
    "print_json",
    "record_filter",
]

console = Console(highlight=False, soft_wrap=False)
err_console = Console(stderr=True, highlight=False)

ProjectOption = Annotated[
    Path | None,
    typer.Option(
        "--project",
        "-p",
        envvar="SYNTHESIST_PROJECT",
        help="Project folder (default: the nearest folder with review.toml, from here upwards).",
        show_default=False,
    ),
]
ActorOption = Annotated[
    str | None,
    typer.Option(
        "--as", help="Who is acting (default: $SYNTHESIST_USER or your login name).", show_default=False
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of tables.")]
WhereOption = Annotated[
    list[str] | None,
    typer.Option(
        "--where",
        "-w",
        help="Filter, repeatable (AND): FIELD OP VALUE with OP one of = != < <= > >= ~ (contains), "
        'e.g. --where "year>=2000" --where "source~medline". FIELD= means missing.',
        show_default=False,
    ),
]


@contextmanager
def open_project(project: Path | None, actor: str | None = None) -> Iterator[Workspace]:
    with workspace(project, actor) as opened:
        yield opened


def record_filter(where: list[str] | None) -> RecordFilter:
    return parse_where(where or [])


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
