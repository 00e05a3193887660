"""Members, invitations and the administrators' users page in the browser: an owner invites, the
invited person signs up through the link once, roles change; only owners change anything; only
administrators see /admin/users; reset links set a password once."""

from __future__ import annotations

import re
from datetime import timedelta

from synthesist.review.accounts import Role
from synthesist.services.accounts.invitations import create_invitation, password_reset_link
from synthesist.services.accounts.users import role_of
from tests.web.conftest import PASSWORD, Served, csrf_of, login

LINK = re.compile(r'value="(https?://[^"]+/(?:invite|reset)/[^"]+)"')


def _form_token(html: str) -> str:
    found = re.search(r'name="form_token" value="([^"]*)"', html)
    assert found
    return found.group(1)


def test_an_owner_invites_and_the_colleague_signs_up_through_the_link_once(served: Served) -> None:
    key = served.a.project.key
    olwen = served.client("olwen")
    page = olwen.get(f"/p/{key}/members")
    assert page.status_code == 200 and "aoife" in page.text and "Make an invitation link" in page.text
    made = olwen.post(
        f"/p/{key}/members/invite", data={"role": "reviewer", "email": "", "csrf_token": csrf_of(page.text)}
    )
    assert made.status_code == 200
    link = LINK.search(made.text)
    assert link, made.text
    path = "/" + link.group(1).split("/", 3)[3]

    newcomer = served.client()
    form = newcomer.get(path)
    assert form.status_code == 200 and "Create my account" in form.text
    data = {
        "login": "ingrid",
        "display_name": "Ingrid Östlund-Berg",
        "email": "ingrid@example.org",
        "password": PASSWORD,
        "repeat": "not the same",
        "form_token": _form_token(form.text),
    }
    wrong = newcomer.post(path, data=data)
    assert wrong.status_code == 400 and "the two passwords differ" in wrong.text and "Ingrid" in wrong.text
    data.update(repeat=PASSWORD, form_token=_form_token(wrong.text))
    done = newcomer.post(path, data=data, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/p/{key}"
    assert newcomer.get(f"/p/{key}").status_code == 200, "signed in, a member"
    assert role_of(served.a, "ingrid") is Role.REVIEWER

    again = served.client().get(path)
    assert again.status_code == 409 and "used already" in again.text
    members = olwen.get(f"/p/{key}/members").text
    assert "Ingrid Östlund-Berg" in members and "used by ingrid" in members


def test_a_sign_up_without_the_forms_token_is_refused(served: Served) -> None:
    made = create_invitation(served.a, role=Role.VIEWER)
    assert made.token
    client = served.client()
    response = client.post(
        made.path, data={"login": "x", "password": PASSWORD, "repeat": PASSWORD, "form_token": "forged"}
    )
    assert response.status_code == 403
    assert role_of(served.a, "x") is None


def test_a_signed_in_user_accepts_and_expired_links_say_so(served: Served) -> None:
    made = create_invitation(served.a, role=Role.REVIEWER)
    assert made.token
    outsider = served.client("outsider")
    page = outsider.get(made.path)
    assert "Accept as outsider" in page.text
    accepted = outsider.post(
        f"{made.path}/accept", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False
    )
    assert accepted.status_code == 303
    assert outsider.get(f"/p/{served.a.project.key}").status_code == 200
    old = create_invitation(served.a, role=Role.REVIEWER, lifetime=timedelta(seconds=-1))
    expired = served.client().get(old.path)
    assert expired.status_code == 409 and "expired" in expired.text
    assert served.client().get("/invite/not-a-token").status_code == 404


def test_only_owners_change_members(served: Served) -> None:
    key = served.a.project.key
    aoife = served.client("aoife")
    page = aoife.get(f"/p/{key}/members")
    assert page.status_code == 200 and "Make an invitation link" not in page.text
    token = csrf_of(page.text)
    for path, data in (
        ("invite", {"role": "owner"}),
        ("role", {"user": "aoife", "role": "owner"}),
        ("remove", {"user": "lukasz"}),
        ("revoke", {"invitation_id": "1"}),
    ):
        response = aoife.post(f"/p/{key}/members/{path}", data={**data, "csrf_token": token})
        assert response.status_code == 403, path
    assert role_of(served.a, "aoife") is Role.REVIEWER

    olwen = served.client("olwen")
    owner_token = csrf_of(olwen.get(f"/p/{key}/members").text)
    olwen.post(f"/p/{key}/members/role", data={"user": "aoife", "role": "viewer", "csrf_token": owner_token})
    assert role_of(served.a, "aoife") is Role.VIEWER
    olwen.post(f"/p/{key}/members/remove", data={"user": "lukasz", "csrf_token": owner_token})
    assert role_of(served.a, "lukasz") is None
    assert served.client("lukasz").get(f"/p/{key}/members").status_code == 404, "no longer a member"


def test_the_users_page_is_for_administrators_only(served: Served) -> None:
    aoife = served.client("aoife")
    assert aoife.get("/admin/users").status_code == 403
    token = csrf_of(aoife.get("/").text)
    assert aoife.post("/admin/users/disable", data={"user": "lukasz", "csrf_token": token}).status_code == 403
    assert served.client().get("/admin/users", follow_redirects=False).status_code == 303

    from synthesist.services.site import set_site_admin

    set_site_admin(served.a.accounts, "olwen", True)
    olwen = served.client("olwen")
    page = olwen.get("/admin/users")
    assert page.status_code == 200 and "lukasz" in page.text and "(administrator)" in page.text
    token = csrf_of(page.text)
    assert olwen.post("/admin/users/disable", data={"user": "lukasz", "csrf_token": token}).status_code == 200
    anonymous = served.client()
    login_page = anonymous.get("/login")
    refused = anonymous.post(
        "/login", data={"name": "lukasz", "password": PASSWORD, "csrf_token": csrf_of(login_page.text)}
    )
    assert refused.status_code == 401
    olwen.post("/admin/users/enable", data={"user": "lukasz", "csrf_token": token})
    served.client("lukasz")  # logs in again

    invited = olwen.post("/admin/users/invite", data={"email": "", "csrf_token": token})
    assert LINK.search(invited.text) and "/invite/" in invited.text
    reset = olwen.post("/admin/users/reset", data={"user": "aoife", "csrf_token": token})
    link = LINK.search(reset.text)
    assert link and "/reset/" in link.group(1)
    made = olwen.post("/admin/users/admin", data={"user": "aoife", "admin": "true", "csrf_token": token})
    assert made.status_code == 200
    assert served.client("aoife").get("/admin/users").status_code == 200


def test_a_reset_link_sets_a_password_once(served: Served) -> None:
    link = password_reset_link(served.a, "aoife")
    client = served.client()
    form = client.get(link.path)
    assert form.status_code == 200 and "Set a password for aoife" in form.text
    done = client.post(
        link.path,
        data={
            "password": "a new password!",
            "repeat": "a new password!",
            "form_token": _form_token(form.text),
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    fresh = served.client()
    login(fresh, "aoife", "a new password!")
    assert served.client().get(link.path).status_code == 409
    assert served.client().get(link.path.replace("/reset/", "/invite/")).status_code == 404
