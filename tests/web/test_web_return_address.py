"""Logging in brings a person back where they were: ``/login?next=`` (a path on this site only — the
open-redirect tests), carried by an invitation's and a reset page's "Log in" links and by the
redirect a signed-out GET of a review's page makes. And the outputs page offers the report as a job."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from synthesist.review.accounts import Role
from synthesist.services.accounts.invitations import create_invitation, password_reset_link
from synthesist.services.accounts.users import members
from synthesist.web.return_address import login_address, safe_next
from tests.web.conftest import PASSWORD, Served, csrf_of


def _log_in(client: TestClient, name: str, next_path: str | None, *, via_form: bool = True) -> str:
    """Log in through /login?next=…; returns where the login sends the browser."""
    query = "" if next_path is None else "?" + "&".join(f"next={p}" for p in [next_path])
    form = client.get("/login" + query if via_form else "/login")
    data = {"name": name, "password": PASSWORD, "csrf_token": csrf_of(form.text)}
    if next_path is not None:
        data["next"] = next_path
    response = client.post("/login", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"]


@pytest.mark.parametrize(
    "hostile",
    [
        "//evil.example/p",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "evil.example/p",
        "/\t/evil.example",
        "/\n/evil.example",
        "",
        "/" + "a" * 3000,
    ],
)
def test_next_is_never_followed_off_the_site(served: Served, hostile: str) -> None:
    assert safe_next(hostile) is None
    assert login_address(hostile) == "/login"
    client = served.client()
    form = client.get("/login", params={"next": hostile})
    assert 'name="next"' not in form.text, "a hostile next is not even put in the form"
    assert _log_in(client, "aoife", hostile, via_form=False) == "/"


def test_login_goes_back_to_a_path_on_the_site(served: Served) -> None:
    target = f"/p/{served.a.project.key}/records?page=2"
    client = served.client()
    form = client.get("/login", params={"next": target})
    assert 'name="next" value="/p/' in form.text
    assert _log_in(client, "aoife", target, via_form=False) == target
    assert _log_in(served.client(), "aoife", None) == "/"


def test_a_failed_login_keeps_the_return_address(served: Served) -> None:
    client = served.client()
    form = client.get("/login", params={"next": "/p/x"})
    failed = client.post(
        "/login",
        data={"name": "aoife", "password": "wrong", "csrf_token": csrf_of(form.text), "next": "/p/x"},
    )
    assert failed.status_code == 401 and 'name="next" value="/p/x"' in failed.text


def test_a_signed_out_page_sends_to_login_and_back(served: Served) -> None:
    key = served.a.project.key
    client = served.client()
    page = f"/p/{key}/outputs"
    redirected = client.get(page + "?x=1", follow_redirects=False)
    assert redirected.status_code == 303
    location = redirected.headers["location"]
    assert urlsplit(location).path == "/login"
    assert parse_qs(urlsplit(location).query) == {"next": [page + "?x=1"]}
    assert _log_in(client, "aoife", page + "?x=1", via_form=False) == page + "?x=1"
    # JSON and POST requests still get their 401/403, not a redirect to a form
    assert served.client().get(f"/p/{key}/jobs/1.json").status_code == 401


def test_an_invitation_opened_signed_out_comes_back_to_accept(served: Served) -> None:
    invitation = create_invitation(served.a, role=Role.VIEWER, created_by="olwen")
    assert invitation.token is not None
    link = f"/invite/{invitation.token}"
    client = served.client()
    page = client.get(link)
    found = re.search(r'href="(/login\?next=[^"]+)">Log in</a>', page.text)
    assert found, page.text
    login_page = found.group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(login_page).query) == {"next": [link]}
    form = client.get(login_page)
    assert f'name="next" value="{link}"' in form.text
    back = client.post(
        "/login",
        data={"name": "outsider", "password": PASSWORD, "csrf_token": csrf_of(form.text), "next": link},
        follow_redirects=False,
    )
    assert back.headers["location"] == link
    accept_page = client.get(link)
    assert "Accept as outsider" in accept_page.text
    accepted = client.post(f"{link}/accept", data={"csrf_token": csrf_of(accept_page.text)})
    assert accepted.status_code == 200
    assert {m.user: m.role for m in members(served.a)}["outsider"] == "viewer"


def test_a_reset_page_carries_its_return_address(served: Served) -> None:
    reset = password_reset_link(served.a, "lukasz")
    target = f"/p/{served.a.project.key}"
    client = served.client()
    page = client.get(reset.path, params={"next": target})
    assert f'href="/login?next=%2Fp%2F{served.a.project.key}">Log in</a>' in page.text
    form_token = re.search(r'name="form_token" value="([^"]*)"', page.text)
    assert form_token
    done = client.post(
        reset.path,
        data={
            "password": "a new password!",
            "repeat": "a new password!",
            "form_token": form_token.group(1),
            "next": target,
        },
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == target
    hostile = served.client().get(password_reset_link(served.a, "aoife").path, params={"next": "//evil"})
    assert 'href="/login">Log in</a>' in hostile.text and 'name="next"' not in hostile.text


# -- the outputs page: the report as a job ----------------------------------------------------------


def test_the_outputs_page_builds_the_report_as_a_job(served: Served) -> None:
    key = served.a.project.key
    aoife = served.client("aoife")
    page = aoife.get(f"/p/{key}/outputs")
    assert f'action="/p/{key}/jobs/report"' in page.text
    assert f'href="/p/{key}/report.md"' in page.text, "the direct downloads stay"
    built = aoife.post(
        f"/p/{key}/jobs/report", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False
    )
    assert built.status_code == 303
    job_page = built.headers["location"]
    assert "Download the report (docx)" in aoife.get(job_page).text  # run at once in these tests
    again = aoife.get(f"/p/{key}/outputs")
    assert f'href="{job_page}"' in again.text and "done" in again.text
    # a viewer reads and downloads directly, but starts no job
    from synthesist.services.accounts.users import add_member, add_user

    add_user(served.a, "vera", PASSWORD)
    add_member(served.a, "vera", Role.VIEWER)
    vera = served.client("vera")
    viewed = vera.get(f"/p/{key}/outputs")
    assert "Build the report" not in viewed.text and f'href="/p/{key}/report.md"' in viewed.text


def test_a_report_built_as_one_reviewer_is_not_downloaded_by_another(served: Served) -> None:
    """A report shows what the person who asked for it may see (their own blind vote, say): the job's
    downloads are theirs."""
    key = served.a.project.key
    aoife = served.client("aoife")
    screen = aoife.get(f"/p/{key}/screen/title-abstract")
    record_id = int(screen.text.split('name="record_id" value="')[1].split('"')[0])
    aoife.post(
        f"/p/{key}/screen/title-abstract",
        data={
            "shortcut": "e",
            "record_id": record_id,
            "note": "SECRET-NOTE",
            "csrf_token": csrf_of(screen.text),
        },
    )
    page = aoife.get(f"/p/{key}/outputs")
    built = aoife.post(
        f"/p/{key}/jobs/report", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False
    )
    job_page = built.headers["location"]
    assert aoife.get(f"{job_page}/download/md").status_code == 200
    lukasz = served.client("lukasz")
    assert "Download the report" not in lukasz.get(job_page).text
    refused = lukasz.get(f"{job_page}/download/md")
    assert refused.status_code == 403
    assert "SECRET-" not in refused.text
