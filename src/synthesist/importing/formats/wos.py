"""Web of Science plain text reader ("Export > Plain text file", also Derwent/BIOSIS on the same platform).

The file opens with ``FN Clarivate Analytics Web of Science`` and ``VR 1.0``; each record runs from
``PT J`` to ``ER``; the file ends with ``EF``. A line is a two-character tag, a space and the value;
lines indented by three spaces continue the tag above. For the list tags (``AU``, ``AF``, ``CR``,
``C1``...) each continuation line is one more value; for the others it is the same value wrapped, so it is
joined with a space.

Mapping: authors from ``AF`` (``Cooper, Kay``) over ``AU`` (``Cooper, K``), then ``CA``/``GP`` group
authors as organisations; ``TI``; journal ``SO``; year ``PY`` (``EA`` for early-access records without
one); ``VL``/``IS``; pages ``BP-EP``, else the article number ``AR``; ``DI``; ``PM``; issn ``SN`` else
``EI``; ``AB``; keywords ``DE`` then ``ID`` (split on ``;``); ``LA``; ``DT``; ``UT`` -> source_record_id.

A streaming line parser (rispy's ``WokParser`` has no line numbers and drops a record cut off at the
end of the file); one pass, constant memory.
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
from synthesist.importing.formats.tagged import first_text
from synthesist.importing.source import SourceFile
from synthesist.records.clean import clean_doi, clean_pmid, clean_text, parse_year, split_keywords
from synthesist.records.model import Author, Record

__all__ = ["WosReader"]

EXCERPT_CHARS = 200
_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
_LIST_TAGS = frozenset({"AU", "AF", "BA", "BF", "BE", "CA", "GP", "CR", "C1", "C3", "RI", "OI"})
_HEADER_TAGS = frozenset({"FN", "VR"})
_RECORD_START = re.compile(r"^PT [A-Z]\s*$", re.MULTILINE)


def _authors(raw: dict[str, list[str]]) -> list[Author]:
    authors: list[Author] = []
    for value in raw.get("AF") or raw.get("AU") or []:
        name = clean_text(value)
        if name:
            family, comma, given = name.partition(",")
            authors.append(Author(family.strip(), given.strip()) if comma else Author(family=name))
    for tag in ("CA", "GP"):
        for value in raw.get(tag, ()):
            group = clean_text(value)
            if group:
                authors.append(Author(family=group, organisation=True))
    return authors


def _pages(raw: dict[str, list[str]]) -> str | None:
    begin, end = first_text(raw, "BP"), first_text(raw, "EP")
    if begin and end:
        return f"{begin}-{end}"
    return begin or end or first_text(raw, "AR")


def build_record(raw: dict[str, list[str]]) -> Record:
    """The canonical record from one Web of Science record's tags."""
    return Record(
        title=first_text(raw, "TI"),
        authors=_authors(raw),
        year=parse_year(first_text(raw, "PY", "EA")),
        journal=first_text(raw, "SO"),
        volume=first_text(raw, "VL"),
        issue=first_text(raw, "IS"),
        pages=_pages(raw),
        doi=clean_doi(first_text(raw, "DI")),
        pmid=clean_pmid(first_text(raw, "PM")),
        issn=first_text(raw, "SN", "EI"),
        abstract=first_text(raw, "AB"),
        keywords=split_keywords(raw.get("DE", []) + raw.get("ID", []), ";"),
        language=first_text(raw, "LA"),
        publication_type=first_text(raw, "DT"),
        url=None,
        source_record_id=first_text(raw, "UT"),
        raw=raw,
    )


def _excerpt(lines: list[str]) -> str:
    return "\n".join(lines)[:EXCERPT_CHARS]


@register_reader
class WosReader(Reader):
    name: ClassVar[str] = "wos"
    description: ClassVar[str] = "Web of Science plain text (FN/VR/PT ... ER/EF)"
    extensions: ClassVar[tuple[str, ...]] = (".txt", ".ciw")

    def sniff(self, source: SourceFile) -> float:
        head = source.head.lstrip("\ufeff \t\r\n")
        if head.startswith("FN ") and "\nVR " in head[:2000]:
            return 1.0
        if head.startswith(("FN ", "VR ", "PT ")) and _RECORD_START.search(head) and "\nER" in head:
            return 0.8
        return 0.0

    def read(self, source: SourceFile, options: ReadOptions) -> Iterator[ReadItem]:
        if not _RECORD_START.search(source.head):
            raise ImportFileError(
                f"{source.name}:1: no 'PT ' (record start) line, so this is not Web of Science plain text",
                hint="Export from Web of Science with 'Plain text file', or pass the right --format.",
            )
        raw: dict[str, list[str]] | None = None  # the record being read (or stray lines outside one)
        start = 0
        problem: str | None = None  # why the record being read will be rejected
        excerpt: list[str] = []
        last_tag: str | None = None
        for number, line in source.lines():
            if not line.strip():
                continue
            if raw is not None and len(excerpt) < 4:
                excerpt.append(line)
            if line.startswith("   ") or line[:1] == "\t":
                if raw is not None and last_tag is not None:
                    values = raw[last_tag]
                    text = line.strip()
                    if last_tag in _LIST_TAGS:
                        values.append(text)
                    else:
                        values[-1] = f"{values[-1]} {text}"
                continue
            match = _TAG_LINE.match(line.rstrip())
            tag = match.group(1) if match else None
            value = (match.group(2) or "") if match else ""
            if tag == "PT":
                if raw is not None:
                    yield RejectedRecord(
                        line=start,
                        reason=problem
                        or f"record starting at line {start} has no 'ER' (end of record) "
                        f"before the next record at line {number}",
                        excerpt=_excerpt(excerpt),
                    )
                raw, start, problem, excerpt, last_tag = {"PT": [value]}, number, None, [line], "PT"
            elif tag in ("ER", "EF"):
                if raw is not None:
                    yield (
                        self._finish(raw, start, excerpt)
                        if problem is None
                        else RejectedRecord(line=start, reason=problem, excerpt=_excerpt(excerpt))
                    )
                raw, last_tag = None, None
            elif raw is None:
                if tag in _HEADER_TAGS:
                    continue
                raw, start, excerpt, last_tag = {}, number, [line], None
                problem = (
                    f"lines from line {number} are outside a record: no 'PT ' (start of record) before them"
                )
                if tag is not None:
                    raw[tag], last_tag = [value], tag
            elif tag is None:
                problem = problem or f"line {number} of the record starting at line {start} is not a tag line"
                last_tag = None
            else:
                raw.setdefault(tag, []).append(value)
                last_tag = tag
        if raw is not None:
            yield RejectedRecord(
                line=start,
                reason=problem
                or f"record starting at line {start} has no 'ER' (end of record); the file may be truncated",
                excerpt=_excerpt(excerpt),
            )
        # A missing final "EF" is not an error: exports cut after a whole record still import.

    @staticmethod
    def _finish(raw: dict[str, list[str]], start: int, excerpt: list[str]) -> ReadItem:
        record = build_record(raw)
        if not (record.title or record.authors or record.source_record_id or record.doi):
            return RejectedRecord(
                line=start,
                reason=f"record starting at line {start} has no title, no authors and no identifier",
                excerpt=_excerpt(excerpt),
            )
        return ParsedRecord(record=record, line=start)
