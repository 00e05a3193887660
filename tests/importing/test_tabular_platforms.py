"""CSV/TSV exports as platforms write them: separators, Excel quirks, R's NA, citation columns, names."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthesist.errors import ImportFileError
from synthesist.importing.base import ReadOptions, detect_reader
from synthesist.importing.formats.tabular import CsvReader, TsvReader, detect_delimiter
from synthesist.importing.formats.tabular_citation import CitationParts, parse_citation
from synthesist.records.model import Author
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.records.reading import list_records
from synthesist.workspace import Workspace
from tests.importing.structured_helpers import EXPORTS, corpus, read_all, records, write

CSV, TSV = CsvReader(), TsvReader()


def test_european_excel_semicolons_with_its_sep_line_bom_and_crlf() -> None:
    source = corpus("excel_semicolon.csv")
    assert detect_delimiter(source) == (";", 0.9)
    parsed, rejected = read_all(CSV, source)
    assert not rejected
    assert [item.line for item in parsed] == [3, 5, 6, 7]  # "sep=;" is line 1, the header line 2
    cooper = parsed[0].record
    assert cooper.authors[:2] == [Author("Cooper", "K."), Author("Smith", "B.H.")]
    assert cooper.abstract is not None and cooper.abstract.endswith(
        "semi-structured interviews. Results: Patients valued communication."
    )
    assert cooper.keywords == ["Chronic low back pain", "Physiotherapy"]
    assert parsed[2].record.abstract is None  # "[No abstract available]"
    assert cooper.raw["Source"] == ["Scopus"] and cooper.journal == "Physiotherapy"


def test_r_write_csv_na_is_missing_never_a_value() -> None:
    found = records(CSV, corpus("r_write_csv.csv"))
    may = found[1]
    assert (may.issue, may.pages, may.doi, may.keywords) == (None, None, None, [])
    team = found[2]
    assert (
        team.title is None
        and team.journal is None
        and team.authors == [Author("UK BEAM Trial Team", organisation=True)]
    )
    harman = found[3]
    assert (harman.year, harman.pages, harman.doi, harman.abstract) == (None, None, None, None)
    assert harman.keywords == ["NA", "pain"]  # inside a list "NA" is a term (noradrenaline), kept
    assert found[0].raw["column 1"] == ["1"]  # R's row names: kept, under a readable name
    assert may.raw["pages"] == ["NA"]  # the raw fields keep the file's text


def test_embase_com_source_column_gives_journal_year_volume_issue_pages() -> None:
    parsed, rejected = read_all(CSV, corpus("embase_com.csv"))
    assert not rejected and [item.line for item in parsed] == [2, 4, 5]  # a quoted line break in record 1
    cooper, cancer, muller = (item.record for item in parsed)
    assert (cooper.journal, cooper.year, cooper.volume, cooper.issue, cooper.pages) == (
        "Physiotherapy (United Kingdom)",
        2008,
        "94",
        "3",
        "244-252",
    )
    assert cooper.raw["SOURCE"] == ["Physiotherapy (United Kingdom) (2008) 94:3 (244-252)"]
    assert (cooper.pmid, cooper.source_record_id) == ("19627718", "352840110")
    assert (cancer.journal, cancer.year, cancer.pages, cancer.pmid, cancer.abstract) == (
        "Cancer",
        2004,
        "152-160",
        None,
        None,
    )
    assert cancer.title == "Cancer pain and physiotherapy & exercise: the <i> trial"
    assert (muller.pages, muller.issue) == ("e312", "1")  # "Article Number: e312"


def test_dedicated_columns_win_over_the_citation(tmp_path: Path) -> None:
    text = 'Title,Journal,Year,Volume,Source\nT,Physiotherapy,2009,95,"Physio (2008) 94:3 (244-252)"\n'
    [record] = records(CSV, write(tmp_path, "x.csv", text))
    assert (record.journal, record.year, record.volume, record.issue, record.pages) == (
        "Physiotherapy",
        2009,
        "95",
        "3",
        "244-252",
    )


def test_springer_link_names_run_together() -> None:
    found = records(CSV, corpus("springer_link.csv"))
    assert found[0].authors == [
        Author("Cooper", "Kay"),
        Author("Smith", "Blair H."),
        Author("Hancock", "Elizabeth"),
    ]
    assert found[1].authors == [Author("McDonald", "Fiona"), Author("DeVries", "Jean-Luc")]
    assert (found[0].journal, found[0].volume, found[0].issue, found[0].publication_type) == (
        "Physiotherapy Theory and Practice",
        "24",
        "5",
        "Article",
    )
    assert found[2].raw["Book Series Title"] == ["Lecture Notes in Health"]


def test_the_same_run_together_names_are_not_split_for_other_tools(tmp_path: Path) -> None:
    [record] = records(CSV, write(tmp_path, "x.csv", 'title,authors\nT,"Fiona McDonald"\n'))
    assert record.authors == [Author("McDonald", "Fiona")]


def test_ieee_xplore_character_references_decoded_once() -> None:
    wearable, conference = records(CSV, corpus("ieee_xplore.csv"))
    assert wearable.title == "Wearable sensing for low back pain rehabilitation & physiotherapy"
    assert (
        wearable.abstract
        == "Patients' adherence to home exercise is low; we test sensors with a threshold < 5°."
    )
    assert (wearable.pages, wearable.issn, wearable.keywords) == (
        "1501-1510",
        "2168-2194",
        ["low back pain", "wearable sensors"],
    )
    assert wearable.authors[0] == Author("Rottman", "J.")
    assert conference.journal == "2022 8th International Conference on Information Management (ICIM)"
    assert conference.raw["Document Identifier"] == ["IEEE Conferences"]


def test_our_own_export_is_not_decoded_again(tmp_path: Path) -> None:
    text = "record_id,source_record_id,source,title\n1,,Scopus,Less than: &lt; (as text)\n"
    [record] = records(CSV, write(tmp_path, "x.csv", text))
    assert record.title == "Less than: &lt; (as text)"


def test_excel_unicode_text_utf16_tabs() -> None:
    source = corpus("excel_unicode.txt")
    assert detect_reader(source).name == "tsv"
    parsed, rejected = read_all(TSV, source)
    assert not rejected and [item.line for item in parsed] == [2, 3]
    assert parsed[0].record.authors == [Author("Östlund", "G"), Author("Cedersund", "E")]
    assert parsed[1].record.title == "Patients' attitudes and beliefs about back pain"


def test_publish_or_perish_source_is_the_journal() -> None:
    cooper, may = records(CSV, corpus("publish_or_perish.csv"))
    assert (cooper.journal, cooper.pages, cooper.volume) == ("Physiotherapy", "244-252", "94")
    assert (may.journal, may.pages) == ("Physiotherapy Research International", None)


def test_a_database_name_in_source_is_not_a_journal(tmp_path: Path) -> None:
    [record] = records(CSV, write(tmp_path, "x.csv", "Title,Authors,Source\nT,Cooper K,Scopus\n"))
    assert record.journal is None and record.raw["Source"] == ["Scopus"]


def test_pubmed_citation_fills_only_what_is_missing(tmp_path: Path) -> None:
    text = (
        "PMID,Title,Authors,Citation,Journal/Book,Publication Year\n"
        '1,T,Cooper K.,"Nature. 2020 Jan;577(7788):1-2. doi: 10.1038/x",NA,NA\n'
    )
    [record] = records(CSV, write(tmp_path, "x.csv", text))
    assert (record.journal, record.year, record.volume, record.issue, record.pages) == (
        "Nature",
        2020,
        "577",
        "7788",
        "1-2",
    )


@pytest.mark.parametrize(
    ("cell", "parts"),
    [
        ("Cancer (2004) 3:3 (152-160)", CitationParts("Cancer", 2004, "3", "3", "152-160")),
        (
            "Lancet (London, England) (2019) 393:10180 (1-2)",
            CitationParts("Lancet (London, England)", 2019, "393", "10180", "1-2"),
        ),
        (
            "BMJ Open (2020) 10:5 Article Number: e034567",
            CitationParts("BMJ Open", 2020, "10", "5", "e034567"),
        ),
        (
            "J Pain (2019) 20:4 Supplement 1 (S45-S46)",
            CitationParts("J Pain", 2019, "20", "4 Supplement 1", "S45-S46"),
        ),
        (
            "Nature. 2020 Jan;577(7788):1-2. doi: 10.1038/x",
            CitationParts("Nature", 2020, "577", "7788", "1-2"),
        ),
        (
            "Cochrane Database Syst Rev. 2015 Jan 1;1:CD000123.",
            CitationParts("Cochrane Database Syst Rev", 2015, "1", None, "CD000123"),
        ),
        ("Nature. 2024 Jan 3. doi: 10.1038/x. Online ahead of print.", CitationParts("Nature", 2024)),
        (
            "PHYSIOTHERAPY Volume: 94 Issue: 3 Pages: 244-252 Published: SEP 2008",
            CitationParts("PHYSIOTHERAPY", 2008, "94", "3", "244-252"),
        ),
        (
            "Physiotherapy; London Vol. 94, Iss. 3,  (Sep 2008): 244-252.",
            CitationParts("Physiotherapy", 2008, "94", "3", "244-252"),
        ),
        ("Physiotherapy 2008;94(3):244-52", CitationParts("Physiotherapy", 2008, "94", "3", "244-52")),
        ("Physiotherapy, 94(3), 244–252", CitationParts("Physiotherapy", None, "94", "3", "244-252")),
        ("Physiotherapy", None),
        ("Scopus", None),
        ("17", None),
        ("NA", None),
        ("In: Adam MP, editor. GeneReviews. Seattle; 1993.", None),
    ],
)
def test_combined_citation_cells(cell: str, parts: CitationParts | None) -> None:
    assert parse_citation(cell) == parts


@pytest.mark.parametrize(
    ("separator", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab"), ("|", "pipe")]
)
def test_each_separator_is_detected_and_can_be_forced(tmp_path: Path, separator: str, name: str) -> None:
    rows = [
        ["Title", "Authors", "Year"],
        ["One, two; three", "Cooper, K", "2008"],
        ["Four|five", "May, S", "NA"],
    ]
    text = "\n".join(separator.join(f'"{cell}"' for cell in row) for row in rows) + "\n"
    source = write(tmp_path, "x.csv", text)
    assert detect_delimiter(source)[0] == separator
    for options in (ReadOptions(), ReadOptions(delimiter=name), ReadOptions(delimiter=separator)):
        found = records(CSV, source, options)
        assert [(r.title, r.year) for r in found] == [("One, two; three", 2008), ("Four|five", None)]


def test_a_forced_separator_that_is_wrong_rejects_rows_it_cannot_split(tmp_path: Path) -> None:
    source = write(tmp_path, "x.csv", "Title;Authors\nOne;Cooper K\n")
    with pytest.raises(ImportFileError, match="no title column among the columns: Title;Authors"):
        list(CSV.read(source, ReadOptions(delimiter=",")))
    with pytest.raises(ImportFileError, match="'ab' cannot separate fields") as info:
        list(CSV.read(source, ReadOptions(delimiter="ab")))
    assert info.value.hint is not None and "semicolon" in info.value.hint


def test_unknown_headers_with_semicolons_need_the_format_named(tmp_path: Path) -> None:
    source = write(tmp_path, "x.csv", "Titel;Autoren;Jahr\nEins;Cooper K;2008\nZwei;May S;2007\n")
    assert CSV.sniff(source) < 0.3  # prose has semicolons too
    found = records(CSV, source, ReadOptions(column_map={"title": "Titel", "year": "Jahr"}))
    assert [r.year for r in found] == [2008, 2007]


def test_records_and_rejects_add_up_to_the_rows(tmp_path: Path) -> None:
    text = (
        "sep=;\r\nTitle;Authors;Year\r\nOne;Cooper K;2008\r\nNA;NA;NA\r\nTwo;May S\r\n\r\n"
        '"Three\nlines";Slade S;2009\n'
    )
    parsed, rejected = read_all(CSV, write(tmp_path, "x.csv", text))
    assert [item.line for item in parsed] == [3, 7] and len(parsed) + len(rejected) == 4
    assert [(item.line, item.reason) for item in rejected] == [
        (4, "row has no title, authors, DOI or PMID"),
        (5, "row has 2 fields but the header has 3"),
    ]


@pytest.mark.parametrize("name", ["excel_semicolon.csv", "r_write_csv.csv", "embase_com.csv"])
def test_import_service_reads_the_platform_files(workspace: Workspace, name: str) -> None:
    request = ImportRequest(paths=[EXPORTS / name], source="Embase", format="csv", delimiter=None)
    [item] = import_files(workspace, request).files
    stored, total = list_records(workspace)
    assert item.records == total == len(records(CSV, corpus(name)))
    assert all(stored_record.record.journal != "NA" for stored_record in stored)


def test_import_service_passes_the_delimiter_through(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "tabs.csv"
    path.write_text("Title\tAuthors\nOne, two\tCooper K\n", encoding="utf-8")
    request = ImportRequest(paths=[path], source="Hand search", format="csv")
    [item] = import_files(workspace, request).files  # --format csv on a tab-separated file
    assert item.records == 1
    forced = ImportRequest(paths=[path], source="Hand search", format="csv", delimiter=",", force=True)
    with pytest.raises(ImportFileError, match="no title column among the columns: Title\tAuthors"):
        import_files(workspace, forced)


@pytest.mark.parametrize(
    ("header", "row"),
    [
        # EPPI-Reviewer's tabular export
        (
            "ItemId,ShortTitle,Title,ParentTitle,Authors,Year,Volume,Issue,Pages,TypeName,DOI",
            '91234,Cooper (2008),Patient-centredness,Physiotherapy,"Cooper, K; Smith, BH",2008,94,3,244-252,'
            "Journal Article,10.1016/j.physio.2007.10.006",
        ),
        # ProQuest's spreadsheet columns (saved as CSV)
        (
            "StoreId,Title,Authors,pubtitle,year,volume,issue,pages,documentURL,DOI",
            '210987654,Patient-centredness,"Cooper, Kay; Smith, Blair H",Physiotherapy,2008,94,3,244-252,'
            "https://www.proquest.com/docview/210987654,10.1016/j.physio.2007.10.006",
        ),
    ],
)
def test_eppi_reviewer_and_proquest_headers(tmp_path: Path, header: str, row: str) -> None:
    [record] = records(CSV, write(tmp_path, "x.csv", f"{header}\n{row}\n"))
    assert (record.title, record.journal, record.year, record.volume, record.issue, record.pages) == (
        "Patient-centredness",
        "Physiotherapy",
        2008,
        "94",
        "3",
        "244-252",
    )
    assert record.authors[0].family == "Cooper" and record.source_record_id in ("91234", "210987654")
    assert record.doi == "10.1016/j.physio.2007.10.006"
