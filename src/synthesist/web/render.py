"""Templates and the small bits of markup the templates need (highlighted keywords)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from synthesist.screening.highlight import keyword_spans
from synthesist.wording import a_or_an, plural, plural_word

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
    return templates.TemplateResponse(request, template, context, status_code=status_code)
