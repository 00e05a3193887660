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
from synthesist.workspace import Workspace

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


Email = Annotated[
    str | None,
    typer.Option("--email", help="Where invitations and password-reset links may be sent."),
]
BaseUrl = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        help="The address the web app is served at, for the links printed (default: the site's "
        "public_url, else http://127.0.0.1:8000).",
        show_default=False,
    ),
]


def users_add(
    name: Annotated[str, typer.Argument(help="The user name people log in with.")],
    password_stdin: PasswordStdin = False,
    display_name: DisplayName = None,
    email: Email = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Add a user (asks for the password twice unless --password-stdin).

    Example: synthesist users add aoife --display-name "Aoife Brennan" --email aoife@example.org
    """
    password = _read_password(password_stdin)
    with open_project(project, actor) as ws:
        user = service.add_user(ws, name, password, display_name=display_name, email=email)
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
                    "email": u.email,
                    "site_admin": u.site_admin,
                }
                for u in found
            ]
        )
        return
    table = Table("User", "Shown as", "E-mail", "Created", "Disabled")
    for user in found:
        table.add_row(
            escape(user.name),
            escape(user.display_name or ""),
            escape(user.email or ""),
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


def users_email(
    name: Annotated[str, typer.Argument(help="The user (login).")],
    address: Annotated[str, typer.Argument(help='The e-mail address; "" to clear it.')],
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Set the e-mail address invitations and password-reset links may be sent to.

    Example: synthesist users email aoife aoife.brennan@example.org
    """
    with open_project(project, actor) as ws:
        user = service.set_email(ws, name, address)
    console.print(
        escape(
            f"{user.name}'s e-mail address is {user.email}."
            if user.email
            else f"Cleared {name}'s e-mail address."
        )
    )


def _base_url(ws: Workspace, given: str | None) -> str:
    if given:
        return given.rstrip("/")
    if ws.site is not None and ws.site.public_url:
        return ws.site.public_url
    return "http://127.0.0.1:8000"


def users_reset_link(
    name: Annotated[str, typer.Argument(help="The user (login) who sets a new password.")],
    base_url: BaseUrl = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Make a single-use link (valid one day) for a user to set a new password in the browser.

    Example: synthesist users reset-link aoife.brennan --base-url https://reviews.example.org
    """
    from synthesist.services.accounts.invitations import password_reset_link

    with open_project(project, actor) as ws:
        link = password_reset_link(ws, name)
        url = link.url(_base_url(ws, base_url))
    console.print(escape(f"{name} can set a password at (once, until {link.expires_at:%Y-%m-%d %H:%M} UTC):"))
    typer.echo(url)


def users_from_protocol(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be done; change nothing.")
    ] = False,
    base_url: BaseUrl = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Make the people review.toml names accounts: each reviewer without a matching account (by login or
    display name) gets one (login "aoife.brennan" for "Aoife Brennan", display name as written, no
    password: a reset link is printed to set one), and everyone named becomes a reviewer unless a member
    already. Decisions, codings and events keep their authors: accounts act under the protocol's names.

    Example: synthesist users from-protocol --dry-run
    """
    from synthesist.services.accounts.from_protocol import accounts_from_protocol

    with open_project(project, actor) as ws:
        found = accounts_from_protocol(ws, dry_run=dry_run)
        base = _base_url(ws, base_url)
    if not found:
        console.print("review.toml names no reviewers: nothing to do.")
        return
    table = Table("Name in review.toml", "Login", "Account", "Member")
    for person in found:
        table.add_row(
            escape(person.name),
            escape(person.login),
            "new" if person.created else "existing",
            "made a reviewer" if person.made_member else "already",
        )
    console.print(table)
    if dry_run:
        console.print("Nothing was changed (--dry-run).")
        return
    links = [person for person in found if person.reset_link is not None]
    if links:
        console.print("Send each their link to set a password (it works once, for one day):")
    for person in links:
        assert person.reset_link is not None
        typer.echo(f"{person.login}: {person.reset_link.url(base)}")


def register(app: typer.Typer) -> None:
    """Add the account commands to the ``users`` group."""
    app.command("add")(users_add)
    app.command("list")(users_list)
    app.command("passwd")(users_passwd)
    app.command("name")(users_name)
    app.command("email")(users_email)
    app.command("reset-link")(users_reset_link)
    app.command("from-protocol")(users_from_protocol)
    app.command("disable")(users_disable)
    app.command("enable")(users_enable)
