"""MEDLINE/PubMed format reader: PubMed's ``.nbib`` ("Send to: Citation manager") and "PubMed format" .txt,
ERIC's ``.nbib``, Ovid and EBSCOhost MEDLINE in MEDLINE format.

Each line is a tag left-justified in four columns, ``- ``, and the value (``PMID- 18649386``,
``TI  - Patient-centredness ...``, ``FAU - Cooper, Kay``); long values wrap onto lines indented by six
spaces; records are separated by blank lines (or Ovid's ``<1>`` record numbers) and begin with ``PMID``
(PubMed) or ``OWN`` (ERIC, whose records have no PMID).

Decisions:

* Wrapped lines are joined with one space: PubMed wraps at a space, so this rebuilds the value exactly.
* Authors: ``FAU`` (``Cooper, Kay``) where present, else ``AU`` (``Cooper K``); ``CN`` collective names are
  organisations, kept in file order among the persons. Investigators (``IR``/``FIR``) are not authors.
* publication_type: the first ``PT``. PubMed lists the primary type (``Journal Article``) first and then
  facets (``Review``, ``Research Support, Non-U.S. Gov't``); all of them stay in ``raw["PT"]``.
* issn: the print ISSN, else the linking one, else the first ``IS`` (print is what other databases carry).
* doi: the ``[doi]`` value of ``AID``, else of ``LID``, else a ``doi.org`` link there (ERIC writes
  ``AID - http://dx.doi.org/10...``). url: the first other web link in ``LID``/``AID``.
* ERIC: ``OID`` (``EJ1131633``) is the record's id, ``ISSN - ISSN-1234-4567`` its ISSN, and ``SO`` (``v10 n1
  p1-10 2000``) gives volume, issue and pages when ``VI``/``IP``/``PG`` are absent. Keywords: ``MH`` then
  ``OT``, as written.
* source_record_id: ``PMID``, else ERIC's ``OID``, else the accession number ``AN``. pmid: ``PMID``, else
  Ovid MEDLINE's ``UI``.

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
from synthesist.importing.formats.tagged import first_text
from synthesist.importing.source import SourceFile
from synthesist.records.clean import clean_doi, clean_pmid, clean_text, parse_year, split_keywords
from synthesist.records.model import Author, Record

__all__ = ["MedlineReader"]

EXCERPT_CHARS = 200
_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]{1,3}) {0,2}- ?(.*)$")
_PMID_LINE = re.compile(r"^PMID- ?\d", re.MULTILINE)
_RECORD_START = re.compile(r"^(?:PMID|OWN) ?- ")
_RECORD_NUMBER = re.compile(r"^\s*(?:<\d+>|\d+\.)\s*$")
_SPLIT_TAGS = frozenset({"PMID", "OWN"})  # a second one in the same record: a blank line is missing
_SO_VOLUME = re.compile(r"\bv(\w+)")
_SO_ISSUE = re.compile(r"\bn(\w+)")
_SO_PAGES = re.compile(r"\bp(\d+(?:-\d+)?)")
_TAG_LINES = re.compile(r"^[A-Z][A-Z0-9]{1,3} {0,2}- ", re.MULTILINE)
_RIS_TY = re.compile(r"^TY  - ", re.MULTILINE)
_ISSN = re.compile(r"\b\d{4}-\d{3}[\dXx]\b")
_AUTHOR_TAGS = frozenset({"FAU", "AU", "CN"})


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
    return first_text({"IS": values}, "IS")


def _doi(raw: dict[str, list[str]]) -> str | None:
    for tag in ("AID", "LID"):
        for value in raw.get(tag, ()):
            if value.rstrip().lower().endswith("[doi]"):
                return clean_doi(value.rstrip()[: -len("[doi]")])
    for tag in ("AID", "LID"):
        for value in raw.get(tag, ()):
            if "doi.org/" in value.lower():
                return clean_doi(value)
    return None


def _url(raw: dict[str, list[str]]) -> str | None:
    for tag in ("LID", "AID"):
        for value in raw.get(tag, ()):
            link = value.strip().split(" ")[0]
            if link.startswith(("http://", "https://")) and "doi.org/" not in link.lower():
                return link
    return None


def _from_source(raw: dict[str, list[str]], pattern: re.Pattern[str]) -> str | None:
    """Volume, issue or pages from ERIC's ``SO - v10 n1 p1-10 2000`` (only when its own tag is absent)."""
    source = first_text(raw, "SO")
    match = pattern.search(source) if source else None
    return match.group(1) if match else None


