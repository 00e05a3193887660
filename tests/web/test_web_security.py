"""Every project URL answers 404 to non-members, and blind dual screening stays blind through
every route. Both tests enumerate the app's routes, so a new route is covered without editing them."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from synthesist.web.app import api_routes
from tests.web.conftest import Served, csrf_of

ACCOUNT_ROUTES = {"/", "/login", "/logout"}  # the only routes outside a project
# links (the token is the key: tests/web/test_web_members.py) and the administrators' user page (403
# for anyone else: the same file)
ACCOUNT_ROUTES |= {"/invite/{token}", "/invite/{token}/accept", "/reset/{token}"}
ACCOUNT_ROUTES |= {
    f"/admin/users{path}" for path in ("", "/invite", "/reset", "/disable", "/enable", "/admin", "/revoke")
}
# a site's "New review" (404 when a review is served on its own) and the administrators' landing page and
# list of reviews (403 for anyone else): tests/web/test_web_site.py, which checks every /admin route
ACCOUNT_ROUTES |= {"/reviews/new", "/admin", "/admin/reviews"}
# every review's jobs, for administrators (403 for anyone else): tests/web/test_web_jobs.py
ACCOUNT_ROUTES |= {"/admin/jobs"}
# the style guide, for site administrators and a served review's owners (403 for anyone else):
# tests/web/test_web_styleguide.py
ACCOUNT_ROUTES |= {"/styleguide"}
FORM = {"shortcut": "i", "record_id": "1", "vote": "include", "participants": "aoife, lukasz"}


def _routes(served: Served) -> list[APIRoute]:
    routes = api_routes(served.app)
    assert len(routes) >= 10, "the enumeration sees the app's routes"
    return routes


# Path parameters the tests know how to fill; a route with another one fails the first test until
# it is added here. Ids other than the record's are sample values: such a page may answer 404 in the
# blind check (the object does not exist), but never shows another reviewer's decision.
SAMPLE_IDS = {
    "study_id": "1",
    "pair_id": "1",
    "group_id": "1",
    "batch_id": "1",
    "report_id": "1",
    "document_id": "1",
    "code_id": "1",
    "theme_id": "1",
    "coding_id": "1",
    "suggestion_id": "1",
    "fmt": "md",
    "token": "1",
    "job_id": "1",
}
KNOWN_PARAMS = {"key", "record_id", "stage", *SAMPLE_IDS}


def _fill(path: str, key: str, record_id: int, stage: str) -> str:
    filled = path.replace("{key}", key).replace("{record_id}", str(record_id)).replace("{stage}", stage)
    for name, value in SAMPLE_IDS.items():
        filled = filled.replace("{" + name + "}", value)
    return filled


def _has_sample_ids(path: str) -> bool:
    return any("{" + name + "}" in path for name in SAMPLE_IDS)


def test_every_route_is_either_an_account_route_or_under_a_project(served: Served) -> None:
    for route in _routes(served):
        assert route.path in ACCOUNT_ROUTES or route.path.startswith("/p/{key}"), (
            f"{route.path}: a new route outside /p/{{key}} needs its own access check and a test"
        )
        leftover = set(re.findall(r"{(\w+)}", route.path)) - KNOWN_PARAMS
        assert not leftover, f"{route.path}: teach the security tests to fill {leftover}"


def test_another_projects_urls_are_404_for_every_route_and_method(served: Served) -> None:
    client = served.client("aoife")  # a reviewer of project A, not a member of B
    token = csrf_of(client.get("/").text)
    checked = 0
    for route in _routes(served):
        if not route.path.startswith("/p/{key}"):
            continue
        for key in (served.b.project.key, "no-such-project"):
            for stage in ("title-abstract", "full-text"):
                url = _fill(route.path, key, 1, stage)
                for method in route.methods:
                    if method == "GET":
                        response = client.get(url, follow_redirects=False)
                    else:
                        response = client.request(
                            method, url, data={**FORM, "csrf_token": token}, follow_redirects=False
                        )
                    assert response.status_code == 404, f"{method} {url}: {response.status_code}"
                    checked += 1
    assert checked >= 20
    # a member of B gets through on the same URLs (so the 404s above are about membership)
    owner = served.client("outsider")
    assert owner.get(f"/p/{served.b.project.key}").status_code == 200
    assert owner.get(f"/p/{served.a.project.key}").status_code == 404


def _get_pages(client: TestClient, served: Served, record_ids: list[int]) -> dict[str, str]:
    pages = {}
    for route in _routes(served):
        if "GET" not in route.methods:
            continue
        for record_id in record_ids:
            for stage in ("title-abstract", "full-text"):
                url = _fill(route.path, served.a.project.key, record_id, stage)
                response = client.get(url)
                allowed = (200, 403, 404) if _has_sample_ids(route.path) else (200, 403)
                assert response.status_code in allowed, f"GET {url}: {response.status_code}"
                pages[url] = response.text
    return pages


AOIFE_VOTE = re.compile(r"aoife[^<\n]{0,40}exclude|\"reviewer\": ?\"aoife\"", re.IGNORECASE)


def test_a_reviewer_cannot_read_anothers_blind_decision_through_any_route(served: Served) -> None:
    aoife = served.client("aoife")
    key = served.a.project.key
    page = aoife.get(f"/p/{key}/screen/title-abstract")
    record_id = int(page.text.split('name="record_id" value="')[1].split('"')[0])
    posted = aoife.post(
        f"/p/{key}/screen/title-abstract",
        data={
            "shortcut": "e",
            "record_id": record_id,
            "reason": "SECRET-REASON",
            "note": "SECRET-NOTE",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert posted.status_code == 200
    assert AOIFE_VOTE.search(aoife.get(f"/p/{key}/records/{record_id}").text), "aoife sees her own vote"

    lukasz = served.client("lukasz")
    for url, text in _get_pages(lukasz, served, [record_id, 1]).items():
        assert "SECRET-" not in text, f"{url} shows aoife's reason or note"
        assert not AOIFE_VOTE.search(text), f"{url} shows aoife's vote"

    # once lukasz has voted too the votes are compared, and the same check finds aoife's vote:
    # the assertions above would have caught a leak
    screen = lukasz.get(f"/p/{key}/screen/title-abstract")
    lukasz.post(
        f"/p/{key}/screen/title-abstract",
        data={"shortcut": "i", "record_id": record_id, "csrf_token": csrf_of(screen.text)},
    )
    assert AOIFE_VOTE.search(lukasz.get(f"/p/{key}/records/{record_id}").text)
