"""The style guide (``/styleguide``): the design tokens of static/app.css (colours with their light and
dark values, the type scale, the spacing scale) and every component, live, for whoever changes a page.

Site administrators may open it; on a server of one or more reviews without a site (``synthesist serve``),
so may the owners of a review served there, who run that server. Anyone else gets 403, as on /admin."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from synthesist.errors import Forbidden
from synthesist.review.accounts import Role
from synthesist.services.accounts.users import member_identity
from synthesist.services.site import is_site_admin
from synthesist.web.auth import Session, web_state
from synthesist.web.render import render
from synthesist.web.site_state import SiteReviews
from synthesist.web.state import WebState

__all__ = ["COLOUR_TOKENS", "SPACE_TOKENS", "TYPE_TOKENS", "router"]

router = APIRouter()

APP_CSS = Path(__file__).resolve().parents[1] / "static" / "app.css"

# (token, what it is for); each has a swatch class in static/styleguide.css
COLOUR_TOKENS: list[tuple[str, str]] = [
    ("bg", "page background"),
    ("surface", "header, table heads, cards"),
    ("surface-2", "hover, tracks, keys"),
    ("text", "body text"),
    ("text-muted", "help and secondary text"),
    ("border", "field and table borders"),
    ("border-subtle", "dividers"),
    ("link", "links"),
    ("focus", "the focus ring"),
    ("accent", "primary buttons, progress"),
    ("danger", "destructive buttons"),
    ("error", "errors (text and edges)"),
    ("error-tint", "behind an error"),
    ("success", "saved, done (edges)"),
    ("success-tint", "behind a success message"),
    ("info-tint", "behind a notice"),
    ("warning-tint", "behind a warning"),
    ("status-include", "include (Okabe–Ito bluish green)"),
    ("status-exclude", "exclude (Okabe–Ito vermillion)"),
    ("status-maybe", "maybe (Okabe–Ito orange)"),
    ("status-conflict", "conflict (Okabe–Ito reddish purple)"),
    ("status-done", "done (Okabe–Ito blue)"),
    ("status-waiting", "waiting (Okabe–Ito sky blue)"),
]
TYPE_TOKENS = ["step--2", "step--1", "step-0", "step-1", "step-2", "step-3", "step-4"]
SPACE_TOKENS = ["space-1", "space-2", "space-3", "space-4", "space-5", "space-6", "space-7"]


@dataclass(frozen=True)
class Token:
    name: str
    purpose: str
    light: str
    dark: str


_DECLARATION = re.compile(r"--([\w-]+):\s*([^;]+);")


@cache
def _values() -> tuple[dict[str, str], dict[str, str]]:
    """The tokens' values as app.css declares them: the first ``:root`` block (light), and the one
    inside ``prefers-color-scheme: dark``, which names only what differs."""
    text = APP_CSS.read_text(encoding="utf-8")
    light_block = text.split(":root {", 1)[1].split("\n}", 1)[0]
    dark_block = text.split("prefers-color-scheme: dark", 1)[1].split(":root {", 1)[1].split("}", 1)[0]
    light = dict(_DECLARATION.findall(light_block))
    dark = {**light, **dict(_DECLARATION.findall(dark_block))}
    return light, dark


def _resolved(values: dict[str, str], name: str) -> str:
    """``--status-done: var(--oi-blue)`` shown as the colour itself."""
    value = values[name]
    for _ in range(5):  # tokens refer to tokens a step or two deep
        found = re.fullmatch(r"var\(--([\w-]+)\)", value)
        if found is None:
            break
        value = values[found.group(1)]
    return value


def colour_tokens() -> list[Token]:
    light, dark = _values()
    return [
        Token(name, purpose, _resolved(light, name), _resolved(dark, name)) for name, purpose in COLOUR_TOKENS
    ]


def _may_see(state: WebState, login: str) -> bool:
    if is_site_admin(state.accounts, login):
        return True
    if isinstance(state.projects, SiteReviews):
        return False  # on a site, the administrators look after the look of it
    for workspace in state.projects.values():
        identity = member_identity(workspace, login)
        if identity is not None and identity[0] is Role.OWNER:
            return True
    return False


@router.get("/styleguide", response_class=HTMLResponse)
def styleguide(request: Request, session: Session) -> Response:
    if not _may_see(web_state(request), session.user):
        raise Forbidden(
            "only site administrators, or on a server of its own a review's owners, may open the style guide"
        )
    light, _ = _values()
    return render(
        request,
        "styleguide.html",
        user=session.user,
        csrf_token=session.csrf_token,
        colours=colour_tokens(),
        type_scale=[(name, light[name]) for name in TYPE_TOKENS],
        spacing=[(name, light[name]) for name in SPACE_TOKENS],
    )
