"""Read models of the site's pages: the home page (the user's reviews), and the administrators'
landing page and list of every review."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from synthesist.review.hosting import HostedReview
from synthesist.services.site import is_site_admin, list_reviews, may_create_reviews, reviews_of
from synthesist.services.site.registry import site_admins
from synthesist.workspace import Accounts, Workspace

__all__ = ["AdminPage", "HomePage", "HomeReview", "admin_page", "home_page"]


@dataclass(frozen=True)
class HomeReview:
    key: str
    title: str
    role: str
    records: int


@dataclass(frozen=True)
class HomePage:
    reviews: list[HomeReview]
    site_name: str | None  # None: a review (or reviews sharing a database) served on its own
    may_create: bool
    is_admin: bool


def home_page(accounts: Accounts, served: Mapping[str, Workspace], login: str, *, site: bool) -> HomePage:
    """The reviews ``login`` is a member of among those served (on a site: every review of it)."""
    rows = []
    for membership in reviews_of(accounts, login):
        workspace = served.get(membership.key)
        if workspace is None:
            continue  # in the database, not served here (another folder on one PostgreSQL)
        with workspace.unit_of_work(write=False) as uow:
            records = uow.records.count()
        rows.append(HomeReview(membership.key, workspace.project.title, membership.role.value, records))
    rows.sort(key=lambda row: row.title.casefold())
    admin = is_site_admin(accounts, login)  # a review on its own may have administrators too
    if not site or accounts.site is None:
        return HomePage(rows, None, False, admin)
    return HomePage(rows, accounts.site.name, may_create_reviews(accounts, login), admin)


@dataclass(frozen=True)
class AdminPage:
    site_name: str
    reviews: list[HostedReview]
    administrators: list[str]
    allow_new_reviews: bool
    is_site: bool = True  # False: a review served on its own (no registry, no New review)


def admin_page(accounts: Accounts) -> AdminPage:
    """The administrators' view of the site (of a review served on its own: its accounts only)."""
    site = accounts.site
    if site is None:
        return AdminPage("this server", [], site_admins(accounts), False, is_site=False)
    return AdminPage(site.name, list_reviews(accounts), site_admins(accounts), site.allow_new_reviews)
