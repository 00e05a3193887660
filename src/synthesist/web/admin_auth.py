"""The site administrators' pages' access check: signed in, and ``users.site_admin`` set.

Anyone else gets 403 (the administrators' pages are no secret, unlike a review's existence, so a
plain refusal says more than a 404); a POST is checked for the CSRF token after that."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from synthesist.errors import Forbidden
from synthesist.services.site import is_site_admin
from synthesist.web.auth import Session, web_state
from synthesist.web.security import check_csrf, submitted_token

__all__ = ["AdminAccess", "SiteAdmin"]


@dataclass(frozen=True)
class AdminAccess:
    user: str
    csrf_token: str


async def _site_admin(request: Request, session: Session) -> AdminAccess:
    state = web_state(request)
    if not is_site_admin(state.accounts, session.user):
        raise Forbidden(
            "only site administrators may open this page",
            hint="An administrator can make you one: synthesist site admin LOGIN --site DIR",
        )
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        check_csrf(session.csrf_token, await submitted_token(request))
    return AdminAccess(session.user, session.csrf_token)


SiteAdmin = Annotated[AdminAccess, Depends(_site_admin)]
