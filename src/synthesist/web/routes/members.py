"""A review's members: who they are, their role and reviewer duties; owners change roles, remove
members and make invitation links (e-mailed when the site has SMTP, shown to copy in any case).

Under ``/p/{key}``, so a non-member gets 404 like everywhere else; a member who is not an owner may
read the list and gets 403 on every change."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from synthesist.errors import Forbidden
from synthesist.review.accounts import InvitationState
from synthesist.services.accounts.invitations import create_invitation, revoke_invitation
from synthesist.services.accounts.mail import invitation_message, send_link
from synthesist.services.accounts.users import add_member, parse_role, remove_member
from synthesist.services.web.pages_members import MembersPage, members_page
from synthesist.web.auth import Access, Member
from synthesist.web.render import render
from synthesist.wording import a_or_an

__all__ = ["link_base", "router"]

router = APIRouter(prefix="/p/{key}/members")


def link_base(request: Request, public_url: str | None) -> str:
    """The address links are made with: the site's public_url, else the one this request came to."""
    return public_url or str(request.base_url).rstrip("/")


def _manager(access: Access) -> Access:
    if not access.role.can_manage():
        raise Forbidden(
            "only an owner of the review can change its members or invite people",
            hint="Ask an owner (the members page lists them).",
        )
    return access


def _page(
    request: Request,
    access: Access,
    *,
    status_code: int = 200,
    view: MembersPage | None = None,
    **context: Any,
) -> HTMLResponse:
    if view is None:
        view = members_page(access.workspace, with_invitations=access.role.can_manage())
    return render(
        request,
        "members.html",
        status_code=status_code,
        user=access.user,
        reviewer=access.reviewer,
        csrf_token=access.csrf_token,
        role=access.role,
        project=access.workspace.project,
        view=view,
        **context,
    )


def _confirmation(view: MembersPage, done: str, user: str, invitation: int | None) -> str | None:
    """What the page says after a change redirected back to it (``?done=``), if the members and
    invitations shown still bear it out: an old or edited address confirms nothing."""
    member = next((m for m in view.members if m.login == user), None)
    if done == "removed" and user and member is None:
        return f"{user} was removed from the review. Everything they recorded stays in the log."
    if done == "role" and member is not None:
        return f"{member.shown} is now {a_or_an(member.role.value)} of this review."
    withdrawn = next((i for i in view.invitations if i.id == invitation), None)
    if done == "withdrawn" and withdrawn is not None and withdrawn.state(view.now) is InvitationState.REVOKED:
        return "Invitation withdrawn: its link no longer works."
    return None


def _back(access: Access, **done: str | int) -> Response:
    """Back to the members page, which confirms what was done (``done`` and what it was done to)."""
    return RedirectResponse(f"/p/{access.workspace.project.key}/members?{urlencode(done)}", status_code=303)


@router.get("", response_class=HTMLResponse)
def members(
    request: Request,
    access: Member,
    done: Annotated[str, Query()] = "",
    user: Annotated[str, Query()] = "",
    invitation: Annotated[int | None, Query()] = None,
) -> Response:
    view = members_page(access.workspace, with_invitations=access.role.can_manage())
    return _page(request, access, view=view, confirmed=_confirmation(view, done, user, invitation))


@router.post("/role")
def change_role(access: Member, user: Annotated[str, Form()], role: Annotated[str, Form()]) -> Response:
    _manager(access)
    add_member(access.workspace, user, parse_role(role))
    return _back(access, done="role", user=user)


@router.post("/remove")
def remove(access: Member, user: Annotated[str, Form()]) -> Response:
    _manager(access)
    if user == access.user:
        raise Forbidden("you cannot remove yourself", hint="Ask another owner to do it.")
    remove_member(access.workspace, user)
    return _back(access, done="removed", user=user)


@router.post("/invite", response_class=HTMLResponse)
def invite(
    request: Request,
    access: Member,
    role: Annotated[str, Form()] = "reviewer",
    email: Annotated[str, Form()] = "",
) -> Response:
    _manager(access)
    workspace = access.workspace
    made = create_invitation(workspace, role=parse_role(role), email=email or None, created_by=access.user)
    site = workspace.site
    url = made.url(link_base(request, site.public_url if site else None))
    subject, text = invitation_message(site.name if site else "Synthesist", made, url)
    mailed = send_link(site, made.email, subject, text)
    return _page(request, access, link=url, link_invitation=made, mailed=mailed)


@router.post("/revoke")
def revoke(access: Member, invitation_id: Annotated[int, Form()]) -> Response:
    _manager(access)
    revoke_invitation(access.workspace, invitation_id)
    return _back(access, done="withdrawn", invitation=invitation_id)
