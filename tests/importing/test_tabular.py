"""CSV, TSV and XLSX readers: header dialects, column maps, row rejects, sniffing, encodings."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from synthesist.errors import ImportFileError
from synthesist.importing.base import ReadOptions
from synthesist.importing.formats.tabular import CsvReader, TsvReader, XlsxReader
from synthesist.importing.source import open_source
from synthesist.records.model import Author
from tests.importing.structured_helpers import assert_sniff_discriminates, corpus, read_all, records, write

CSV, TSV, XLSX = CsvReader(), TsvReader(), XlsxReader()
MAP = {"title": "Article Name", "authors": "Writers", "year": "Pub Yr", "journal": "Periodical"}


@pytest.mark.parametrize("reader", [CSV, TSV, XLSX], ids=lambda reader: reader.name)
def test_sniff_claims_its_own_files_only(reader: CsvReader) -> None:
    assert_sniff_discriminates(reader)


def test_scopus_csv() -> None:
    parsed, rejected = read_all(CSV, corpus("scopus.csv"))
    assert not rejected and [item.line for item in parsed][:3] == [2, 3, 4]
    cooper = parsed[0].record
    assert cooper.authors == [Author("Cooper", "K."), Author("Smith", "B.H."), Author("Hancock", "E.")]
    assert (cooper.pages, cooper.issn, cooper.pmid) == ("244-252", "00319406", "19627718")  # Page start/end
    assert (cooper.source_record_id, cooper.publication_type) == ("2-s2.0-50349090830", "Article")
    assert cooper.language == "English" and cooper.url is not None
    assert (
        cooper.keywords[:2] == ["Chronic low back pain", "Patient-centredness"] and "adult" in cooper.keywords
    )
    assert cooper.raw["Authors"] == ["Cooper K.; Smith B.H.; Hancock E."]  # BOM stripped from the header
    muller = parsed[9].record
    assert muller.pages == "e312"  # Art. No. when there are no pages
    assert muller.authors[1] == Author("Kowalski", "Ł.")
    assert parsed[8].record.authors == [Author("UK BEAM Trial Team", organisation=True)]


def test_web_of_science_tab_delimited() -> None:
    found = records(TSV, corpus("wos_savedrecs.tsv"))
    cooper = found[0]
    assert cooper.authors[1] == Author("Smith", "BH") and cooper.source_record_id == "WOS:000258906500007"
    assert (cooper.pages, cooper.journal, cooper.pmid) == (
        "244-252",
        "PHYSIOTHERAPY",
        "19627718",
    )  # BP-EP, not PG
    assert cooper.keywords[-1] == "PATIENT-CENTERED CARE"  # ID is Keywords Plus here, not a record id
    assert found[6].title is not None and found[6].title.startswith('"Living within your limits"')  # unquoted
    assert found[7].authors == [Author("UK BEAM Trial Team", organisation=True)]  # CA group author
    assert found[8].pages == "312"  # AR article number


@pytest.mark.parametrize(
    ("name", "index", "authors"),
    [
        ("rayyan.csv", 0, [Author("Cooper", "K"), Author("Smith", "B H"), Author("Hancock", "E")]),
        ("pubmed.csv", 0, [Author("Cooper", "K"), Author("Smith", "BH"), Author("Hancock", "E")]),
        ("pubmed.csv", 6, [Author("UK BEAM Trial Team", organisation=True)]),
        (
            "pubmed.csv",
            7,
            [Author("Müller", "J"), Author("Kowalski", "Ł"), Author("Nowak", "Z"), Author("Schäfer", "AL")],
        ),
        ("zotero.csv", 5, [Author("UK BEAM Trial Team", organisation=True)]),
        ("covidence.csv", 0, [Author("Cooper", "K."), Author("Smith", "B. H."), Author("Hancock", "E.")]),
    ],
)
def test_author_cells_of_each_tool(name: str, index: int, authors: list[Author]) -> None:
    assert records(CSV, corpus(name))[index].authors == authors


def test_rayyan_pubmed_zotero_and_covidence_fields() -> None:
    rayyan = records(CSV, corpus("rayyan.csv"))[0]
    assert (rayyan.source_record_id, rayyan.pmid, rayyan.pages) == ("rayyan-352840110", "19627718", "244-252")
    assert rayyan.keywords == [
        "Chronic low back pain",
        "Patient-centredness",
        "Physiotherapy",
        "Qualitative research",
    ]
    pubmed = records(CSV, corpus("pubmed.csv"))[0]
    # volume, issue and pages come from the Citation column
    assert (pubmed.volume, pubmed.issue, pubmed.pages, pubmed.journal) == (
        "94",
        "3",
        "244-52",
        "Physiotherapy",
    )
    assert pubmed.source_record_id == pubmed.pmid == "19627718"
    zotero = records(CSV, corpus("zotero.csv"))[0]
    assert (zotero.source_record_id, zotero.publication_type, zotero.year) == (
        "7XQ2KZ9M",
        "journalArticle",
        2008,
    )
    assert "Patient-Centered Care" in zotero.keywords  # Manual Tags then Automatic Tags
    covidence = records(CSV, corpus("covidence.csv"))[0]
    assert (covidence.source_record_id, covidence.year) == ("#1043", 2008)


def test_xlsx_generic_sheet() -> None:
    parsed, rejected = read_all(XLSX, corpus("generic_records.xlsx"))
    assert not rejected
    assert [item.line for item in parsed] == [2, 3, 4, 6, 7, 8]  # row 5 is empty: not a record
    first = parsed[0].record
    assert (first.year, first.volume, first.pmid, first.source_record_id) == (2008, "94", "19627718", "S001")
    assert first.doi == "10.1016/j.physio.2007.10.006"  # https://doi.org/ prefix removed
    assert parsed[2].record.doi is None and parsed[3].record.abstract is None
    assert first.raw["decision"] == ["include"]


def test_xlsx_sheet_option(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="no sheet named 'Screening'") as info:
        list(XLSX.read(corpus("generic_records.xlsx"), ReadOptions(sheet="Screening")))
    assert "Records, Notes" in str(info.value)
    with pytest.raises(ImportFileError, match="no title column"):
        list(XLSX.read(corpus("generic_records.xlsx"), ReadOptions(sheet="Notes")))


def test_column_map_for_unknown_headers() -> None:
    with pytest.raises(
        ImportFileError, match="no title column among the columns: Article Name, Writers"
    ) as info:
        list(CSV.read(corpus("needs_mapping.csv"), ReadOptions()))
    assert info.value.hint is not None and "--map" in info.value.hint
    first = records(CSV, corpus("needs_mapping.csv"), ReadOptions(column_map=MAP))[0]
    assert first.title is not None and first.title.startswith("Patient-centredness")
    assert (first.year, first.journal, first.authors[0]) == (2008, "Physiotherapy", Author("Cooper", "Kay"))


def test_column_map_errors_list_the_columns() -> None:
    with pytest.raises(
        ImportFileError, match="column 'Headline' \\(mapped to title\\) is not in the file"
    ) as info:
        list(CSV.read(corpus("needs_mapping.csv"), ReadOptions(column_map={"title": "Headline"})))
    assert info.value.hint is not None and "Article Name, Writers, Pub Yr" in info.value.hint
    with pytest.raises(ImportFileError, match="unknown field 'headline'"):
        list(CSV.read(corpus("needs_mapping.csv"), ReadOptions(column_map={"headline": "Article Name"})))


def test_rows_with_wrong_field_count_are_rejected_at_their_line(tmp_path: Path) -> None:
    text = (
        'title,authors,year\n"One, with a comma","Cooper, K",2008\n\n'
        '"Two\nspans two lines",May S,2007\nThree,only two\n,,\nFour,"Slade, SC",2009,extra\nFive,x,2010,\n'
    )
    parsed, rejected = read_all(CSV, write(tmp_path, "x.csv", text))
    assert [(item.line, item.record.title) for item in parsed] == [
        (2, "One, with a comma"),
        (4, "Two spans two lines"),
        (9, "Five"),  # a trailing empty field is tolerated
    ]
    assert [(item.line, item.reason) for item in rejected] == [
        (6, "row has 2 fields but the header has 3"),
        (8, "row has 4 fields but the header has 3"),
    ]
    assert rejected[0].excerpt == "Three,only two"


def test_unterminated_quote_is_a_file_error(tmp_path: Path) -> None:
    source = write(tmp_path, "x.csv", 'title,year\nOne,2008\n"Two,2009\nThree,2010\n')
    with pytest.raises(ImportFileError, match=r"x\.csv:3: a quoted field opened here is never closed"):
        list(CSV.read(source, ReadOptions()))


def test_row_without_title_authors_or_ids_is_rejected(tmp_path: Path) -> None:
    parsed, rejected = read_all(
        CSV, write(tmp_path, "x.csv", "title,year,journal\n,2008,Physiotherapy\nOne,,\n")
    )
    assert [item.record.title for item in parsed] == ["One"]
    assert rejected[0].line == 2 and "no title, authors, DOI or PMID" in rejected[0].reason


def test_empty_header_only_and_encodings(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="header but no records"):
        list(CSV.read(write(tmp_path, "a.csv", "title,authors\n"), ReadOptions()))
    text = "Title;Authors\n"  # European Excel: ";" is detected, a header alone has no records
    assert CSV.sniff(write(tmp_path, "b.csv", text)) >= 0.9
    with pytest.raises(ImportFileError, match="header but no records"):
        list(CSV.read(write(tmp_path, "b.csv", text), ReadOptions()))
    latin = 'title,authors,year\nCafé für Östlund,"Müller, Jürgen",2019\n'
    [record] = records(CSV, write(tmp_path, "c.csv", latin, encoding="cp1252"))
    assert (record.title, record.authors) == ("Café für Östlund", [Author("Müller", "Jürgen")])
    utf16 = "title\tauthors\nÖstlund study\tÖstlund G\n"
    [record] = records(TSV, write(tmp_path, "d.tsv", "\ufeff" + utf16, encoding="utf-16-le"))
    assert record.authors == [Author("Östlund", "G")]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Cooper, Kay; Smith, Blair H.", [Author("Cooper", "Kay"), Author("Smith", "Blair H.")]),
        ("Cooper, K and Smith, BH", [Author("Cooper", "K"), Author("Smith", "BH")]),
        (
            "Cooper K, Smith BH, Hancock E.",
            [Author("Cooper", "K"), Author("Smith", "BH"), Author("Hancock", "E")],
        ),
        ("Cooper, Kay", [Author("Cooper", "Kay")]),
        (
            "Kay Cooper, Blair Smith, Liz Hancock",
            [Author("Cooper", "Kay"), Author("Smith", "Blair"), Author("Hancock", "Liz")],
        ),
        ("World Health Organization", [Author("World Health Organization", organisation=True)]),
        (
            "Cooper, Kay; Cochrane Back Group",
            [Author("Cooper", "Kay"), Author("Cochrane Back Group", organisation=True)],
        ),
    ],
)
def test_author_cell_conventions(tmp_path: Path, cell: str, expected: list[Author]) -> None:
    [record] = records(CSV, write(tmp_path, "x.csv", f'title,authors\nT,"{cell}"\n'))
    assert record.authors == expected


def test_xlsx_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(ImportFileError, match="cannot be opened as an Excel workbook"):
        list(XLSX.read(open_source(path), ReadOptions()))


def test_xlsx_numbers_dates_and_extra_cells(tmp_path: Path) -> None:
    from datetime import datetime

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Title", "Year", "Volume", "Date"])
    sheet.append(["Patient-centredness", 2008.0, 94, datetime(2008, 9, 1), "stray note"])
    path = tmp_path / "w.xlsx"
    workbook.save(path)
    [record] = records(XLSX, open_source(path))
    assert (record.year, record.volume) == (2008, "94")
    assert record.raw["Date"] == ["2008-09-01"] and record.raw["column 5"] == ["stray note"]
