"""PubMed XML reader: journal and book articles, structured abstracts, collective authors, inline markup."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthesist.errors import ImportFileError
from synthesist.importing.base import ReadOptions
from synthesist.importing.formats.pubmed_xml import PubmedXmlReader
from synthesist.records.model import Author
from tests.importing.structured_helpers import assert_sniff_discriminates, corpus, read_all, records, write

READER = PubmedXmlReader()


def test_sniff_claims_pubmed_xml_only() -> None:
    assert_sniff_discriminates(READER)


def test_journal_article_fields() -> None:
    parsed, rejected = read_all(READER, corpus("pubmed.xml"))
    assert not rejected and len(parsed) == 9
    assert parsed[0].line == 4
    cooper = parsed[0].record
    assert (
        cooper.title
        == "Patient-centredness in physiotherapy from the perspective of the chronic low back pain patient."
    )
    assert cooper.authors[:2] == [Author("Cooper", "Kay"), Author("Smith", "Blair H")]
    assert (cooper.journal, cooper.volume, cooper.issue, cooper.pages) == (
        "Physiotherapy",
        "94",
        "3",
        "244-52",
    )
    assert (cooper.year, cooper.pmid, cooper.source_record_id) == (2008, "19627718", "19627718")
    assert (cooper.doi, cooper.issn, cooper.language) == ("10.1016/j.physio.2007.10.006", "0031-9406", "eng")
    assert cooper.publication_type == "Journal Article"  # the first of the list
    assert cooper.abstract is not None and cooper.abstract.startswith("OBJECTIVES: To explore")
    assert (
        "DESIGN: Qualitative study" in cooper.abstract
        and "CONCLUSIONS: Patient-centredness" in cooper.abstract
    )
    assert cooper.keywords[:4] == [
        "Chronic low back pain",
        "Patient-centredness",
        "Physiotherapy",
        "Qualitative research",
    ]
    assert "Low Back Pain" in cooper.keywords  # MeSH descriptors follow the author keywords
    assert cooper.raw["MedlineCitation/Article/Journal/ISSN@IssnType"] == ["Print"]
    # The reference list has its own ArticleIdList: its DOI must not leak into the record.
    assert "10.1056/NEJM200102013440508" not in (cooper.doi or "")


def test_medline_date_inline_markup_collective_author_and_missing_parts() -> None:
    by_pmid = {record.pmid: record for record in records(READER, corpus("pubmed.xml"))}
    ostlund = by_pmid["11775785"]
    assert ostlund.year == 2001  # <MedlineDate>2001 Dec-2002 Jan</MedlineDate>
    assert ostlund.doi is None and ostlund.authors[0] == Author("Östlund", "Gunnel")
    slade = by_pmid["19218301"]
    assert slade.title is not None and "of partnership in care for people" in slade.title  # <i> kept as text
    assert by_pmid["15556955"].authors == [Author("UK BEAM Trial Team", organisation=True)]
    assert by_pmid["20207325"].abstract is None
    assert by_pmid["31277611"].authors[1] == Author("Kowalski", "Łukasz")


def test_book_article() -> None:
    book = {record.pmid: record for record in records(READER, corpus("pubmed.xml"))}["28230941"]
    assert book.title == "Low Back Pain and Sciatica in Over 16s: Assessment and Management"
    assert book.authors == [Author("National Guideline Centre (UK)", organisation=True)]
    assert (book.year, book.journal, book.publication_type) == (2016, None, "Book")
    assert book.abstract is not None and book.abstract.startswith("This guideline covers")


def test_truncated_file_is_a_file_error_with_the_line() -> None:
    with pytest.raises(ImportFileError, match=r"truncated\.xml:\d+: the XML is broken or cut short"):
        list(READER.read(corpus("truncated.xml"), ReadOptions()))


def test_article_without_pmid_or_title_is_rejected(tmp_path: Path) -> None:
    text = (
        "<PubmedArticleSet>\n<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>A</ArticleTitle>"
        "</Article></MedlineCitation></PubmedArticle>\n<PubmedArticle><MedlineCitation><Article/></MedlineCitation>"
        "</PubmedArticle>\n</PubmedArticleSet>"
    )
    parsed, rejected = read_all(READER, write(tmp_path, "x.xml", text))
    assert [item.record.title for item in parsed] == ["A"]
    assert rejected[0].line == 3 and "neither a PMID nor a title" in rejected[0].reason


def test_no_articles_and_dtd_is_never_fetched(tmp_path: Path) -> None:
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle//EN" '
        '"https://invalid.example/pubmed.dtd">\n<PubmedArticleSet></PubmedArticleSet>\n'
    )
    with pytest.raises(ImportFileError, match="no <PubmedArticle>"):
        list(READER.read(write(tmp_path, "x.xml", text), ReadOptions()))
