"""``synthesist site init|add|list|admin``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from synthesist.cli.common import ActorOption, JsonOption, console, print_json
from synthesist.review.site import load_site
from synthesist.wording import plural
from synthesist.workspace import Accounts, open_accounts

__all__ = ["SiteOption", "open_site", "register"]

SiteOption = Annotated[
    Path,
    typer.Option(
        "--site",
        envvar="SYNTHESIST_SITE",
        help="The site's folder (the one holding site.toml).",
        show_default=False,
    ),
]


@contextmanager
def open_site(folder: Path, actor: str | None = None) -> Iterator[Accounts]:
    accounts = open_accounts(load_site(folder.expanduser()), actor)
    try:
        yield accounts
    finally:
        accounts.close()


def site_init(
    folder: Annotated[Path, typer.Argument(help="A new (or empty) folder for the site.")],
    name: Annotated[
        str | None, typer.Option("--name", help="The site's name (default: the folder's).")
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="A PostgreSQL database for the accounts and every review (default: site.db here, SQLite).",
        ),
    ] = None,
) -> None:
    """Create a site: site.toml (its settings, commented), reviews/, and its database.

    Example: synthesist site init /srv/synthesist --name "Evidence Unit"
    """
    from synthesist.services.site import init_site

    site = init_site(folder, name, database_url)
    console.print(
        f"Created the site {escape(site.name)} in {site.root} (settings: {site.settings_path}).\n"
        f"Make its first administrator (an account is created): synthesist site admin LOGIN --site {folder}\n"
        f"Serve it: synthesist serve --site {folder}"
    )


def site_add(
    project_dir: Annotated[Path, typer.Argument(help="The review's folder (the one holding review.toml).")],
    site: SiteOption,
    actor: ActorOption = None,
) -> None:
    """Move an existing review into the site (to SITE/reviews/KEY/) and copy its accounts and
    memberships into the site's, merged by login.

    Example: synthesist site add ~/reviews/back-pain --site /srv/synthesist
    """
    from synthesist.services.site import add_review

    with open_site(site, actor) as accounts:
        added = add_review(accounts, project_dir)
    console.print(f"Moved {escape(added.title)} from {added.moved_from} to {added.folder}.")
    if added.database_stayed:
        console.print("Its database is the site's (PostgreSQL): its rows stay where they are.")
    copied = ", ".join(added.users_copied) or "none"
    console.print(
        f"Copied {plural(len(added.users_copied), 'account')} ({escape(copied)}) and "
        f"{plural(added.memberships, 'membership')} into the site's accounts."
    )
    for login in added.clashes:
        console.print(
            f"[yellow]{escape(login)}[/]: the site has an account with this login already; it was kept, "
            "so they log in with the site's password."
        )
    console.print(f"Work on it as before with --project {added.folder}.")


def site_list(site: SiteOption, json_output: JsonOption = False) -> None:
    """List the site's reviews with their members and owners, and its administrators.

    Example: synthesist site list --site /srv/synthesist
    """
    from synthesist.services.site import list_reviews
    from synthesist.services.site.registry import site_admins

    with open_site(site) as accounts:
        reviews = list_reviews(accounts)
        admins = site_admins(accounts)
    if json_output:
        print_json(
            {
                "reviews": [
                    {
                        "key": r.key,
                        "title": r.title,
                        "folder": r.folder,
                        "created_at": r.created_at.isoformat(timespec="seconds"),
                        "members": r.members,
                        "owners": list(r.owners),
                    }
                    for r in reviews
                ],
                "administrators": admins,
            }
        )
        return
    table = Table("Review", "Title", "Members", "Owners", "Created")
    for review in reviews:
        table.add_row(
            escape(review.key),
            escape(review.title),
            str(review.members),
            escape(", ".join(review.owners)),
            f"{review.created_at:%Y-%m-%d}",
        )
    console.print(table if reviews else "No reviews yet: add one with `synthesist site add DIR --site ...`.")
    console.print(f"Administrators: {escape(', '.join(admins)) if admins else 'none'}")


def site_admin(
    login: Annotated[str, typer.Argument(help="The account's login.")],
    site: SiteOption,
    remove: Annotated[bool, typer.Option("--remove", help="Take the administrator's rights away.")] = False,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin", help="A new account: read its password from the first line of standard input."
        ),
    ] = False,
    display_name: Annotated[
        str | None, typer.Option("--display-name", help="A new account: the name pages show.")
    ] = None,
    actor: ActorOption = None,
) -> None:
    """Make an account a site administrator: the pages for users, reviews and jobs of the site. A login
    with no account yet gets one (the password asked twice, or --password-stdin): the site's first
    administrator starts so.

    Example: synthesist site admin olwen --site /srv/synthesist
    """
    from synthesist.cli.users.users import _read_password
    from synthesist.services.accounts.users import add_user, list_users
    from synthesist.services.site import set_site_admin

    with open_site(site, actor) as accounts:
        if not remove and login not in {user.name for user in list_users(accounts)}:
            add_user(accounts, login, _read_password(password_stdin), display_name=display_name)
            console.print(f"Added the account {escape(login)}.")
        set_site_admin(accounts, login, not remove)
    state = "is no longer" if remove else "is now"
    console.print(f"{escape(login)} {state} a site administrator.")


def register(app: typer.Typer) -> None:
    app.command("init")(site_init)
    app.command("add")(site_add)
    app.command("list")(site_list)
    app.command("admin")(site_admin)
