"""Errors the framework raises before any route runs (an unknown address, a method an address does
not take, a form missing a field) get the app's own two shapes: the error page, with the navigation,
for a browser; ``{"error", "hint"}`` for a script. Never FastAPI's bare ``{"detail": ...}``."""

from __future__ import annotations

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
