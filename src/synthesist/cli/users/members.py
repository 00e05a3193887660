"""``synthesist members add|list|remove``: who may open a project in the web app, and with which role."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from synthesist.cli.common import ActorOption, JsonOption, console, open_project, print_json
from synthesist.services.accounts import users as service

__all__ = ["register"]

ProjectArgument = Annotated[Path, typer.Argument(help="The project folder (with review.toml).")]


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


def register(app: typer.Typer) -> None:
    """Add the membership commands to the ``members`` group."""
    app.command("add")(members_add)
    app.command("list")(members_list)
    app.command("remove")(members_remove)
