"""EndNote XML reader (``<xml><records><record>`` as EndNote X7-21 "Export > XML" writes it).

Streams with ``lxml.etree.iterparse`` and clears each record once read, so a 100,000-record library
never sits in memory. EndNote wraps most text in ``<style face=... font=... size=...>`` elements
(several when formatting changes inside a title), so every value is the concatenation of all text
under its element.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from synthesist.importing.base import (
    ParsedRecord,
    Reader,
    ReadItem,
    ReadOptions,
    RejectedRecord,
    register_reader,
)
from synthesist.importing.source import SourceFile
from synthesist.importing.xml_stream import element_excerpt, element_text, joined_text, stream_elements
from synthesist.records.clean import clean_doi, clean_pmid, clean_text, parse_year, split_keywords
from synthesist.records.model import Author, Record

__all__ = ["EndnoteXmlReader"]

_ISSN = re.compile(r"\b(\d{4}-?\d{3}[\dXx])\b")
_PUBMED_DATABASES = ("pubmed", "medline", "nlm")


def _raw_fields(record: etree._Element) -> dict[str, list[str]]:
    """Every value under the record, keyed by its path (``titles/title``), in file order.

    An element whose only children are ``<style>`` wrappers is a value; attributes are kept as
    ``path@name`` (``ref-type@name`` = "Journal Article").
    """
    raw: dict[str, list[str]] = {}

    def visit(element: etree._Element, path: str) -> None:
        for name, value in element.attrib.items():
            raw.setdefault(f"{path}@{name!s}", []).append(str(value))
        children = [child for child in element if isinstance(child.tag, str)]
        if all(child.tag == "style" for child in children):
            text = joined_text(element)
            if text.strip():
                raw.setdefault(path, []).append(text)
            return
        for child in children:
            visit(child, f"{path}/{child.tag}")

    for child in record:
        if isinstance(child.tag, str):
            visit(child, str(child.tag))
    return raw


def _author(name: str) -> Author:
    # EndNote marks a corporate author with a trailing comma ("World Health Organization,") so
    # that it is not inverted; without that mark the usual "Family, Given" rules apply.
    stripped = name.strip()
    if stripped.endswith(",") and "," not in stripped[:-1]:
        return Author(family=stripped[:-1].strip(), organisation=True)
    return Author.parse(stripped)


def _issn(value: str | None, ref_type: str) -> str | None:
    # <isbn> holds the ISSN for journal articles ("0031-9406 (Print)\r0031-9406 (Linking)") and
    # the ISBN for books; only an ISSN-shaped value is an ISSN.
    if value is None or "book" in ref_type.lower():
        return None
    match = _ISSN.search(value)
    return match.group(1) if match else None


def _pmid(record: etree._Element) -> str | None:
    accession = element_text(record.find("accession-num"))
    databases = " ".join(
        filter(
            None,
            (element_text(record.find(tag)) for tag in ("remote-database-name", "remote-database-provider")),
        )
    ).lower()
    if accession and accession.isdigit() and any(name in databases for name in _PUBMED_DATABASES):
        return clean_pmid(accession)
    return None


def record_from_element(element: etree._Element) -> Record:
    ref_type_element = element.find("ref-type")
    ref_type = str(ref_type_element.get("name", "")) if ref_type_element is not None else ""
    authors = [
        _author(joined_text(author))
        for author in element.iterfind("contributors/authors/author")
        if joined_text(author).strip()
    ]
    journal = (
        element_text(element.find("periodical/full-title"))
        or element_text(element.find("titles/secondary-title"))
        or element_text(element.find("alt-periodical/full-title"))
        or element_text(element.find("periodical/abbr-1"))
    )
    keywords = split_keywords(
        [joined_text(keyword) for keyword in element.iterfind("keywords/keyword")], ";\r\n"
    )
    year = parse_year(element_text(element.find("dates/year"))) or parse_year(
        element_text(element.find("dates/pub-dates/date"))
    )
    url = element_text(element.find("urls/related-urls/url")) or element_text(
        element.find("urls/web-urls/url")
    )
    return Record(
        title=element_text(element.find("titles/title")),
        authors=authors,
        year=year,
        journal=journal,
        volume=element_text(element.find("volume")),
        issue=element_text(element.find("number")),
        pages=element_text(element.find("pages")),
        doi=clean_doi(element_text(element.find("electronic-resource-num"))),
        pmid=_pmid(element),
        issn=_issn(element_text(element.find("isbn")), ref_type),
        abstract=element_text(element.find("abstract")),
        keywords=keywords,
        language=element_text(element.find("language")),
        publication_type=clean_text(ref_type),
        url=url,
        source_record_id=element_text(element.find("rec-number")),
        raw=_raw_fields(element),
    )


@register_reader
class EndnoteXmlReader(Reader):
    name = "endnote-xml"
    description = "EndNote XML (File > Export > XML)"
    extensions = (".xml",)

    def sniff(self, source: SourceFile) -> float:
        head = source.head.lstrip("\ufeff \t\r\n")
        if not head.startswith("<"):
            return 0.0
        if "<records>" in head and "<record>" in head and ("<rec-number>" in head or "<ref-type" in head):
            return 0.95
        if head.startswith(("<?xml", "<xml>")) and "<records>" in head and "<record>" in head:
            return 0.6
        return 0.0

    def read(self, source: SourceFile, options: ReadOptions) -> Iterator[ReadItem]:
        for element in stream_elements(
            source,
            ("record",),
            roots=("xml", "records"),
            format_label="EndNote XML",
            export_hint="Export from EndNote with File > Export > XML, or pass --format.",
        ):
            yield self._item(element)

    @staticmethod
    def _item(element: etree._Element) -> ReadItem:
        line = getattr(element, "sourceline", None) or 1
        record = record_from_element(element)
        if not record.title and not record.authors and not record.doi and not record.pmid:
            return RejectedRecord(
                line=line,
                reason="record has no title, authors, DOI or PMID",
                excerpt=element_excerpt(element),
            )
        return ParsedRecord(record=record, line=line)
