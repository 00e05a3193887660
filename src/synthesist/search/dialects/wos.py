"""Web of Science Core Collection: ``TS=("back pain" OR backache)``, ``TI=``, ``AB=``, ``AK=``,
``NEAR/3``, ``#1 OR #2``, ``PY=(1980-2014)``, ``LA=(English)``, ``DT=(Article)``. It has no subject
headings and no humans limit; both are left out with a note.
"""

from __future__ import annotations

import re
from typing import ClassVar

from synthesist.search.dialects.base import EARLIEST, LATEST, Notes, year_range
from synthesist.search.dialects.prefixed import PrefixedDialect
from synthesist.search.model import Field, Limits
from synthesist.search.syntax import Lexicon, LimitAtom, Ref, standard_operators

__all__ = ["WebOfScience"]

TI, AB, KW = Field.TITLE, Field.ABSTRACT, Field.KEYWORDS


def _values(text: str) -> tuple[str, ...]:
    return tuple(
        part.strip().strip('"') for part in re.split(r"\s+OR\s+", text, flags=re.IGNORECASE) if part.strip()
    )


class WebOfScience(PrefixedDialect):
    target = "wos"
    title = "Web of Science"
    field_codes: ClassVar[dict[frozenset[Field], str]] = {
        frozenset({TI, AB, KW}): "TS",
        frozenset({TI}): "TI",
        frozenset({AB}): "AB",
        frozenset({KW}): "AK",
        frozenset(): "ALL",
    }

    def prefix_pattern(self) -> re.Pattern[str]:
        return re.compile(r"(TS|TI|AB|AK|ALL)\s*=\s*")

    def make_lexicon(self) -> Lexicon:
        return Lexicon(
            operators=standard_operators(),
            proximity=[
                (
                    re.compile(r"NEAR(?:/(\d+))?(?=[\s(]|$)", re.IGNORECASE),
                    lambda m: (int(m.group(1) or 15), False),
                )
            ],
            atoms=[
                (re.compile(r"#(\d+)"), lambda found, column: Ref(int(found.group(1)), column)),
                (
                    re.compile(r"PY\s*=\s*\(?\s*(\d{4})\s*-\s*(\d{4})\s*\)?"),
                    lambda m, column: LimitAtom(year_range(m.group(1), m.group(2))),
                ),
                (
                    re.compile(r"LA\s*=\s*\(([^)]*)\)"),
                    lambda m, column: LimitAtom(Limits(languages=_values(m.group(1)))),
                ),
                (
                    re.compile(r"DT\s*=\s*\(([^)]*)\)"),
                    lambda m, column: LimitAtom(Limits(publication_types=_values(m.group(1)))),
                ),
            ],
            prefixes=[(self.prefix_pattern(), self.prefix_tag)],
        )

    def wrap(self, code: str, body: str) -> str:
        return f"{code}=({body})"

    def limit_terms(self, limits: Limits, notes: Notes) -> list[str]:
        terms: list[str] = []
        if limits.year_from is not None or limits.year_to is not None:
            terms.append(f"PY=({limits.year_from or EARLIEST}-{limits.year_to or LATEST})")
        if limits.languages:
            terms.append("LA=(" + " OR ".join(limits.languages) + ")")
        if limits.publication_types:
            terms.append("DT=(" + " OR ".join(limits.publication_types) + ")")
        if limits.humans:
            notes.add("Web of Science has no humans limit; left out")
        return terms
