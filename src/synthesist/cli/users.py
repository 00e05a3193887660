"""``synthesist users`` and ``synthesist members``: accounts for the web app and roles per project."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from synthesist.cli.common import ActorOption, JsonOption, ProjectOption, console, open_project, print_json
from synthesist.errors import UserError
from synthesist.services.accounts import users as service

__all__ = ["members_app", "users_app"]

users_app = typer.Typer(
    rich_markup_mode="markdown",
    help="Accounts for the web app (they live in the project's database).\n\n"
    "Example: synthesist users add aoife",
    no_args_is_help=True,
)
members_app = typer.Typer(
    rich_markup_mode="markdown",
    help="Who may open a project in the web app, and with which role.\n\n"
    "Example: synthesist members add . aoife --role reviewer",
    no_args_is_help=True,
)


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


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="The user name people log in with.")],
    password_stdin: PasswordStdin = False,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Add a user (asks for the password twice unless --password-stdin).

    Example: synthesist users add aoife
    """
    password = _read_password(password_stdin)
    with open_project(project, actor) as ws:
        user = service.add_user(ws, name, password)
    console.print(
        f"Added user {user.name}. Make them a member: synthesist members add . {user.name} --role reviewer"
    )


@users_app.command("list")
def users_list(project: ProjectOption = None, as_json: JsonOption = False) -> None:
    """List the users of the project's database.

    Example: synthesist users list
    """
    with open_project(project) as ws:
        found = service.list_users(ws)
    if as_json:
        print_json(
            [{"name": u.name, "created_at": u.created_at.isoformat(), "disabled": u.disabled} for u in found]
        )
        return
    table = Table("User", "Created", "Disabled")
    for user in found:
        table.add_row(user.name, f"{user.created_at:%Y-%m-%d}", "yes" if user.disabled else "")
    console.print(table)


@users_app.command("passwd")
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


@users_app.command("disable")
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


@users_app.command("enable")
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


ProjectArgument = Annotated[Path, typer.Argument(help="The project folder (with review.toml).")]


@members_app.command("add")
def members_add(
    project: ProjectArgument,
    user: Annotated[str, typer.Argument(help="An existing user (synthesist users add).")],
    role: Annotated[str, typer.Option("--role", help="owner, reviewer or viewer.")] = "reviewer",
    actor: ActorOption = None,
) -> None:
    """Give a user a role in a project (or change it).

    Example: synthesist members add . aoife --role reviewer
    """
    chosen = service.parse_role(role)
    with open_project(project, actor) as ws:
        member = service.add_member(ws, user, chosen)
    console.print(f"{member.user} now has the role {member.role} in {member.project_key}.")


@members_app.command("list")
def members_list(
    project: Annotated[Path | None, typer.Argument(help="The project folder (default: here).")] = None,
    as_json: JsonOption = False,
) -> None:
    """List a project's members and their roles.

    Example: synthesist members list .
    """
    with open_project(project) as ws:
        found = service.members(ws)
    if as_json:
        print_json([{"user": m.user, "role": m.role} for m in found])
        return
    table = Table("User", "Role")
    for member in found:
        table.add_row(member.user, member.role)
    console.print(table)


@members_app.command("remove")
def members_remove(
    project: ProjectArgument,
    user: Annotated[str, typer.Argument(help="The member to remove.")],
    actor: ActorOption = None,
) -> None:
    """Remove a user from a project (their decisions stay).

    Example: synthesist members remove . aoife
    """
    with open_project(project, actor) as ws:
        member = service.remove_member(ws, user)
    console.print(f"Removed {member.user} ({member.role}) from {member.project_key}.")
