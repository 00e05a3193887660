"""Search strategies kept in the project as ``search/NAME.toml``: reading them, and writing one back.

The file a librarian edits::

    combine = "partnership AND back_pain AND self_management"

    [limits]                       # years and languages default to review.toml's [search]
    years = [1980, 2014]
    languages = ["English"]

    [[blocks]]
    name = "back_pain"
    label = "Chronic back pain"
    fields = ["ti", "ab", "kw"]    # where the terms are searched (empty: the database's default)
    terms = ['"back pain"', "backache", "lumbago"]   # "quoted" = phrase; * truncation, ? one character

    [[blocks.near]]                # words within `distance` words of each other
    left = ["chronic*"]
    right = ["pain*"]
    distance = 3

    [[blocks.headings]]
    vocabulary = "mesh"            # mesh, emtree, cinahl or apa
    label = "Back Pain"
    explode = true

In a block, headings come first, then terms, then proximity groups (the order they are searched in
changes nothing). Every mistake names the file, the line and the key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from synthesist.errors import NotFound, ProtocolError, StrategySyntaxError
from synthesist.review.protocol import Protocol, load_protocol
from synthesist.search.model import (
    And,
    Block,
    BlockRef,
    Combination,
    Field,
    Heading,
    Item,
    Limits,
    Near,
    Not,
    Or,
    Strategy,
    Term,
    Vocabulary,
)
from synthesist.search.strategy_writer import SEARCH_FOLDER, dump_strategy, format_combination, save_strategy
from synthesist.search.syntax import (
    Bool,
    Group,
    Lexicon,
    Node,
    Word,
    parse_line,
    standard_operators,
)
from synthesist.toml_errors import syntax_error
from synthesist.toml_lines import KeyPath, find_key_line, key_lines

__all__ = [
    "SEARCH_FOLDER",
    "dump_strategy",
    "format_combination",
    "load_strategies",
    "load_strategy",
    "parse_combination",
    "parse_term",
    "save_strategy",
    "strategy_from_toml",
]

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_COMBINE_LEXICON = Lexicon(operators=standard_operators())


class _Problem(Exception):
    def __init__(self, path: KeyPath, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def parse_term(text: str, fields: frozenset[Field] = frozenset()) -> Term:
    """A term in canonical notation: ``"back pain"`` in quotes is a phrase, ``self manag*`` is not."""
    stripped = text.strip()
    if len(stripped) >= 2 and stripped.startswith('"') and stripped.endswith('"'):
        return Term(stripped[1:-1].strip(), phrase=True, fields=fields)
    return Term(" ".join(stripped.split()), fields=fields)


# -- reading ----------------------------------------------------------------------------------------


def _expect(value: Any, kind: type | tuple[type, ...], path: KeyPath, what: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _Problem(path, f"must be {what}")
    return value


def _fields(value: Any, path: KeyPath) -> frozenset[Field]:
    names = _expect(value, list, path, 'a list of fields, e.g. ["ti", "ab"]')
    fields = set()
    for index, name in enumerate(names):
        try:
            fields.add(Field(str(name).lower()))
        except ValueError:
            raise _Problem((*path, index), f'"{name}" is not a field; use "ti", "ab" or "kw"') from None
    return frozenset(fields)


def _strings(value: Any, path: KeyPath) -> list[str]:
    items = _expect(value, list, path, 'a list of text in quotes, e.g. ["first", "second"]')
    for index, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise _Problem((*path, index), "must be text in quotes (not empty)")
    return [str(item) for item in items]


def _check_keys(table: dict[str, Any], allowed: set[str], path: KeyPath) -> None:
    for key in table:
        if key not in allowed:
            raise _Problem(
                (*path, key), f"is not a setting here; expected one of {', '.join(sorted(allowed))}"
            )


def _block(table: Any, path: KeyPath) -> Block:
    table = _expect(table, dict, path, "a [[blocks]] table")
    _check_keys(table, {"name", "label", "fields", "terms", "near", "headings"}, path)
    if "name" not in table:
        raise _Problem(path, "a block needs a name (letters, digits and _), used in combine")
    name = _expect(table["name"], str, (*path, "name"), "text in quotes")
    if not _NAME.match(name):
        raise _Problem(
            (*path, "name"), f'"{name}" must start with a letter and hold only letters, digits and _'
        )
    label = _expect(table.get("label", ""), str, (*path, "label"), "text in quotes")
    fields = _fields(table.get("fields", []), (*path, "fields"))
    items: list[Item] = []
    for index, heading in enumerate(
        _expect(table.get("headings", []), list, (*path, "headings"), "[[blocks.headings]] tables")
    ):
        items.append(_heading(heading, (*path, "headings", index)))
    for index, entry in enumerate(_expect(table.get("terms", []), list, (*path, "terms"), "a list of terms")):
        items.append(_term(entry, fields, (*path, "terms", index)))
    for index, near in enumerate(
        _expect(table.get("near", []), list, (*path, "near"), "[[blocks.near]] tables")
    ):
        items.append(_near(near, fields, (*path, "near", index)))
    if not items:
        raise _Problem(path, f"block {name!r} has no terms, proximity groups or headings")
    return Block(name, tuple(items), label)


def _term(entry: Any, fields: frozenset[Field], path: KeyPath) -> Term:
    if isinstance(entry, dict):
        _check_keys(entry, {"text", "fields"}, path)
        text = _expect(entry.get("text"), str, (*path, "text"), "text in quotes")
        term = parse_term(text, _fields(entry["fields"], (*path, "fields")) if "fields" in entry else fields)
    else:
        text = _expect(entry, str, path, 'a term in quotes, e.g. "backache" or \'"back pain"\'')
        term = parse_term(text, fields)
    return _checked(term, path)


_NOT_IN_TERMS = re.compile(r'[()\[\]"\'#]|^(?:and|or|not)$|\s(?:and|or|not)\s', re.IGNORECASE)


def _checked(term: Term, path: KeyPath) -> Term:
    """A term every syntax can write: no brackets, quotes or operators inside it."""
    if not term.text:
        raise _Problem(path, "is an empty term")
    if _NOT_IN_TERMS.search(term.text):
        raise _Problem(
            path,
            f"{term.text!r} holds brackets, quotes, # or AND/OR/NOT; a term is a word or a phrase "
            "(combine terms with separate entries and blocks with combine)",
        )
    return term


def _near(table: Any, fields: frozenset[Field], path: KeyPath) -> Near:
    table = _expect(table, dict, path, "a [[blocks.near]] table")
    _check_keys(table, {"left", "right", "distance", "ordered", "fields"}, path)
    for key in ("left", "right", "distance"):
        if key not in table:
            raise _Problem(path, f"a proximity group needs {key}")
    distance = _expect(table["distance"], int, (*path, "distance"), "a whole number of words (no quotes)")
    if distance < 1:
        raise _Problem((*path, "distance"), "must be 1 or more")
    return Near(
        tuple(
            _checked(parse_term(text), (*path, "left", i))
            for i, text in enumerate(_strings(table["left"], (*path, "left")))
        ),
        tuple(
            _checked(parse_term(text), (*path, "right", i))
            for i, text in enumerate(_strings(table["right"], (*path, "right")))
        ),
        distance,
        _expect(table.get("ordered", False), bool, (*path, "ordered"), "true or false"),
        _fields(table["fields"], (*path, "fields")) if "fields" in table else fields,
    )


def _heading(table: Any, path: KeyPath) -> Heading:
    table = _expect(table, dict, path, "a [[blocks.headings]] table")
    _check_keys(table, {"vocabulary", "label", "explode", "major"}, path)
    try:
        vocabulary = Vocabulary(str(table.get("vocabulary", "")).lower())
    except ValueError:
        raise _Problem((*path, "vocabulary"), 'must be one of "mesh", "emtree", "cinahl", "apa"') from None
    label = _expect(table.get("label"), str, (*path, "label"), "the heading in quotes")
    return Heading(
        vocabulary,
        label,
        explode=_expect(table.get("explode", False), bool, (*path, "explode"), "true or false"),
        major=_expect(table.get("major", False), bool, (*path, "major"), "true or false"),
    )


def _limits(table: Any, defaults: Limits) -> Limits:
    table = _expect(table, dict, ("limits",), "a [limits] table")
    _check_keys(table, {"years", "languages", "publication_types", "humans"}, ("limits",))
    year_from, year_to = defaults.year_from, defaults.year_to
    if "years" in table:
        years = _expect(table["years"], list, ("limits", "years"), "[first, last], e.g. [1980, 2014]")
        if len(years) != 2 or not all(isinstance(year, int) and not isinstance(year, bool) for year in years):
            raise _Problem(("limits", "years"), "must be [first, last] as whole numbers, e.g. [1980, 2014]")
        year_from, year_to = years
        if year_from > year_to:
            raise _Problem(
                ("limits", "years"), f"{year_from} is after {year_to}; the years must run forwards"
            )
    return Limits(
        year_from=year_from,
        year_to=year_to,
        languages=tuple(_strings(table["languages"], ("limits", "languages")))
        if "languages" in table
        else defaults.languages,
        publication_types=tuple(
            _strings(table.get("publication_types", []), ("limits", "publication_types"))
        ),
        humans=_expect(table.get("humans", False), bool, ("limits", "humans"), "true or false"),
    )


def _combination(node: Node, names: set[str]) -> Combination:
    if isinstance(node, Group):
        return _combination(node.inner, names)
    if isinstance(node, Word) and not node.quoted:
        if node.text not in names:
            known = ", ".join(sorted(names))
            raise ValueError(f"column {node.column}: no block is named {node.text!r} (blocks: {known})")
        return BlockRef(node.text)
    if isinstance(node, Bool):
        parts = [_combination(part, names) for part in node.parts]
        if node.op == "not":
            return Not(parts[0], parts[1])
        kind = And if node.op == "and" else Or
        flat: list[Combination] = []
        for part in parts:
            flat.extend(part.parts if isinstance(part, kind) else (part,))
        return kind(tuple(flat))
    raise ValueError("combine joins block names with AND, OR, NOT and brackets")


def parse_combination(text: str, names: set[str]) -> Combination:
    try:
        return _combination(parse_line(text, 1, _COMBINE_LEXICON), names)
    except StrategySyntaxError as exc:
        raise ValueError(exc.reason if exc.column == 1 else f"column {exc.column}: {exc.reason}") from None


def strategy_from_toml(text: str, file_name: str, name: str, defaults: Limits = Limits()) -> Strategy:
    """Read one strategy file's text; ``defaults`` supply years and languages [limits] leaves out."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise syntax_error(exc, text, file_name) from None
    return _located(lambda: _strategy(data, name, defaults), text, file_name, ())


