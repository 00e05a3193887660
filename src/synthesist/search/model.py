"""The search strategy model: concept blocks of free-text terms and subject headings, combined with
AND/OR/NOT, with limits. Every database syntax is rendered from, and parsed back into, this model
(``synthesist.search.translate``); live searches (``synthesist.search.sources``) run its renderings.

A block is what a librarian calls a concept: its items are ORed together. The strategy's
``combine`` expression joins blocks by name. Free text is stored in one canonical notation, so a
strategy means the same thing whatever syntax it was pasted in:

- ``*`` truncation (any number of characters, end of a word), ``?`` exactly one character
  (a wildcard inside a word), as Cochrane and Embase.com write them;
- a ``Term`` with ``phrase=True`` is a quoted phrase; a multi-word term without it is the words
  adjacent in the database's default way (Ovid reads ``back pain.ti,ab.`` as a phrase too);
- ``fields`` empty means the database's default fields (all fields / keyword search).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "And",
    "Block",
    "BlockRef",
    "Combination",
    "Field",
    "Heading",
    "Item",
    "Limits",
    "Near",
    "Not",
    "Or",
    "Strategy",
    "Term",
    "Vocabulary",
]


class Field(StrEnum):
    TITLE = "ti"
    ABSTRACT = "ab"
    KEYWORDS = "kw"  # author keywords (Cochrane :kw, Embase.com :kw, Ovid .kw., Scopus KEY)


class Vocabulary(StrEnum):
    MESH = "mesh"  # MEDLINE/PubMed, Cochrane Library, Europe PMC
    EMTREE = "emtree"  # Embase
    CINAHL = "cinahl"  # CINAHL Subject Headings
    APA = "apa"  # APA Thesaurus of Psychological Index Terms (PsycINFO)


@dataclass(frozen=True)
class Term:
    """One free-text term: a word or phrase in canonical notation (see the module docstring)."""

    text: str
    phrase: bool = False
    fields: frozenset[Field] = frozenset()


@dataclass(frozen=True)
class Near:
    """Words within ``distance`` words of each other (``ordered``: in this order). Each side is an
    OR-group of terms, as in Ovid's ``(partner* or collaborat*) adj3 (patient* or client*)``."""

    left: tuple[Term, ...]
    right: tuple[Term, ...]
    distance: int
    ordered: bool = False
    fields: frozenset[Field] = frozenset()


@dataclass(frozen=True)
class Heading:
    """A controlled-vocabulary term. ``explode`` includes narrower terms; ``major`` restricts to
    records where it is a major topic (MeSH major / Emtree major focus / CINAHL MM / APA major)."""

    vocabulary: Vocabulary
    label: str
    explode: bool = False
    major: bool = False


Item = Term | Near | Heading


@dataclass(frozen=True)
class Block:
    """A concept: its items are ORed. ``name`` is an identifier used in ``combine``; ``label`` is
    what people read (defaults to the name)."""

    name: str
    items: tuple[Item, ...]
    label: str = ""

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ")


@dataclass(frozen=True)
class BlockRef:
    name: str


@dataclass(frozen=True)
class And:
    parts: tuple[Combination, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Combination, ...]


@dataclass(frozen=True)
class Not:
    keep: Combination
    drop: Combination


Combination = BlockRef | And | Or | Not


@dataclass(frozen=True)
class Limits:
    """``year_from``/``year_to`` inclusive publication years; ``languages`` as English names
    ("English"); ``publication_types`` to keep (e.g. "Journal Article"); ``humans`` keeps studies
    in humans (the databases' own humans limit or filter)."""

    year_from: int | None = None
    year_to: int | None = None
    languages: tuple[str, ...] = ()
    publication_types: tuple[str, ...] = ()
    humans: bool = False

    @property
    def empty(self) -> bool:
        return self == Limits()


@dataclass(frozen=True)
class Strategy:
    """A search strategy: named blocks, how they combine, and limits. ``name`` identifies it in
    the project (``search/NAME.toml`` or ``[[search.strategies]]`` in review.toml)."""

    name: str
    blocks: tuple[Block, ...]
    combine: Combination
    limits: Limits = field(default_factory=Limits)

    def block(self, name: str) -> Block:
        for block in self.blocks:
            if block.name == name:
                return block
        raise KeyError(name)
