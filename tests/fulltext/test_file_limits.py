"""Limits on what a file may expand to: zips checked from their directory before they are read,
PDFs by page count and by a time budget; the [limits] table of review.toml sets them."""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import pytest

from synthesist.errors import ImportFileError, ProtocolError
from synthesist.file_limits import FileLimits, check_zip
from synthesist.fulltext.pdf_text import extract_text
from synthesist.review.protocol import Protocol
from synthesist.synthesis.refi_qda_read import read_qdpx
from tests.expanding_files import form_bomb_pdf, overlapping_zip, shared_stream_pdf, word_bomb, workbook_bomb

_PROTOCOL = 'project_id = "p"\n[review]\ntitle = "T"\n'


def test_an_ordinary_workbook_and_word_file_pass(tmp_path: Path) -> None:
    check_zip(workbook_bomb(tmp_path / "ok.xlsx", rows=5), "ok.xlsx", FileLimits())
    check_zip(word_bomb(tmp_path / "ok.docx", paragraphs=5), "ok.docx", FileLimits())


def test_a_part_that_deflates_a_thousand_fold_is_refused_naming_it(tmp_path: Path) -> None:
    bomb = workbook_bomb(tmp_path / "export.xlsx")
    with pytest.raises(ImportFileError) as refused:
        check_zip(bomb, "export.xlsx", FileLimits())
    assert refused.value.message.startswith("export.xlsx: xl/worksheets/sheet1.xml would unpack")
    assert "limits.compression_ratio = 100" in refused.value.message
    assert refused.value.hint is not None and "[limits] table of review.toml" in refused.value.hint


def test_overlapping_entries_are_refused_by_their_declared_total(tmp_path: Path) -> None:
    bomb = overlapping_zip(tmp_path / "report.docx", "word/document.xml", copies=600)
    assert bomb.stat().st_size < 1_100_000
    with pytest.raises(
        ImportFileError, match=r"would unpack to 600 MB; the limit is limits.unpacked_mb = 500"
    ):
        check_zip(bomb, "report.docx", FileLimits())
    check_zip(bomb, "report.docx", FileLimits(unpacked_mb=600))  # raised in review.toml: read


def test_too_many_entries_and_unsafe_methods_are_refused(tmp_path: Path) -> None:
    many = overlapping_zip(tmp_path / "many.xlsx", "xl/a.xml", copies=30, size=10)
    with pytest.raises(ImportFileError, match=r"holds 30 files; the limit is limits.zip_entries = 20"):
        check_zip(many, "many.xlsx", FileLimits(zip_entries=20))
    lzma = tmp_path / "lzma.docx"
    with zipfile.ZipFile(lzma, "w", compression=zipfile.ZIP_LZMA) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
    with pytest.raises(ImportFileError, match=r"compressed with method 14, which is not allowed"):
        check_zip(lzma, "lzma.docx", FileLimits())


def test_a_not_zip_file_is_left_to_its_reader(tmp_path: Path) -> None:
    path = tmp_path / "records.xlsx"
    path.write_bytes(b"not a zip")
    check_zip(path, "records.xlsx", FileLimits())


def test_a_word_bomb_is_refused_before_its_text_is_read(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match=r"findings.docx: word/document.xml would unpack \d+ times"):
        extract_text(word_bomb(tmp_path / "findings.docx"))


def test_a_pdf_over_the_page_limit_is_refused_before_extraction(tmp_path: Path) -> None:
    pdf = shared_stream_pdf(tmp_path / "paper.pdf", pages=2_001)
    with pytest.raises(
        ImportFileError, match=r"paper.pdf: the PDF has 2,001 pages; the limit is limits.pdf_pages = 2000"
    ):
        extract_text(pdf)
    assert len(extract_text(shared_stream_pdf(tmp_path / "short.pdf", pages=3)).pages) == 3


def test_pdf_extraction_stops_cleanly_when_its_time_is_spent(tmp_path: Path) -> None:
    # 300 pages sharing a stream of 400 lines: about 8 s to read in full on the test machine. The
    # page count where it stopped shows the budget, not the machine's speed, ended it.
    pdf = shared_stream_pdf(tmp_path / "slow.pdf", pages=300, operations=400)
    with pytest.raises(ImportFileError) as refused:
        extract_text(pdf, FileLimits(pdf_text_seconds=0.2))
    stopped = re.search(
        r"slow.pdf: reading its text took longer than 0.2 s \(stopped after (\d+) pages\)",
        refused.value.message,
    )
    assert stopped is not None and int(stopped.group(1)) < 300
    assert "limits.pdf_text_seconds = 0.2" in refused.value.message


def test_one_endless_page_is_stopped_inside_the_page_when_its_time_is_spent(tmp_path: Path) -> None:
    # one page drawing a form a million times (about two hours of pypdf on the test machine, from a
    # file of a few KB): the time budget between pages never gets a say, the child process is killed
    pdf = form_bomb_pdf(tmp_path / "endless.pdf", draws=1_000_000)
    assert pdf.stat().st_size < 20_000
    started = time.monotonic()
    with pytest.raises(ImportFileError) as refused:
        extract_text(pdf, FileLimits(pdf_text_seconds=0.5))
    assert time.monotonic() - started < 15
    assert refused.value.message == (
        "endless.pdf: reading its text took longer than 0.5 s (stopped inside one page); "
        "the limit is limits.pdf_text_seconds = 0.5"
    )


def test_a_page_that_would_exhaust_memory_is_refused_naming_the_limit(tmp_path: Path) -> None:
    # one form of 1.5 million strings: 60 KB packed, about 1.5 GB once pypdf has parsed it
    pdf = form_bomb_pdf(tmp_path / "greedy.pdf", draws=1, operations=1_500_000)
    with pytest.raises(ImportFileError, match=r"greedy.pdf: reading its text needs more than 200 MB"):
        extract_text(pdf, FileLimits(pdf_memory_mb=200, pdf_text_seconds=60))


def test_a_qdpx_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    bomb = overlapping_zip(tmp_path / "project.qdpx", "project.qde", copies=600)
    with pytest.raises(ImportFileError, match=r"project.qdpx: would unpack to 600 MB"):
        read_qdpx(bomb.read_bytes(), "project.qdpx")


def test_the_limits_table_of_review_toml() -> None:
    assert Protocol.parse(_PROTOCOL).limits.file_limits() == FileLimits()
    protocol = Protocol.parse(
        _PROTOCOL + "[limits]\npdf_pages = 5000\npdf_text_seconds = 2.5\nunpacked_mb = 900\n"
    )
    assert protocol.limits.file_limits() == FileLimits(pdf_pages=5000, pdf_text_seconds=2.5, unpacked_mb=900)
    for bad in ("pdf_pages = 0", "unpacked_mb = true", 'compression_ratio = "100"', "zip_files = 3"):
        with pytest.raises(ProtocolError, match=r"review.toml:5: limits"):
            Protocol.parse(_PROTOCOL + "[limits]\n" + bad + "\n")
