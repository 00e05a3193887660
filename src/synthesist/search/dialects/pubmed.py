"""PubMed: ``"back pain"[tiab]``, ``"Back Pain"[Mesh]``, ``[Mesh:NoExp]``, ``[Majr]``,
``"hip pain"[tiab:~3]``, ``#1 OR #2``, ``1980:2014[dp]``, ``english[la]``, ``humans[mh]``.

A search tag applies to one term, so every term carries its own. PubMed's proximity search takes a
quoted phrase of plain words in [ti] or [tiab] only; a proximity group with truncation or phrases
falls back to the words ANDed, with a note.

Distances: the model counts as Ovid's ``adj3`` does (within 3 words: at most 2 words between, and
the other syntaxes keep the number as librarians translate it), while PubMed's ``~N`` counts the
words allowed *between* the terms, so ``adj3`` is ``[tiab:~2]``.
"""

from __future__ import annotations

import re
from itertools import product

from synthesist.search.dialects.base import EARLIEST, LATEST, Dialect, Notes
from synthesist.search.model import Field, Heading, Limits, Near, Term, Vocabulary
from synthesist.search.syntax import (
    Fielded,
    HeadingAtom,
    Lexicon,
    LimitAtom,
    Node,
    Prox,
    Ref,
    Tag,
    Word,
    standard_operators,
)
from synthesist.wording import plural

__all__ = ["PubMed"]

TI, AB, KW = Field.TITLE, Field.ABSTRACT, Field.KEYWORDS
# PubMed's [tiab] covers title, abstract and author keywords; [ot] ("other term") author keywords
TIAB = frozenset({TI, AB, KW})
_TAGS = {frozenset(): "", frozenset({TI}): "[ti]", TIAB: "[tiab]", frozenset({KW}): "[ot]"}
_FIELD_TAGS = {
    "tiab": TIAB,
    "title/abstract": TIAB,
    "ti": frozenset({TI}),
    "title": frozenset({TI}),
    "ot": frozenset({KW}),
    "other term": frozenset({KW}),
    "all fields": frozenset(),
    "all": frozenset(),
}
_HEADING_TAGS = {
    "mesh": (True, False),
    "mh": (True, False),
    "mesh terms": (True, False),
    "mesh:noexp": (False, False),
    "mh:noexp": (False, False),
    "mesh terms:noexp": (False, False),
    "majr": (True, True),
    "mesh major topic": (True, True),
    "majr:noexp": (False, True),
}
_PROXIMITY = re.compile(r"^(tiab|ti|title/abstract|title):~(\d+)$")
_YEARS = re.compile(r"^(\d{4})(?:/\d\d?){0,2}:(\d{4})(?:/\d\d?){0,2}$")


def _word(node: Node, what: str) -> Word:
    if not isinstance(node, Word):
        raise ValueError(f"{what} applies to one term, not to a bracketed group")
    return node


def _tag(found: re.Match[str]) -> Tag:
    name = found.group(1).strip().lower()
    if name in _FIELD_TAGS:
        fields = _FIELD_TAGS[name]
        return lambda node, column: Fielded(_word(node, f"[{name}]"), fields)
    if name in _HEADING_TAGS:
        explode, major = _HEADING_TAGS[name]

        def heading(node: Node, column: int) -> Node:
            word = _word(node, "a MeSH tag")
            if name in {"mh", "mesh"} and not word.quoted and word.text.lower() == "humans":
                return LimitAtom(Limits(humans=True))
            return HeadingAtom(Heading(Vocabulary.MESH, word.text, explode=explode, major=major))

        return heading
    if name in {"la", "language"}:
        return lambda node, column: LimitAtom(Limits(languages=(_word(node, "[la]").text.title(),)))
    if name in {"pt", "publication type"}:
        return lambda node, column: LimitAtom(Limits(publication_types=(_word(node, "[pt]").text,)))
    if name in {"dp", "pdat", "date - publication"}:
        return _years
    proximity = _PROXIMITY.match(name)
    if proximity:
        fields = _FIELD_TAGS[proximity.group(1)]
        distance = int(proximity.group(2)) + 1  # ~N counts the words between; the model, Ovid-like, does not

        def near(node: Node, column: int) -> Node:
            words = _word(node, "a proximity tag").text.split()
            if len(words) < 2:
                raise ValueError("a proximity search needs two or more words in quotes")
            left = Word(words[0], False, column)
            right = Word(" ".join(words[1:]), False, column)
            return Fielded(Prox(left, right, distance, False), fields)

        return near
    raise _unknown_tag(name)


def _unknown_tag(name: str) -> ValueError:
    return ValueError(
        f"search tag [{name}] is not one Synthesist reads (use tiab, ti, ot, Mesh, Majr, la, pt, dp)"
    )


