"""The Web of Science plain text reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthesist.errors import ImportFileError
from synthesist.importing.base import ReadOptions
from synthesist.importing.formats.wos import WosReader
from synthesist.importing.source import open_source
from synthesist.records.model import Author
from tests.importing.tagged_helpers import EXPORTS, read_all, write

WOS = WosReader()
HEADER = "FN Clarivate Analytics Web of Science\nVR 1.0\n"


def test_wos_plain_mapping() -> None:
    source = open_source(EXPORTS / "wos_plain.txt")
    assert source.encoding == "utf-8-sig" and WOS.sniff(source) == 1.0
    parsed, rejected = read_all(WOS, source)
    assert rejected == [] and len(parsed) == 8
    record = parsed[0].record
    assert parsed[0].line == 3
    assert record.authors == [
        Author("Cooper", "Kay"),
        Author("Smith", "Blair H"),
        Author("Hancock", "Elizabeth"),
    ]
    assert (
        record.title
        == "Patient-centredness in physiotherapy from the perspective of the chronic low back pain patient"
    )
    assert record.raw["TI"] == [record.title]  # wrapped title joined
    assert record.raw["AU"] == ["Cooper, K", "Smith, BH", "Hancock, E"]  # list tag: one value per line
    assert (record.journal, record.year, record.volume, record.issue) == ("PHYSIOTHERAPY", 2008, "94", "3")
    assert record.pages == "244-252"
    assert record.doi == "10.1016/j.physio.2007.10.006"
    assert record.pmid == "18649386"
    assert record.issn == "0031-9406"
    assert record.language == "English" and record.publication_type == "Article"
    assert record.source_record_id is not None and record.source_record_id.startswith("WOS:")
    assert record.keywords[:4] == [
        "chronic low back pain",
        "patient-centredness",
        "physiotherapy",
        "qualitative",
    ]
    assert "CHRONIC DISEASE" in record.keywords  # ID (Keywords Plus)


def test_group_author_and_article_number() -> None:
    parsed, _ = read_all(WOS, open_source(EXPORTS / "wos_plain.txt"))
    beam = parsed[5].record
    assert beam.authors == [Author("UK BEAM Trial Team", organisation=True)]
    nowak = parsed[6].record
    assert nowak.pages == "102043"  # AR when there is no BP/EP
    assert nowak.first_author == "Nowak"


def test_truncated_and_missing_er(tmp_path: Path) -> None:
    text = HEADER + "PT J\nAU Doe, J\nTI One\nPT J\nTI Two\nER\n\nPT J\nTI Three\nAB cut he"
    parsed, rejected = read_all(WOS, write(tmp_path, "cut.txt", text))
    assert [p.record.title for p in parsed] == ["Two"]
    assert [r.line for r in rejected] == [3, 10]
    assert "before the next record at line 6" in rejected[0].reason
    assert "truncated" in rejected[1].reason


def test_lines_outside_records_and_garbage(tmp_path: Path) -> None:
    text = HEADER + "TI Orphan\nER\n\nPT J\nTI Bad\nnot a tag line\nER\n\nPT J\nTI Good\nER\nEF\n"
    parsed, rejected = read_all(WOS, write(tmp_path, "odd.txt", text))
    assert [p.record.title for p in parsed] == ["Good"]
    assert [r.line for r in rejected] == [3, 6]
    assert "outside a record" in rejected[0].reason
    assert "line 8" in rejected[1].reason


def test_not_wos(tmp_path: Path) -> None:
    assert WOS.sniff(open_source(EXPORTS / "pubmed.nbib")) == 0.0
    assert WOS.sniff(open_source(EXPORTS / "wos.ris")) == 0.0
    source = write(tmp_path, "x.txt", "hello\nworld\n")
    with pytest.raises(ImportFileError, match=r"x\.txt:1: no 'PT ' \(record start\) line"):
        list(WOS.read(source, ReadOptions()))
