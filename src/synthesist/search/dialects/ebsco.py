"""EBSCOhost CINAHL: ``(MH "Back Pain+")``, ``(MM "Back Pain")``, ``TI ( ... ) OR AB ( ... )``,
``N3``/``W3``, ``S1 OR S2``, and a limiters line such as
``S9 S8 Limiters - Published Date: 19800101-20141231; Language: English; Human``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import ClassVar

from synthesist.errors import StrategySyntaxError
from synthesist.search.dialects.base import EARLIEST, LATEST, Notes, year_range
from synthesist.search.dialects.prefixed import PrefixedDialect
from synthesist.search.model import Field, Heading, Limits, Vocabulary
from synthesist.search.syntax import (
    Bool,
    HeadingAtom,
    Lexicon,
    LimitAtom,
    Node,
    Ref,
    parse_line,
    standard_operators,
)

__all__ = ["EbscoCinahl"]

_HEADING = re.compile(r'\(\s*(MH|MM)\s+"([^"]+?)(\+?)"\s*\)')
_LIMITERS = re.compile(r"^(.*?)\s+Limiters\s*-\s*(.+?)\s*$", re.IGNORECASE)
_OTHER_OPTIONS = re.compile(r"\s*;?\s*(?:Expanders|Search modes|Narrow by)\s*-")
_DATES = re.compile(r"^Published Date:\s*(\d{4})\d{4}-(\d{4})\d{4}$", re.IGNORECASE)


class EbscoCinahl(PrefixedDialect):
    target = "ebsco-cinahl"
    title = "CINAHL (EBSCOhost)"
    vocabularies = frozenset({Vocabulary.CINAHL})
    field_codes: ClassVar[dict[frozenset[Field], str]] = {
        frozenset(): "",
        frozenset({Field.TITLE}): "TI",
        frozenset({Field.ABSTRACT}): "AB",
    }
    near_words = ("N{n}", "W{n}")
    label_pattern = re.compile(r"S(\d+)\s")

    def make_lexicon(self) -> Lexicon:
        return Lexicon(
            operators=standard_operators(),
            proximity=[
                (re.compile(r"([NW])(\d+)(?=[\s(]|$)"), lambda m: (int(m.group(2)), m.group(1) == "W"))
            ],
            atoms=[
                (re.compile(r"S(\d+)(?=[\s)]|$)"), lambda found, column: Ref(int(found.group(1)), column)),
                (
                    _HEADING,
                    lambda m, column: HeadingAtom(
                        Heading(
                            Vocabulary.CINAHL,
                            m.group(2).strip(),
                            explode=bool(m.group(3)),
                            major=m.group(1) == "MM",
                        )
                    ),
                ),
            ],
            prefixes=[(self.prefix_pattern(), self.prefix_tag)],
        )

    def history_cells(self, cells: list[str]) -> str:
        # EBSCOhost's history: search terms, then search options ("Limiters - ...; Search modes - ...")
        search = super().history_cells(cells)
        for cell in cells:
            if cell.startswith("Limiters -"):
                return f"{search} {_OTHER_OPTIONS.split(cell)[0].rstrip('; ')}"
        return search

    def line_label(self, number: int) -> str:
        return f"S{number}"

    def ref_text(self, number: int) -> str:
        return f"S{number}"

    def wrap(self, code: str, body: str) -> str:
        return f"{code} ( {body} )"

    def heading_text(self, heading: Heading, notes: Notes) -> str:
        return f'({"MM" if heading.major else "MH"} "{heading.label}{"+" if heading.explode else ""}")'

    def limit_line(self, ref: int, limits: Limits, notes: Notes) -> str:
        limiters: list[str] = []
        if limits.year_from is not None or limits.year_to is not None:
            first, last = limits.year_from or EARLIEST, limits.year_to or LATEST
            limiters.append(f"Published Date: {first}0101-{last}1231")
        if limits.languages:
            limiters.append("Language: " + ", ".join(limits.languages))
        if limits.publication_types:
            limiters.append("Publication Type: " + ", ".join(limits.publication_types))
        if limits.humans:
            limiters.append("Human")
        return f"{self.ref_text(ref)} Limiters - " + "; ".join(limiters)

    def special_line(self, text: str, line: int) -> Node | None:
        found = _LIMITERS.match(text)
        if found is None:
            return None
        limits = Limits()
        for limiter in found.group(2).split(";"):
            limits = _limiter(limiter.strip(), limits, line, text.index(limiter.strip()) + 1)
        body = found.group(1) + " " * (len(text) - len(found.group(1)))
        return Bool("and", (parse_line(body, line, self.lexicon), LimitAtom(limits)))


def _limiter(limiter: str, limits: Limits, line: int, column: int) -> Limits:
    dates = _DATES.match(limiter)
    if dates:
        years = year_range(dates.group(1), dates.group(2))
        return replace(limits, year_from=years.year_from, year_to=years.year_to)
    name, _, value = limiter.partition(":")
    values = tuple(part.strip() for part in value.split(",") if part.strip())
    if name.strip().lower() == "language":
        return replace(limits, languages=limits.languages + values)
    if name.strip().lower() == "publication type":
        return replace(limits, publication_types=limits.publication_types + values)
    if limiter.lower() in {"human", "humans"}:
        return replace(limits, humans=True)
    if limiter.lower() == "english language":
        return replace(limits, languages=(*limits.languages, "English"))
    raise StrategySyntaxError(line, column, f"limiter {limiter!r} is not one Synthesist reads")
