"""Ovid (MEDLINE, Embase, PsycINFO): ``1 exp Back Pain/``, ``(back pain or backache).ti,ab.``,
``adj3``, ``or/1-3``, ``limit 10 to (english language and yr="1980 - 2014")``.

Ovid truncates with ``*`` (or ``$``) and writes one required character as ``#``; its ``?`` (zero or
one character) has no canonical equivalent and is read as one character.
"""

from __future__ import annotations

import re
from dataclasses import replace

from synthesist.search.dialects.base import EARLIEST, LATEST, Dialect, Notes, field_list, open_year
from synthesist.search.model import Field, Heading, Limits, Near, Term, Vocabulary
from synthesist.search.syntax import (
    Bool,
    Fielded,
    HeadingAtom,
    Lexicon,
    LimitAtom,
    Node,
    Ref,
    Tag,
    standard_operators,
)

__all__ = ["OvidEmbase", "OvidMedline", "OvidPsycinfo"]

_SUFFIX = re.compile(r"\.((?:ti|ab|kw|kf|id|mp)(?:,(?:ti|ab|kw|kf|id|mp))*)\.", re.IGNORECASE)
_HEADING = re.compile(r"(exp\s+)?(\*)?((?:(?!\s+(?:or|and|not)\s)[^/()\n.*])+?)/(?=[\s)]|$)", re.IGNORECASE)
_LIMIT = re.compile(r"^\s*limit\s+(\d+)\s+to\s+(.+?)\s*$", re.IGNORECASE)
_YEARS = re.compile(r'^yr\s*=\s*"\s*(\d{4})\s*-\s*(\d{4}|current)\s*"$', re.IGNORECASE)
_LANGUAGES = re.compile(r"^\(?([a-z ]+?(?:\s+or\s+[a-z ]+?)*)\)?\s+language$", re.IGNORECASE)


def _field_tag(found: re.Match[str]) -> Tag:
    codes = [code.lower() for code in found.group(1).split(",")]
    fields = frozenset(
        {"ti": Field.TITLE, "ab": Field.ABSTRACT, "kw": Field.KEYWORDS, "kf": Field.KEYWORDS}.get(
            code, Field.KEYWORDS
        )
        for code in codes
        if code != "mp"
    )
    return lambda node, column: Fielded(node, fields)


def _ranges(found: re.Match[str], column: int) -> Node:
    numbers: list[int] = []
    for part in found.group(1).split(","):
        first, _, last = part.partition("-")
        numbers.extend(range(int(first), int(last or first) + 1))
    return Bool("or", tuple(Ref(number, column) for number in numbers))


