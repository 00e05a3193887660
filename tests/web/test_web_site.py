"""The site's pages on SQLite and PostgreSQL: the home page lists one's own reviews, "New review"
(blank, the worked example, an uploaded review.toml with its errors beside the field), reviews found
in the registry on demand (made by another process, served without a restart), and the
administrators' pages, which refuse everyone else with 403 (every /admin route, enumerated)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from synthesist.services.accounts.users import add_user
from synthesist.services.site import NewReview, create_review, set_site_admin
from synthesist.web.app import api_routes
from synthesist.web.factory import SITE_ENV, app_from_environment, create_site_app
from synthesist.workspace import Accounts
from tests.site_helpers import PASSWORD, make_site, populate
from tests.web.conftest import Served, csrf_of, login


@dataclass
class SiteServed:
    folder: Path
    accounts: Accounts  # the test's own handle on the site's accounts (another "process")
    app: FastAPI
    a: str
    b: str

    def client(self, name: str | None = None) -> TestClient:
        client = TestClient(self.app, base_url="http://testserver")
        if name:
            login(client, name)
        return client


@pytest.fixture
def site(tmp_path: Path, database_url: str | None) -> Iterator[SiteServed]:
    accounts = make_site(tmp_path / "site", database_url)
    try:
        key_a, key_b = populate(accounts)
        app = create_site_app(tmp_path / "site")
        with TestClient(app):  # runs the app's lifespan: its databases are closed at the end
            yield SiteServed(tmp_path / "site", accounts, app, key_a, key_b)
    finally:
        accounts.close()


def test_the_home_page_lists_ones_own_reviews_and_what_one_may_do(site: SiteServed) -> None:
    aoife = site.client("aoife").get("/").text
    assert "Evidence Unit" in aoife and "Exercise for knee pain" in aoife
    assert "Yoga for back pain" not in aoife  # lukasz's, not hers
    assert 'href="/reviews/new"' in aoife and 'href="/admin"' not in aoife
    olwen = site.client("olwen").get("/").text
    assert 'href="/admin"' in olwen and f'href="/p/{site.a}"' in olwen
    assert "<td>12</td>" in olwen  # the review's records


def test_a_new_review_from_the_browser_belongs_to_its_creator(site: SiteServed) -> None:
    aoife = site.client("aoife")
    form = aoife.get("/reviews/new")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    made = aoife.post(
        "/reviews/new",
        data={"title": "Manual therapy", "origin": "example", "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert made.status_code == 303
    key = made.headers["location"].removeprefix("/p/")
    assert (site.folder / "reviews" / key / "review.toml").is_file()
    assert "Manual therapy" in aoife.get(made.headers["location"]).text
    assert site.client("lukasz").get(f"/p/{key}").status_code == 404  # not a member
    assert "Manual therapy" in aoife.get("/").text


def test_errors_are_shown_beside_their_field_with_the_input_kept(site: SiteServed) -> None:
    aoife = site.client("aoife")
    token = csrf_of(aoife.get("/reviews/new").text)
    empty = aoife.post("/reviews/new", data={"title": "  ", "origin": "blank", "csrf_token": token})
    assert empty.status_code == 400
    assert 'id="title-error"' in empty.text and "needs a title" in empty.text
    bad = 'schema_version = 1\nproject_id = "x"\n[review]\ntitle = "Kept"\nquestion = "Q"\nbogus = 1\n'
    uploaded = aoife.post(
        "/reviews/new",
        data={"title": "Kept title", "origin": "upload", "csrf_token": token},
        files={"protocol": ("review.toml", bad.encode(), "text/plain")},
    )
    assert uploaded.status_code == 400
    assert 'id="protocol-error"' in uploaded.text and "bogus" in uploaded.text and ":6" in uploaded.text
    assert 'value="Kept title"' in uploaded.text and 'value="upload" checked' in uploaded.text
    assert sorted(p.name for p in (site.folder / "reviews").iterdir()) == sorted([site.a, site.b])
    good = bad.replace("bogus = 1\n", "")
    made = aoife.post(
        "/reviews/new",
        data={"title": "", "origin": "upload", "csrf_token": token},
        files={"protocol": ("review.toml", good.encode(), "text/plain")},
        follow_redirects=False,
    )
    assert made.status_code == 303 and "Kept" in aoife.get(made.headers["location"]).text
    no_token = aoife.post("/reviews/new", data={"title": "T", "origin": "blank"})
    assert no_token.status_code == 403


def test_a_review_made_by_another_process_is_served_without_a_restart(site: SiteServed) -> None:
    lukasz = site.client("lukasz")
    assert lukasz.get(f"/p/{site.b}").status_code == 200
    made = create_review(site.accounts, "lukasz", NewReview("Made elsewhere"))
    assert lukasz.get(f"/p/{made.key}").status_code == 200
    assert "Made elsewhere" in lukasz.get("/").text
    assert site.client("aoife").get(f"/p/{made.key}").status_code == 404


# whatever an administrators' form asks for, so that a refusal is for want of the right, not a field
_ADMIN_FORM = {"user": "aoife", "invitation_id": "1", "email": "", "admin": "true", "key": "x"}


def test_only_administrators_open_the_administrators_pages(site: SiteServed) -> None:
    admin_paths = [route.path for route in api_routes(site.app) if route.path.startswith("/admin")]
    assert {"/admin", "/admin/reviews"} <= set(admin_paths)
    aoife = site.client("aoife")
    token = csrf_of(aoife.get("/").text)
    for route in api_routes(site.app):
        if not route.path.startswith("/admin"):
            continue
        for method in route.methods:
            response = aoife.request(method, route.path, data={**_ADMIN_FORM, "csrf_token": token})
            assert response.status_code == 403, f"{method} {route.path}: {response.status_code}"
    assert site.client().get("/admin", follow_redirects=False).status_code == 303  # to the login
    olwen = site.client("olwen")
    landing = olwen.get("/admin")
    assert landing.status_code == 200
    for link in ('href="/admin/users"', 'href="/admin/reviews"', 'href="/admin/jobs"'):
        assert link in landing.text
    reviews = olwen.get("/admin/reviews").text
    assert "Exercise for knee pain" in reviews and "Yoga for back pain" in reviews and "lukasz" in reviews


def test_new_reviews_only_by_administrators_when_the_site_says_so(tmp_path: Path) -> None:
    accounts = make_site(tmp_path / "site", None, allow_new_reviews=False)
    try:
        for name in ("olwen", "aoife"):
            add_user(accounts, name, PASSWORD)
        set_site_admin(accounts, "olwen")
        served = SiteServed(tmp_path / "site", accounts, create_site_app(tmp_path / "site"), "", "")
        aoife = served.client("aoife")
        assert 'href="/reviews/new"' not in aoife.get("/").text
        assert aoife.get("/reviews/new").status_code == 403
        assert served.client("olwen").get("/reviews/new").status_code == 200
    finally:
        accounts.close()


def test_a_review_served_on_its_own_refuses_new_reviews(served: Served) -> None:
    aoife = served.client("aoife")
    assert aoife.get("/reviews/new").status_code == 403
    assert aoife.get("/admin").status_code == 403
    assert "Your projects" in aoife.get("/").text


def test_the_factory_builds_a_sites_app_from_the_environment(
    site: SiteServed, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SITE_ENV, str(site.folder))
    app = app_from_environment()
    with TestClient(app) as client:
        login(client, "aoife")
        assert client.get(f"/p/{site.a}").status_code == 200