def _years(node: Node, column: int) -> Node:
    found = _YEARS.match(_word(node, "[dp]").text)
    if found is None:
        raise ValueError("a publication date range is written 1980:2014[dp]")
    start, end = int(found.group(1)), int(found.group(2))
    return LimitAtom(
        Limits(year_from=None if start == EARLIEST else start, year_to=None if end == LATEST else end)
    )


def _plain(term: Term) -> bool:
    return " " not in term.text and "*" not in term.text and "?" not in term.text


class PubMed(Dialect):
    target = "pubmed"
    title = "PubMed"
    vocabularies = frozenset({Vocabulary.MESH})
    bracket_near = False

    def make_lexicon(self) -> Lexicon:
        return Lexicon(
            operators=standard_operators(),
            atoms=[(re.compile(r"#(\d+)"), lambda found, column: Ref(int(found.group(1)), column))],
            suffixes=[(re.compile(r"\[([^\]]+)\]"), _tag)],
            word_breaks="[",
        )

    def line_key(self, item: object) -> str:
        return "block"  # PubMed ORs a block's headings and terms on one line

    def term_text(self, term: Term, notes: Notes) -> str:
        text = term.text
        if "?" in text:
            text = text[: text.index("?")] + "*"
            notes.add(f"PubMed has no single-character wildcard: {term.text!r} searched as {text!r}")
        return f'"{text}"' if term.phrase else text

    def tag_sets(self, fields: frozenset[Field], notes: Notes) -> list[frozenset[Field]]:
        """The tagged field sets to OR for ``fields``: each term carries its own tags in PubMed."""
        if fields in _TAGS:
            return [fields]
        if AB in fields:
            notes.add(
                "PubMed has no abstract-only field; [tiab] searched (title, abstract and author keywords)"
            )
            return [TIAB]
        return [frozenset({TI}), frozenset({KW})]  # title or author keywords

    def item_text(self, item: Term | Near, fields: frozenset[Field], notes: Notes) -> str:
        sets = self.tag_sets(fields, notes)
        if isinstance(item, Term):
            return " OR ".join(self.term_text(item, notes) + _TAGS[tags] for tags in sets)
        return " OR ".join(self.near_text_in(item, tags, notes) for tags in sets)

    def near_text(self, near: Near, notes: Notes) -> str:
        return self.near_text_in(near, TIAB, notes)

    def near_text_in(self, near: Near, fields: frozenset[Field], notes: Notes) -> str:
        tag = "tiab" if fields != frozenset({TI}) else "ti"
        if fields not in {frozenset({TI}), TIAB}:
            notes.add(f"PubMed proximity searches only title or title/abstract: [{tag}] used")
        if near.ordered:
            notes.add("PubMed proximity does not keep word order; searched in any order")
        terms = (*near.left, *near.right)
        if not all(_plain(term) for term in terms):
            notes.add(
                "PubMed proximity takes plain words only (no truncation or phrases): "
                f"the words ANDed in [{tag}] instead of within {plural(near.distance, 'word')}"
            )
            sides = [
                " OR ".join(self.term_text(term, notes) + f"[{tag}]" for term in side)
                for side in (near.left, near.right)
            ]
            return "(" + " AND ".join(f"({side})" if " OR " in side else side for side in sides) + ")"
        pairs = [
            f'"{left.text} {right.text}"[{tag}:~{near.distance - 1}]'
            for left, right in product(near.left, near.right)
        ]
        if len(pairs) > 1:
            notes.add(f"PubMed proximity takes two words: the groups written out as {len(pairs)} word pairs")
        return " OR ".join(pairs)

    def fielded_text(self, texts: list[str], fields: frozenset[Field]) -> str:
        return " OR ".join(texts)

    def heading_text(self, heading: Heading, notes: Notes) -> str:
        tag = ("Majr" if heading.major else "Mesh") + ("" if heading.explode else ":NoExp")
        return f'"{heading.label}"[{tag}]'

    def limit_terms(self, limits: Limits, notes: Notes) -> list[str]:
        terms: list[str] = []
        if limits.year_from is not None or limits.year_to is not None:
            terms.append(f"{limits.year_from or EARLIEST}:{limits.year_to or LATEST}[dp]")
        if limits.languages:
            terms.append(_any([f"{language.lower()}[la]" for language in limits.languages]))
        if limits.publication_types:
            terms.append(_any([f'"{kind}"[pt]' for kind in limits.publication_types]))
        if limits.humans:
            terms.append("humans[mh]")
        return terms


def _any(terms: list[str]) -> str:
    return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"