class _Ovid(Dialect):
    vocabulary = Vocabulary.MESH
    keyword_code = "kf"
    humans_word = "humans"
    and_word, or_word, not_word = "and", "or", "not"
    label_pattern = re.compile(r"(\d+)\.?\s")

    def __init__(self) -> None:
        self.vocabularies = frozenset({self.vocabulary})
        super().__init__()

    def make_lexicon(self) -> Lexicon:
        return Lexicon(
            operators=standard_operators(),
            proximity=[
                (
                    re.compile(r"adj(\d*)(?=[\s(]|$)", re.IGNORECASE),
                    lambda found: (int(found.group(1)), False) if found.group(1) else (1, True),
                )
            ],
            atoms=[
                (re.compile(r"or/(\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*)", re.IGNORECASE), _ranges),
                (re.compile(r"(\d+)(?=[\s)]|$)"), lambda found, column: Ref(int(found.group(1)), column)),
                (_HEADING, self._heading_atom),
            ],
            suffixes=[(_SUFFIX, _field_tag)],
            word_stop=_SUFFIX,
            translate_word=lambda text: text.replace("#", "?").replace("$", "*"),
        )

    def _heading_atom(self, found: re.Match[str], column: int) -> Node:
        explode, major = bool(found.group(1)), bool(found.group(2))
        return HeadingAtom(Heading(self.vocabulary, found.group(3).strip(), explode=explode, major=major))

    def without_hits(self, text: str) -> str:
        # Ovid's exported history ends each line with its hits: "exp Back Pain/ (35123)"
        return re.sub(r"\s+\(\d[\d,]*\)\s*$", "", text)

    def line_label(self, number: int) -> str:
        return str(number)

    def ref_text(self, number: int) -> str:
        return str(number)

    def union_text(self, numbers: list[int]) -> str:
        if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
            return f"or/{numbers[0]}-{numbers[-1]}"
        return super().union_text(numbers)

    def term_text(self, term: Term, notes: Notes) -> str:
        text = term.text.replace("?", "#")
        return f'"{text}"' if term.phrase else text

    def near_text(self, near: Near, notes: Notes) -> str:
        if near.ordered and near.distance == 1:
            operator = "adj"
        else:
            if near.ordered:
                notes.add(f"Ovid's adj{near.distance} does not keep word order; searched in any order")
            operator = f"adj{near.distance}"
        return f"{self.side_text(near.left, notes)} {operator} {self.side_text(near.right, notes)}"

    def fielded_text(self, texts: list[str], fields: frozenset[Field]) -> str:
        codes = [{Field.KEYWORDS: self.keyword_code}.get(name, name.value) for name in field_list(fields)]
        suffix = "." + (",".join(codes) or "mp") + "."
        if len(texts) == 1 and not re.search(r"\badj\d*\b", texts[0]):
            return texts[0] + suffix
        return "(" + " or ".join(texts) + ")" + suffix

    def heading_text(self, heading: Heading, notes: Notes) -> str:
        return f"{'exp ' if heading.explode else ''}{'*' if heading.major else ''}{heading.label}/"

    def limit_line(self, ref: int, limits: Limits, notes: Notes) -> str:
        parts: list[str] = []
        if limits.languages:
            names = [language.lower() for language in limits.languages]
            parts.append(f"{names[0]} language" if len(names) == 1 else f"({' or '.join(names)}) language")
        if limits.humans:
            parts.append(self.humans_word)
        parts.extend(kind.lower() for kind in limits.publication_types)
        if limits.year_from is not None or limits.year_to is not None:
            last = "Current" if limits.year_to is None else str(limits.year_to)
            parts.append(f'yr="{limits.year_from or EARLIEST} - {last}"')
        body = parts[0] if len(parts) == 1 else "(" + " and ".join(parts) + ")"
        return f"limit {ref} to {body}"

    def special_line(self, text: str, line: int) -> Node | None:
        found = _LIMIT.match(text)
        if found is None:
            return None
        body = found.group(2)
        if body.startswith("(") and body.endswith(")") and not _LANGUAGES.match(body):
            body = body[1:-1]
        limits = Limits()
        for part in re.split(r"\s+and\s+(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", body):
            limits = _limit_part(part.strip(), limits)
        return Bool("and", (Ref(int(found.group(1)), found.start(1) + 1), LimitAtom(limits)))


def _limit_part(part: str, limits: Limits) -> Limits:
    years = _YEARS.match(part)
    if years:
        start = int(years.group(1))
        end = None if years.group(2).lower() == "current" else int(years.group(2))
        return replace(limits, year_from=open_year(start, EARLIEST), year_to=None if end == LATEST else end)
    languages = _LANGUAGES.match(part)
    if languages:
        names = re.split(r"\s+or\s+", languages.group(1), flags=re.IGNORECASE)
        return replace(limits, languages=limits.languages + tuple(name.strip().title() for name in names))
    if part.lower() in {"humans", "human"}:
        return replace(limits, humans=True)
    return replace(limits, publication_types=(*limits.publication_types, part.strip('"').title()))


class OvidMedline(_Ovid):
    target = "ovid-medline"
    title = "Ovid MEDLINE"


class OvidEmbase(_Ovid):
    target = "ovid-embase"
    title = "Ovid Embase"
    vocabulary = Vocabulary.EMTREE
    humans_word = "human"


class OvidPsycinfo(_Ovid):
    target = "ovid-psycinfo"
    title = "Ovid PsycINFO"
    vocabulary = Vocabulary.APA
    keyword_code = "id"
    humans_word = "human"
