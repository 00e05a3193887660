"""MEDLINE/PubMed format reader: PubMed's ``.nbib`` ("Send to: Citation manager") and "PubMed format" .txt.

Each line is a tag left-justified in four columns, ``- ``, and the value (``PMID- 18649386``,
``TI  - Patient-centredness ...``, ``FAU - Cooper, Kay``); long values wrap onto lines indented by six
spaces; records are separated by blank lines and begin with ``PMID``.

Decisions:

* Wrapped lines are joined with one space: PubMed wraps at a space, so this rebuilds the value exactly.
* Authors: ``FAU`` (``Cooper, Kay``) where present, else ``AU`` (``Cooper K``); ``CN`` collective names are
  organisations, kept in file order among the persons. Investigators (``IR``/``FIR``) are not authors.
* publication_type: the first ``PT``. PubMed lists the primary type (``Journal Article``) first and then
  facets (``Review``, ``Research Support, Non-U.S. Gov't``); all of them stay in ``raw["PT"]``.
* issn: the print ISSN, else the linking one, else the first ``IS`` (print is what other databases carry).
* doi: the ``[doi]`` value of ``AID``, else of ``LID``. Keywords: ``MH`` then ``OT``, as written.
* source_record_id and pmid: ``PMID``.

A streaming line parser (no library reads this format with line numbers); one pass, constant memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from synthesist.errors import ImportFileError
from synthesist.importing.base import (
    ParsedRecord,
    Reader,
    ReadItem,
    ReadOptions,
    RejectedRecord,
    register_reader,
)
from synthesist.importing.formats.ris import parse_initials_name
from synthesist.importing.source import SourceFile
from synthesist.records.clean import clean_doi, clean_pmid, clean_text, parse_year, split_keywords
from synthesist.records.model import Author, Record

__all__ = ["MedlineReader"]

EXCERPT_CHARS = 200
_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]{1,3}) {0,2}- ?(.*)$")
_PMID_LINE = re.compile(r"^PMID- ?\d", re.MULTILINE)
_TAG_LINES = re.compile(r"^[A-Z][A-Z0-9]{1,3} {0,2}- ", re.MULTILINE)
_RIS_TY = re.compile(r"^TY  - ", re.MULTILINE)
_ISSN = re.compile(r"\b\d{4}-\d{3}[\dXx]\b")
_AUTHOR_TAGS = frozenset({"FAU", "AU", "CN"})


def _first(raw: dict[str, list[str]], *tags: str) -> str | None:
    for tag in tags:
        for value in raw.get(tag, ()):
            text = clean_text(value)
            if text:
                return text
    return None


def _authors(raw: dict[str, list[str]], sequence: list[tuple[str, int]]) -> list[Author]:
    person_tag = "FAU" if "FAU" in raw else "AU"
    authors: list[Author] = []
    for tag, index in sequence:
        name = clean_text(raw[tag][index])
        if not name:
            continue
        if tag == "CN":
            authors.append(Author(family=name, organisation=True))
        elif tag == person_tag:
            family, comma, given = name.partition(",")
            if comma:
                authors.append(Author(family.strip(), given.strip()))
            else:  # "Cooper K" (AU), or a single name
                authors.append(parse_initials_name(name) or Author(family=name))
    return authors


def _issn(values: list[str]) -> str | None:
    for wanted in ("(print)", "(linking)", ""):
        for value in values:
            match = _ISSN.search(value)
            if match and wanted in value.lower():
                return match.group(0)
    return _first({"IS": values}, "IS")


def _doi(raw: dict[str, list[str]]) -> str | None:
    for tag in ("AID", "LID"):
        for value in raw.get(tag, ()):
            if value.rstrip().lower().endswith("[doi]"):
                return clean_doi(value.rstrip()[: -len("[doi]")])
    return None


def build_record(raw: dict[str, list[str]], author_sequence: list[tuple[str, int]]) -> Record:
    """The canonical record from one MEDLINE record's tags."""
    pmid = clean_pmid(_first(raw, "PMID"))
    return Record(
        title=_first(raw, "TI", "BTI"),
        authors=_authors(raw, author_sequence),
        year=parse_year(_first(raw, "DP", "DEP")),
        journal=_first(raw, "JT", "TA"),
        volume=_first(raw, "VI"),
        issue=_first(raw, "IP"),
        pages=_first(raw, "PG"),
        doi=_doi(raw),
        pmid=pmid,
        issn=_issn(raw.get("IS", [])),
        abstract=_first(raw, "AB"),
        keywords=split_keywords(raw.get("MH", []) + raw.get("OT", []), ";"),
        language=_first(raw, "LA"),
        publication_type=_first(raw, "PT"),
        url=None,
        source_record_id=pmid,
        raw=raw,
    )


