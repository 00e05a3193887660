"""Embase.com: ``'back pain'/exp``, ``'back pain'/de``, ``'back pain'/mj``, ``('back pain' OR
backache):ti,ab,kw``, ``NEAR/3``, ``NEXT/3``, ``#1 OR #2``, ``[english]/lim``, ``[humans]/lim``,
``[1980-2014]/py``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from synthesist.search.dialects.base import (
    EARLIEST,
    LANGUAGE_CODES,
    LATEST,
    Dialect,
    Notes,
    field_list,
    year_range,
)
from synthesist.search.dialects.cochrane import colon_fields
from synthesist.search.model import Field, Heading, Limits, Near, Term, Vocabulary
from synthesist.search.syntax import HeadingAtom, Lexicon, LimitAtom, Node, Ref, Tag, Word, standard_operators

__all__ = ["EmbaseCom"]

_FIELDS = re.compile(r":((?:ti|ab|kw)(?:,(?:ti|ab|kw))*)(?![a-z])", re.IGNORECASE)
_HEADING = re.compile(r"/(exp|de|mj)(?![a-z])", re.IGNORECASE)
_LIM = re.compile(r"\[([^\]]+)\]/lim", re.IGNORECASE)
_PY = re.compile(r"\[(\d{4})-(\d{4})\]/py", re.IGNORECASE)


def _heading_tag(found: re.Match[str]) -> Tag:
    kind = found.group(1).lower()

    def apply(node: Node, column: int) -> Node:
        if isinstance(node, HeadingAtom) and kind == "mj":
            return HeadingAtom(replace(node.heading, major=True))
        if not isinstance(node, Word):
            raise ValueError(f"/{kind} applies to one Emtree term in quotes")
        return HeadingAtom(Heading(Vocabulary.EMTREE, node.text, explode=kind == "exp", major=kind == "mj"))

    return apply


def _limit(found: re.Match[str], column: int) -> Node:
    value = found.group(1).strip()
    if value.lower() in {"humans", "human"}:
        return LimitAtom(Limits(humans=True))
    if value.title() in LANGUAGE_CODES:
        return LimitAtom(Limits(languages=(value.title(),)))
    return LimitAtom(Limits(publication_types=(value.title(),)))


class EmbaseCom(Dialect):
    target = "embase-com"
    title = "Embase.com"
    vocabularies = frozenset({Vocabulary.EMTREE})

    def make_lexicon(self) -> Lexicon:
        return Lexicon(
            operators=standard_operators(),
            proximity=[
                (re.compile(r"NEAR/(\d+)", re.IGNORECASE), lambda m: (int(m.group(1)), False)),
                (re.compile(r"NEXT/(\d+)", re.IGNORECASE), lambda m: (int(m.group(1)), True)),
            ],
            atoms=[
                (re.compile(r"#(\d+)"), lambda found, column: Ref(int(found.group(1)), column)),
                (_LIM, _limit),
                (
                    _PY,
                    lambda m, column: LimitAtom(year_range(m.group(1), m.group(2))),
                ),
            ],
            suffixes=[(_FIELDS, colon_fields), (_HEADING, _heading_tag)],
            quotes="'\"",
            word_stop=re.compile(rf"{_FIELDS.pattern}|{_HEADING.pattern}", re.IGNORECASE),
        )

    def term_text(self, term: Term, notes: Notes) -> str:
        return f"'{term.text}'" if term.phrase else term.text

    def near_text(self, near: Near, notes: Notes) -> str:
        operator = f"{'NEXT' if near.ordered else 'NEAR'}/{near.distance}"
        return f"{self.side_text(near.left, notes)} {operator} {self.side_text(near.right, notes)}"

    def fielded_text(self, texts: list[str], fields: frozenset[Field]) -> str:
        suffix = ":" + ",".join(name.value for name in field_list(fields)) if fields else ""
        if len(texts) == 1 and (not suffix or (" NEAR/" not in texts[0] and " NEXT/" not in texts[0])):
            return texts[0] + suffix
        return "(" + " OR ".join(texts) + ")" + suffix

    def heading_text(self, heading: Heading, notes: Notes) -> str:
        tags = ("/exp" if heading.explode else "" if heading.major else "/de") + (
            "/mj" if heading.major else ""
        )
        return f"'{heading.label}'{tags}"

    def limit_terms(self, limits: Limits, notes: Notes) -> list[str]:
        terms: list[str] = []
        if limits.languages:
            terms.append(_any([f"[{language.lower()}]/lim" for language in limits.languages]))
        if limits.publication_types:
            terms.append(_any([f"[{kind.lower()}]/lim" for kind in limits.publication_types]))
        if limits.humans:
            terms.append("[humans]/lim")
        if limits.year_from is not None or limits.year_to is not None:
            terms.append(f"[{limits.year_from or EARLIEST}-{limits.year_to or LATEST}]/py")
        return terms


def _any(terms: list[str]) -> str:
    return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"
