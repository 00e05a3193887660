"""The console every command prints through: stored text cannot drive the terminal.

Imported and typed text is cleaned before storage (``records.clean.remove_controls``), but a project
made by an older version, or edited by hand, may still hold an ``ESC ] 0 ; … BEL`` that retitles the
terminal or an ``ESC [2J`` that clears it. Rich strips only BEL, backspace, CR, VT and FF from text,
so this console shows every other control character visibly, one symbol for one character (so the
styles' offsets in a ``Text`` stay right): C0 as its Unicode control picture (ESC as ``␛``), DEL as
``␡`` and C1 as ``�``. Only the text Rich was given is touched; the colour codes Rich adds itself
are written after rendering and pass as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.text import Text

__all__ = ["SafeConsole", "visible_controls"]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}
_PICTURES |= {code: "\ufffd" for code in range(0x80, 0xA0)}


def visible_controls(text: str) -> str:
    """``text`` with each control character (but tab and newline) shown as one visible symbol."""
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(lambda match: _PICTURES[ord(match.group(0))], text)


class SafeConsole(Console):
    """A Rich console whose rendered text carries no control character but tab and newline."""

    def render_str(self, text: str, **options: Any) -> Text:
        # strings (prints, table cells) are cleaned before Rich measures them, so columns line up
        return super().render_str(visible_controls(text), **options)

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Iterable[Segment]:
        if isinstance(renderable, Text) and _CONTROL.search(renderable.plain):
            shown = renderable.copy()
            shown.plain = visible_controls(renderable.plain)
            renderable = shown
        for segment in super().render(renderable, options):
            # the last guard, for text inside other renderables (a Text in a Panel, a Syntax...)
            if segment.control or _CONTROL.search(segment.text) is None:
                yield segment
            else:
                yield Segment(visible_controls(segment.text), segment.style)
