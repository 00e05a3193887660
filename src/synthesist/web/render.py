"""Templates and what every page's template gets besides its own context: the small bits of markup
(highlighted keywords) and, on a review's pages, the counts of work waiting for the reader."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from synthesist.review.accounts import Role
from synthesist.screening.highlight import keyword_spans
from synthesist.services.web.waiting_counts import WaitingCounts
from synthesist.wording import a_or_an, plural, plural_word

if TYPE_CHECKING:
    from synthesist.web.state import WebState

__all__ = ["highlight", "render"]

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
# counts in the pages read as in the CLI: {{ plural(n, "record") }} is "1 record", "2 records"
templates.env.globals.update(a_or_an=a_or_an, plural=plural, plural_word=plural_word)


def highlight(text: str | None, include: Sequence[str], exclude: Sequence[str]) -> Markup:
    """``text`` escaped, with the protocol's keywords in ``<mark>``; the class names the kind and a
    visually hidden word says it to screen readers, since colour alone says nothing to them."""
    if not text:
        return Markup("")
    parts: list[str] = []
    at = 0
    for span in keyword_spans(text, include, exclude):
        parts.append(str(escape(text[at : span.start])))
        word = escape(text[span.start : span.end])
        label = "include keyword" if span.kind == "include" else "exclude keyword"
        parts.append(f'<mark class="kw-{span.kind}">{word}<span class="sr-only"> ({label})</span></mark>')
        at = span.end
    parts.append(str(escape(text[at:])))
    return Markup("".join(parts))


def render(request: Request, template: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    """``template`` with ``context``. A review's page (a context with its ``project``, the reader's
    ``role`` and the ``reviewer`` name they act under) also gets ``waiting()``, the counts base.html's
    menu shows: called only by a template that shows the menu (never by a fragment), at most once."""
    project, role, reviewer = context.get("project"), context.get("role"), context.get("reviewer")
    if project is not None and isinstance(role, Role) and isinstance(reviewer, str):
        context.setdefault("waiting", _waiting_counts(request, project.key, reviewer, role))
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def _waiting_counts(request: Request, key: str, reviewer: str, role: Role) -> Callable[[], WaitingCounts]:
    @cache
    def counts() -> WaitingCounts:
        state: WebState = request.app.state.web
        return state.waiting(state.projects[key], reviewer, role)

    return counts
