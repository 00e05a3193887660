"""The MEDLINE/PubMed (.nbib) reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthesist.errors import ImportFileError
from synthesist.importing.base import ReadOptions
from synthesist.importing.formats.medline import MedlineReader
from synthesist.importing.source import open_source
from synthesist.records.model import Author
from tests.importing.tagged_helpers import EXPORTS, read_all, write

NBIB = MedlineReader()


def test_pubmed_nbib_mapping() -> None:
    parsed, rejected = read_all(NBIB, open_source(EXPORTS / "pubmed.nbib"))
    assert rejected == [] and len(parsed) == 12
    first = parsed[0]
    record = first.record
    assert first.line == 1
    assert record.pmid == record.source_record_id == "18649386"
    assert (
        record.title
        == "Patient-centredness in physiotherapy from the perspective of the chronic low back pain patient."
    )
    assert record.authors == [
        Author("Cooper", "Kay"),
        Author("Smith", "Blair H"),
        Author("Hancock", "Elizabeth"),
    ]
    assert (record.year, record.volume, record.issue, record.pages) == (2008, "94", "3", "244-52")
    assert record.journal == "Physiotherapy"
    assert record.doi == "10.1016/j.physio.2007.10.006"
    assert record.issn == "0031-9406"  # the (Print) ISSN
    assert record.language == "eng"
    assert record.publication_type == "Journal Article"
    assert record.raw["PT"] == ["Journal Article", "Research Support, Non-U.S. Gov't"]
    assert (
        record.abstract is not None
        and "  " not in record.abstract
        and record.abstract.startswith("OBJECTIVES:")
    )
    assert record.raw["AD"][0].endswith("k.cooper@rgu.ac.uk.")  # continuation joined with one space
    assert "Low Back Pain/*rehabilitation" in record.keywords


def test_collective_author_and_non_ascii_names() -> None:
    parsed, _ = read_all(NBIB, open_source(EXPORTS / "pubmed.nbib"))
    beam = parsed[9].record
    assert beam.authors == [Author("UK BEAM Trial Team", organisation=True)]
    assert beam.raw["PT"][-1] == "Randomized Controlled Trial"
    nowak = parsed[10].record
    assert nowak.authors[0] == Author("Nowak", "Łukasz")
    assert nowak.doi == "10.1016/j.msksp.2019.102043"  # the [doi] LID, not the [pii] one
    assert nowak.keywords[-3:] == ["shared decision-making", "chronic low back pain", "physiotherapy"]  # OT
    ostlund = parsed[2].record
    assert ostlund.abstract is None and ostlund.first_author == "Östlund"


def test_pubmed_format_txt_starts_with_a_blank_line() -> None:
    source = open_source(EXPORTS / "pubmed_format.txt")
    assert NBIB.sniff(source) == 1.0
    parsed, _ = read_all(NBIB, source)
    assert parsed[0].line == 2
    assert parsed[0].record.pmid == "17852229"


def test_au_used_when_fau_is_missing(tmp_path: Path) -> None:
    text = "PMID- 1\nTI  - Old record\nAU  - Nowak Ł\nAU  - van Tulder MW\nCN  - Back Group\nDP  - 1998\n"
    parsed, _ = read_all(NBIB, write(tmp_path, "old.nbib", text))
    assert parsed[0].record.authors == [
        Author("Nowak", "Ł"),
        Author("van Tulder", "MW"),
        Author("Back Group", organisation=True),
    ]


def test_missing_blank_line_between_records_splits_at_pmid(tmp_path: Path) -> None:
    text = "PMID- 1\nTI  - One\nPMID- 2\nTI  - Two\n"
    parsed, _ = read_all(NBIB, write(tmp_path, "joined.nbib", text))
    assert [(p.line, p.record.pmid) for p in parsed] == [(1, "1"), (3, "2")]


def test_garbled_line_rejects_its_record(tmp_path: Path) -> None:
    text = "PMID- 1\nTI  - One\n\nPMID- 2\nTI  - Two\nthis line is garbage\n\nPMID- 3\nTI  - Three\n"
    parsed, rejected = read_all(NBIB, write(tmp_path, "garbled.nbib", text))
    assert [p.record.pmid for p in parsed] == ["1", "3"]
    assert rejected[0].line == 4 and "line 6" in rejected[0].reason
    assert rejected[0].excerpt.startswith("PMID- 2")


def test_record_without_anything_is_rejected(tmp_path: Path) -> None:
    text = "PMID- 1\nTI  - One\n\nDP  - 2001\nLA  - eng\n"
    parsed, rejected = read_all(NBIB, write(tmp_path, "bare.nbib", text))
    assert len(parsed) == 1 and rejected[0].line == 4


def test_sniff_and_wrong_file(tmp_path: Path) -> None:
    assert NBIB.sniff(open_source(EXPORTS / "medline_ovid.ris")) == 0.0
    assert NBIB.sniff(open_source(EXPORTS / "wos_plain.txt")) == 0.0
    source = write(tmp_path, "x.nbib", "TI  - no pmid here\n")
    with pytest.raises(ImportFileError, match=r"x\.nbib:1: no 'PMID- ' line"):
        list(NBIB.read(source, ReadOptions()))


def test_ovid_medline_format_with_record_numbers_and_no_blank_lines(tmp_path: Path) -> None:
    # Ovid's MEDLINE display format: "<1>" before each record, the PMID in UI, no PMID- line at all
    text = (
        "<1>\nVN  - Ovid Technologies\nDB  - Ovid MEDLINE(R) ALL\nUI  - 18649386\n"
        "TI  - Patient-centredness in physiotherapy.\nAU  - Cooper K\nYR  - 2008\n"
        "<2>\nVN  - Ovid Technologies\nDB  - Ovid MEDLINE(R) ALL\nUI  - 17624891\n"
        "TI  - Patients' attitudes.\nAU  - May S\nYR  - 2007\n"
    )
    source = write(tmp_path, "ovid_medline.txt", text)
    assert NBIB.sniff(source) >= 0.6
    parsed, rejected = read_all(NBIB, source)
    assert rejected == []
    assert [(p.line, p.record.pmid, p.record.year) for p in parsed] == [
        (2, "18649386", 2008),
        (9, "17624891", 2007),
    ]
    assert parsed[0].record.authors[0].family == "Cooper"


def test_eric_nbib_is_read_with_its_ids_and_links() -> None:
    parsed, rejected = read_all(NBIB, open_source(EXPORTS / "eric.nbib"))
    assert rejected == []
    record = parsed[0].record
    assert record.pmid is None and record.source_record_id == "EJ1214567"
    assert record.title is not None and record.title.endswith("A Qualitative Study")  # wrapped title joined
    assert record.raw["SO"] == ["v24 n3 p215-231 2019"] and record.raw["ISSN"] == ["ISSN-0959-3985"]
