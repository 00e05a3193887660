"""Cochrane Library plain-text reader: CENTRAL (trials) and CDSR (reviews) "Export selected citations" as
"Plain text".

Each record opens with ``Record #1 of 25``, then one field per line as ``XX: value`` (``ID: CN-01234567``,
``AU: Cooper K``, ``TI:``, ``SO:``, ``YR:``, ``VL:``, ``NO:``, ``PG:``, ``XR:``, ``PT:``, ``KY:``, ``DOI:``,
``AB:``, ``US:``); a line without a tag continues the field above. Text before the first record (the
export's header) is not part of any record.

Mapping: ``ID`` -> source_record_id; ``AU`` authors (one per line; ``Cooper K`` or ``Cooper, Kay``);
``TI``; journal ``SO``; year ``YR``; ``VL``; issue ``NO``; pages ``PG``; ``DOI``; ``AB``; keywords ``KY``
(split on ``;``); first ``PT`` as publication type; ``LA`` language; ``SN`` ISSN; url ``US``; pmid from
``PM``/``XR`` (``PUBMED 18649386``). Every field stays in ``raw``.
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
from synthesist.importing.formats.ris import first_issn, parse_ris_author
from synthesist.importing.formats.tagged import first_text
from synthesist.importing.source import SourceFile
from synthesist.records.clean import clean_doi, parse_year, split_keywords
from synthesist.records.model import Author, Record

__all__ = ["CochraneTextReader", "build_record"]

EXCERPT_CHARS = 200
_RECORD_START = re.compile(r"^\s*Record #\s*\d+\s+of\s+\d+\s*$")
_SNIFF_START = re.compile(r"^\s*Record #\s*\d+\s+of\s+\d+\s*$", re.MULTILINE)
# two-letter tags, and the longer ones Cochrane writes: a wrapped abstract line such as "AIMS: ..." stays text
_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]|DOI|ISSN|ISBN):(?:[ \t]+(.*))?$")
_SNIFF_TAG = re.compile(r"^(?:ID|AU|TI|SO|YR|AB|US|DOI): ", re.MULTILINE)
_PUBMED = re.compile(r"\bPUBMED\s+(\d{1,9})\b", re.IGNORECASE)


def _authors(raw: dict[str, list[str]]) -> list[Author]:
    authors: list[Author] = []
    for value in raw.get("AU", ()):
        # one author per line, though some exports list them all on one line, separated by ";"
        for name in value.split(";"):
            author = parse_ris_author(name)
            if author is not None:
                authors.append(author)
    return authors


def _pmid(raw: dict[str, list[str]]) -> str | None:
    for tag in ("PM", "XR"):
        for value in raw.get(tag, ()):
            match = _PUBMED.search(value)
            if match:
                return match.group(1)
    return None


def build_record(raw: dict[str, list[str]]) -> Record:
    """The canonical record from one Cochrane plain-text record's fields."""
    publication_types = split_keywords(raw.get("PT", []), ";")
    url = first_text(raw, "US")
    return Record(
        title=first_text(raw, "TI"),
        authors=_authors(raw),
        year=parse_year(first_text(raw, "YR")),
        journal=first_text(raw, "SO"),
        volume=first_text(raw, "VL"),
        issue=first_text(raw, "NO"),
        pages=first_text(raw, "PG"),
        doi=clean_doi(first_text(raw, "DOI")),
        pmid=_pmid(raw),
        issn=first_issn(raw["SN"]) if "SN" in raw else None,
        abstract=first_text(raw, "AB"),
        keywords=split_keywords(raw.get("KY", []), ";"),
        language=first_text(raw, "LA"),
        publication_type=publication_types[0] if publication_types else None,
        url=url.split(" ")[0] if url else None,
        source_record_id=first_text(raw, "ID"),
        raw=raw,
    )


class _Chunk:
    def __init__(self, line: int) -> None:
        self.start = line
        self.raw: dict[str, list[str]] = {}
        self.last: list[str] | None = None
        self.excerpt: list[str] = []

    def note(self, line: str) -> None:
        if sum(len(text) + 1 for text in self.excerpt) < EXCERPT_CHARS:
            self.excerpt.append(line)

    def finish(self) -> ReadItem:
        record = build_record(self.raw)
        if not (record.title or record.authors or record.doi or record.source_record_id):
            return RejectedRecord(
                line=self.start,
                reason=f"record starting at line {self.start} has no title (TI), no authors (AU) "
                "and no identifier (ID, DOI)",
                excerpt="\n".join(self.excerpt)[:EXCERPT_CHARS],
            )
        return ParsedRecord(record=record, line=self.start)


@register_reader
class CochraneTextReader(Reader):
    name: ClassVar[str] = "cochrane-text"
    description: ClassVar[str] = "Cochrane Library plain text (Record #1 of N, ID:/TI:/AU: lines)"
    extensions: ClassVar[tuple[str, ...]] = (".txt",)

    def sniff(self, source: SourceFile) -> float:
        head = source.head
        if _SNIFF_START.search(head) and len(_SNIFF_TAG.findall(head, 0, 8192)) >= 2:
            return 0.95
        return 0.0

    def read(self, source: SourceFile, options: ReadOptions) -> Iterator[ReadItem]:
        if not _SNIFF_START.search(source.head):
            raise ImportFileError(
                f"{source.name}:1: no 'Record #1 of N' line, so this is not Cochrane Library plain text",
                hint="Check the export format, or pass the right --format.",
            )
        current: _Chunk | None = None
        for number, line in source.lines():
            text = line.rstrip()
            if _RECORD_START.match(text):
                if current is not None:
                    yield current.finish()
                current = _Chunk(number)
                continue
            if current is None or not text.strip():
                continue  # the export's header, or a blank line between fields or records
            current.note(text)
            match = _TAG_LINE.match(text)
            if match is None:
                if current.last is not None:
                    current.last[-1] = f"{current.last[-1]}\n{text.strip()}"
                else:
                    current.last = current.raw.setdefault("text", [])
                    current.last.append(text.strip())
                continue
            current.last = current.raw.setdefault(match.group(1), [])
            current.last.append((match.group(2) or "").strip())
        if current is not None:
            yield current.finish()
