"""PubMed XML reader (``PubmedArticleSet`` from efetch or PubMed "Send to: File, XML").

Handles journal articles (``PubmedArticle``) and NCBI Bookshelf documents (``PubmedBookArticle``).
Streams with ``lxml.etree.iterparse``; each article is cleared once read. The DTD named in the
DOCTYPE is never fetched (no network, no entity expansion).
"""

from __future__ import annotations

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
from synthesist.records.clean import clean_doi, clean_pmid, clean_text, parse_year
from synthesist.records.model import Author, Record

__all__ = ["PubmedXmlReader"]

_ARTICLE_TAGS = ("PubmedArticle", "PubmedBookArticle")
# Inline markup PubMed allows inside titles and abstracts; such an element is part of a value.
_INLINE = frozenset({"i", "b", "u", "sup", "sub", "mml:math", "DispFormula"})


def _first_text(element: etree._Element, *paths: str) -> str | None:
    for path in paths:
        text = element_text(element.find(path))
        if text:
            return text
    return None


def _raw_fields(article: etree._Element) -> dict[str, list[str]]:
    """Every value under the article keyed by its path, in file order; attributes as ``path@name``."""
    raw: dict[str, list[str]] = {}

    def visit(element: etree._Element, path: str) -> None:
        for name, value in element.attrib.items():
            raw.setdefault(f"{path}@{name!s}", []).append(str(value))
        children = [child for child in element if isinstance(child.tag, str)]
        if all(child.tag in _INLINE for child in children):
            text = joined_text(element)
            if text.strip():
                raw.setdefault(path, []).append(text)
            return
        for child in children:
            visit(child, f"{path}/{child.tag}")

    for child in article:
        if isinstance(child.tag, str):
            visit(child, str(child.tag))
    return raw


def _authors(author_list: etree._Element | None) -> list[Author]:
    authors: list[Author] = []
    if author_list is None:
        return authors
    for author in author_list.iterfind("Author"):
        collective = element_text(author.find("CollectiveName"))
        if collective:
            authors.append(Author(family=collective, organisation=True))
            continue
        family = element_text(author.find("LastName"))
        if family:
            given = element_text(author.find("ForeName")) or element_text(author.find("Initials")) or ""
            authors.append(Author(family=family, given=given))
    return authors


def _abstract(abstract: etree._Element | None) -> str | None:
    if abstract is None:
        return None
    parts: list[str] = []
    for section in abstract.iterfind("AbstractText"):
        text = element_text(section)
        if not text:
            continue
        label = section.get("Label")
        parts.append(f"{label}: {text}" if label else text)
    return clean_text(" ".join(parts))


def _doi(article: etree._Element, *id_lists: str) -> str | None:
    for location in article.iter("ELocationID"):
        if location.get("EIdType") == "doi":
            doi = clean_doi(element_text(location))
            if doi:
                return doi
    for path in id_lists:
        for article_id in article.iterfind(f"{path}/ArticleId"):
            if article_id.get("IdType") == "doi":
                doi = clean_doi(element_text(article_id))
                if doi:
                    return doi
    return None


def _keywords(citation: etree._Element) -> list[str]:
    terms = [keyword for keyword in citation.iterfind("KeywordList/Keyword")]
    terms += [heading for heading in citation.iterfind("MeshHeadingList/MeshHeading/DescriptorName")]
    seen: set[str] = set()
    keywords: list[str] = []
    for term in terms:
        text = element_text(term)
        if text and text not in seen:
            seen.add(text)
            keywords.append(text)
    return keywords


def _pages(article: etree._Element) -> str | None:
    pages = element_text(article.find("Pagination/MedlinePgn"))
    if pages:
        return pages
    start = element_text(article.find("Pagination/StartPage"))
    end = element_text(article.find("Pagination/EndPage"))
    if start:
        return f"{start}-{end}" if end else start
    return _first_text(article, "ELocationID[@EIdType='pii']")


