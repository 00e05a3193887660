"""The codebook as data: themes and codes written in ``review.toml``'s ``[codebook]`` or in the
file it names (TOML, or YAML when PyYAML is installed), loaded into the project.

The file has the same shape as the section, without ``file``::

    [[themes]]
    name = "Effective communication"
    level = "analytical"                 # default: analytical at the top, descriptive under a parent
    definition = "..."
    key_terms = ["communicate", "talking", "listening"]

    [[themes]]
    name = "Being listened to"
    parent = "Effective communication"
    codes = ["listened to", "not believed"]

    [[codes]]
    name = "listened to"
    definition = "..."
    key_terms = ["listen", "heard"]
    themes = ["Being listened to"]       # the same as listing it under the theme

Loading is idempotent: it creates what is missing, updates what differs (level, parent, position
among siblings in file order, and any definition or key terms the codebook states) and puts codes
under their themes. It never deletes, renames or takes a code from under a theme: what the project
has and the codebook does not is only reported. A value left empty in the codebook is left as the
project has it. Everything is one transaction with its events; a mistake (a theme named that is in
neither the codebook nor the project, a code listed twice) stops it before anything is written.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from synthesist.errors import ProtocolError, UserError
from synthesist.events import CodebookLoaded, CodeChanged, ThemeChanged
from synthesist.ports import UnitOfWork
from synthesist.review.protocol import CodebookCode, CodebookSection
from synthesist.review.protocol import Theme as CodebookTheme
from synthesist.services.synthesis.codes import create_code_in
from synthesist.services.synthesis.refs import same_name
from synthesist.services.synthesis.themes import assign_in, create_theme_in
from synthesist.synthesis.entries import HistoryAction
from synthesist.synthesis.model import Code, Theme, ThemeLevel
from synthesist.toml_errors import describe_validation_error, protocol_error, syntax_error
from synthesist.workspace import Workspace

__all__ = ["CodebookChanges", "codebook_in_use", "load_codebook"]


@dataclass
class CodebookChanges:
    source: str
    created: list[str] = field(default_factory=list)  # "theme X", "code Y"
    updated: list[str] = field(default_factory=list)  # "theme X: definition, key terms"
    assigned: list[str] = field(default_factory=list)  # "code Y under X"
    not_in_codebook: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.assigned)


def codebook_in_use(workspace: Workspace) -> tuple[CodebookSection, str]:
    """The codebook of ``review.toml`` together with its file's, and where it came from."""
    section = workspace.project.protocol.codebook
    source = "review.toml [codebook]"
    if section.file is None:
        return section, source
    path = Path(section.file)
    if not path.is_absolute():
        path = workspace.project.root / path
    from_file = _read_file(path)
    themes = section.themes + from_file.themes
    codes = section.codes + from_file.codes
    for what, names in (("theme", [t.name for t in themes]), ("code", [c.name for c in codes])):
        seen: set[str] = set()
        for name in names:
            if name.casefold() in seen:
                raise ProtocolError(f"the {what} {name!r} is in both review.toml and {path.name}")
            seen.add(name.casefold())
    merged = CodebookSection(file=section.file, themes=themes, codes=codes)
    return merged, f"{source} and {path.name}" if section.themes or section.codes else path.name


def load_codebook(workspace: Workspace, *, dry_run: bool = False) -> CodebookChanges:
    """Bring the project's themes and codes in line with the codebook (see the module docstring);
    ``dry_run``: only say what would change."""
    codebook, source = codebook_in_use(workspace)
    with workspace.unit_of_work(write=not dry_run) as uow:
        changes = CodebookChanges(source)
        _check(codebook, uow.synthesis.themes())
        _load_themes(uow, workspace, codebook.themes, changes)
        _load_codes(uow, workspace, codebook, changes)
        named = {t.name.casefold() for t in codebook.themes} | {
            c.name.casefold() for c in _all_codes(codebook)
        }
        changes.not_in_codebook = [
            f"theme {t.name}" for t in uow.synthesis.themes() if t.name.casefold() not in named
        ] + [
            f"code {c.name}"
            for c in uow.synthesis.codes()
            if c.merged_into is None and c.name.casefold() not in named
        ]
        if changes.changed and not dry_run:
            event = CodebookLoaded(source, changes.created, changes.updated, changes.assigned)
            uow.events.append(event, workspace.actor)
            uow.commit()
    return changes


