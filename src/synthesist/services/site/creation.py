"""Creating a review on a site (the web's "New review"): blank, from the worked example's protocol, or
from an uploaded ``review.toml``; its folder under ``SITE/reviews/<key>/``, its rows, its creator
its owner."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from synthesist.errors import Forbidden, ProtocolError, UserError
from synthesist.events import ProjectCreated, SiteReviewCreated
from synthesist.review.accounts import Role
from synthesist.review.project import PROTOCOL_FILE, Project, find_project, new_project_files
from synthesist.review.site import Site
from synthesist.services.accounts.users import add_member
from synthesist.services.site.registry import is_site_admin, site_of
from synthesist.workspace import Accounts, open_workspace

__all__ = ["ORIGINS", "NewReview", "create_review", "may_create_reviews", "protocol_for_site"]

ORIGINS = ("blank", "example", "upload")
# a review.toml is a few kilobytes (the worked example's about 20); the web app refuses any body over
# 64 KiB outside a review before reading it (web/body_limit.py)
MAX_PROTOCOL_BYTES = 60_000


@dataclass(frozen=True)
class NewReview:
    title: str
    origin: str = "blank"  # one of ORIGINS
    protocol_text: str | None = None  # the uploaded review.toml (origin "upload")


def may_create_reviews(accounts: Accounts, login: str) -> bool:
    """Whether ``login`` may create a review here: anyone signed in when site.toml allows new
    reviews, else site administrators only."""
    site = accounts.site
    if site is None:
        return False
    return site.allow_new_reviews or is_site_admin(accounts, login)


def create_review(accounts: Accounts, creator: str, request: NewReview) -> Project:
    """Create the review and make ``creator`` its owner. A failure leaves no folder behind. Errors
    name the problem as the CLI does (an uploaded review.toml's by line)."""
    site = site_of(accounts)
    if not may_create_reviews(accounts, creator):
        raise Forbidden(
            "only site administrators create reviews on this site",
            hint="Ask an administrator, or set allow_new_reviews = true in site.toml.",
        )
    if request.origin not in ORIGINS:
        raise UserError(
            f"{request.origin!r} is not a way to start a review", hint=f"Use one of: {', '.join(ORIGINS)}."
        )
    title = " ".join(request.title.split())
    if request.origin != "upload" and not title:
        raise ProtocolError(
            "the review needs a title", hint="Give it a title, e.g. “Exercise for knee pain”."
        )
    site.reviews_folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".new-review-", dir=site.reviews_folder) as scratch:
        staging = Path(scratch) / "review"
        _write_protocol(staging, title or None, request)
        protocol_for_site(staging, site)
        key = find_project(staging).key
        folder = site.review_folder(key)
        if folder.exists():  # the key ends in random hex: this is all but impossible
            raise UserError(f"{folder} exists already", hint="Try again: a new review gets a new key.")
        staging.rename(folder)
    try:
        project = find_project(folder)
        workspace = open_workspace(project, creator, create=True, site_accounts=accounts.storage)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    try:
        with workspace.unit_of_work() as uow:
            uow.events.append(ProjectCreated(title=project.title, project_id=project.key), creator)
            uow.commit()
        add_member(workspace, creator, Role.OWNER)
    finally:
        workspace.close()
    relative = folder.relative_to(site.root).as_posix()
    with accounts.unit_of_work() as uow:
        uow.events.append(SiteReviewCreated(project.key, project.title, relative, request.origin), creator)
        uow.commit()
    return project


def _write_protocol(folder: Path, title: str | None, request: NewReview) -> None:
    if request.origin == "blank":
        new_project_files(folder, title)
        return
    if request.origin == "example":
        from synthesist.demo import data_text

        text = _without_people(data_text("review.toml"))
    else:
        text = request.protocol_text or ""
        if not text.strip():
            raise ProtocolError(
                "choose a review.toml file to upload", hint="Or start blank and edit the protocol."
            )
        if len(text.encode()) > MAX_PROTOCOL_BYTES:
            raise ProtocolError(
                f"that file is too large to be a review.toml (over {MAX_PROTOCOL_BYTES // 1000} kB)"
            )
    source = folder.parent / "uploaded" / PROTOCOL_FILE  # so that errors name "review.toml:LINE"
    source.parent.mkdir()
    source.write_text(text, encoding="utf-8")
    # validated by the CLI's own parser (`synthesist init --protocol`): the same messages, by line
    new_project_files(folder, title, protocol_from=source)


def _without_people(text: str) -> str:
    """The worked example's protocol with its (illustrative) reviewers' lists emptied: a new review's
    owner names its own team."""
    import tomlkit

    document = tomlkit.parse(text)
    for path in (
        ("screening", "title_abstract"),
        ("screening", "full_text"),
        ("extraction",),
        ("appraisal",),
    ):
        table: object = document
        for part in path:
            table = table.get(part) if isinstance(table, dict) else None
        if isinstance(table, dict) and "reviewers" in table:
            table["reviewers"] = []
    return tomlkit.dumps(document)


def protocol_for_site(folder: Path, site: Site) -> None:
    """Point the review's ``database_url`` where the site keeps reviews: the site's database on
    PostgreSQL, ``review.db`` in the folder on SQLite (whatever the uploaded file said)."""
    import tomlkit

    path = folder / PROTOCOL_FILE
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    if site.shares_review_database:
        document["database_url"] = site.database_url
    elif "database_url" in document:
        del document["database_url"]
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
