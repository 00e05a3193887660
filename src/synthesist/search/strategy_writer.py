"""Writing a strategy back as a ``search/NAME.toml`` file (``synthesist search parse --save``), in the
format :mod:`synthesist.search.strategy_file` reads."""

from __future__ import annotations

import json
import re
from pathlib import Path

from synthesist.errors import ProtocolError
from synthesist.search.dialects.base import field_list
from synthesist.search.model import (
    And,
    Block,
    BlockRef,
    Combination,
    Field,
    Heading,
    Near,
    Not,
    Strategy,
    Term,
)

__all__ = ["SEARCH_FOLDER", "dump_strategy", "format_combination", "save_strategy"]

SEARCH_FOLDER = "search"
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def _term_notation(term: Term) -> str:
    return f'"{term.text}"' if term.phrase else term.text


def format_combination(combination: Combination) -> str:
    """``combine`` as written in a strategy file (brackets around every nested operator)."""
    if isinstance(combination, BlockRef):
        return combination.name
    if isinstance(combination, Not):
        return f"{_nested(combination.keep)} NOT {_nested(combination.drop)}"
    word = " AND " if isinstance(combination, And) else " OR "
    return word.join(_nested(part) for part in combination.parts)


def _nested(combination: Combination) -> str:
    text = format_combination(combination)
    return text if isinstance(combination, BlockRef) else f"({text})"


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _list(values: list[str]) -> str:
    return "[" + ", ".join(_string(value) for value in values) + "]"


def _field_names(fields: frozenset[Field]) -> str:
    return _list([name.value for name in field_list(fields)])


def dump_strategy(strategy: Strategy) -> str:
    """The strategy as a ``search/NAME.toml`` file (reads back to the same strategy, with each block's
    headings, terms and proximity groups in that order)."""
    out = [f"name = {_string(strategy.name)}", f"combine = {_string(format_combination(strategy.combine))}"]
    limits = strategy.limits
    if not limits.empty:
        out += ["", "[limits]"]
        if limits.year_from is not None and limits.year_to is not None:
            out.append(f"years = [{limits.year_from}, {limits.year_to}]")
        out.append(f"languages = {_list(list(limits.languages))}")
        if limits.publication_types:
            out.append(f"publication_types = {_list(list(limits.publication_types))}")
        if limits.humans:
            out.append("humans = true")
    for block in strategy.blocks:
        out += _dump_block(block)
    return "\n".join(out) + "\n"


def _dump_block(block: Block) -> list[str]:
    out = ["", "[[blocks]]", f"name = {_string(block.name)}"]
    if block.label:
        out.append(f"label = {_string(block.label)}")
    terms = [item for item in block.items if isinstance(item, Term)]
    nears = [item for item in block.items if isinstance(item, Near)]
    shared = (terms or nears)[0].fields if terms or nears else frozenset()
    if shared:
        out.append(f"fields = {_field_names(shared)}")
    if terms:
        entries = [
            _string(_term_notation(term))
            if term.fields == shared
            else f"{{ text = {_string(_term_notation(term))}, fields = {_field_names(term.fields)} }}"
            for term in terms
        ]
        out.append("terms = [" + ", ".join(entries) + "]")
    for near in nears:
        out += ["", "[[blocks.near]]"]
        out.append(f"left = {_list([_term_notation(term) for term in near.left])}")
        out.append(f"right = {_list([_term_notation(term) for term in near.right])}")
        out.append(f"distance = {near.distance}")
        if near.ordered:
            out.append("ordered = true")
        if near.fields != shared:
            out.append(f"fields = {_field_names(near.fields)}")
    for heading in (item for item in block.items if isinstance(item, Heading)):
        out += ["", "[[blocks.headings]]", f"vocabulary = {_string(heading.vocabulary.value)}"]
        out.append(f"label = {_string(heading.label)}")
        if heading.explode:
            out.append("explode = true")
        if heading.major:
            out.append("major = true")
    return out


def save_strategy(project_root: Path, strategy: Strategy, *, replace: bool = False) -> Path:
    """Write ``strategy`` to ``search/NAME.toml`` (refusing to overwrite unless ``replace``)."""
    if not _NAME.match(strategy.name):
        raise ProtocolError(
            f"{strategy.name!r} cannot name a strategy",
            hint="Use letters, digits and _ starting with a letter, e.g. back_pain.",
        )
    folder = project_root / SEARCH_FOLDER
    path = folder / f"{strategy.name}.toml"
    if path.exists() and not replace:
        raise ProtocolError(
            f"{SEARCH_FOLDER}/{path.name} exists already",
            hint="Choose another name, or add --force to replace it.",
        )
    folder.mkdir(exist_ok=True)
    path.write_text(dump_strategy(strategy), encoding="utf-8")
    return path
