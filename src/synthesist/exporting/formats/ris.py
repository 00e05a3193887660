"""RIS writer: standard RIS that reference managers import and Synthesist's RIS reader reads back unchanged.

Tag choices (each read back by :mod:`synthesist.importing.formats.ris` to the same canonical field):

* ``TY`` the publication type when it is a RIS type code; other type names (``Journal Article`` from
  MEDLINE, ``Article`` from Scopus/Web of Science...) are mapped to the nearest code, ``GEN`` when unknown.
* ``ID`` source_record_id; ``TI``; one ``AU`` per author as ``Family, Given``; a group author is written
  with a trailing comma (``UK BEAM Trial Team,``), EndNote's convention, so it is not split into names.
* ``PY`` year; ``JO`` journal; ``VL``; ``IS``; ``SP``/``EP`` when pages are a simple ``a-b`` range,
  otherwise ``SP`` holds the pages as written (``e1234``, ``244-52-3``); ``SN``; ``DO``; ``AB``;
  ``KW`` one per line; ``LA``; ``UR``.
* ``N1  - PMID: 123``: RIS has no PMID tag, ``AN`` means a different accession number in every database,
  and the explicit prefix is what every reader (and a human) recognises.
* ``DB`` the source the record was imported from, and one ``N1`` line per extra column
  (``duplicate_group: 3``), so an export keeps what the project knows about the record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar, TextIO

from rispy.config import TYPE_OF_REFERENCE_MAPPING

from synthesist.exporting.base import ExportItem, Writer, register_writer
from synthesist.records.model import Author, Record

__all__ = ["RisWriter", "ris_type"]

# The type codes of the RIS specification, as rispy lists them.
RIS_TYPES = frozenset(TYPE_OF_REFERENCE_MAPPING)
# Publication type names other formats carry, lower-cased, and their RIS code.
_TYPE_NAMES = {
    "journal article": "JOUR",
    "article": "JOUR",
    "review": "JOUR",
    "systematic review": "JOUR",
    "letter": "JOUR",
    "editorial": "JOUR",
    "comment": "JOUR",
    "randomized controlled trial": "JOUR",
    "clinical trial": "JOUR",
    "article in press": "INPR",
    "early access": "INPR",
    "book": "BOOK",
    "book chapter": "CHAP",
    "chapter": "CHAP",
    "conference paper": "CPAPER",
    "proceedings paper": "CPAPER",
    "conference proceeding": "CONF",
    "conference abstract": "ABST",
    "meeting abstract": "ABST",
    "thesis": "THES",
    "dissertation": "THES",
    "report": "RPRT",
    "preprint": "UNPB",
    "dataset": "DATA",
    "web page": "ELEC",
}
_SIMPLE_RANGE = re.compile(r"^([^\s-]+)-([^\s-]+)$")


def ris_type(publication_type: str | None) -> str:
    """The RIS ``TY`` code for a publication type from any format."""
    if not publication_type:
        return "GEN"
    if publication_type in RIS_TYPES:
        return publication_type
    return _TYPE_NAMES.get(publication_type.strip().lower(), "GEN")


def _author_line(author: Author) -> str:
    if author.organisation:
        return f"{author.family},"
    return f"{author.family}, {author.given}" if author.given else author.family


def _single_line(value: str) -> str:
    """Values are one line in RIS: a line break would start a continuation or a bogus tag."""
    return " ".join(value.split())


def record_lines(
    record: Record, source: str | None = None, extra: dict[str, str | None] | None = None
) -> list[str]:
    """The tag lines of one record, ``TY`` to ``ER``."""
    tags: list[tuple[str, str | None]] = [("TY", ris_type(record.publication_type))]
    tags.append(("ID", record.source_record_id))
    tags.append(("TI", record.title))
    tags.extend(("AU", _author_line(author)) for author in record.authors)
    tags.append(("PY", str(record.year) if record.year is not None else None))
    tags.append(("JO", record.journal))
    tags.append(("VL", record.volume))
    tags.append(("IS", record.issue))
    if record.pages:
        simple = _SIMPLE_RANGE.match(record.pages)
        if simple:
            tags.extend([("SP", simple.group(1)), ("EP", simple.group(2))])
        else:
            tags.append(("SP", record.pages))
    tags.append(("SN", record.issn))
    tags.append(("DO", record.doi))
    tags.append(("AB", record.abstract))
    tags.extend(("KW", keyword) for keyword in record.keywords)
    tags.append(("LA", record.language))
    tags.append(("UR", record.url))
    tags.append(("N1", f"PMID: {record.pmid}" if record.pmid else None))
    tags.append(("DB", source))
    tags.extend(("N1", f"{key}: {value}") for key, value in (extra or {}).items() if value not in (None, ""))
    lines = [f"{tag}  - {_single_line(value)}" for tag, value in tags if value and _single_line(value)]
    lines.append("ER  - ")
    return lines


@register_writer
class RisWriter(Writer):
    name: ClassVar[str] = "ris"
    description: ClassVar[str] = "RIS (EndNote, Zotero, Mendeley, Covidence, Rayyan)"
    extension: ClassVar[str] = ".ris"

    def write(self, items: Iterable[ExportItem], handle: TextIO) -> int:
        count = 0
        for item in items:
            lines = record_lines(item.record, item.source, item.extra)
            handle.write("\n".join(lines))
            handle.write("\n\n")
            count += 1
        return count
