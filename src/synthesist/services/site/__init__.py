"""A site that hosts many reviews: its registry, creating reviews in it, bringing existing review
folders in, its administrators, and backing the whole site up.

The site's own database (``Accounts`` from :func:`synthesist.workspace.open_accounts`) holds the
accounts and a registry row per review; each review keeps its folder under ``SITE/reviews/<key>/``
and its records in its own ``review.db`` (SQLite) or in the site's database (PostgreSQL)."""

from __future__ import annotations

from synthesist.services.site.adding import AddedReview, add_review
from synthesist.services.site.creation import ORIGINS, NewReview, create_review, may_create_reviews
from synthesist.services.site.registry import (
    MemberReview,
    init_site,
    is_site_admin,
    list_reviews,
    open_site_review,
    reviews_of,
    set_site_admin,
)

__all__ = [
    "ORIGINS",
    "AddedReview",
    "MemberReview",
    "NewReview",
    "add_review",
    "create_review",
    "init_site",
    "is_site_admin",
    "list_reviews",
    "may_create_reviews",
    "open_site_review",
    "reviews_of",
    "set_site_admin",
]
