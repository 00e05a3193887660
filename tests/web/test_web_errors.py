"""Errors the framework raises before any route runs (an unknown address, a method an address does
not take, a form missing a field) get the app's own two shapes: the error page, with the navigation,
for a browser; ``{"error", "hint"}`` for a script. Never FastAPI's bare ``{"detail": ...}``."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import Served, csrf_of


def test_an_unknown_address_gets_the_error_page_or_the_json_shape(served: Served) -> None:
    client = served.client("aoife")
    page = client.get("/no/such/page")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "there is no page at this address" in page.text and "detail" not in page.text
    scripted = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert scripted.status_code == 404
    assert scripted.json() == {
        "error": "there is no page at this address",
        "hint": "Check the address, or start again from the list of reviews.",
    }


def test_a_wrong_method_and_a_form_missing_a_field_are_named(served: Served) -> None:
    client = served.client("aoife")
    key = served.a.project.key
    wrong = client.put(f"/p/{key}/screen/title-abstract", headers={"Accept": "application/json"})
    assert wrong.status_code == 405 and wrong.json()["error"].startswith("this address does not take")
    assert "allow" in {name.lower() for name in wrong.headers}
    page = client.get(f"/p/{key}/screen/title-abstract")
    missing = client.post(f"/p/{key}/screen/title-abstract", data={"csrf_token": csrf_of(page.text)})
    assert missing.status_code == 400 and "shortcut" in missing.text


def test_a_bug_gets_the_error_page_in_the_layout_and_the_json_shape(served: Served) -> None:
    """An exception no handler knows (a bug) is a 500 with the app's page, not Starlette's bare text;
    the server still sees the exception (TestClient re-raises it unless told not to)."""

    def broken() -> None:
        raise RuntimeError("a bug for the test")

    served.app.add_api_route("/broken-for-the-test", broken)
    client = TestClient(served.app, base_url="http://testserver", raise_server_exceptions=False)
    page = client.get("/broken-for-the-test")
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert "something went wrong on the server" in page.text and 'class="site-header"' in page.text
    assert "a bug for the test" not in page.text, "the page shows no internals"
    scripted = client.get("/broken-for-the-test", headers={"Accept": "application/json"})
    assert scripted.status_code == 500 and scripted.json()["error"] == "something went wrong on the server"
    with pytest.raises(RuntimeError):
        TestClient(served.app, base_url="http://testserver").get("/broken-for-the-test")


def test_an_error_after_a_form_offers_the_way_back_to_it(served: Served) -> None:
    """A refused form's error page links back to the page the form was on (the browser's Back with
    JavaScript, which keeps what was typed), to the review and to the list of reviews; another
    site's address is never offered as the way back."""
    client = served.client("aoife")
    key = served.a.project.key
    page = client.get(f"/p/{key}/screen/title-abstract")
    refused = client.post(
        f"/p/{key}/screen/title-abstract",
        data={"csrf_token": csrf_of(page.text)},
        headers={"Referer": f"http://testserver/p/{key}/screen/title-abstract?skip=3"},
    )
    assert refused.status_code == 400 and "The form could not be used" in refused.text
    assert f'href="/p/{key}/screen/title-abstract?skip=3" data-go-back>Go back to the form' in refused.text
    assert f'href="/p/{key}">The review' in refused.text
    elsewhere = client.get(f"/p/{key}/no-such-page", headers={"Referer": "https://evil.example/p/x"})
    assert elsewhere.status_code == 404 and "data-go-back" not in elsewhere.text
