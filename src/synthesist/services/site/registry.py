"""The site's registry of reviews and its administrators."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from synthesist.errors import Conflict, NotFound, UserError
from synthesist.events import SiteAdminSet
from synthesist.review.accounts import Role
from synthesist.review.hosting import HostedReview
from synthesist.review.project import find_project
from synthesist.review.site import Site, new_site_files
from synthesist.workspace import Accounts, Workspace, open_accounts, open_workspace

__all__ = [
    "MemberReview",
    "init_site",
    "is_site_admin",
    "list_reviews",
    "open_site_review",
    "reviews_of",
    "set_site_admin",
]


def site_of(accounts: Accounts) -> Site:
    if accounts.site is None:
        raise UserError(
            "this is a review on its own, not a site",
            hint="Create a site with `synthesist site init DIR` and add the review: synthesist site add DIR",
        )
    return accounts.site


def init_site(folder: Path, name: str | None = None, database_url: str | None = None) -> Site:
    """Write ``site.toml`` and ``reviews/``, and create the site's database (accounts, registry)."""
    site = new_site_files(folder, name, database_url)
    try:
        open_accounts(site).close()
    except BaseException:
        site.settings_path.unlink(missing_ok=True)
        raise
    return site


def list_reviews(accounts: Accounts) -> list[HostedReview]:
    """Every review the site hosts, oldest first, with its member count and owners."""
    with accounts.unit_of_work(write=False) as uow:
        return uow.site.reviews()


@dataclass(frozen=True)
class MemberReview:
    """A review on the signed-in user's home page."""

    key: str
    role: Role


def reviews_of(accounts: Accounts, login: str) -> list[MemberReview]:
    """The reviews ``login`` is a member of, in this database (the site's, or a review's own)."""
    with accounts.unit_of_work(write=False) as uow:
        user = uow.users.find(login)
        found = [] if user is None else uow.users.memberships_of(user.id)
    return [MemberReview(membership.project_key, Role(membership.role)) for membership in found]


def is_site_admin(accounts: Accounts, login: str) -> bool:
    with accounts.unit_of_work(write=False) as uow:
        return uow.site.is_admin(login)


def set_site_admin(accounts: Accounts, login: str, admin: bool = True) -> None:
    """Make ``login`` a site administrator (or no longer one); logged in the site's log."""
    with accounts.unit_of_work() as uow:
        uow.users.get(login)  # names the missing user
        if uow.site.is_admin(login) == admin:
            state = "is a site administrator already" if admin else "is not a site administrator"
            raise Conflict(
                f"{login} {state}", hint="`synthesist site list --site DIR` shows the administrators."
            )
        uow.site.set_admin(login, admin)
        uow.events.append(SiteAdminSet(login, admin), accounts.actor)
        uow.commit()


def site_admins(accounts: Accounts) -> list[str]:
    with accounts.unit_of_work(write=False) as uow:
        return uow.site.admins()


def open_site_review(accounts: Accounts, key: str, actor: str | None = None) -> Workspace | None:
    """The review ``key`` of the site, opened with the site's accounts; ``None`` when the registry has
    no such review (or its folder is gone)."""
    site = site_of(accounts)
    with accounts.unit_of_work(write=False) as uow:
        folder = uow.site.review_folder(key)
    if folder is None:
        return None
    root = site.root / folder
    try:
        project = find_project(root)
    except UserError:
        return None
    if project.key != key:
        raise NotFound(
            f"{root}/review.toml names project {project.key!r}, and the site's registry {key!r}",
            hint="Put back the project_id the review was registered with.",
        )
    return open_workspace(project, actor or accounts.actor, site_accounts=accounts.storage)
