"""Reading one line of a database's search syntax into a small expression tree.

Every database writes the same few things differently (a field as ``.ti,ab.``, ``:ti,ab`` or
``TI ( ... )``; a heading as ``exp Back Pain/`` or ``(MH "Back Pain+")``), but the shape of a
search line is shared: operands joined by AND/OR/NOT, proximity operators binding tighter, brackets,
field tags before or after an operand. So one recursive-descent parser reads every syntax, and a
:class:`Lexicon` per database says how its tokens look and what its tags mean.

Boolean operators are read left to right with runs of the same operator flattened (``a OR b AND c``
is ``(a OR b) AND c``), as PubMed, Ovid and EBSCOhost process them; the renderers always bracket
mixed operators, so a precedence difference between databases never changes what a rendering means.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from synthesist.errors import StrategySyntaxError
from synthesist.search.model import Field, Heading, Limits

__all__ = [
    "Bool",
    "Fielded",
    "Group",
    "HeadingAtom",
    "Lexicon",
    "LimitAtom",
    "Node",
    "Prox",
    "Ref",
    "Word",
    "parse_line",
]


# -- the expression tree ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """A free-text term as typed: ``quoted`` when it was in quotes (a phrase)."""

    text: str
    quoted: bool
    column: int


@dataclass(frozen=True)
class Fielded:
    inner: Node
    fields: frozenset[Field]


@dataclass(frozen=True)
class HeadingAtom:
    heading: Heading


@dataclass(frozen=True)
class LimitAtom:
    """One limit (years, a language, a publication type, humans) as part of a search line."""

    limits: Limits


@dataclass(frozen=True)
class Ref:
    """A reference to an earlier line (``#3``, ``S3``, Ovid's ``3``)."""

    number: int
    column: int


@dataclass(frozen=True)
class Prox:
    left: Node
    right: Node
    distance: int
    ordered: bool


@dataclass(frozen=True)
class Bool:
    op: str  # "and", "or", "not"
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Group:
    """Brackets as written: they decide where a concept block ends in a one-expression search."""

    inner: Node


Node = Word | Fielded | HeadingAtom | LimitAtom | Ref | Prox | Bool | Group

Tag = Callable[[Node, int], Node]
"""What a field tag does to the operand it applies to (the int is the tag's column, for errors)."""


@dataclass
class Lexicon:
    """How one database writes its tokens. Patterns are matched at the current position.

    - ``atoms``: whole operands (a heading, a line reference, a limit) → the node;
    - ``prefixes``: tags written before an operand (``TI``, ``TS=``, ``TITLE:``); the operand follows;
    - ``suffixes``: tags written after an operand (``.ti,ab.``, ``[tiab]``, ``:ti,ab``, ``/exp``);
    - ``proximity``: operator → (distance, ordered);
    - ``operators``: regex → "and"/"or"/"not".
    """

    operators: list[tuple[re.Pattern[str], str]]
    proximity: list[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[int, bool]]]] = field(
        default_factory=list
    )
    atoms: list[tuple[re.Pattern[str], Callable[[re.Match[str], int], Node]]] = field(default_factory=list)
    prefixes: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Tag]]] = field(default_factory=list)
    suffixes: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Tag]]] = field(default_factory=list)
    quotes: str = '"'
    # characters that end an unquoted word besides space, brackets and quotes
    word_breaks: str = ""
    # text before/after which a word must stop (a suffix tag glued to it, e.g. Ovid's ".ti,ab.")
    word_stop: re.Pattern[str] | None = None
    translate_word: Callable[[str], str] = field(default=lambda text: text)


def standard_operators(not_pattern: str = r"NOT") -> list[tuple[re.Pattern[str], str]]:
    flags = re.IGNORECASE
    end = r"(?=[\s()]|$)"
    return [
        (re.compile(rf"AND{end}", flags), "and"),
        (re.compile(rf"OR{end}", flags), "or"),
        (re.compile(rf"{not_pattern}{end}", flags), "not"),
    ]


# -- tokens -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # "(", ")", "op", "prox", "atom", "word", "prefix", "suffix"
    column: int
    value: object = None


def _tokens(text: str, line: int, lexicon: Lexicon) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char.isspace():
            pos += 1
            continue
        column = pos + 1
        try:
            match, pos = _next_token(text, pos, lexicon, tokens)
        except ValueError as exc:  # a tag or atom the database does not have, e.g. PubMed's [xyz]
            raise StrategySyntaxError(line, column, str(exc)) from None
        if match is None:
            if text[pos] in lexicon.quotes:
                raise StrategySyntaxError(
                    line, column, f"unbalanced quotes — this {text[pos]} is never closed"
                )
            raise StrategySyntaxError(line, column, f"cannot read {text[pos : pos + 12]!r}")
        tokens.append(match)
    return tokens


