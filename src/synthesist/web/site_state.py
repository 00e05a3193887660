"""A site's reviews as the web app finds them: by key from the site's registry, on demand.

``WebState.projects`` is a dict of open workspaces; for a site it is a :class:`SiteReviews`, which
opens a review the first time a request names it, so a review created in another process (or by
``synthesist site add``) is served without a restart, and a site with hundreds of reviews opens
only those in use. Nothing here is state correctness depends on: the registry is in the database,
and an opened workspace is a connection pool and the parsed review.toml."""

from __future__ import annotations

import threading
from typing import Any

from synthesist.review.site import Site
from synthesist.services.site import open_site_review
from synthesist.web.state import WebState
from synthesist.workspace import SITE_LOG_KEY, Accounts, Workspace, open_accounts

__all__ = ["SiteReviews", "site_web_state"]


class SiteReviews(dict[str, Workspace]):
    """The open workspaces by key, filled from the registry as keys are asked for. ``items()`` gives
    the reviews opened so far (the home page asks the registry for a user's reviews instead)."""

    def __init__(self, accounts: Accounts) -> None:
        super().__init__()
        self.accounts = accounts
        self._lock = threading.Lock()

    @property
    def site(self) -> Site:
        assert self.accounts.site is not None
        return self.accounts.site

    def _open(self, key: str) -> Workspace | None:
        found = super().get(key)
        if found is not None or key == SITE_LOG_KEY:
            return found
        with self._lock:  # two first requests for one review open it once
            found = super().get(key)
            if found is None:
                found = open_site_review(self.accounts, key)
                if found is not None:
                    super().__setitem__(key, found)
        return found

    def get(self, key: str, default: Any = None, /) -> Any:
        found = self._open(key)
        return default if found is None else found

    def __getitem__(self, key: str) -> Workspace:
        found = self._open(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._open(key) is not None

    def close(self) -> None:
        with self._lock:
            for workspace in self.values():
                workspace.close()
            self.clear()
        self.accounts.close()


def site_web_state(site: Site, *, secure_cookies: bool = False) -> WebState:
    """The state of an app serving every review of ``site`` (its accounts opened here)."""
    accounts = open_accounts(site, "web")
    return WebState(projects=SiteReviews(accounts), accounts=accounts, secure_cookies=secure_cookies)
