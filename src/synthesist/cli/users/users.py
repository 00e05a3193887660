"""``synthesist users add|list|passwd|name|disable|enable``: accounts for the web app."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from synthesist.cli.common import ActorOption, JsonOption, ProjectOption, console, open_project, print_json
from synthesist.errors import UserError
from synthesist.services.accounts import users as service

__all__ = ["register"]


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        # one line, so `printf '%s\n' "$PW" | synthesist users add NAME --password-stdin` works
        return sys.stdin.readline().rstrip("\r\n")
    first = typer.prompt("Password", hide_input=True)
    second = typer.prompt("Repeat the password", hide_input=True)
    if first != second:
        raise UserError("the two passwords differ; nothing was changed")
    return str(first)


PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of standard input.")
]


DisplayName = Annotated[
    str | None,
    typer.Option(
        "--display-name",
        help="The name pages and reports show; a protocol listing the person under it makes this login "
        "act as that reviewer.",
    ),
]


def users_add(
    name: Annotated[str, typer.Argument(help="The user name people log in with.")],
    password_stdin: PasswordStdin = False,
    display_name: DisplayName = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Add a user (asks for the password twice unless --password-stdin).

    Example: synthesist users add aoife --display-name "Aoife Brennan"
    """
    password = _read_password(password_stdin)
    with open_project(project, actor) as ws:
        user = service.add_user(ws, name, password, display_name=display_name)
    console.print(
        f"Added user {user.name}. Make them a member: synthesist members add . {user.name} --role reviewer"
    )


def users_list(project: ProjectOption = None, as_json: JsonOption = False) -> None:
    """List the users of the project's database.

    Example: synthesist users list
    """
    with open_project(project) as ws:
        found = service.list_users(ws)
    if as_json:
        print_json(
            [
                {
                    "name": u.name,
                    "created_at": u.created_at.isoformat(),
                    "disabled": u.disabled,
                    "display_name": u.display_name,
                }
                for u in found
            ]
        )
        return
    table = Table("User", "Shown as", "Created", "Disabled")
    for user in found:
        table.add_row(
            escape(user.name),
            escape(user.display_name or ""),
            f"{user.created_at:%Y-%m-%d}",
            "yes" if user.disabled else "",
        )
    console.print(table)


def users_passwd(
    name: Annotated[str, typer.Argument(help="The user whose password changes.")],
    password_stdin: PasswordStdin = False,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Set a user's password (their open web sessions end).

    Example: synthesist users passwd aoife
    """
    password = _read_password(password_stdin)
    with open_project(project, actor) as ws:
        service.set_password(ws, name, password)
    console.print(f"Changed the password of {name}.")


def users_disable(
    name: Annotated[str, typer.Argument(help="The user who may no longer log in.")],
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Stop a user from logging in to the web app: their open sessions end at once; their
    memberships and decisions stay (undo with `synthesist users enable`).

    Example: synthesist users disable aoife
    """
    with open_project(project, actor) as ws:
        user = service.disable_user(ws, name)
    console.print(f"Disabled {user.name}: they can no longer log in, and their open sessions have ended.")


def users_enable(
    name: Annotated[str, typer.Argument(help="The disabled user who may log in again.")],
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Let a disabled user log in again, with their old password.

    Example: synthesist users enable aoife
    """
    with open_project(project, actor) as ws:
        user = service.enable_user(ws, name)
    console.print(f"Enabled {user.name}: they can log in again.")


def users_name(
    name: Annotated[str, typer.Argument(help="The user (login).")],
    display_name: Annotated[str, typer.Argument(help='The name to show, e.g. "Aoife Brennan"; "" for none.')],
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Set the name pages and reports show for a user. When review.toml lists the person under this name
    (as the worked example lists "Aoife Brennan"), the login acts as that reviewer on the web.

    Example: synthesist users name aoife "Aoife Brennan"
    """
    with open_project(project, actor) as ws:
        user = service.set_display_name(ws, name, display_name)
    shown = f"now shown as {user.display_name}" if user.display_name else "now shown by the login"
    console.print(escape(f"{user.name} is {shown}."))


def register(app: typer.Typer) -> None:
    """Add the account commands to the ``users`` group."""
    app.command("add")(users_add)
    app.command("list")(users_list)
    app.command("passwd")(users_passwd)
    app.command("name")(users_name)
    app.command("disable")(users_disable)
    app.command("enable")(users_enable)
