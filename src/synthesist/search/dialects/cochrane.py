"""Cochrane Library: ``MeSH descriptor: [Back Pain] explode all trees``, ``("back pain" OR
backache):ti,ab,kw``, ``NEAR/3``, ``NEXT``, ``#1 OR #2``, ``#10 with Publication Year from 1980 to 2014``.

A MeSH descriptor line stands alone in the search manager; inside one expression the same heading is
``[mh "Back Pain"]`` (``[mh ^"Back Pain"]`` not exploded).
"""

from __future__ import annotations

import re
from collections.abc import Hashable

from synthesist.search.dialects.base import EARLIEST, LATEST, Dialect, Notes, field_list, year_range
from synthesist.search.model import Field, Heading, Item, Limits, Near, Vocabulary
from synthesist.search.syntax import (
    Bool,
    Fielded,
    HeadingAtom,
    Lexicon,
    LimitAtom,
    Node,
    Ref,
    Tag,
    parse_line,
    standard_operators,
)

__all__ = ["Cochrane"]

_FIELDS = re.compile(r":((?:ti|ab|kw)(?:,(?:ti|ab|kw))*)(?![a-z])", re.IGNORECASE)
_DESCRIPTOR = re.compile(
    r"MeSH descriptor:\s*\[([^\]]+)\]\s*(explode all trees|this term only)", re.IGNORECASE
)
_MH = re.compile(r'\[mh\s+(\^?)"([^"]+)"\]', re.IGNORECASE)
_WITH_YEARS = re.compile(r"^(.*?)\s+with\s+Publication Year from (\d{4}) to (\d{4})\s*$", re.IGNORECASE)
_CODES = {"ti": Field.TITLE, "ab": Field.ABSTRACT, "kw": Field.KEYWORDS}


def colon_fields(found: re.Match[str]) -> Tag:
    fields = frozenset(_CODES[code.lower()] for code in found.group(1).split(","))
    return lambda node, column: Fielded(node, fields)


class Cochrane(Dialect):
    target = "cochrane"
    title = "the Cochrane Library"
    vocabularies = frozenset({Vocabulary.MESH})

    def make_lexicon(self) -> Lexicon:
        return Lexicon(
            operators=standard_operators(),
            proximity=[
                (
                    re.compile(r"NEAR(?:/(\d+))?(?=[\s(]|$)", re.IGNORECASE),
                    lambda m: (int(m.group(1) or 6), False),
                ),
                (re.compile(r"NEXT(?=[\s(]|$)", re.IGNORECASE), lambda m: (1, True)),
            ],
            atoms=[
                (re.compile(r"#(\d+)"), lambda found, column: Ref(int(found.group(1)), column)),
                (
                    _DESCRIPTOR,
                    lambda m, column: _heading(m.group(1), m.group(2).lower() == "explode all trees"),
                ),
                (_MH, lambda m, column: _heading(m.group(2), not m.group(1))),
            ],
            suffixes=[(_FIELDS, colon_fields)],
            word_stop=_FIELDS,
        )

    def line_key(self, item: Item) -> Hashable:
        # a MeSH descriptor line holds that descriptor only
        return id(item) if isinstance(item, Heading) else ("text", item.fields)

    def near_text(self, near: Near, notes: Notes) -> str:
        if near.ordered and near.distance == 1:
            operator = "NEXT"
        else:
            if near.ordered:
                notes.add(f"the Cochrane Library's NEAR/{near.distance} does not keep word order")
            operator = f"NEAR/{near.distance}"
        return f"{self.side_text(near.left, notes)} {operator} {self.side_text(near.right, notes)}"

    def fielded_text(self, texts: list[str], fields: frozenset[Field]) -> str:
        suffix = ":" + ",".join(name.value for name in field_list(fields)) if fields else ""
        if len(texts) == 1 and (not suffix or (" NEAR/" not in texts[0] and " NEXT " not in texts[0])):
            return texts[0] + suffix
        return "(" + " OR ".join(texts) + ")" + suffix

    def heading_text(self, heading: Heading, notes: Notes) -> str:
        if heading.major:
            notes.add(
                f'the Cochrane Library has no major-topic search: "{heading.label}" searched as any MeSH'
            )
        if notes.expression:
            return f'[mh {"" if heading.explode else "^"}"{heading.label}"]'
        scope = "explode all trees" if heading.explode else "this term only"
        return f"MeSH descriptor: [{heading.label}] {scope}"

    def limit_line(self, ref: int, limits: Limits, notes: Notes) -> str | None:
        self.limit_notes(limits, notes)
        if limits.year_from is None and limits.year_to is None:
            return None
        first, last = limits.year_from or EARLIEST, limits.year_to or LATEST
        return f"{self.ref_text(ref)} with Publication Year from {first} to {last}"

    def limit_notes(self, limits: Limits, notes: Notes) -> None:
        if limits.languages:
            notes.add("the Cochrane Library has no language limit; screen the results for language")
        if limits.publication_types:
            notes.add("the Cochrane Library has no publication type limit; screen the results for it")
        if limits.humans:
            notes.add("the Cochrane Library has no humans limit (its trials are in humans)")

    def limit_terms(self, limits: Limits, notes: Notes) -> list[str] | None:
        self.limit_notes(limits, notes)
        if limits.year_from is not None or limits.year_to is not None:
            notes.add("the publication year limit is set in the search manager, not in a query")
        return None

    def special_line(self, text: str, line: int) -> Node | None:
        found = _WITH_YEARS.match(text)
        if found is None:
            return None
        years = year_range(found.group(2), found.group(3))
        body = found.group(1) + " " * (len(text) - len(found.group(1)))
        return Bool("and", (parse_line(body, line, self.lexicon), LimitAtom(years)))


def _heading(label: str, explode: bool) -> Node:
    return HeadingAtom(Heading(Vocabulary.MESH, label.strip(), explode=explode))
