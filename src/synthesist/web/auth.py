"""Who is asking, and what they may do: FastAPI dependencies for the session, the CSRF check and a
project role.

A project URL answers 404 to anyone who is not a member, exactly as for a project that does not
exist, so the app never confirms that a project is there. A member whose role does not allow an
action gets 403. Every POST is checked for the session's CSRF token after membership, so a
non-member learns nothing from the token check either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from synthesist.errors import Forbidden, LoginRequired, NotFound
from synthesist.review.accounts import Role, WebSession
from synthesist.services.accounts.sessions import find_member_session, find_session
from synthesist.services.accounts.users import member_identity
from synthesist.services.protocol_edit.reload import current_project
from synthesist.web.security import SESSION_COOKIE, check_csrf, submitted_token
from synthesist.web.state import WebState
from synthesist.workspace import Workspace

__all__ = [
    "Access",
    "Member",
    "Owner",
    "Reviewer",
    "Session",
    "SessionPost",
    "web_state",
]


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def current_session(request: Request) -> WebSession:
    found = find_session(web_state(request).accounts, request.cookies.get(SESSION_COOKIE))
    if found is None:
        raise LoginRequired("log in to continue")
    return found


Session = Annotated[WebSession, Depends(current_session)]


async def _csrf_checked(request: Request, session: Session) -> WebSession:
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        check_csrf(session.csrf_token, await submitted_token(request))
    return session


SessionPost = Annotated[WebSession, Depends(_csrf_checked)]


@dataclass(frozen=True)
class Access:
    """A member's request in one project: a workspace whose actor is the member, so every event
    the services write names the person logged in."""

    workspace: Workspace
    user: str  # the login
    role: Role
    csrf_token: str
    # the name the member's decisions, answers and codings are recorded under: the protocol's spelling
    # when it lists them by login or display name, else the display name, else the login
    reviewer: str


async def _member(key: str, request: Request) -> Access:
    served = web_state(request).projects.get(key)
    if served is None:
        current_session(request)  # signed out: log in first (then the same answer as "not yours")
        raise NotFound("there is no such page")
    # the session and the membership in one query: every page of a review asks
    found = find_member_session(served, request.cookies.get(SESSION_COOKIE))
    if found is None:
        raise LoginRequired("log in to continue")
    session, identity = found
    if identity is None:
        raise NotFound("there is no such page")  # the same answer for "no project" and "not yours"
    read = served.project
    # review.toml as it is now (another process, the CLI or an editor may have changed it); only a
    # member gets this far, so only a member reads what is wrong with a file broken by hand
    if current_project(served) is not read:
        identity = member_identity(served, session.user) or identity  # the lists may name them anew
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        check_csrf(session.csrf_token, await submitted_token(request))
    role, reviewer = identity
    acting = served.acting_as(session.user)
    return Access(acting, session.user, role, session.csrf_token, reviewer)


def _reviewer(access: Annotated[Access, Depends(_member)]) -> Access:
    if not access.role.can_screen():
        raise Forbidden(
            f"a {access.role.value} can only read this project",
            hint="An owner can make you a reviewer: synthesist members add PROJECT USER --role reviewer.",
        )
    return access


def _owner(access: Annotated[Access, Depends(_member)]) -> Access:
    if not access.role.can_resolve():
        raise Forbidden("only an owner of the project can record a consensus")
    return access


Member = Annotated[Access, Depends(_member)]
Reviewer = Annotated[Access, Depends(_reviewer)]
Owner = Annotated[Access, Depends(_owner)]
