"""A review's members: who they are, their role and reviewer duties; owners change roles, remove
members and make invitation links (e-mailed when the site has SMTP, shown to copy in any case).

Under ``/p/{key}``, so a non-member gets 404 like everywhere else; a member who is not an owner may
read the list and gets 403 on every change."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from synthesist.errors import Forbidden
from synthesist.services.accounts.invitations import create_invitation, revoke_invitation
from synthesist.services.accounts.mail import invitation_message, send_link
from synthesist.services.accounts.users import add_member, parse_role, remove_member
from synthesist.services.web.pages_members import members_page
from synthesist.web.auth import Access, Member
from synthesist.web.render import render

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


def _page(request: Request, access: Access, *, status_code: int = 200, **context: Any) -> HTMLResponse:
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


@router.get("", response_class=HTMLResponse)
def members(request: Request, access: Member) -> Response:
    return _page(request, access)


@router.post("/role")
def change_role(access: Member, user: Annotated[str, Form()], role: Annotated[str, Form()]) -> Response:
    _manager(access)
    add_member(access.workspace, user, parse_role(role))
    return RedirectResponse(f"/p/{access.workspace.project.key}/members", status_code=303)


@router.post("/remove")
def remove(access: Member, user: Annotated[str, Form()]) -> Response:
    _manager(access)
    if user == access.user:
        raise Forbidden("you cannot remove yourself", hint="Ask another owner to do it.")
    remove_member(access.workspace, user)
    return RedirectResponse(f"/p/{access.workspace.project.key}/members", status_code=303)


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
    return RedirectResponse(f"/p/{access.workspace.project.key}/members", status_code=303)
