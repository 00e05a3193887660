"""Scopus: one expression (Scopus has no line numbers): ``TITLE-ABS-KEY("back pain" OR backache)``,
``W/3``, ``PRE/3``, ``AND NOT``, ``PUBYEAR > 1979 AND PUBYEAR < 2015``,
``LIMIT-TO(LANGUAGE, "English")``, ``LIMIT-TO(DOCTYPE, "ar")``. It has no subject headings to explode
and no humans limit; both are left out with a note.
"""

from __future__ import annotations

import re
from typing import ClassVar

from synthesist.search.dialects.base import Notes
from synthesist.search.dialects.prefixed import PrefixedDialect
from synthesist.search.model import Field, Limits
from synthesist.search.syntax import Lexicon, LimitAtom, standard_operators

__all__ = ["Scopus"]

TI, AB, KW = Field.TITLE, Field.ABSTRACT, Field.KEYWORDS
# Scopus document type codes
_DOCTYPES = {
    "Journal Article": "ar",
    "Review": "re",
    "Conference Paper": "cp",
    "Letter": "le",
    "Editorial": "ed",
    "Note": "no",
    "Book Chapter": "ch",
    "Book": "bk",
    "Erratum": "er",
    "Short Survey": "sh",
}
_CODES_DOCTYPE = {code: name for name, code in _DOCTYPES.items()}


class Scopus(PrefixedDialect):
    target = "scopus"
    title = "Scopus"
    numbered = False
    not_word = "AND NOT"
    field_codes: ClassVar[dict[frozenset[Field], str]] = {
        frozenset({TI, AB, KW}): "TITLE-ABS-KEY",
        frozenset({TI, AB}): "TITLE-ABS",
        frozenset({TI}): "TITLE",
        frozenset({AB}): "ABS",
        frozenset({KW}): "AUTHKEY",
        frozenset(): "ALL",
    }
    near_words = ("W/{n}", "PRE/{n}")

    def make_lexicon(self) -> Lexicon:
        year = re.compile(r"PUBYEAR\s*([<>=])\s*(\d{4})", re.IGNORECASE)

        def pubyear(found: re.Match[str], column: int) -> LimitAtom:
            sign, value = found.group(1), int(found.group(2))
            if sign == ">":
                return LimitAtom(Limits(year_from=value + 1))
            if sign == "<":
                return LimitAtom(Limits(year_to=value - 1))
            return LimitAtom(Limits(year_from=value, year_to=value))

        def limit_to(found: re.Match[str], column: int) -> LimitAtom:
            kind, value = found.group(1).upper(), found.group(2)
            if kind == "LANGUAGE":
                return LimitAtom(Limits(languages=(value,)))
            return LimitAtom(Limits(publication_types=(_CODES_DOCTYPE.get(value, value),)))

        return Lexicon(
            operators=standard_operators(not_pattern=r"AND\s+NOT")[2:] + standard_operators()[:2],
            proximity=[
                (re.compile(r"W/(\d+)", re.IGNORECASE), lambda m: (int(m.group(1)), False)),
                (re.compile(r"PRE/(\d+)", re.IGNORECASE), lambda m: (int(m.group(1)), True)),
            ],
            atoms=[
                (year, pubyear),
                (
                    re.compile(r'LIMIT-TO\s*\(\s*(LANGUAGE|DOCTYPE)\s*,\s*"([^"]+)"\s*\)', re.IGNORECASE),
                    limit_to,
                ),
            ],
            prefixes=[(self.prefix_pattern(), self.prefix_tag)],
        )

    def limit_terms(self, limits: Limits, notes: Notes) -> list[str]:
        terms: list[str] = []
        if limits.year_from is not None:
            terms.append(f"PUBYEAR > {limits.year_from - 1}")
        if limits.year_to is not None:
            terms.append(f"PUBYEAR < {limits.year_to + 1}")
        if limits.languages:
            terms.append(_any([f'LIMIT-TO(LANGUAGE, "{language}")' for language in limits.languages]))
        codes = []
        for kind in limits.publication_types:
            if kind in _DOCTYPES:
                codes.append(f'LIMIT-TO(DOCTYPE, "{_DOCTYPES[kind]}")')
            else:
                notes.add(f"Scopus has no document type {kind!r}; that limit is left out")
        if codes:
            terms.append(_any(codes))
        if limits.humans:
            notes.add("Scopus has no humans limit; left out")
        return terms


def _any(terms: list[str]) -> str:
    return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"
