"""The style guide (/styleguide): refused to anyone but a site administrator or, on a server without a
site, a served review's owner; it shows every colour token with its light and dark value, and the
components. Its swatch classes and the tokens it lists stay in step with app.css."""

from __future__ import annotations

import re
from pathlib import Path

from synthesist.services.site import set_site_admin
from synthesist.web.routes.styleguide import COLOUR_TOKENS, SPACE_TOKENS, TYPE_TOKENS
from tests.web.conftest import Served

STATIC = Path(__file__).resolve().parents[2] / "src" / "synthesist" / "web" / "static"


def test_a_reviewer_is_refused_and_an_owner_of_a_served_review_sees_it(served: Served) -> None:
    assert served.client().get("/styleguide", follow_redirects=False).status_code == 303  # log in first
    assert served.client("aoife").get("/styleguide").status_code == 403  # a reviewer of A
    page = served.client("olwen").get("/styleguide")  # owner of A, on a server without a site
    assert page.status_code == 200
    for heading in ("Colours", "Type scale", "Spacing", "Buttons", "Forms with inline errors", "Tables",
                    "Badges and status words", "Progress", "Flash messages", "Confirmation", "Empty states",
                    "Keyboard shortcuts"):  # fmt: skip
        assert f">{heading}</h2>" in page.text, heading
    assert "--status-include" in page.text and "light #009e73 · dark #009e73" in page.text
    assert "light #fff · dark #14171c" in page.text  # --bg in both schemes
    assert 'aria-invalid="true"' in page.text and 'class="field-error"' in page.text


def test_a_site_administrator_who_owns_nothing_sees_it(served: Served) -> None:
    client = served.client("lukasz")
    assert client.get("/styleguide").status_code == 403
    set_site_admin(served.a.accounts, "lukasz")
    assert client.get("/styleguide").status_code == 200


def test_every_listed_token_is_defined_and_has_its_sample_class() -> None:
    app_css = (STATIC / "app.css").read_text("utf-8")
    guide_css = (STATIC / "styleguide.css").read_text("utf-8")
    for name, _ in COLOUR_TOKENS:
        assert re.search(rf"--{name}:", app_css), name
        assert f".sw-{name} {{ background: var(--{name}); }}" in guide_css, name
    for name in TYPE_TOKENS:
        assert f".ts-{name} {{ font-size: var(--{name}); }}" in guide_css, name
    for name in SPACE_TOKENS:
        assert f".sp-{name} {{ width: var(--{name}); }}" in guide_css, name


def test_the_classes_templates_use_for_components_are_styled() -> None:
    app_css = (STATIC / "app.css").read_text("utf-8")
    kept = (".sr-only", ".skip-link", ".table-scroll", "mark.kw-include", "mark.kw-exclude", ".stack")
    components = (".field-error", '[aria-invalid="true"]', ".badge", ".progress", ".flash", "details.confirm")
    for selector in (*kept, *components, ".empty", ".shortcuts", ":focus-visible", ".screen", ".buttons"):
        assert selector in app_css, selector
