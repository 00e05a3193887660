"""``synthesist site add``: bring an existing review folder into a site.

The folder moves to ``SITE/reviews/<key>/`` (with its ``review.db`` on SQLite; a review whose
database is the site's PostgreSQL stays there), the review is registered, and the accounts and
memberships of its own database are copied into the site's: merged by login, the site's account
kept when both have one (reported as a clash: that person logs in with the site's password)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from synthesist.errors import Conflict, UserError
from synthesist.events import MemberAdded, SiteReviewAdded
from synthesist.review.hosting import AccountCopy, MembershipCopy
from synthesist.review.project import Project, find_project
from synthesist.review.site import find_site
from synthesist.services.site.registry import site_of
from synthesist.workspace import Accounts, open_workspace

__all__ = ["AddedReview", "add_review"]


@dataclass(frozen=True)
class AddedReview:
    key: str
    title: str
    folder: Path  # where it is now
    moved_from: Path
    users_copied: list[str]
    clashes: list[str]  # logins the site had already: the site's account was kept
    memberships: int
    database_stayed: bool  # its database is the site's (PostgreSQL): nothing to move


def add_review(accounts: Accounts, project_dir: Path) -> AddedReview:
    site = site_of(accounts)
    project = find_project(project_dir)
    origin = project.root
    already = find_site(origin)
    if already is not None:
        raise Conflict(
            f"{origin} is already a review of the site {already.root}",
            hint=f"Serve it with: synthesist serve --site {already.root}",
        )
    target = site.review_folder(project.key)
    if target.exists():
        raise Conflict(
            f"{target} exists already", hint="A review with this project_id is on the site already."
        )
    with accounts.unit_of_work(write=False) as uow:
        if uow.site.review_folder(project.key) is not None:
            raise Conflict(f"the site already has a review {project.key!r}")
    shared = project.database_url == site.database_url
    accounts_found, memberships = ([], []) if shared else _own_accounts(project_dir)
    _check_movable(project)
    site.reviews_folder.mkdir(parents=True, exist_ok=True)
    shutil.move(str(origin), str(target))
    try:
        moved = find_project(target)
        workspace = open_workspace(moved, accounts.actor, site_accounts=accounts.storage)
    except BaseException:
        shutil.move(str(target), str(origin))  # put it back as it was
        raise
    try:
        copied, clashes = _merge_accounts(accounts, accounts_found)
        with workspace.accounts.unit_of_work() as uow:
            for member in memberships:
                user = uow.users.get(member.user)
                previous = next((m.role for m in uow.users.members() if m.user == member.user), None)
                if previous is None:
                    uow.users.set_member(user.id, member.role, by=member.added_by)
                    uow.events.append(MemberAdded(member.user, member.role), accounts.actor)
            uow.commit()
    finally:
        workspace.close()
    relative = target.relative_to(site.root).as_posix()
    with accounts.unit_of_work() as uow:
        uow.events.append(
            SiteReviewAdded(moved.key, moved.title, relative, str(origin), copied, clashes), accounts.actor
        )
        uow.commit()
    return AddedReview(moved.key, moved.title, target, origin, copied, clashes, len(memberships), shared)


def _own_accounts(project_dir: Path) -> tuple[list[AccountCopy], list[MembershipCopy]]:
    """The accounts and memberships the review kept in its own database before it joined a site."""
    workspace = open_workspace(find_project(project_dir))
    try:
        with workspace.unit_of_work(write=False) as uow:
            return uow.site.accounts(), uow.site.memberships()
    finally:
        workspace.close()


def _check_movable(project: Project) -> None:
    """A SQLite review must keep its database inside the folder that moves, named relatively (the
    default: review.db beside review.toml), or the moved review would point back at the old place."""
    configured = project.protocol.database_url
    prefix = "sqlite:///"
    if not project.database_url.startswith(prefix) or configured is None:
        return
    if configured.startswith(prefix + "/"):
        raise UserError(
            f"{project.protocol_path}: database_url {configured!r} names a SQLite file by its full path",
            hint="Move the file into the review's folder and write database_url relatively "
            '(database_url = "sqlite:///review.db"), or remove the line to use review.db.',
        )


def _merge_accounts(accounts: Accounts, found: list[AccountCopy]) -> tuple[list[str], list[str]]:
    copied: list[str] = []
    clashes: list[str] = []
    with accounts.unit_of_work() as uow:
        for account in found:
            existing = uow.users.find(account.name)
            if existing is None:
                uow.site.copy_account(account)
                copied.append(account.name)
            elif existing.password_hash != account.password_hash:
                clashes.append(account.name)
        uow.commit()
    return copied, clashes
