"""The RIS reader: dialect mapping, rejects with line numbers, sniffing, and the tagged corpus manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from synthesist.errors import ImportFileError
from synthesist.importing.base import ParsedRecord, ReadOptions
from synthesist.importing.formats.cochrane_text import CochraneTextReader
from synthesist.importing.formats.medline import MedlineReader
from synthesist.importing.formats.refer import ReferReader
from synthesist.importing.formats.ris import RisReader, parse_ris_author
from synthesist.importing.formats.wos import WosReader
from synthesist.importing.source import open_source
from synthesist.records.model import Author
from tests.importing.tagged_helpers import EXPORTS, manifest_entries, read_all, write

READERS = {
    "ris": RisReader(),
    "nbib": MedlineReader(),
    "wos": WosReader(),
    "endnote-tagged": ReferReader(),
    "cochrane-text": CochraneTextReader(),
}
RIS = READERS["ris"]

# ---------------------------------------------------------------- the corpus, as the manifest describes it


@pytest.mark.parametrize("entry", manifest_entries(), ids=lambda entry: entry["path"])
def test_manifest_file_reads_as_described(entry: dict[str, Any]) -> None:
    source = open_source(EXPORTS / entry["path"])
    scores = {name: reader.sniff(source) for name, reader in READERS.items()}
    assert max(scores, key=lambda name: scores[name]) == entry["format"]
    assert scores[entry["format"]] >= 0.9
    parsed, rejected = read_all(READERS[entry["format"]], source)
    assert len(parsed) == entry["records"]
    assert len(rejected) == entry.get("rejects", 0)
    # positions count every record in the file, rejected ones included (as the import service does)
    items = list(READERS[entry["format"]].read(source, ReadOptions(column_map=entry.get("column_map", {}))))
    by_position = {n: item.record for n, item in enumerate(items, start=1) if isinstance(item, ParsedRecord)}
    for spot in entry.get("spot", []):
        record = by_position[spot["position"]]
        for field, expected in spot.items():
            if field == "position":
                continue
            actual = record.first_author if field == "first_author" else getattr(record, field)
            assert actual == expected, (entry["path"], spot["position"], field)
        assert record.raw, "raw keeps the file's tags"


@pytest.mark.parametrize(
    "other",
    ["jabref.bib", "scopus.bib", "endnote_x9.xml", "pubmed.xml", "covidence.csv", "wos_savedrecs.tsv"],
)
def test_sniff_says_no_to_other_formats(other: str) -> None:
    path = EXPORTS / other
    if not path.exists():
        pytest.skip(f"{other} is written by another helper")
    source = open_source(path)
    for reader in READERS.values():
        assert reader.sniff(source) < 0.3, reader.name


# ---------------------------------------------------------------- dialect mapping


def test_ovid_medline_dialect(tmp_path: Path) -> None:
    parsed, _ = read_all(RIS, open_source(EXPORTS / "medline_ovid.ris"))
    record = parsed[0].record
    assert parsed[0].line == 1
    assert record.publication_type == "JOUR"
    assert record.pmid == "18649386"  # Ovid MEDLINE's AN is the PMID
    assert record.doi == "10.1016/j.physio.2007.10.006"  # "https://dx.doi.org/" prefix removed
    assert record.pages == "244-52"  # SP holds the range as MEDLINE writes it
    assert record.abstract is not None and "\n" not in record.abstract  # wrapped lines joined
    assert record.abstract.endswith("chronic low back pain.")
    assert "\n" in record.raw["N2"][0]  # raw keeps the wrapping
    assert record.raw["KW"][5] == "Low Back Pain/*rehabilitation"
    assert record.authors[1] == Author(family="Smith", given="Blair H")
    group = parsed[9].record
    assert group.authors == [Author(family="UK BEAM Trial Team", organisation=True)]


def test_embase_ovid_accession_is_not_a_pmid() -> None:
    parsed, _ = read_all(RIS, open_source(EXPORTS / "embase_ovid.ris"))
    record = parsed[0].record
    assert record.pmid is None
    assert record.source_record_id == record.raw["AN"][0]
    assert record.authors[1] == Author(family="Smith", given="B.H.")  # "Smith B.H." Embase style
    assert record.journal == "Physiotherapy (United Kingdom)"


def test_ebsco_cinahl_dialect() -> None:
    parsed, _ = read_all(RIS, open_source(EXPORTS / "cinahl_ebsco.ris"))
    record = parsed[0].record
    assert record.source_record_id == record.raw["AN"][0] != record.pmid
    assert record.pmid == "18649386"  # from "PMID: NLM18649386" in N1
    assert record.pages == "244-252"
    assert record.year == 2008
    may_2001 = next(
        p.record for p in parsed if p.record.title and p.record.title.startswith("Patient satisfaction")
    )
    assert may_2001.doi is None and may_2001.pmid is None


def test_packed_keywords_are_split() -> None:
    parsed, _ = read_all(RIS, open_source(EXPORTS / "psycinfo_ebsco.ris"))
    keywords = parsed[0].record.keywords
    assert keywords[:4] == ["chronic low back pain", "patient-centredness", "physiotherapy", "qualitative"]
    assert "*Back Pain" in keywords


def test_scopus_dialect() -> None:
    parsed, _ = read_all(RIS, open_source(EXPORTS / "scopus.ris"))
    record = parsed[0].record
    assert record.pmid == "18649386"  # C2
    assert record.source_record_id is not None and record.source_record_id.startswith("2-s2.0-")
    assert record.issn == "00319406"
    assert record.journal == "Physiotherapy"  # T2, not the J2 abbreviation
    nowak = parsed[7].record
    assert nowak.pages == "102043"
    assert [a.family for a in nowak.authors] == ["Nowak", "Müller", "Kowalczyk"]


def test_cochrane_doi_from_link_when_do_is_missing() -> None:
    parsed, _ = read_all(RIS, open_source(EXPORTS / "cochrane_cdsr.ris"))
    assert "DO" not in parsed[2].record.raw
    assert parsed[2].record.doi == "10.1002/14651858.CD004057.pub3"  # from "https://doi.org//10.1002/..."
    assert parsed[3].record.abstract is None


def test_cochrane_central_accession_is_not_a_pmid() -> None:
    parsed, _ = read_all(RIS, open_source(EXPORTS / "cochrane_central.ris"))
    record = parsed[0].record
    assert record.source_record_id is not None and record.source_record_id.startswith("CN-")
    assert record.pmid == "18649386"  # from "C3  - PUBMED 18649386", never from the CN- accession
    assert record.url is not None and record.url.startswith("https://www.cochranelibrary.com/")


def test_endnote_group_author_doi_in_m3_and_record_number() -> None:
    parsed, _ = read_all(RIS, open_source(EXPORTS / "endnote.ris"))
    by_title = {p.record.title: p.record for p in parsed}
    mackichan = next(r for t, r in by_title.items() if t and t.startswith("'Living within"))
    assert mackichan.doi == "10.1093/ageing/aft119"  # only in M3
    beam = next(r for t, r in by_title.items() if t and t.startswith("United Kingdom back pain"))
    assert beam.authors == [Author(family="UK BEAM Trial Team", organisation=True)]
    assert parsed[0].record.source_record_id == "103"


def test_zotero_pubmed_record_carries_pmid_in_an() -> None:
    parsed, _ = read_all(RIS, open_source(EXPORTS / "zotero.ris"))
    assert parsed[0].record.pmid == "18649386"
    assert parsed[0].record.year == 2008
    assert parsed[0].record.language == "eng"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cooper, Kay", Author("Cooper", "Kay")),
        ("van Tulder, M. W.", Author("van Tulder", "M. W.")),
        ("Cooper K.", Author("Cooper", "K.")),
        ("Smith BH", Author("Smith", "BH")),
        ("Aristotle", Author("Aristotle")),
        ("UK BEAM Trial Team", Author("UK BEAM Trial Team", organisation=True)),
        ("Department of Health, UK,", Author("Department of Health, UK", organisation=True)),
        ("   ", None),
    ],
)
def test_author_conventions(text: str, expected: Author | None) -> None:
    assert parse_ris_author(text) == expected


def test_loose_tag_spacing_and_lf_cr(tmp_path: Path) -> None:
    text = "TY - JOUR\r\nTI  - A title   \r\nAU  - Doe, Jane\r\nPY  - 2010///\r\nER  -\r\n"
    parsed, rejected = read_all(RIS, write(tmp_path, "loose.ris", text))
    assert rejected == []
    assert parsed[0].record.title == "A title"
    assert parsed[0].record.year == 2010


# ---------------------------------------------------------------- malformed input


def test_truncated_file_rejects_the_last_record() -> None:
    parsed, rejected = read_all(RIS, open_source(EXPORTS / "truncated.ris"))
    assert len(parsed) == 5
    assert rejected[0].line == 143
    assert "has no 'ER  -'" in rejected[0].reason and "truncated" in rejected[0].reason
    assert rejected[0].excerpt.startswith("TY  - JOUR\nAU  - MacKichan, F.")
    assert len(rejected[0].excerpt) <= 200


def test_missing_er_in_the_middle_is_ended_by_the_next_ty() -> None:
    parsed, rejected = read_all(RIS, open_source(EXPORTS / "malformed_middle.ris"))
    assert rejected == []
    assert [p.line for p in parsed][3:5] == [79, 105]
    assert parsed[3].record.raw["KW"][-1] == "collaborative care"  # nothing of the next record in it
    assert parsed[4].record.title == "Patient satisfaction with management of back pain"


def test_tag_lines_before_any_ty_are_rejected(tmp_path: Path) -> None:
    text = "TI  - Orphan\nAU  - Doe, J\nER  - \n\nTY  - JOUR\nTI  - Fine\nER  - \n"
    parsed, rejected = read_all(RIS, write(tmp_path, "orphan.ris", text))
    assert [p.record.title for p in parsed] == ["Fine"]
    assert rejected[0].line == 1 and "no 'TY  -'" in rejected[0].reason
    assert rejected[0].excerpt.startswith("TI  - Orphan")


def test_record_without_title_authors_or_ids_is_rejected(tmp_path: Path) -> None:
    text = "TY  - JOUR\nTI  - Kept\nER  - \n\nTY  - JOUR\nPY  - 2001\nKW  - nothing\nER  - \n"
    parsed, rejected = read_all(RIS, write(tmp_path, "empty.ris", text))
    assert len(parsed) == 1
    assert rejected[0].line == 5 and "no title" in rejected[0].reason


def test_file_without_ty_is_not_ris(tmp_path: Path) -> None:
    source = write(tmp_path, "notes.ris", "Some notes\nabout a search\n")
    assert RIS.sniff(source) == 0.0
    with pytest.raises(ImportFileError, match=r"notes\.ris:1: no 'TY  -' line"):
        list(RIS.read(source, ReadOptions()))


def test_text_around_records_is_ignored(tmp_path: Path) -> None:
    text = (
        "Provider: Example Publisher\nContent: text/plain; charset=UTF-8\n\nTY  - JOUR\nTI  - Kept\nER  - \n"
    )
    source = write(tmp_path, "publisher.ris", text)
    assert RIS.sniff(source) >= 0.9
    parsed, rejected = read_all(RIS, source)
    assert (len(parsed), len(rejected), parsed[0].line) == (1, 0, 4)