def journal_record(element: etree._Element) -> Record:
    citation = element.find("MedlineCitation")
    if citation is None:
        citation = etree.Element("MedlineCitation")
    article = citation.find("Article")
    if article is None:
        article = etree.Element("Article")
    issue = article.find("Journal/JournalIssue")
    if issue is None:
        issue = etree.Element("JournalIssue")
    pmid = clean_pmid(element_text(citation.find("PMID")))
    year = parse_year(element_text(issue.find("PubDate/Year"))) or parse_year(
        element_text(issue.find("PubDate/MedlineDate"))
    )
    return Record(
        title=_first_text(article, "ArticleTitle", "VernacularTitle"),
        authors=_authors(article.find("AuthorList")),
        year=year or parse_year(element_text(article.find("ArticleDate/Year"))),
        journal=_first_text(article, "Journal/Title", "Journal/ISOAbbreviation"),
        volume=element_text(issue.find("Volume")),
        issue=element_text(issue.find("Issue")),
        pages=_pages(article),
        doi=_doi(article) or _doi(element, "PubmedData/ArticleIdList"),
        pmid=pmid,
        issn=_first_text(article, "Journal/ISSN")
        or element_text(citation.find("MedlineJournalInfo/ISSNLinking")),
        abstract=_abstract(article.find("Abstract")),
        keywords=_keywords(citation),
        language=element_text(article.find("Language")),
        publication_type=element_text(article.find("PublicationTypeList/PublicationType")),
        source_record_id=pmid,
        raw=_raw_fields(element),
    )


def book_record(element: etree._Element) -> Record:
    document = element.find("BookDocument")
    if document is None:
        document = etree.Element("BookDocument")
    book = document.find("Book")
    if book is None:
        book = etree.Element("Book")
    pmid = clean_pmid(element_text(document.find("PMID")))
    article_title = element_text(document.find("ArticleTitle"))
    book_title = element_text(book.find("BookTitle"))
    # A chapter has its own ArticleTitle inside the book; a whole Bookshelf book has only BookTitle.
    authors = _authors(document.find("AuthorList")) or _authors(book.find("AuthorList[@Type='authors']"))
    return Record(
        title=article_title or book_title,
        authors=authors or _authors(book.find("AuthorList")),
        year=parse_year(element_text(book.find("PubDate/Year")))
        or parse_year(element_text(book.find("PubDate/MedlineDate"))),
        journal=book_title if article_title else None,
        volume=element_text(book.find("Volume")),
        pages=element_text(document.find("Pagination/MedlinePgn")),
        doi=_doi(document, "ArticleIdList") or _doi(element, "PubmedBookData/ArticleIdList"),
        pmid=pmid,
        issn=element_text(book.find("ISSN")),
        abstract=_abstract(document.find("Abstract")),
        keywords=_keywords(document),
        language=element_text(document.find("Language")),
        publication_type=element_text(document.find("PublicationType")) or "Book",
        source_record_id=pmid,
        raw=_raw_fields(element),
    )


@register_reader
class PubmedXmlReader(Reader):
    name = "pubmed-xml"
    description = "PubMed XML (PubmedArticleSet from efetch or PubMed 'Send to: File, XML')"
    extensions = (".xml",)

    def sniff(self, source: SourceFile) -> float:
        head = source.head.lstrip("\ufeff \t\r\n")
        if not head.startswith("<"):
            return 0.0
        if "<PubmedArticleSet" in head or "<!DOCTYPE PubmedArticleSet" in head:
            return 0.98
        if "<PubmedArticle>" in head or "<PubmedBookArticle>" in head:
            return 0.8
        return 0.0

    def read(self, source: SourceFile, options: ReadOptions) -> Iterator[ReadItem]:
        for element in stream_elements(
            source,
            _ARTICLE_TAGS,
            roots=("PubmedArticleSet", "PubmedArticle", "PubmedBookArticle"),
            format_label="PubMed XML",
            export_hint="Save the search from PubMed with 'Send to: File, Format: XML', or pass --format.",
        ):
            yield self._item(element)

    @staticmethod
    def _item(element: etree._Element) -> ReadItem:
        line = getattr(element, "sourceline", None) or 1
        record = book_record(element) if element.tag == "PubmedBookArticle" else journal_record(element)
        if not record.pmid and not record.title:
            return RejectedRecord(
                line=line,
                reason=f"<{element.tag}> has neither a PMID nor a title",
                excerpt=element_excerpt(element),
            )
        return ParsedRecord(record=record, line=line)