class _Builder:
    """The record being read: its tags, its author tags in order, where it starts, its first lines."""

    def __init__(self, line: int) -> None:
        self.start = line
        self.raw: dict[str, list[str]] = {}
        self.author_sequence: list[tuple[str, int]] = []  # (FAU/AU/CN, index in raw[tag]): file order
        self.last_values: list[str] | None = None
        self.excerpt: list[str] = []
        self.problem: str | None = None

    def add(self, tag: str, value: str) -> None:
        values = self.raw.setdefault(tag, [])
        values.append(value)
        self.last_values = values
        if tag in _AUTHOR_TAGS:
            self.author_sequence.append((tag, len(values) - 1))

    def continue_value(self, text: str) -> None:
        assert self.last_values is not None
        self.last_values[-1] = f"{self.last_values[-1]} {text}"

    def note_line(self, line: str) -> None:
        if sum(len(text) + 1 for text in self.excerpt) < EXCERPT_CHARS:
            self.excerpt.append(line)

    def finish(self) -> ReadItem:
        excerpt = "\n".join(self.excerpt)[:EXCERPT_CHARS]
        if self.problem:
            return RejectedRecord(line=self.start, reason=self.problem, excerpt=excerpt)
        record = build_record(self.raw, self.author_sequence)
        if not (record.title or record.authors or record.pmid or record.doi):
            return RejectedRecord(
                line=self.start,
                reason=f"record starting at line {self.start} has no PMID, no title and no authors",
                excerpt=excerpt,
            )
        return ParsedRecord(record=record, line=self.start)


@register_reader
class MedlineReader(Reader):
    name: ClassVar[str] = "nbib"
    description: ClassVar[str] = "MEDLINE/PubMed format (.nbib, PubMed format .txt)"
    extensions: ClassVar[tuple[str, ...]] = (".nbib", ".txt", ".medline")

    def sniff(self, source: SourceFile) -> float:
        head = source.head
        if _RIS_TY.search(head):
            return 0.0
        first_line = head.lstrip("\ufeff \t\r\n").split("\n", 1)[0]
        if first_line.startswith("PMID-"):
            return 1.0
        if _PMID_LINE.search(head) and len(_TAG_LINES.findall(head, 0, 4096)) >= 3:
            return 0.9
        return 0.0

    def read(self, source: SourceFile, options: ReadOptions) -> Iterator[ReadItem]:
        if not _PMID_LINE.search(source.head):
            raise ImportFileError(
                f"{source.name}:1: no 'PMID- ' line, so this is not MEDLINE/PubMed format",
                hint="Check the export format, or pass the right --format.",
            )
        current: _Builder | None = None
        for number, line in source.lines():
            if not line.strip():
                if current is not None:
                    yield current.finish()
                    current = None
                continue
            if line[:1] in " \t" and current is not None:
                if current.last_values is not None:
                    current.continue_value(line.strip())
                current.note_line(line)
                continue
            match = _TAG_LINE.match(line.rstrip())
            if current is None:
                current = _Builder(number)
            current.note_line(line)
            if match is None or line[:1] in " \t":
                current.problem = current.problem or (
                    f"line {number} is neither a tag line ('XXXX- value') nor the continuation of one"
                )
                continue
            tag, value = match.group(1), match.group(2)
            if tag == "PMID" and "PMID" in current.raw:
                # a missing blank line between two records: the first ends here
                yield current.finish()
                current = _Builder(number)
                current.note_line(line)
            current.add(tag, value)
        if current is not None:
            yield current.finish()