def build_record(raw: dict[str, list[str]], author_sequence: list[tuple[str, int]]) -> Record:
    """The canonical record from one MEDLINE record's tags."""
    pmid = clean_pmid(first_text(raw, "PMID", "UI"))
    return Record(
        title=first_text(raw, "TI", "BTI"),
        authors=_authors(raw, author_sequence),
        year=parse_year(first_text(raw, "DP", "DEP", "YR")),
        journal=first_text(raw, "JT", "TA", "JN"),
        volume=first_text(raw, "VI") or _from_source(raw, _SO_VOLUME),
        issue=first_text(raw, "IP") or _from_source(raw, _SO_ISSUE),
        pages=first_text(raw, "PG") or _from_source(raw, _SO_PAGES),
        doi=_doi(raw),
        pmid=pmid,
        issn=_issn(raw.get("IS", []) + raw.get("ISSN", [])),
        abstract=first_text(raw, "AB"),
        keywords=split_keywords(raw.get("MH", []) + raw.get("OT", []), ";"),
        language=first_text(raw, "LA"),
        publication_type=first_text(raw, "PT"),
        url=_url(raw),
        source_record_id=pmid or first_text(raw, "OID", "AN"),
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
        if not (record.title or record.authors or record.pmid or record.doi or record.source_record_id):
            return RejectedRecord(
                line=self.start,
                reason=f"record starting at line {self.start} has no PMID, no title and no authors",
                excerpt=excerpt,
            )
        return ParsedRecord(record=record, line=self.start)


@register_reader
class MedlineReader(Reader):
    name: ClassVar[str] = "nbib"
    description: ClassVar[str] = "MEDLINE/PubMed format (.nbib from PubMed or ERIC, PubMed format .txt)"
    extensions: ClassVar[tuple[str, ...]] = (".nbib", ".txt", ".medline")

    def sniff(self, source: SourceFile) -> float:
        head = source.head
        if _RIS_TY.search(head):
            return 0.0
        lines = (line for line in head.lstrip("\ufeff \t\r\n").split("\n", 20) if line.strip())
        first_line = next((line for line in lines if not _RECORD_NUMBER.match(line)), "")
        if first_line.startswith("PMID-"):
            return 1.0
        tag_lines = len(_TAG_LINES.findall(head, 0, 4096))
        if (_RECORD_START.match(first_line) or first_line.startswith("VN  - Ovid")) and tag_lines >= 3:
            return 0.95  # ERIC's .nbib starts with "OWN - ERIC", Ovid's MEDLINE format with its "VN" line
        if _PMID_LINE.search(head) and tag_lines >= 3:
            return 0.9
        if _TAG_LINES.match(first_line) and tag_lines >= 5:
            return 0.6  # MEDLINE-tagged, from a database that leaves PMID and OWN out
        return 0.0

    def read(self, source: SourceFile, options: ReadOptions) -> Iterator[ReadItem]:
        head = source.head
        starts = _PMID_LINE.search(head) or re.search(r"^OWN ?- ", head, re.MULTILINE)
        if not starts and len(_TAG_LINES.findall(head, 0, 4096)) < 3:
            raise ImportFileError(
                f"{source.name}:1: no 'PMID- ' line (nor 'OWN - ', nor other tag lines such as 'TI  - '), "
                "so this is not MEDLINE format",
                hint="Check the export format, or pass the right --format.",
            )
        current: _Builder | None = None
        for number, line in source.lines():
            if not line.strip() or _RECORD_NUMBER.match(line):
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
            if tag in _SPLIT_TAGS and tag in current.raw:
                # a missing blank line between two records: the first ends here
                yield current.finish()
                current = _Builder(number)
                current.note_line(line)
            current.add(tag, value)
        if current is not None:
            yield current.finish()