def _located(read: Callable[[], Strategy], text: str, file_name: str, prefix: KeyPath) -> Strategy:
    """``read()``, with a mistake reported at its line of ``text`` (the table is at ``prefix``)."""
    try:
        return read()
    except _Problem as problem:
        path = (*prefix, *problem.path)
        line = find_key_line(text, path, key_lines(text))
        key = ".".join(str(part) if isinstance(part, str) else f"[{part}]" for part in path).replace(
            ".[", "["
        )
        raise ProtocolError(
            f"{key} {problem.message}" if key else problem.message,
            location=f"{file_name}:{line}" if line else file_name,
            hint="Edit the strategy file at that line; `synthesist search show --help` shows the format.",
        ) from None


def _strategy(data: dict[str, Any], name: str | None, defaults: Limits) -> Strategy:
    _check_keys(data, {"name", "combine", "limits", "blocks"}, ())
    if name is None and "name" not in data:
        raise _Problem((), 'a strategy in review.toml needs a name, e.g. name = "main"')
    if "name" in data:
        name = _expect(data["name"], str, ("name",), "text in quotes")
        if not _NAME.match(name):
            raise _Problem(
                ("name",), f'"{name}" must start with a letter and hold only letters, digits and _'
            )
    raw_blocks = _expect(data.get("blocks", []), list, ("blocks",), "[[blocks]] tables")
    if not raw_blocks:
        raise _Problem(("blocks",), "a strategy needs at least one [[blocks]] table")
    blocks = [_block(table, ("blocks", index)) for index, table in enumerate(raw_blocks)]
    names: set[str] = set()
    for index, block in enumerate(blocks):
        if block.name in names:
            raise _Problem(
                ("blocks", index, "name"), f"{block.name!r} names two blocks; give each its own name"
            )
        names.add(block.name)
    if "combine" in data:
        text = _expect(data["combine"], str, ("combine",), 'text in quotes, e.g. "a AND b"')
        try:
            combine = parse_combination(text, names)
        except ValueError as exc:
            raise _Problem(("combine",), f"= {text!r}: {exc}") from None
    else:
        combine = (
            BlockRef(blocks[0].name) if len(blocks) == 1 else And(tuple(BlockRef(b.name) for b in blocks))
        )
    limits = _limits(data["limits"], defaults) if "limits" in data else defaults
    return Strategy(str(name), tuple(blocks), combine, limits)


