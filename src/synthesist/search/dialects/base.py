"""What every database syntax shares: laying a strategy out as numbered lines (or one expression),
collecting notes on what a database cannot express, and reading a pasted strategy back.

A :class:`Dialect` subclass says how its database writes a term, a field group, a proximity group,
a heading, a line reference and the limits; this module decides the layout, which is the same for
all: each concept block gets its lines (consecutive items that can share a line share it), a line
ORs them when there are several, one line combines the blocks, and one line applies the limits.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from synthesist.errors import StrategySyntaxError
from synthesist.search.dialects.rebuild import ParsedLine, rebuild
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
    Strategy,
    Term,
    Vocabulary,
)
from synthesist.search.syntax import Lexicon, Node, parse_line

__all__ = [
    "EARLIEST",
    "LANGUAGE_CODES",
    "LATEST",
    "Dialect",
    "Note",
    "Notes",
    "Translation",
    "field_list",
    "open_year",
    "year_range",
]

EARLIEST = 1000
LATEST = 3000
"""Stand-ins for an open end of a year range where a syntax has no open range; read back as open."""

# ISO 639-2 codes (Europe PMC's LANG field) of the languages reviews most often limit to
LANGUAGE_CODES = {
    "English": "eng",
    "French": "fre",
    "German": "ger",
    "Spanish": "spa",
    "Portuguese": "por",
    "Italian": "ita",
    "Dutch": "dut",
    "Chinese": "chi",
    "Japanese": "jpn",
    "Russian": "rus",
    "Swedish": "swe",
    "Norwegian": "nor",
    "Danish": "dan",
    "Finnish": "fin",
    "Polish": "pol",
    "Turkish": "tur",
    "Korean": "kor",
    "Arabic": "ara",
}


def open_year(year: int, sentinel: int) -> int | None:
    """A year read back from a range: the stand-in for an open end means no limit."""
    return None if year == sentinel else year


def year_range(first: str, last: str) -> Limits:
    """Limits for the years ``first``–``last`` as written (stand-ins for open ends read as open)."""
    return Limits(year_from=open_year(int(first), EARLIEST), year_to=open_year(int(last), LATEST))


FIELD_ORDER = (Field.TITLE, Field.ABSTRACT, Field.KEYWORDS)


def field_list(fields: frozenset[Field]) -> list[Field]:
    return [name for name in FIELD_ORDER if name in fields]


@dataclass(frozen=True)
class Note:
    """Something the target cannot express and what was done instead (``line``: where, if numbered)."""

    line: int | None
    message: str


@dataclass(frozen=True)
class Translation:
    """A strategy in one database's syntax. ``lines``: the numbered search history as pasted (one
    line for Scopus and Europe PMC, which have no line numbers); ``query``: the same search as one
    expression with each block bracketed, limits included where the syntax has query terms for them
    (PubMed, Embase.com, Web of Science, Scopus, Europe PMC; Ovid, EBSCOhost and the Cochrane Library
    apply limits as commands, so their query leaves them out)."""

    target: str
    lines: tuple[str, ...]
    notes: tuple[Note, ...]
    query: str

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class Notes:
    items: list[Note] = field(default_factory=list)
    line: int | None = None
    expression: bool = False  # rendering one expression (no numbered lines), e.g. the query

    def add(self, message: str) -> None:
        note = Note(self.line, message)
        if note not in self.items:
            self.items.append(note)


class Dialect(ABC):
    """One database syntax. Subclasses set the class attributes and override the ``*_text`` hooks."""

    target: str = ""
    title: str = ""
    numbered: bool = True
    vocabularies: frozenset[Vocabulary] = frozenset()
    and_word, or_word, not_word = "AND", "OR", "NOT"
    label_pattern = re.compile(r"#(\d+)\s")
    # bracket a proximity group among other terms (PubMed and Europe PMC write it as quoted pairs)
    bracket_near = True

    def __init__(self) -> None:
        self.lexicon = self.make_lexicon()

    # -- hooks --------------------------------------------------------------------------------------
    @abstractmethod
    def make_lexicon(self) -> Lexicon:
        """How the database writes its tokens, for the parser."""

    def line_label(self, number: int) -> str:
        return f"#{number}"

    def ref_text(self, number: int) -> str:
        return f"#{number}"

    def union_text(self, numbers: list[int]) -> str:
        return f" {self.or_word} ".join(self.ref_text(number) for number in numbers)

    def term_text(self, term: Term, notes: Notes) -> str:
        """A term without its field (wildcards converted)."""
        text = term.text
        return f'"{text}"' if term.phrase else text

    def item_text(self, item: Term | Near, fields: frozenset[Field], notes: Notes) -> str:
        """One term or proximity group, as it sits inside a field group of ``fields``."""
        if isinstance(item, Term):
            return self.term_text(item, notes)
        return self.near_text(item, notes)

    @abstractmethod
    def near_text(self, near: Near, notes: Notes) -> str:
        """A proximity group without its field."""

    def side_text(self, terms: tuple[Term, ...], notes: Notes) -> str:
        texts = [self.term_text(term, notes) for term in terms]
        return texts[0] if len(texts) == 1 else "(" + f" {self.or_word} ".join(texts) + ")"

    def field_sets(self, fields: frozenset[Field], notes: Notes) -> list[frozenset[Field]]:
        """How to search ``fields``: one field set, or several ORed (CINAHL's ``TI (..) OR AB (..)``)."""
        return [fields]

    @abstractmethod
    def fielded_text(self, texts: list[str], fields: frozenset[Field]) -> str:
        """Terms and proximity groups ORed and searched in ``fields``."""

    def heading_text(self, heading: Heading, notes: Notes) -> str | None:
        return None

    def limit_terms(self, limits: Limits, notes: Notes) -> list[str] | None:
        """The limits as terms to AND to a search; None when the syntax has no such terms."""
        return None

    def limit_line(self, ref: int, limits: Limits, notes: Notes) -> str | None:
        """The line applying ``limits`` to line ``ref``; None when none of them can be applied."""
        terms = self.limit_terms(limits, notes)
        return f" {self.and_word} ".join([self.ref_text(ref), *terms]) if terms else None

    def line_key(self, item: Item) -> Hashable:
        """Items with the same key that follow each other share a line."""
        return "heading" if isinstance(item, Heading) else ("text", item.fields)

    def special_line(self, text: str, line: int) -> Node | None:
        """A whole line in a form the expression grammar does not cover (Ovid's ``limit 10 to ...``)."""
        return None

    def history_cells(self, cells: list[str]) -> str:
        """The search of a line copied from a search history table (the cells after the line
        number, tab-separated): the first non-empty cell; hits, dates and actions are left aside."""
        return next((cell for cell in cells if cell), "")

    def without_hits(self, text: str) -> str:
        """The search without the number of hits a history shows after it, where that is unambiguous."""
        return text

    # -- rendering ----------------------------------------------------------------------------------
    def _heading(self, heading: Heading, notes: Notes) -> str | None:
        if heading.vocabulary not in self.vocabularies:
            return None  # the strategy may carry every database's thesaurus; see _vocabulary_notes
        return self.heading_text(heading, notes)

    def _vocabulary_notes(self, strategy: Strategy, notes: Notes) -> None:
        """A strategy usually carries headings for several thesauri, and each target uses its own:
        leaving the others out is the point, not worth a note. Noted is what loses recall: a block
        with headings but none in this target's thesaurus, or a target without one."""
        notes.line = None
        with_headings = [b for b in strategy.blocks if any(isinstance(i, Heading) for i in b.items)]
        if not with_headings:
            return
        if not self.vocabularies:
            notes.add(
                f"{self.title} has no subject headings: the strategy's headings are left out and each "
                "block searches its free text"
            )
            return
        wanted = " or ".join(sorted(_VOCABULARY_NAMES[v] for v in self.vocabularies))
        for block in with_headings:
            given = {i.vocabulary for i in block.items if isinstance(i, Heading)}
            if given.isdisjoint(self.vocabularies):
                others = ", ".join(sorted(_VOCABULARY_NAMES[v] for v in given))
                notes.add(
                    f"block {block.title!r} has no {wanted} headings (only {others}): it searches its "
                    f"free text only in {self.title}; add {wanted} headings to the strategy for recall"
                )

    def _segment(self, items: list[Item], notes: Notes) -> str | None:
        parts: list[str] = []
        index = 0
        while index < len(items):
            item = items[index]
            if isinstance(item, Heading):
                text = self._heading(item, notes)
                if text is not None:
                    parts.append(text)
                index += 1
                continue
            run: list[Term | Near] = [item]
            for following in items[index + 1 :]:
                if isinstance(following, Heading) or following.fields != item.fields:
                    break
                run.append(following)
            index += len(run)
            for fields in self.field_sets(item.fields, notes):
                texts = [self.item_text(entry, fields, notes) for entry in run]
                if len(texts) > 1 and self.bracket_near:
                    # bracket a proximity group among other terms: databases differ in what binds first
                    texts = [
                        f"({text})" if isinstance(entry, Near) else text
                        for entry, text in zip(run, texts, strict=True)
                    ]
                parts.append(self.fielded_text(texts, fields))
        return f" {self.or_word} ".join(parts) if parts else None

    def _runs(self, block: Block) -> list[list[Item]]:
        runs: list[list[Item]] = []
        previous: Hashable = object()
        for item in block.items:
            key = self.line_key(item)
            if runs and key == previous:
                runs[-1].append(item)
            else:
                runs.append([item])
            previous = key
        return runs

    def _combination(self, combination: Combination, leaf: Callable[[str], str | None]) -> str | None:
        if isinstance(combination, BlockRef):
            return leaf(combination.name)
        if isinstance(combination, Not):
            keep = self._combination(combination.keep, leaf)
            drop = self._combination(combination.drop, leaf)
            if keep is None or drop is None:
                return keep
            return f"{_bracket(keep, combination.keep)} {self.not_word} {_bracket(drop, combination.drop)}"
        word = self.and_word if isinstance(combination, And) else self.or_word
        texts = [
            _bracket(text, part)
            for part in combination.parts
            if (text := self._combination(part, leaf)) is not None
        ]
        return f" {word} ".join(texts) if texts else None

    def render(self, strategy: Strategy) -> Translation:
        notes = Notes()
        lines = self._numbered(strategy, notes) if self.numbered else [self._expression(strategy, notes)]
        self._vocabulary_notes(strategy, notes)
        query = self._expression(strategy, Notes())
        return Translation(self.target, tuple(lines), tuple(notes.items), query)

    def _numbered(self, strategy: Strategy, notes: Notes) -> list[str]:
        lines: list[str] = []

        def add(text: str) -> int:
            lines.append(f"{self.line_label(len(lines) + 1)} {text}")
            return len(lines)

        final_line: dict[str, int] = {}
        for block in strategy.blocks:
            numbers = []
            for run in self._runs(block):
                notes.line = len(lines) + 1
                text = self._segment(run, notes)
                if text is not None:
                    numbers.append(add(text))
            if len(numbers) > 1:
                numbers = [add(self.union_text(numbers))]
            if numbers:
                final_line[block.name] = numbers[0]
            else:
                notes.line = None
                notes.add(f"block {block.name!r} has nothing {self.title} can search; left out")
        notes.line = len(lines) + 1
        combined = self._combination(
            strategy.combine,
            lambda name: self.ref_text(final_line[name]) if name in final_line else None,
        )
        if combined is None:
            return lines
        if not isinstance(strategy.combine, BlockRef):
            last = add(combined)
        else:
            last = final_line[strategy.combine.name]
        if not strategy.limits.empty:
            notes.line = len(lines) + 1
            limit_line = self.limit_line(last, strategy.limits, notes)
            if limit_line is not None:
                add(limit_line)
        return lines

    def block_expression(self, block: Block, notes: Notes) -> str | None:
        segments = [text for run in self._runs(block) if (text := self._segment(run, notes)) is not None]
        if not segments:
            return None
        return "(" + f" {self.or_word} ".join(segments) + ")"

    def _expression(self, strategy: Strategy, notes: Notes) -> str:
        notes.line = None
        notes.expression = True
        expressions = {block.name: self.block_expression(block, notes) for block in strategy.blocks}
        for name, expression in expressions.items():
            if expression is None:
                notes.add(f"block {name!r} has nothing {self.title} can search; left out")
        combined = self._combination(strategy.combine, lambda name: expressions.get(name)) or ""
        if strategy.limits.empty:
            return combined
        terms = self.limit_terms(strategy.limits, notes)
        if not terms:
            return combined
        if not isinstance(strategy.combine, And | BlockRef):
            combined = f"({combined})"
        return f" {self.and_word} ".join([combined, *terms])

    # -- parsing ------------------------------------------------------------------------------------
    def parse(self, text: str, name: str) -> Strategy:
        raw = [(number, line) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
        if not raw:
            raise StrategySyntaxError(1, 1, "the strategy is empty")
        labelled = [self.label_pattern.match(line.strip() + " ") for _, line in raw]
        if not any(labelled):
            # one expression, as typed in a search box or returned by an API
            whole = " ".join(line.strip() for _, line in raw)
            node = self.special_line(whole, raw[0][0]) or parse_line(whole, raw[0][0], self.lexicon)
            return rebuild([ParsedLine(1, raw[0][0], node)], name)
        parsed: list[ParsedLine] = []
        for source_line, line in raw:
            stripped = line.lstrip()
            found = self.label_pattern.match(stripped + " ")
            if found is None:
                column = len(line) - len(stripped) + 1
                raise StrategySyntaxError(
                    source_line,
                    column,
                    f"expected a line number such as {self.line_label(1)!r} at the start of the line",
                )
            number = int(found.group(1))
            if parsed and number <= parsed[-1].number:
                raise StrategySyntaxError(source_line, 1, f"line number {number} is out of order")
            # keep columns as in the pasted text: blank out the label rather than cutting it off
            rest = stripped[found.end() :]
            if "\t" in rest:  # copied from the database's search history table: one cell per column
                rest = self.history_cells([cell.strip() for cell in rest.split("\t")])
            body = " " * (len(line) - len(stripped) + found.end()) + self.without_hits(rest)
            node = self.special_line(body, source_line) or parse_line(body, source_line, self.lexicon)
            parsed.append(ParsedLine(number, source_line, node))
        return rebuild(parsed, name)


_VOCABULARY_NAMES = {
    Vocabulary.MESH: "MeSH",
    Vocabulary.EMTREE: "Emtree",
    Vocabulary.CINAHL: "CINAHL",
    Vocabulary.APA: "APA Thesaurus",
}


def _bracket(text: str, combination: Combination) -> str:
    return text if isinstance(combination, BlockRef) else f"({text})"
