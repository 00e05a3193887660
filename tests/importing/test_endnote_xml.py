"""EndNote XML reader: <style> wrappers, corporate authors, ISSN in <isbn>, PMID only from PubMed records."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthesist.errors import ImportFileError
from synthesist.importing.base import ReadOptions
from synthesist.importing.formats.endnote_xml import EndnoteXmlReader
from synthesist.records.model import Author
from tests.importing.structured_helpers import assert_sniff_discriminates, corpus, read_all, records, write

READER = EndnoteXmlReader()
STYLE = '<style face="normal" font="default" size="100%">{}</style>'


def _record(body: str) -> str:
    return f'<record><rec-number>7</rec-number><ref-type name="Journal Article">17</ref-type>{body}</record>'


def _file(*bodies: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" ?><xml><records>'
        + "".join(map(_record, bodies))
        + "</records></xml>"
    )


def test_sniff_claims_endnote_xml_only() -> None:
    assert_sniff_discriminates(READER)


def test_endnote_x9_export() -> None:
    parsed, rejected = read_all(READER, corpus("endnote_x9.xml"))
    assert not rejected
    assert [item.line for item in parsed] == list(range(2, 13))
    cooper = parsed[0].record
    assert cooper.source_record_id == "3"
    assert (
        cooper.title
        == "Patient-centredness in physiotherapy from the perspective of the chronic low back pain patient"
    )
    assert [a.display for a in cooper.authors] == ["Cooper, K.", "Smith, B.H.", "Hancock, E."]
    assert (cooper.journal, cooper.volume, cooper.issue, cooper.pages) == (
        "Physiotherapy",
        "94",
        "3",
        "244-52",
    )
    assert (cooper.year, cooper.doi, cooper.pmid) == (2008, "10.1016/j.physio.2007.10.006", "19627718")
    assert cooper.issn == "0031-9406"  # from "0031-9406 (Print)\r0031-9406 (Linking)"
    assert cooper.publication_type == "Journal Article" and cooper.language == "eng"
    assert cooper.url == "https://doi.org/10.1016/j.physio.2007.10.006"
    assert cooper.keywords[0] == "Adult"
    assert cooper.raw["ref-type@name"] == ["Journal Article"]
    assert cooper.raw["titles/secondary-title"] == ["Physiotherapy"]
    assert cooper.raw["remote-database-provider"] == ["NLM"]


def test_style_runs_group_author_book_section_and_unicode() -> None:
    found = {record.source_record_id: record for record in records(READER, corpus("endnote_x9.xml"))}
    ukbeam = found["10"]
    assert (
        ukbeam.title is not None and "(UK BEAM) randomised trial" in ukbeam.title
    )  # italic <style> run joined
    assert ukbeam.authors == [Author("UK BEAM Trial Team", organisation=True)]  # "UK BEAM Trial Team,"
    book = found["21"]
    assert book.publication_type == "Book Section"
    assert book.issn is None  # <isbn> of a book is an ISBN
    assert book.journal == "Musculoskeletal physiotherapy: clinical science and evidence-based practice"
    assert book.authors == [Author("Hancock", "E.")]  # secondary authors (editors) are not authors
    assert found["5"].authors[0].family == "Östlund" and found["5"].doi is None
    assert found["11"].authors[1] == Author("Kowalski", "Ł.")


def test_accession_number_is_a_pmid_only_for_pubmed_records(tmp_path: Path) -> None:
    text = _file(
        f"<titles><title>{STYLE.format('Embase record')}</title></titles>"
        "<accession-num>2008123456</accession-num><remote-database-name>Embase</remote-database-name>",
        "<titles><title>PubMed record</title></titles><accession-num>19627718</accession-num>"
        "<remote-database-name>PubMed</remote-database-name>",
    )
    embase, pubmed = records(READER, write(tmp_path, "x.xml", text))
    assert embase.pmid is None and embase.raw["accession-num"] == ["2008123456"]
    assert pubmed.pmid == "19627718"


def test_empty_record_is_rejected_with_its_line(tmp_path: Path) -> None:
    text = _file("<titles><title>One</title></titles>")
    text = text.replace("</records>", "\n<record><rec-number>8</rec-number></record>\n</records>")
    parsed, rejected = read_all(READER, write(tmp_path, "x.xml", text))
    assert len(parsed) == 1
    assert rejected[0].line == 2 and "no title" in rejected[0].reason
    assert rejected[0].excerpt == "<record><rec-number>8</rec-number></record>"


def test_truncated_file_is_a_file_error_with_a_line(tmp_path: Path) -> None:
    whole = (corpus("endnote_x9.xml").path).read_text(encoding="utf-8")
    cut = whole[: whole.index("<record>", 3000) + 400]
    source = write(tmp_path, "cut.xml", cut)
    with pytest.raises(ImportFileError, match=r"cut\.xml:\d+: the XML is broken or cut short"):
        list(READER.read(source, ReadOptions()))


def test_wrong_root_and_no_records(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="not EndNote XML"):
        list(READER.read(write(tmp_path, "a.xml", "<PubmedArticleSet></PubmedArticleSet>"), ReadOptions()))
    with pytest.raises(ImportFileError, match="no <record> elements"):
        list(READER.read(write(tmp_path, "b.xml", "<xml><records></records></xml>"), ReadOptions()))


def test_encoding_comes_from_the_xml_declaration(tmp_path: Path) -> None:
    text = _file("<titles><title>Café für Östlund</title></titles>").replace("UTF-8", "ISO-8859-1")
    [record] = records(READER, write(tmp_path, "latin.xml", text, encoding="latin-1"))
    assert record.title == "Café für Östlund"
