"""Events of a site as a whole: reviews created in the browser or brought in with ``site add``, and
administrators named. They go to the site's own log (``__site__`` in its database), the review's own
log recording its creation as always (``project.created``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from synthesist.events.base import Event, event_type
from synthesist.wording import plural

__all__ = ["SiteAdminSet", "SiteReviewAdded", "SiteReviewCreated"]


@event_type
@dataclass(frozen=True, slots=True)
class SiteReviewCreated(Event):
    """A review created on the site (``origin``: blank, example or upload), its creator its owner."""

    type: ClassVar[str] = "site.review_created"
    key: str
    title: str
    folder: str
    origin: str

    def summary(self) -> str:
        return f"created review {self.title!r} ({self.key}, {self.origin}) in {self.folder}"


@event_type
@dataclass(frozen=True, slots=True)
class SiteReviewAdded(Event):
    """An existing review folder moved into the site, its accounts copied into the site's (merged
    by login; ``clashes``: logins the site had already, whose site account was kept)."""

    type: ClassVar[str] = "site.review_added"
    key: str
    title: str
    folder: str
    moved_from: str
    users_copied: list[str] = field(default_factory=list)
    clashes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        kept = f"; kept the site's own {', '.join(self.clashes)}" if self.clashes else ""
        return (
            f"added review {self.title!r} ({self.key}) from {self.moved_from}, "
            f"copying {plural(len(self.users_copied), 'account')}{kept}"
        )


@event_type
@dataclass(frozen=True, slots=True)
class SiteAdminSet(Event):
    type: ClassVar[str] = "site.admin_set"
    user: str
    admin: bool

    def summary(self) -> str:
        return (
            f"made {self.user} a site administrator"
            if self.admin
            else f"{self.user} is no longer a site administrator"
        )
