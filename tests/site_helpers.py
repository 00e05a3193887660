"""A site for the tests: SQLite (site.db, a review.db per review) or PostgreSQL (one database for the
accounts and every review: the ``database_url`` fixture's, which SYNTHESIST_DATABASE_URL names)."""

from __future__ import annotations

from pathlib import Path

from synthesist.review.accounts import Role
from synthesist.services.accounts.users import add_member, add_user
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.site import NewReview, create_review, init_site, open_site_review, set_site_admin
from synthesist.workspace import Accounts, open_accounts
from tests.helpers import ris_text

PASSWORD = "correct horse battery"


def make_site(folder: Path, database_url: str | None, *, allow_new_reviews: bool = True) -> Accounts:
    site = init_site(folder, "Evidence Unit", database_url)
    if not allow_new_reviews:
        text = site.settings_path.read_text(encoding="utf-8")
        site.settings_path.write_text(
            text.replace("allow_new_reviews = true", "allow_new_reviews = false"), encoding="utf-8"
        )
        from synthesist.review.site import load_site

        site = load_site(folder)
    return open_accounts(site, "tester")


def populate(accounts: Accounts) -> tuple[str, str]:
    """Users olwen (site admin), aoife and lukasz; two reviews: A (olwen owner, aoife reviewer, 12
    records) and B (lukasz owner). Returns the two keys."""
    for name in ("olwen", "aoife", "lukasz"):
        add_user(accounts, name, PASSWORD, display_name=name.title())
    set_site_admin(accounts, "olwen")
    a = create_review(accounts, "olwen", NewReview("Exercise for knee pain"))
    b = create_review(accounts, "lukasz", NewReview("Yoga for back pain", "example"))
    workspace = open_site_review(accounts, a.key, "olwen")
    assert workspace is not None
    try:
        add_member(workspace, "aoife", Role.REVIEWER)
        export = workspace.project.root / "records.ris"
        export.write_text(ris_text(12), encoding="utf-8")
        import_files(workspace, ImportRequest(paths=[export], source="MEDLINE"))
    finally:
        workspace.close()
    return a.key, b.key
