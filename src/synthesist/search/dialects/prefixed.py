"""Syntaxes that write a field before its terms: EBSCOhost ``TI ( ... )``, Web of Science
``TS=( ... )``, Scopus ``TITLE-ABS-KEY( ... )``, Europe PMC ``TITLE:( ... )``.

Each names some field combinations; any other combination is searched as its single fields ORed
(``TI ( a ) OR AB ( a )``), which the parser merges back into one group.
"""

from __future__ import annotations

import re
from typing import ClassVar

from synthesist.search.dialects.base import Dialect, Notes, field_list
from synthesist.search.model import Field, Near
from synthesist.search.syntax import Fielded, Tag

__all__ = ["PrefixedDialect"]


_FIELD_NAMES = {Field.TITLE: "title", Field.ABSTRACT: "abstract", Field.KEYWORDS: "author keywords"}


class PrefixedDialect(Dialect):
    # field set → code; the codes are what the parser recognises too
    field_codes: ClassVar[dict[frozenset[Field], str]] = {}
    near_words: tuple[str, str] = ("NEAR/{n}", "NEAR/{n}")  # (any order, in order)

    def prefix_pattern(self) -> re.Pattern[str]:
        codes = sorted(self.field_codes.values(), key=len, reverse=True)
        return re.compile("(" + "|".join(re.escape(code) for code in codes if code) + r")\s*(?=\()")

    def prefix_tag(self, found: re.Match[str]) -> Tag:
        fields = {code: fields for fields, code in self.field_codes.items()}[found.group(1)]
        return lambda node, column: Fielded(node, fields)

    def field_sets(self, fields: frozenset[Field], notes: Notes) -> list[frozenset[Field]]:
        if fields in self.field_codes:
            return [fields]
        singles = [frozenset({name}) for name in field_list(fields)]
        missing = [single for single in singles if single not in self.field_codes]
        if missing:
            kept = [single for single in singles if single in self.field_codes]
            names = " or ".join(_FIELD_NAMES[name] for single in missing for name in single)
            instead = " and ".join(_FIELD_NAMES[name] for single in kept for name in single)
            notes.add(
                f"{self.title} has no {names} field: searched in {instead or 'its default fields'} only"
            )
            return kept or [frozenset()]
        return singles

    def wrap(self, code: str, body: str) -> str:
        return f"{code}({body})"

    def fielded_text(self, texts: list[str], fields: frozenset[Field]) -> str:
        body = f" {self.or_word} ".join(texts)
        code = self.field_codes.get(fields, "")
        if not code:
            return body  # ORed with the rest of the block, which is bracketed as a whole
        return self.wrap(code, body)

    def near_text(self, near: Near, notes: Notes) -> str:
        template = self.near_words[1] if near.ordered else self.near_words[0]
        if near.ordered and self.near_words[0] == self.near_words[1]:
            notes.add(f"{self.title}'s {template.format(n=near.distance)} does not keep word order")
        operator = template.format(n=near.distance)
        return f"{self.side_text(near.left, notes)} {operator} {self.side_text(near.right, notes)}"
