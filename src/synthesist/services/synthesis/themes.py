"""Themes: descriptive themes group codes, analytical themes group descriptive ones (a tree), and a
code sits under any number of themes. Every change is one transaction with its event.

Stable API (used by tests of the synthesis outputs, keyword arguments)::

    create_theme(workspace, name, *, level="descriptive", parent=None, definition="",
                 key_terms=(), position=None) -> Theme
    assign_code_to_theme(workspace, code, theme) -> Code        # names; idempotent

Rules: a theme's parent is analytical, or descriptive under descriptive (sub-themes); an analytical
theme's parent, if any, is analytical; no theme is its own ancestor. A theme named that does not
exist is an error naming it — nothing is created on the way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from synthesist.errors import Conflict, UserError
from synthesist.events import CodeAssigned, ThemeChanged, ThemeCreated
from synthesist.ports import UnitOfWork
from synthesist.services.synthesis.refs import find_code, find_theme, same_name
from synthesist.synthesis.model import Code, Theme, ThemeLevel
from synthesist.synthesis.themes import children, would_loop
from synthesist.workspace import Workspace

__all__ = [
    "assign_code_to_theme",
    "assign_in",
    "change_theme",
    "create_theme",
    "create_theme_in",
    "list_themes",
    "parse_level",
    "split_terms",
    "unassign_code_from_theme",
]

_KEEP: object = object()


def parse_level(value: str | ThemeLevel) -> ThemeLevel:
    if isinstance(value, ThemeLevel):
        return value
    try:
        return ThemeLevel(value.strip().lower())
    except ValueError:
        raise UserError(f"{value!r} is not a theme level", hint="Use descriptive or analytical.") from None


def split_terms(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """Key terms from "a, b; c" or a list, stripped, without empties or repeats."""
    if value is None:
        return ()
    parts = value.replace(";", ",").split(",") if isinstance(value, str) else list(value)
    terms: list[str] = []
    for part in parts:
        term = " ".join(part.split())
        if term and term.casefold() not in (t.casefold() for t in terms):
            terms.append(term)
    return tuple(terms)


def list_themes(workspace: Workspace) -> list[Theme]:
    with workspace.unit_of_work(write=False) as uow:
        return uow.synthesis.themes()


def create_theme(
    workspace: Workspace,
    name: str,
    *,
    level: str | ThemeLevel = ThemeLevel.DESCRIPTIVE,
    parent: str | None = None,
    definition: str = "",
    key_terms: str | Sequence[str] = (),
    position: int | None = None,
) -> Theme:
    """A new theme (under ``parent``, at the end of its siblings unless ``position``)."""
    with workspace.unit_of_work() as uow:
        theme = create_theme_in(
            uow,
            workspace,
            name,
            level=parse_level(level),
            parent=parent,
            definition=definition,
            key_terms=split_terms(key_terms),
            position=position,
        )
        uow.commit()
    return theme


def create_theme_in(
    uow: UnitOfWork,
    workspace: Workspace,
    name: str,
    *,
    level: ThemeLevel,
    parent: str | None,
    definition: str,
    key_terms: Sequence[str],
    position: int | None,
) -> Theme:
    clean = " ".join(name.split())
    if not clean:
        raise UserError("a theme needs a name")
    themes = uow.synthesis.themes()
    if any(same_name(theme.name, clean) for theme in themes):
        raise Conflict(f"a theme called {clean!r} exists already")
    parent_theme = find_theme(themes, parent) if parent else None
    if parent_theme is not None:
        _check_parent(clean, level, parent_theme)
    parent_id = parent_theme.id if parent_theme else None
    if position is None:
        siblings = children(parent_id, themes)
        position = siblings[-1].position + 1 if siblings else 0
    theme_id = uow.synthesis.add_theme(
        clean,
        level=level,
        definition=definition.strip(),
        key_terms=key_terms,
        parent_id=parent_id,
        position=position,
        by=workspace.actor,
    )
    event = ThemeCreated(
        theme_id=theme_id,
        name=clean,
        level=level.value,
        parent=parent_theme.name if parent_theme else None,
        definition=definition.strip(),
        key_terms=list(key_terms),
    )
    uow.events.append(event, workspace.actor)
    return next(theme for theme in uow.synthesis.themes() if theme.id == theme_id)


def change_theme(
    workspace: Workspace,
    theme: str,
    *,
    name: str | None = None,
    parent: str | object | None = _KEEP,
    level: str | ThemeLevel | None = None,
    definition: str | None = None,
    key_terms: str | Sequence[str] | None = None,
    position: int | None = None,
) -> Theme:
    """Rename, move (``parent=None``: to the top), re-level, re-define or re-order a theme. Only
    what is given changes; nothing given that differs is an error-free no-op with no event."""
    with workspace.unit_of_work() as uow:
        themes = uow.synthesis.themes()
        current = find_theme(themes, theme)
        changes: dict[str, list[object]] = {}
        values: dict[str, Any] = {}  # the columns to change (update_theme's keywords)
        if name is not None:
            clean = " ".join(name.split())
            if not clean:
                raise UserError(f"theme {current.name!r}: the new name is empty")
            if any(same_name(other.name, clean) and other.id != current.id for other in themes):
                raise Conflict(f"a theme called {clean!r} exists already")
            if clean != current.name:
                changes["name"], values["name"] = [current.name, clean], clean
        new_level = parse_level(level) if level is not None else current.level
        if new_level is not current.level:
            changes["level"], values["level"] = [current.level.value, new_level.value], new_level
        parent_theme = current_parent = next((t for t in themes if t.id == current.parent_id), None)
        if parent is not _KEEP:
            parent_theme = find_theme(themes, str(parent)) if parent is not None else None
            if parent_theme is not None and would_loop(current.id, parent_theme.id, themes):
                raise UserError(
                    f"theme {current.name!r} cannot go under {parent_theme.name!r}: "
                    "a theme cannot be under itself or a theme below it"
                )
            if parent_theme != current_parent:
                before = current_parent.name if current_parent else None
                after = parent_theme.name if parent_theme else None
                changes["parent"], values["parent_id"] = (
                    [before, after],
                    parent_theme.id if parent_theme else None,
                )
                if position is None:
                    siblings = children(parent_theme.id if parent_theme else None, themes)
                    values["position"] = siblings[-1].position + 1 if siblings else 0
        if parent_theme is not None:
            _check_parent(current.name, new_level, parent_theme)
        for child in children(current.id, themes):
            _check_parent(child.name, child.level, _replaced(current, new_level))
        if definition is not None and definition.strip() != current.definition:
            changes["definition"], values["definition"] = (
                [current.definition, definition.strip()],
                definition.strip(),
            )
        if key_terms is not None and split_terms(key_terms) != current.key_terms:
            terms = split_terms(key_terms)
            changes["key_terms"], values["key_terms"] = [list(current.key_terms), list(terms)], terms
        if position is not None and position != current.position:
            changes["position"], values["position"] = [current.position, position], position
        if changes:
            uow.synthesis.update_theme(current.id, **values)
            uow.events.append(
                ThemeChanged(current.id, str(values.get("name", current.name)), changes), workspace.actor
            )
        updated = next(t for t in uow.synthesis.themes() if t.id == current.id)
        uow.commit()
    return updated


def assign_code_to_theme(workspace: Workspace, code: str, theme: str) -> Code:
    """Put a code under a theme (both named; both must exist). Assigning twice changes nothing."""
    with workspace.unit_of_work() as uow:
        found = find_code(uow.synthesis.codes(), code)
        assign_in(uow, workspace, found, find_theme(uow.synthesis.themes(), theme))
        updated = next(c for c in uow.synthesis.codes() if c.id == found.id)
        uow.commit()
    return updated


def unassign_code_from_theme(workspace: Workspace, code: str, theme: str) -> Code:
    with workspace.unit_of_work() as uow:
        found = find_code(uow.synthesis.codes(), code)
        target = find_theme(uow.synthesis.themes(), theme)
        if target.id not in found.theme_ids:
            raise UserError(f"code {found.name!r} is not under theme {target.name!r}")
        uow.synthesis.unassign(found.id, target.id)
        uow.events.append(
            CodeAssigned(found.id, found.name, target.id, target.name, removed=True), workspace.actor
        )
        updated = next(c for c in uow.synthesis.codes() if c.id == found.id)
        uow.commit()
    return updated


def assign_in(uow: UnitOfWork, workspace: Workspace, code: Code, theme: Theme) -> bool:
    """Put ``code`` under ``theme`` in the caller's transaction; False when it already was."""
    if theme.id in code.theme_ids:
        return False
    uow.synthesis.assign(code.id, theme.id, by=workspace.actor)
    uow.events.append(CodeAssigned(code.id, code.name, theme.id, theme.name), workspace.actor)
    return True


def _check_parent(name: str, level: ThemeLevel, parent: Theme) -> None:
    if level is ThemeLevel.ANALYTICAL and parent.level is ThemeLevel.DESCRIPTIVE:
        raise UserError(
            f"analytical theme {name!r} cannot go under descriptive theme {parent.name!r}",
            hint="Descriptive themes go under analytical ones, not the other way round.",
        )


def _replaced(theme: Theme, level: ThemeLevel) -> Theme:
    return Theme(
        theme.id, theme.name, level, theme.definition, theme.key_terms, theme.parent_id, theme.position
    )