def _next_token(text: str, pos: int, lexicon: Lexicon, before: list[_Token]) -> tuple[_Token | None, int]:
    column = pos + 1
    glued = pos > 0 and not text[pos - 1].isspace()
    # a suffix tag comes straight after its operand; prefixes and atoms start one
    if glued or (before and before[-1].kind in {")", "word", "atom"}):
        for pattern, make_tag in lexicon.suffixes:
            found = pattern.match(text, pos)
            if found and before and before[-1].kind in {")", "word", "atom", "suffix"}:
                return _Token("suffix", column, make_tag(found)), found.end()
    previous_is_operand = bool(before) and before[-1].kind in {")", "word", "atom", "suffix"}
    if previous_is_operand:
        for pattern, op in lexicon.operators:
            found = pattern.match(text, pos)
            if found:
                return _Token("op", column, op), found.end()
        for pattern, read in lexicon.proximity:
            found = pattern.match(text, pos)
            if found:
                return _Token("prox", column, read(found)), found.end()
    # atoms before brackets: EBSCOhost writes a heading as (MH "Back Pain+")
    for pattern, make_atom in lexicon.atoms:
        found = pattern.match(text, pos)
        if found:
            return _Token("atom", column, make_atom(found, column)), found.end()
    if text[pos] in "()":
        return _Token(text[pos], column), pos + 1
    for pattern, make_prefix in lexicon.prefixes:
        found = pattern.match(text, pos)
        if found:
            return _Token("prefix", column, make_prefix(found)), found.end()
    if text[pos] in lexicon.quotes:
        end = text.find(text[pos], pos + 1)
        if end < 0:
            return None, pos
        return _Token("word", column, (lexicon.translate_word(text[pos + 1 : end]), True)), end + 1
    end = pos
    breaks = " \t()" + lexicon.quotes + lexicon.word_breaks
    while end < len(text) and text[end] not in breaks:
        if end > pos and lexicon.word_stop is not None and lexicon.word_stop.match(text, end):
            break
        end += 1
    if end == pos:
        return None, pos
    return _Token("word", column, (lexicon.translate_word(text[pos:end]), False)), end


# -- parser -----------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str, line: int, lexicon: Lexicon) -> None:
        self.text = text
        self.line = line
        self.tokens = _tokens(text, line, lexicon)
        self.index = 0

    def error(self, column: int, reason: str) -> StrategySyntaxError:
        return StrategySyntaxError(self.line, column, reason)

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise self.error(1, "empty search line")
        node = self.sequence()
        token = self.peek()
        if token is not None:
            if token.kind == ")":
                raise self.error(token.column, "unbalanced parenthesis — a ')' without its '('")
            raise self.error(token.column, f"unexpected {self._shown(token)}")
        return node

    def _shown(self, token: _Token) -> str:
        end = self.tokens[self.index + 1].column - 1 if self.index + 1 < len(self.tokens) else None
        return repr(self.text[token.column - 1 : end].strip() or token.kind)

    def sequence(self) -> Node:
        node = self.proximity()
        while (token := self.peek()) is not None and token.kind == "op":
            op = str(self.take().value)
            right = self.proximity()
            if op == "not":
                node = Bool("not", (node, right))
            elif isinstance(node, Bool) and node.op == op:
                node = Bool(op, (*node.parts, right))
            else:
                node = Bool(op, (node, right))
        return node

    def proximity(self) -> Node:
        node = self.operand()
        while (token := self.peek()) is not None and token.kind == "prox":
            distance, ordered = cast(tuple[int, bool], token.value)
            self.take()
            node = Prox(node, self.operand(), distance, ordered)
        return node

    def operand(self) -> Node:
        token = self.peek()
        if token is None:
            raise self.error(len(self.text) + 1, "the line ends where a term was expected")
        if token.kind == "prefix":
            self.take()
            tag: Tag = token.value  # type: ignore[assignment]
            return self.apply(tag, self.operand(), token.column)
        if token.kind == "(":
            self.take()
            inner = self.sequence()
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise self.error(token.column, "unbalanced parenthesis — this '(' is never closed")
            self.take()
            return self.suffixes(Group(inner))
        if token.kind == "atom":
            self.take()
            return self.suffixes(token.value)  # type: ignore[arg-type]
        if token.kind == "word":
            self.take()
            text, quoted = cast(tuple[str, bool], token.value)
            words = [text]
            while not quoted and (following := self.peek()) is not None and following.kind == "word":
                following_text, following_quoted = cast(tuple[str, bool], following.value)
                if following_quoted:
                    break
                words.append(following_text)
                self.take()
            return self.suffixes(Word(" ".join(words), quoted, token.column))
        if token.kind == ")":
            raise self.error(token.column, "unbalanced parenthesis — a ')' where a term was expected")
        raise self.error(token.column, f"{self._shown(token)} where a term was expected")

    def suffixes(self, node: Node) -> Node:
        while (token := self.peek()) is not None and token.kind == "suffix":
            self.take()
            tag: Tag = token.value  # type: ignore[assignment]
            node = self.apply(tag, node, token.column)
        return node

    def apply(self, tag: Tag, node: Node, column: int) -> Node:
        # a tag refuses an operand it cannot qualify (a heading tag on a bracketed group...) with ValueError
        try:
            return tag(node, column)
        except ValueError as exc:
            raise self.error(column, str(exc)) from None


def parse_line(text: str, line: int, lexicon: Lexicon) -> Node:
    """Parse one search line (or a whole one-expression search) into its expression tree."""
    return _Parser(text, line, lexicon).parse()
