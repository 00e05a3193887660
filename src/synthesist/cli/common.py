"""Options and output helpers shared by the command groups."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from synthesist.cli.safe_console import SafeConsole
from synthesist.records.query import RecordFilter, parse_where
from synthesist.workspace import Workspace, workspace

__all__ = [
    "ActorOption",
    "JsonOption",
    "ProjectOption",
    "WhereOption",
    "command_group",
    "console",
    "err_console",
    "open_project",
    "print_json",
    "record_filter",
]

# stored text is shown, never obeyed: see safe_console
console = SafeConsole(highlight=False, soft_wrap=False)
err_console = SafeConsole(stderr=True, highlight=False)

_C1_CONTROL = re.compile(r"[\x7f-\x9f]")

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


def command_group(help_text: str, *, session: Callable[..., None] | None = None) -> typer.Typer:
    """A group of sub-commands, its help in Markdown as the root app's (Typer takes the mode from the
    app a command is registered on). Run alone it shows its help, or, given ``session``, runs that
    callback (``synthesist screen`` and ``extract`` start a terminal session)."""
    if session is None:
        return typer.Typer(rich_markup_mode="markdown", help=help_text, no_args_is_help=True)
    app = typer.Typer(rich_markup_mode="markdown", help=help_text, invoke_without_command=True)
    app.callback()(session)
    return app


@contextmanager
def open_project(project: Path | None, actor: str | None = None) -> Iterator[Workspace]:
    """The project, acting as ``actor`` (``--as``/``--reviewer``, else $SYNTHESIST_USER or the login
    name). When that is an account's login, the command acts under the account's acting name — the
    protocol's spelling ("aoife" acts as "Aoife Brennan") — the one place the CLI resolves who acts."""
    from synthesist.services.accounts.identity import resolve_actor

    with workspace(project, actor) as opened:
        yield resolve_actor(opened)


def record_filter(where: list[str] | None) -> RecordFilter:
    return parse_where(where or [])


def print_json(data: Any) -> None:
    # json escapes C0 controls itself; C1 ones (an 8-bit CSI is U+009B) only with ensure_ascii, which
    # would escape every accent too: they are escaped here (they can only occur inside strings)
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    typer.echo(_C1_CONTROL.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text))