def _read_file(path: Path) -> CodebookSection:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ProtocolError(
            f"cannot read the codebook file {path}: {exc.strerror or exc}",
            hint="review.toml [codebook] file names it, relative to the project folder.",
        ) from None
    except UnicodeDecodeError:
        raise ProtocolError(f"the codebook file {path.name} is not UTF-8 text") from None
    data: Any
    if path.suffix.lower() in (".yaml", ".yml"):
        data, text = _yaml(path, text), ""  # no line numbers for YAML
    else:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise syntax_error(exc, text, path.name) from None
    if not isinstance(data, dict):
        raise ProtocolError(f"the codebook file {path.name} must hold themes and codes")
    if "file" in data:
        raise ProtocolError(f"{path.name}: a codebook file cannot name another file ('file')")
    try:
        return CodebookSection.model_validate(data)
    except ValidationError as exc:
        problems = describe_validation_error(exc, CodebookSection, data, text)
        raise protocol_error(problems, path.name) from None


def _yaml(path: Path, text: str) -> Any:
    try:
        import yaml  # type: ignore[import-untyped]  # optional: not a dependency of Synthesist
    except ImportError:
        raise UserError(
            f"{path.name}: reading a YAML codebook needs PyYAML (pip install pyyaml)",
            hint="Or write the codebook as TOML: the same keys, [[themes]] and [[codes]] tables.",
        ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProtocolError(f"{path.name}: is not valid YAML: {exc}") from None


def _all_codes(codebook: CodebookSection) -> list[CodebookCode]:
    """Every code: the [[codes]] entries, then codes only named under a theme."""
    codes = list(codebook.codes)
    for theme in codebook.themes:
        for name in theme.codes:
            if not any(same_name(code.name, name) for code in codes):
                codes.append(CodebookCode(name=name))
    return codes


def _check(codebook: CodebookSection, existing: list[Theme]) -> None:
    seen: set[str] = set()
    for code in codebook.codes:
        if code.name.casefold() in seen:
            raise ProtocolError(f"the codebook lists the code {code.name!r} twice")
        seen.add(code.name.casefold())
    known = {t.name.casefold() for t in codebook.themes} | {t.name.casefold() for t in existing}
    for code in codebook.codes:
        for name in code.themes:
            if name.casefold() not in known:
                raise ProtocolError(
                    f"the codebook puts code {code.name!r} under theme {name!r}, which is neither in the "
                    "codebook nor in the project"
                )


def _level(theme: CodebookTheme) -> ThemeLevel:
    if theme.level is not None:
        return ThemeLevel(theme.level)
    return ThemeLevel.DESCRIPTIVE if theme.parent else ThemeLevel.ANALYTICAL


def _ordered(themes: list[CodebookTheme]) -> list[CodebookTheme]:
    """Parents before their children (the section's validator already refused loops)."""
    done: list[CodebookTheme] = []
    names: set[str] = set()
    remaining = list(themes)
    while remaining:
        ready = [t for t in remaining if t.parent is None or t.parent in names]
        if not ready:  # a parent outside the codebook: it must exist in the project already
            ready = remaining[:1]
        for theme in ready:
            done.append(theme)
            names.add(theme.name)
            remaining.remove(theme)
    return done


def _load_themes(
    uow: UnitOfWork, workspace: Workspace, themes: list[CodebookTheme], changes: CodebookChanges
) -> None:
    # a theme's position is its place among its siblings in the codebook
    positions: dict[str, int] = {}
    counters: dict[str | None, int] = {}
    for theme in themes:
        key = theme.parent.casefold() if theme.parent else None
        positions[theme.name] = counters.get(key, 0)
        counters[key] = positions[theme.name] + 1
    for entry in _ordered(themes):
        stored = uow.synthesis.themes()
        current = next((t for t in stored if same_name(t.name, entry.name)), None)
        parent = next((t for t in stored if entry.parent and same_name(t.name, entry.parent)), None)
        if entry.parent and parent is None:
            raise ProtocolError(
                f"the codebook puts theme {entry.name!r} under {entry.parent!r}, which does not exist"
            )
        if current is None:
            create_theme_in(
                uow,
                workspace,
                entry.name,
                level=_level(entry),
                parent=parent.name if parent else None,
                definition=entry.definition,
                key_terms=entry.key_terms,
                position=positions[entry.name],
            )
            changes.created.append(f"theme {entry.name}")
            continue
        wanted: dict[str, tuple[Any, Any]] = {
            "level": (current.level, _level(entry)),
            "parent_id": (current.parent_id, parent.id if parent else None),
            "position": (current.position, positions[entry.name]),
        }
        if entry.definition.strip():
            wanted["definition"] = (current.definition, entry.definition.strip())
        if entry.key_terms:
            wanted["key_terms"] = (current.key_terms, tuple(entry.key_terms))
        differing = {key: new for key, (old, new) in wanted.items() if old != new}
        if not differing:
            continue
        uow.synthesis.update_theme(current.id, **differing)
        shown = {key: [_plain(wanted[key][0]), _plain(new)] for key, new in differing.items()}
        uow.events.append(ThemeChanged(current.id, current.name, shown), workspace.actor)
        changes.updated.append(f"theme {current.name}: {', '.join(k.replace('_id', '') for k in differing)}")


def _load_codes(
    uow: UnitOfWork, workspace: Workspace, codebook: CodebookSection, changes: CodebookChanges
) -> None:
    for entry in _all_codes(codebook):
        codes = uow.synthesis.codes()
        current = next((c for c in codes if same_name(c.name, entry.name)), None)
        if current is not None and current.merged_into is not None:
            into = next((c.name for c in codes if c.id == current.merged_into), "another code")
            raise ProtocolError(f"the codebook names code {entry.name!r}, which was merged into {into!r}")
        if current is None:
            current = create_code_in(
                uow, workspace, entry.name, definition=entry.definition, key_terms=entry.key_terms
            )
            changes.created.append(f"code {entry.name}")
        else:
            _update_code(uow, workspace, current, entry, changes)
        under = [t.name for t in codebook.themes if any(same_name(n, entry.name) for n in t.codes)]
        for theme_name in dict.fromkeys([*under, *entry.themes]):
            theme = next(t for t in uow.synthesis.themes() if same_name(t.name, theme_name))
            code = next(c for c in uow.synthesis.codes() if c.id == current.id)
            if assign_in(uow, workspace, code, theme):
                changes.assigned.append(f"code {code.name} under {theme.name}")


def _update_code(
    uow: UnitOfWork, workspace: Workspace, current: Code, entry: CodebookCode, changes: CodebookChanges
) -> None:
    differing: dict[str, list[Any]] = {}
    if entry.definition.strip() and entry.definition.strip() != current.definition:
        differing["definition"] = [current.definition, entry.definition.strip()]
        uow.synthesis.update_code(current.id, definition=entry.definition.strip())
    if entry.key_terms and tuple(entry.key_terms) != current.key_terms:
        differing["key_terms"] = [list(current.key_terms), list(entry.key_terms)]
        uow.synthesis.update_code(current.id, key_terms=entry.key_terms)
    if differing:
        detail = {key: new for key, (_, new) in differing.items()}
        uow.synthesis.add_history(current.id, HistoryAction.DEFINED, detail, by=workspace.actor)
        uow.events.append(CodeChanged(current.id, current.name, differing), workspace.actor)
        changes.updated.append(f"code {current.name}: {', '.join(k.replace('_', ' ') for k in differing)}")


def _plain(value: Any) -> Any:
    if isinstance(value, ThemeLevel):
        return value.value
    return list(value) if isinstance(value, tuple) else value