def _default_limits(protocol: Protocol | None) -> Limits:
    if protocol is None:
        return Limits()
    search = protocol.search
    start, end = search.period_start, search.period_end
    return Limits(
        year_from=start.year if start else None,
        year_to=end.year if end else None,
        languages=tuple(search.languages),
    )


def load_strategies(project_root: Path, protocol: Protocol | None = None) -> list[Strategy]:
    """Every strategy of the project: the ``[[search.strategies]]`` of review.toml, then the files of
    its ``search/`` folder by name. Limits default to review.toml's ``[search]`` period and languages
    (review.toml is read from the project when ``protocol`` is not given)."""
    return [strategy for _, strategy in _load_all(project_root, protocol)]


def _load_all(project_root: Path, protocol: Protocol | None) -> list[tuple[str, Strategy]]:
    """Each strategy with where it is kept: "review.toml" or its file name without ``.toml``."""
    folder = project_root / SEARCH_FOLDER
    protocol_path = project_root / "review.toml"
    if protocol is None and protocol_path.is_file():
        protocol = load_protocol(protocol_path)
    defaults = _default_limits(protocol)
    found: list[tuple[str, Strategy]] = []
    if protocol is not None and protocol.search.strategies:
        text = _read(protocol_path)
        for index, table in enumerate(protocol.search.strategies):
            prefix: KeyPath = ("search", "strategies", index)
            read = partial(_strategy, table, None, defaults)
            found.append(("review.toml", _located(read, text, "review.toml", prefix)))
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        file_name = f"{SEARCH_FOLDER}/{path.name}"
        strategy = strategy_from_toml(_read(path), file_name, path.stem, defaults)
        if any(known.name == strategy.name for _, known in found):
            raise ProtocolError(
                f"a strategy named {strategy.name!r} is also in review.toml",
                location=file_name,
                hint="Give each strategy its own name.",
            )
        found.append((path.stem, strategy))
    return found


def load_strategy(project_root: Path, name: str) -> Strategy:
    """The strategy named ``name`` (its ``name`` key, or its file name without ``.toml``)."""
    found = _load_all(project_root, None)
    for place, strategy in found:
        if name in {strategy.name, place}:
            return strategy
    strategies = [strategy for _, strategy in found]
    available = ", ".join(strategy.name for strategy in strategies) or "none yet"
    raise NotFound(
        f"no search strategy named {name!r} (strategies: {available})",
        hint=f"Strategies are the .toml files in {project_root / SEARCH_FOLDER} and the "
        "[[search.strategies]] of review.toml; "
        "`synthesist search parse FILE --from TARGET --save NAME` makes one from a pasted strategy.",
    )


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ProtocolError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ProtocolError("is not UTF-8 text", location=f"{SEARCH_FOLDER}/{path.name}") from None
