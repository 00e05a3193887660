"""The theme tree and roll-up, as pure functions over :mod:`synthesist.synthesis.model` types.

A coding rolls up to every theme above its code: the themes the code is assigned to, their
parents, and so on to the analytical themes at the top. ``themes_of_coding`` is what the theme ×
study matrix and the evidence views count with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from synthesist.synthesis.model import Code, Coding, Theme, ThemeLevel

__all__ = [
    "ancestors",
    "children",
    "descendants",
    "theme_order",
    "themes_of_code",
    "themes_of_coding",
    "would_loop",
]


def _by_id(themes: Iterable[Theme]) -> dict[int, Theme]:
    return {theme.id: theme for theme in themes}


def ancestors(theme_id: int, themes: Iterable[Theme] | Mapping[int, Theme]) -> list[int]:
    """The themes above ``theme_id``, nearest first (a loop, which storage never holds, stops it)."""
    index = themes if isinstance(themes, Mapping) else _by_id(themes)
    found: list[int] = []
    current = index.get(theme_id)
    while current is not None and current.parent_id is not None and current.parent_id not in found:
        if current.parent_id == theme_id:
            break
        found.append(current.parent_id)
        current = index.get(current.parent_id)
    return found


def children(theme_id: int | None, themes: Iterable[Theme]) -> list[Theme]:
    """The themes directly under ``theme_id`` (None: the top level), in display order."""
    return sorted((t for t in themes if t.parent_id == theme_id), key=lambda t: (t.position, t.id))


def descendants(theme_id: int, themes: Iterable[Theme]) -> set[int]:
    listed = list(themes)
    below: set[int] = set()
    todo = [theme_id]
    while todo:
        current = todo.pop()
        for child in listed:
            if child.parent_id == current and child.id not in below:
                below.add(child.id)
                todo.append(child.id)
    return below


def would_loop(theme_id: int, new_parent_id: int, themes: Iterable[Theme]) -> bool:
    """Whether making ``new_parent_id`` the parent of ``theme_id`` would make a theme its own ancestor."""
    return new_parent_id == theme_id or new_parent_id in descendants(theme_id, themes)


def themes_of_code(code: Code, themes: Iterable[Theme] | Mapping[int, Theme]) -> list[int]:
    """Every theme a code rolls up to: its own themes, then everything above them (no repeats)."""
    index = themes if isinstance(themes, Mapping) else _by_id(themes)
    found: list[int] = []
    for theme_id in code.theme_ids:
        for above in (theme_id, *ancestors(theme_id, index)):
            if above not in found and above in index:
                found.append(above)
    return found


def themes_of_coding(
    coding: Coding, codes: Iterable[Code] | Mapping[int, Code], themes: Iterable[Theme] | Mapping[int, Theme]
) -> list[int]:
    """Every theme the coding rolls up to (through its code)."""
    code_index = codes if isinstance(codes, Mapping) else {code.id: code for code in codes}
    code = code_index.get(coding.code_id)
    return themes_of_code(code, themes) if code is not None else []


def theme_order(themes: Sequence[Theme], level: ThemeLevel | None = None) -> list[Theme]:
    """Themes depth first in display order (an analytical theme, then the themes under it), or only
    those of ``level`` in that order (the matrix's columns)."""
    ordered: list[Theme] = []

    def visit(parent: int | None) -> None:
        for theme in children(parent, themes):
            ordered.append(theme)
            visit(theme.id)

    visit(None)
    known = {theme.id for theme in themes}
    # a theme whose parent is missing would not be reached: list it at the end rather than lose it
    ordered += [t for t in themes if t not in ordered and t.parent_id not in known]
    return [t for t in ordered if level is None or t.level is level]
