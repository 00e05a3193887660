"""From parsed search lines back to a :class:`Strategy`: which lines are concept blocks, which line
combines them, which limits apply.

A line-numbered strategy is read the way librarians write it: lines of terms ORed together (directly
or through a line such as ``#1 OR #2``) are one concept block; the last line (or the line a final
limit line refers to) combines blocks with AND/OR/NOT. A one-expression search is the same with
brackets instead of line numbers: a bracketed group of terms is a block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from synthesist.errors import StrategySyntaxError
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
)
from synthesist.search.syntax import (
    Bool,
    Fielded,
    Group,
    HeadingAtom,
    LimitAtom,
    Node,
    Prox,
    Ref,
    Word,
)

__all__ = ["ParsedLine", "is_items", "items_of", "merge_limits", "rebuild"]


@dataclass(frozen=True)
class ParsedLine:
    number: int  # the line's own number (#3, S3, 3)
    source_line: int  # the line in the pasted text, for errors
    node: Node


def is_items(node: Node) -> bool:
    """True when ``node`` only ORs terms, proximity groups and headings (a concept, no line numbers)."""
    if isinstance(node, Word | HeadingAtom):
        return True
    if isinstance(node, Fielded | Group):
        return is_items(node.inner)
    if isinstance(node, Prox):
        return is_items(node.left) and is_items(node.right)
    if isinstance(node, Bool):
        return node.op == "or" and all(is_items(part) for part in node.parts)
    return False


def _with_fields(item: Item, fields: frozenset[Field]) -> Item:
    if isinstance(item, Heading) or item.fields or not fields:
        return item
    return replace(item, fields=fields)


def items_of(node: Node, fields: frozenset[Field] = frozenset()) -> list[Item]:
    """The block items ``node`` stands for. Two neighbouring field groups with the same terms
    (``TI ( a ) OR AB ( a )``) become one group searched in both fields."""
    if isinstance(node, Word):
        return [Term(node.text, phrase=node.quoted, fields=fields)]
    if isinstance(node, HeadingAtom):
        return [node.heading]
    if isinstance(node, Group):
        return items_of(node.inner, fields)
    if isinstance(node, Fielded):
        return items_of(node.inner, node.fields)
    if isinstance(node, Prox):
        near = Near(_side(node.left), _side(node.right), node.distance, node.ordered)
        return [_with_fields(near, fields)]
    if isinstance(node, Bool) and node.op == "or":
        chunks: list[tuple[frozenset[Field] | None, list[Item]]] = []
        for part in node.parts:
            inner = part.inner if isinstance(part, Group) else part
            if isinstance(inner, Fielded):
                current = (inner.fields, items_of(inner.inner))
                previous = chunks[-1] if chunks else None
                if (
                    previous is not None
                    and previous[0] is not None
                    and previous[1] == current[1]
                    and previous[0].isdisjoint(current[0])
                ):
                    chunks[-1] = (previous[0] | current[0], previous[1])
                    continue
                chunks.append(current)
            else:
                chunks.append((None, items_of(part)))
        return [
            _with_fields(item, chunk_fields or fields) for chunk_fields, items in chunks for item in items
        ]
    raise ValueError("not a concept")


def _side(node: Node) -> tuple[Term, ...]:
    terms = items_of(node)
    if not all(isinstance(term, Term) and not term.fields for term in terms):
        raise ValueError("a proximity group can only hold free-text terms")
    return tuple(term for term in terms if isinstance(term, Term))


def merge_limits(first: Limits, second: Limits) -> Limits:
    return Limits(
        year_from=second.year_from if second.year_from is not None else first.year_from,
        year_to=second.year_to if second.year_to is not None else first.year_to,
        languages=first.languages + tuple(x for x in second.languages if x not in first.languages),
        publication_types=first.publication_types
        + tuple(x for x in second.publication_types if x not in first.publication_types),
        humans=first.humans or second.humans,
    )


def _limits_of(node: Node) -> Limits | None:
    """The limits ``node`` states, if it is nothing but limits (``english[la] OR french[la]`` too)."""
    if isinstance(node, LimitAtom):
        return node.limits
    if isinstance(node, Group):
        return _limits_of(node.inner)
    if isinstance(node, Bool) and node.op in {"or", "and"}:
        found = Limits()
        for part in node.parts:
            limits = _limits_of(part)
            if limits is None:
                return None
            found = merge_limits(found, limits)
        return found
    return None


class _Rebuilder:
    def __init__(self, lines: list[ParsedLine]) -> None:
        self.lines = {line.number: line for line in lines}
        self.limits = Limits()
        self.blocks: dict[str, tuple[tuple[int, int], list[Item]]] = {}  # temporary name → (position, items)
        self.block_of_line: dict[int, str] = {}
        self.current = lines[-1]

    def error(self, column: int, reason: str) -> StrategySyntaxError:
        return StrategySyntaxError(self.current.source_line, column, reason)

    def line(self, ref: Ref) -> ParsedLine:
        found = self.lines.get(ref.number)
        if found is None or found.number >= self.current.number:
            raise self.error(ref.column, f"refers to line {ref.number}, which is not an earlier line")
        return found

    def new_block(self, items: list[Item], position: tuple[int, int]) -> BlockRef:
        name = f"_{len(self.blocks)}"
        self.blocks[name] = (position, items)
        return BlockRef(name)

    def block_items(self, node: Node) -> list[Item] | None:
        """Items of a line that is a concept (its terms, or an OR of such lines), else None."""
        if isinstance(node, Group):
            return self.block_items(node.inner)
        if isinstance(node, Ref):
            outer = self.current
            self.current = self.line(node)
            try:
                return self.block_items(self.current.node)
            finally:
                self.current = outer
        if is_items(node):
            try:
                return items_of(node)
            except ValueError as exc:
                raise self.error(1, str(exc)) from None
        if isinstance(node, Bool) and node.op == "or":
            collected: list[Item] = []
            for part in node.parts:
                items = self.block_items(part)
                if items is None:
                    return None
                collected.extend(items)
            return collected
        return None

    def final(self, node: Node) -> Combination | None:
        """The combination of the last line. A limit line (``#5 #4 AND english[la]``) makes the line
        it limits the combining line, whatever that line holds (``#4 #1 OR #2`` ORs two blocks)."""
        if isinstance(node, Bool) and node.op == "and":
            rest = [part for part in node.parts if _limits_of(part) is None]
            if len(rest) == 1 and isinstance(rest[0], Ref) and len(node.parts) > 1:
                for part in node.parts:
                    self.limits = merge_limits(self.limits, _limits_of(part) or Limits())
                self.current = self.line(rest[0])
                return self.build(self.current.node)
        return self.build(node)

    def build(self, node: Node) -> Combination | None:
        """The combination ``node`` stands for; None when it is only limits (they are collected)."""
        if isinstance(node, Ref):
            line = self.line(node)
            if line.number in self.block_of_line:
                return BlockRef(self.block_of_line[line.number])
            outer = self.current
            self.current = line
            try:
                items = self.block_items(line.node)
                if items is not None:
                    block = self.new_block(items, (line.number, 0))
                    self.block_of_line[line.number] = block.name
                    return block
                return self.build(line.node)
            finally:
                self.current = outer
        limits = _limits_of(node)
        if limits is not None:
            self.limits = merge_limits(self.limits, limits)
            return None
        # in one expression each block is bracketed: "(a OR b) OR (c)" ORs two blocks
        core: Node = node
        while isinstance(core, Group):
            core = core.inner
        bracketed_parts = isinstance(core, Bool) and any(isinstance(part, Group) for part in core.parts)
        if is_items(node) and not bracketed_parts:
            try:
                return self.new_block(items_of(node), (self.current.number, len(self.blocks) + 1))
            except ValueError as exc:
                raise self.error(_column(node), str(exc)) from None
        if isinstance(node, Group):
            return self.build(node.inner)
        if isinstance(node, Fielded):
            # a field over an AND (PubMed's and Europe PMC's stand-in for proximity): the field
            # applies to each part
            inner = node.inner
            while isinstance(inner, Group):
                inner = inner.inner
            if isinstance(inner, Bool):
                return self.build(Bool(inner.op, tuple(Fielded(part, node.fields) for part in inner.parts)))
        if isinstance(node, Bool):
            parts = [self.build(part) for part in node.parts]
            kept = [part for part in parts if part is not None]
            if not kept:
                return None
            if node.op == "not":
                if parts[0] is None or len(kept) != 2:
                    raise self.error(_column(node), "NOT must exclude one search from another")
                return Not(kept[0], kept[1])
            if len(kept) == 1:
                return kept[0]
            flat: list[Combination] = []
            kind = And if node.op == "and" else Or
            for part in kept:
                flat.extend(part.parts if isinstance(part, kind) else (part,))
            return kind(tuple(flat))
        if isinstance(node, LimitAtom):
            self.limits = merge_limits(self.limits, node.limits)
            return None
        raise self.error(_column(node), "cannot combine this with the other searches")


def _column(node: Node) -> int:
    if isinstance(node, Word | Ref):
        return node.column
    if isinstance(node, Group | Fielded):
        return _column(node.inner)
    if isinstance(node, Prox):
        return _column(node.left)
    if isinstance(node, Bool):
        return _column(node.parts[0])
    return 1


def rebuild(lines: list[ParsedLine], name: str) -> Strategy:
    """The strategy that ``lines`` (in order; the last one is the final search) describe."""
    rebuilder = _Rebuilder(lines)
    combination = rebuilder.final(lines[-1].node)
    if combination is None:
        raise StrategySyntaxError(lines[-1].source_line, 1, "the strategy has limits but no search terms")
    ordered = sorted(rebuilder.blocks.items(), key=lambda entry: entry[1][0])
    names: dict[str, str] = {}
    blocks: list[Block] = []
    for temporary, (_, items) in ordered:
        names[temporary] = _unique(_block_name(items), set(names.values()))
        blocks.append(Block(names[temporary], tuple(items)))
    return Strategy(name, tuple(blocks), _renamed(combination, names), rebuilder.limits)


def _block_name(items: list[Item]) -> str:
    first = items[0] if items else None
    text = (
        first.label
        if isinstance(first, Heading)
        else first.text
        if isinstance(first, Term)
        else first.left[0].text
        if isinstance(first, Near) and first.left
        else "block"
    )
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40].strip("_")
    # a name in `combine` starts with a letter
    return slug if slug[:1].isalpha() else f"block_{slug}".strip("_")


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate = f"{name}_{number}"
        number += 1
    return candidate


def _renamed(combination: Combination, names: dict[str, str]) -> Combination:
    if isinstance(combination, BlockRef):
        return BlockRef(names[combination.name])
    if isinstance(combination, Not):
        return Not(_renamed(combination.keep, names), _renamed(combination.drop, names))
    return type(combination)(tuple(_renamed(part, names) for part in combination.parts))
