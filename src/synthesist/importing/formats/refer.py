"""EndNote tagged (refer) reader: EndNote's "EndNote Export" text (``.enl`` or ``.txt`` exported as text),
and the same format from AIS eLibrary, Publish or Perish, and other sites with an "EndNote" download.

Each line is ``%`` + one character + a space + the value (``%T Title``, ``%A Cooper, Kay``); a line
without ``%`` continues the field above (EndNote writes ``%K`` keywords one per line that way); records
are separated by blank lines. A record usually starts with ``%0 Journal Article`` but may start with
``%T`` (AIS eLibrary) or any other tag.

Mapping: ``%0`` type; ``%T`` title; ``%A`` authors (``Family, Given``, read as RIS authors: a trailing
comma marks a group); journal ``%J``, else the secondary title ``%B``; year ``%D``, else the date ``%8``;
``%V`` volume; ``%N`` issue; ``%P`` pages; ``%R`` DOI (else a ``doi.org`` link in ``%U``); ``%U`` url;
``%X`` abstract; ``%K`` keywords (one per line, or split on ``;``); ``%@`` ISSN (the first ISSN-shaped
value); ``%G`` language; ``%M`` accession number as source_record_id, and as pmid when the database
(``%~``/``%W``) is PubMed or MEDLINE. Every tag, editors (``%E``) and notes (``%Z``) included, stays in
``raw`` under its tag (``%A``...).

A true EndNote library (``.enl`` with its ``.Data`` folder) is a binary database, refused when the file
is opened with a hint to export it as text (see :mod:`synthesist.importing.source`).
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
from synthesist.records.clean import clean_doi, clean_pmid, parse_year, split_keywords
from synthesist.records.model import Author, Record

__all__ = ["ReferReader", "build_record"]

EXCERPT_CHARS = 200
_TAG_LINE = re.compile(r"^(%\S)(?:[ \t](.*))?$")
_TAG_LINES = re.compile(r"^%\S[ \t]\S", re.MULTILINE)
_DOI_LINK = re.compile(r"doi\.org/+(10\.\d{4,9}/\S+)", re.IGNORECASE)
_MEDLINE_NAMES = ("pubmed", "medline")


def _authors(raw: dict[str, list[str]]) -> list[Author]:
    authors: list[Author] = []
    for value in raw.get("%A", ()):
        for name in value.split("\n"):  # one author per continuation line, as some exports write them
            author = parse_ris_author(name)
            if author is not None:
                authors.append(author)
    return authors


def _doi(raw: dict[str, list[str]]) -> str | None:
    doi = clean_doi(first_text(raw, "%R"))
    if doi:
        return doi
    for value in raw.get("%U", ()):
        match = _DOI_LINK.search(value)
        if match:
            return clean_doi(match.group(1))
    return None


def _pmid(raw: dict[str, list[str]]) -> str | None:
    database = " ".join(raw.get("%~", []) + raw.get("%W", [])).lower()
    accession = first_text(raw, "%M")
    if accession and accession.isdigit() and any(name in database for name in _MEDLINE_NAMES):
        return clean_pmid(accession)
    return None


def _keywords(raw: dict[str, list[str]]) -> list[str]:
    lines = [line for value in raw.get("%K", ()) for line in value.split("\n")]
    return split_keywords(lines, ";", entities=True)


def build_record(raw: dict[str, list[str]]) -> Record:
    """The canonical record from one refer record's tags."""
    url = first_text(raw, "%U")
    return Record(
        title=first_text(raw, "%T"),
        authors=_authors(raw),
        year=parse_year(first_text(raw, "%D")) or parse_year(first_text(raw, "%8")),
        journal=first_text(raw, "%J", "%B"),
        volume=first_text(raw, "%V"),
        issue=first_text(raw, "%N"),
        pages=first_text(raw, "%P"),
        doi=_doi(raw),
        pmid=_pmid(raw),
        issn=first_issn(raw["%@"]) if "%@" in raw else None,
        abstract=first_text(raw, "%X"),
        keywords=_keywords(raw),
        language=first_text(raw, "%G"),
        publication_type=first_text(raw, "%0"),
        url=url.split(" ")[0] if url else None,
        source_record_id=first_text(raw, "%M"),
        raw=raw,
    )


class _Chunk:
    """The lines of one record (or of text that is not one), as read."""

    def __init__(self, line: int) -> None:
        self.start = line
        self.raw: dict[str, list[str]] = {}
        self.last: list[str] | None = None
        self.excerpt: list[str] = []
        self.problem: str | None = None

    def note(self, line: str) -> None:
        if sum(len(text) + 1 for text in self.excerpt) < EXCERPT_CHARS:
            self.excerpt.append(line)

    def finish(self) -> ReadItem:
        excerpt = "\n".join(self.excerpt)[:EXCERPT_CHARS]
        if self.problem:
            return RejectedRecord(line=self.start, reason=self.problem, excerpt=excerpt)
        record = build_record(self.raw)
        if not (record.title or record.authors or record.doi or record.source_record_id):
            return RejectedRecord(
                line=self.start,
                reason=f"record starting at line {self.start} has no title (%T), no authors (%A) "
                "and no identifier",
                excerpt=excerpt,
            )
        return ParsedRecord(record=record, line=self.start)


@register_reader
class ReferReader(Reader):
    name: ClassVar[str] = "endnote-tagged"
    description: ClassVar[str] = (
        "EndNote tagged / refer text (%0, %T, %A lines; .enl or .txt exported as text)"
    )
    extensions: ClassVar[tuple[str, ...]] = (".enl", ".txt", ".refer")

    def sniff(self, source: SourceFile) -> float:
        head = source.head.lstrip("\ufeff \t\r\n")
        if not _TAG_LINE.match(head.split("\n", 1)[0]):
            return 0.0
        tag_lines = len(_TAG_LINES.findall(head, 0, 4096))
        if tag_lines >= 3:
            return 0.95
        return 0.5 if tag_lines >= 1 else 0.0

    def read(self, source: SourceFile, options: ReadOptions) -> Iterator[ReadItem]:
        if not _TAG_LINES.search(source.head):
            raise ImportFileError(
                f"{source.name}:1: no '%T Title'-style lines, so this is not EndNote tagged (refer) text",
                hint="Check the export format, or pass the right --format.",
            )
        current: _Chunk | None = None
        for number, line in source.lines():
            text = line.rstrip()
            if not text.strip():
                if current is not None:
                    yield current.finish()
                    current = None
                continue
            match = _TAG_LINE.match(text.lstrip("\ufeff"))
            if match is not None and match.group(1) == "%0" and current is not None and "%0" in current.raw:
                yield current.finish()  # a blank line is missing between two records
                current = None
            if current is None:
                current = _Chunk(number)
            current.note(text)
            if match is None:
                if current.last is None:
                    current.problem = current.problem or (
                        f"line {number} is neither a tag line ('%T Title') nor the continuation of one"
                    )
                else:
                    current.last[-1] = f"{current.last[-1]}\n{text.strip()}"
                continue
            tag, value = match.group(1), (match.group(2) or "").strip()
            current.last = current.raw.setdefault(tag, [])
            current.last.append(value)
        if current is not None:
            yield current.finish()
