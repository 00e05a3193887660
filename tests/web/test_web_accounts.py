"""Logging in, the session cookie, CSRF and the login rate limit."""

from __future__ import annotations

from synthesist.review.accounts import Role
from synthesist.services.accounts.users import LOGIN_ATTEMPTS, add_member, set_password
from tests.web.conftest import PASSWORD, Served, csrf_of, login


def test_login_shows_only_the_users_projects_and_logout_ends_the_session(served: Served) -> None:
    client = served.client()
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"
    login(client, "aoife")
    home = client.get("/")
    assert home.status_code == 200 and "Project A" in home.text and "Project B" not in home.text
    out = client.post("/logout", data={"csrf_token": csrf_of(home.text)}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303, "the session ended on the server"


def test_session_cookie_is_httponly_and_samesite_lax(served: Served) -> None:
    client = served.client()
    form = client.get("/login")
    response = client.post(
        "/login",
        data={"name": "aoife", "password": PASSWORD, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    cookie = next(
        v for k, v in response.headers.multi_items() if k == "set-cookie" and "synthesist_session=" in v
    )
    flags = cookie.lower()
    assert "httponly" in flags and "samesite=lax" in flags and "path=/" in flags
    assert "secure" not in flags, "plain http: Secure only with --secure-cookies"
    assert "frame-ancestors 'none'" in form.headers["content-security-policy"]
    assert form.headers["x-frame-options"] == "DENY"


def test_secure_cookies_flag(served: Served) -> None:
    from fastapi.testclient import TestClient

    from synthesist.web import create_app

    client = TestClient(create_app([served.a, served.b], secure_cookies=True), base_url="https://testserver")
    form = client.get("/login")
    response = client.post(
        "/login",
        data={"name": "aoife", "password": PASSWORD, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    cookie = next(
        v for k, v in response.headers.multi_items() if k == "set-cookie" and "synthesist_session=" in v
    )
    assert "secure" in cookie.lower() and "httponly" in cookie.lower()


def test_wrong_passwords_are_rate_limited_per_user_and_address(served: Served) -> None:
    client = served.client()
    token = csrf_of(client.get("/login").text)
    for _ in range(LOGIN_ATTEMPTS):
        wrong = client.post(
            "/login", data={"name": "aoife", "password": "wrong password", "csrf_token": token}
        )
        assert wrong.status_code == 401
    blocked = client.post("/login", data={"name": "aoife", "password": PASSWORD, "csrf_token": token})
    assert blocked.status_code == 429, "even the right password waits once the limit is reached"
    login(client, "lukasz")  # another user from the same address is not locked out


def test_posts_without_the_right_csrf_token_are_refused(served: Served) -> None:
    client = served.client("aoife")
    page = client.get(f"/p/{served.a.project.key}/screen/title-abstract")
    assert page.status_code == 200
    record_id = int(page.text.split('name="record_id" value="')[1].split('"')[0])
    for data in ({}, {"csrf_token": "forged"}):
        refused = client.post(
            f"/p/{served.a.project.key}/screen/title-abstract",
            data={"shortcut": "i", "record_id": record_id, **data},
        )
        assert refused.status_code == 403
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    login_form = served.client()
    assert login_form.post("/login", data={"name": "aoife", "password": PASSWORD}).status_code == 403
    ok = client.post(
        f"/p/{served.a.project.key}/screen/title-abstract",
        data={"shortcut": "i", "record_id": record_id, "csrf_token": csrf_of(page.text)},
    )
    assert ok.status_code == 200


def test_a_viewer_sees_the_project_but_cannot_screen(served: Served) -> None:
    add_member(served.a, "outsider", Role.VIEWER)
    viewer = served.client("outsider")
    key = served.a.project.key
    overview = viewer.get(f"/p/{key}")
    assert overview.status_code == 200 and "/screen/" not in overview.text
    assert viewer.get(f"/p/{key}/screen/title-abstract").status_code == 403
    token = csrf_of(overview.text)
    refused = viewer.post(
        f"/p/{key}/screen/title-abstract", data={"shortcut": "i", "record_id": 1, "csrf_token": token}
    )
    assert refused.status_code == 403


def test_the_csrf_header_works_for_scripts_and_a_new_password_ends_sessions(served: Served) -> None:
    client = served.client("aoife")
    key = served.a.project.key
    page = client.get(f"/p/{key}/screen/title-abstract")
    record_id = int(page.text.split('name="record_id" value="')[1].split('"')[0])
    sent = client.post(
        f"/p/{key}/screen/title-abstract",
        data={"shortcut": "m", "record_id": record_id},
        headers={"X-CSRF-Token": csrf_of(page.text)},
    )
    assert sent.status_code == 200
    set_password(served.a, "aoife", "a brand new password")
    assert client.get("/", follow_redirects=False).status_code == 303, "back to the login form"
    scripted = client.get(f"/p/{key}/records/1/decisions.json")
    assert scripted.status_code == 401 and scripted.json()["error"], "scripts get 401 as JSON, not a redirect"


def test_passwords_are_stored_as_argon2id_hashes_only(served: Served) -> None:
    with served.a.unit_of_work(write=False) as uow:
        stored = uow.users.get("aoife").password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
