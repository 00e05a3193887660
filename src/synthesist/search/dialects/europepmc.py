"""Europe PMC: one expression: ``TITLE:("back pain" OR backache)``, ``ABSTRACT:``, ``KW:``,
``MESH_HEADING:"Back Pain"``, ``"back pain"~3``, ``PUB_YEAR:[1980 TO 2014]``, ``LANG:eng``,
``PUB_TYPE:"Journal Article"``.

Proximity is a quoted phrase with a distance (``"hip pain"~2``), so, as in PubMed, it takes plain
words, OR groups are written out as pairs, and the number counts the words between (Ovid's adj3).
"""

from __future__ import annotations

import re
from itertools import product
from typing import ClassVar

from synthesist.search.dialects.base import EARLIEST, LANGUAGE_CODES, LATEST, Notes, year_range
from synthesist.search.dialects.prefixed import PrefixedDialect
from synthesist.search.model import Field, Heading, Limits, Near, Vocabulary
from synthesist.search.syntax import (
    HeadingAtom,
    Lexicon,
    LimitAtom,
    Node,
    Prox,
    Tag,
    Word,
    standard_operators,
)

__all__ = ["EuropePmc"]

_LANGUAGE_NAMES = {code: name for name, code in LANGUAGE_CODES.items()}


def _proximity(found: re.Match[str]) -> Tag:
    distance = int(found.group(1)) + 1  # the slop counts the words between, as PubMed's ~N

    def apply(node: Node, column: int) -> Node:
        if not isinstance(node, Word) or not node.quoted or len(node.text.split()) < 2:
            raise ValueError('a proximity search is two or more words in quotes, e.g. "hip pain"~3')
        first, *rest = node.text.split()
        return Prox(Word(first, False, column), Word(" ".join(rest), False, column), distance, False)

    return apply


def _mesh(node: Node, column: int) -> Node:
    if not isinstance(node, Word):
        raise ValueError("MESH_HEADING: takes one heading in quotes")
    return HeadingAtom(Heading(Vocabulary.MESH, node.text))


class EuropePmc(PrefixedDialect):
    target = "europepmc"
    title = "Europe PMC"
    numbered = False
    vocabularies = frozenset({Vocabulary.MESH})
    bracket_near = False
    field_codes: ClassVar[dict[frozenset[Field], str]] = {
        frozenset({Field.TITLE}): "TITLE",
        frozenset({Field.ABSTRACT}): "ABSTRACT",
        frozenset({Field.KEYWORDS}): "KW",
        frozenset(): "",
    }

    def prefix_pattern(self) -> re.Pattern[str]:
        return re.compile(r"(TITLE|ABSTRACT|KW):")

    def make_lexicon(self) -> Lexicon:
        return Lexicon(
            operators=standard_operators(),
            atoms=[
                (
                    re.compile(r"PUB_YEAR:\[\s*(\d{4})\s+TO\s+(\d{4})\s*\]", re.IGNORECASE),
                    lambda m, column: LimitAtom(year_range(m.group(1), m.group(2))),
                ),
                (
                    re.compile(r"LANG:([a-z]{3})", re.IGNORECASE),
                    lambda m, column: LimitAtom(
                        Limits(languages=(_LANGUAGE_NAMES.get(m.group(1).lower(), m.group(1)),))
                    ),
                ),
                (
                    re.compile(r'PUB_TYPE:"([^"]+)"', re.IGNORECASE),
                    lambda m, column: LimitAtom(Limits(publication_types=(m.group(1),))),
                ),
            ],
            prefixes=[
                (self.prefix_pattern(), self.prefix_tag),
                (re.compile(r"MESH_HEADING:"), lambda found: _mesh),
            ],
            suffixes=[(re.compile(r"~(\d+)"), _proximity)],
            word_breaks=":~",
        )

    def wrap(self, code: str, body: str) -> str:
        return f"{code}:({body})"

    def near_text(self, near: Near, notes: Notes) -> str:
        if near.ordered:
            notes.add("Europe PMC proximity does not keep word order; searched in any order")
        terms = (*near.left, *near.right)
        if any(" " in term.text or "*" in term.text or "?" in term.text for term in terms):
            notes.add("Europe PMC proximity takes plain words only: the words ANDed instead")
            sides = [self.side_text(side, notes) for side in (near.left, near.right)]
            return f"({sides[0]} AND {sides[1]})"
        pairs = [
            f'"{left.text} {right.text}"~{near.distance - 1}'
            for left, right in product(near.left, near.right)
        ]
        if len(pairs) > 1:
            notes.add(
                f"Europe PMC proximity takes two words: the groups written out as {len(pairs)} word pairs"
            )
        return " OR ".join(pairs)

    def heading_text(self, heading: Heading, notes: Notes) -> str:
        if heading.explode:
            notes.add(
                f'Europe PMC does not explode MeSH: narrower headings of "{heading.label}" not included'
            )
        if heading.major:
            notes.add(f'Europe PMC has no major-topic search: "{heading.label}" searched as any MeSH heading')
        return f'MESH_HEADING:"{heading.label}"'

    def limit_terms(self, limits: Limits, notes: Notes) -> list[str]:
        terms: list[str] = []
        if limits.year_from is not None or limits.year_to is not None:
            terms.append(f"PUB_YEAR:[{limits.year_from or EARLIEST} TO {limits.year_to or LATEST}]")
        languages = []
        for language in limits.languages:
            code = LANGUAGE_CODES.get(language.title())
            if code is None:
                notes.add(f"no Europe PMC language code known for {language!r}; that limit is left out")
            else:
                languages.append(f"LANG:{code}")
        if languages:
            terms.append(_any(languages))
        if limits.publication_types:
            terms.append(_any([f'PUB_TYPE:"{kind}"' for kind in limits.publication_types]))
        if limits.humans:
            notes.add("Europe PMC has no humans limit; left out")
        return terms


def _any(terms: list[str]) -> str:
    return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"
