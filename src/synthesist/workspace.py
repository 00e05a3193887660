"""The composition root: a project on disk bound to its storage and the person acting.

CLI and web app both start here; services receive a :class:`Workspace` and use its unit of work.
This is the one place outside ``storage/`` that knows storage exists (it wires, it does not query).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from synthesist.ports import UnitOfWork
from synthesist.review.project import Project, find_project
from synthesist.review.site import Site, find_site
from synthesist.storage import Storage, open_storage

__all__ = [
    "ACTOR_ENV",
    "SITE_LOG_KEY",
    "Accounts",
    "Workspace",
    "current_actor",
    "open_accounts",
    "open_workspace",
    "restore_database",
    "workspace",
]

ACTOR_ENV = "SYNTHESIST_USER"


def current_actor(explicit: str | None = None) -> str:
    """Who is acting: ``--as NAME``, ``SYNTHESIST_USER``, else the operating-system user."""
    if explicit:
        return explicit
    name = os.environ.get(ACTOR_ENV)
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass
class Accounts:
    """Where users, sessions, memberships, invitations and jobs live: the project's own database for a
    review on its own, the site's database for a review a site hosts (``storage`` is then bound to
    the review's registry row there, or to no project for the site as a whole)."""

    storage: Storage
    actor: str
    site: Site | None = None

    def unit_of_work(self, *, write: bool = True) -> UnitOfWork:
        return self.storage.unit_of_work(write=write)

    def close(self) -> None:
        self.storage.close()


@dataclass
class Workspace:
    project: Project
    storage: Storage
    actor: str
    # None: the accounts live in the project's own database (a review no site hosts)
    accounts_storage: Storage | None = None
    site: Site | None = None

    def unit_of_work(self, *, write: bool = True) -> UnitOfWork:
        return self.storage.unit_of_work(write=write)

    @property
    def accounts(self) -> Accounts:
        return Accounts(self.accounts_storage or self.storage, self.actor, self.site)

    def acting_as(self, actor: str) -> Workspace:
        """The same project and databases, with another person acting (the web app's member)."""
        return Workspace(self.project, self.storage, actor, self.accounts_storage, self.site)

    def close(self) -> None:
        self.storage.close()
        if self.accounts_storage is not None:
            self.accounts_storage.close()


def open_workspace(
    project: Project,
    actor: str | None = None,
    *,
    create: bool = False,
    site_accounts: Storage | None = None,
) -> Workspace:
    """Open the project's database and, for a review a site hosts, the site's accounts
    (``site_accounts``: the site's storage already open, as the web app holds it)."""
    storage = open_storage(project.database_url, project_key=project.key, title=project.title, create=create)
    try:
        site = find_site(project.root)
        accounts = None if site is None else _site_accounts(site, project, storage, site_accounts)
    except BaseException:
        storage.close()
        raise
    return Workspace(project, storage, current_actor(actor), accounts_storage=accounts, site=site)


def _site_accounts(site: Site, project: Project, storage: Storage, opened: Storage | None) -> Storage:
    """The site's accounts database seen from the review's registry row (made on first use)."""
    root = project.root
    folder = str(root.relative_to(site.root)) if root.is_relative_to(site.root) else str(root)
    if opened is None and site.database_url == project.database_url:
        opened = storage  # PostgreSQL: the review lives in the site's database
    if opened is not None:
        return opened.bound_to(project.key, project.title, folder=folder)
    own = open_storage(site.database_url, project_key=None)  # only bound to the review below
    try:
        bound = own.bound_to(project.key, project.title, folder=folder)
    except BaseException:
        own.close()
        raise
    bound.owns_engine = True  # the only holder of the engine just opened
    return bound


# The site's own row in its projects table: the log of what is done to the site as a whole (users
# added, reviews created); never listed as a review.
SITE_LOG_KEY = "__site__"


def open_accounts(site: Site, actor: str | None = None) -> Accounts:
    """A site's accounts as a whole (users, sessions, the registry of its reviews); events of the site
    as a whole go to its own log (:data:`SITE_LOG_KEY`)."""
    storage = open_storage(
        site.database_url, project_key=SITE_LOG_KEY, title=f"{site.name} (the site)", create=True
    )
    return Accounts(storage, current_actor(actor), site)


@contextmanager
def workspace(
    project_dir: str | os.PathLike[str] | None = None, actor: str | None = None
) -> Iterator[Workspace]:
    """Find the project (from ``project_dir`` or the current folder up) and open it; closed on leaving."""
    opened = open_workspace(find_project(Path(project_dir) if project_dir is not None else None), actor)
    try:
        yield opened
    finally:
        opened.close()


def restore_database(url: str, snapshot: Path, kind: str) -> None:
    """Put a database snapshot back where ``url`` points (see :mod:`synthesist.storage.snapshots`)."""
    from synthesist.storage.snapshots import restore_snapshot

    restore_snapshot(url, snapshot, kind)
