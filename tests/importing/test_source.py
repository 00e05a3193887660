"""Opening export files: encoding detection, binary and empty files."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from synthesist.errors import ImportFileError
from synthesist.importing.base import ReadOptions
from synthesist.importing.formats.ris import RisReader
from synthesist.importing.source import open_source
from tests.importing.tagged_helpers import EXPORTS, read_all

RIS_TEXT = (
    "TY  - JOUR\r\nAU  - Östlund, Gunnel\r\nAU  - Müller, Jürgen\r\n"
    "TI  - “It was really nice to have someone” – patients’ views of naïve rôles\r\nER  - \r\n"
)


def _file(tmp_path: Path, data: bytes, name: str = "export.ris") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _title_and_author(path: Path) -> tuple[str | None, str | None]:
    parsed, _ = read_all(RisReader(), open_source(path))
    return parsed[0].record.title, parsed[0].record.first_author


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (RIS_TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + RIS_TEXT.encode("utf-8"), "utf-8-sig"),
        (RIS_TEXT.encode("utf-16"), "utf-16"),  # BOM + native order
        (codecs.BOM_UTF16_BE + RIS_TEXT.encode("utf-16-be"), "utf-16"),
        (RIS_TEXT.encode("utf-16-le"), "utf-16-le"),
        (RIS_TEXT.encode("utf-16-be"), "utf-16-be"),
        (RIS_TEXT.encode("cp1252"), "cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16be-bom", "utf16le", "utf16be", "cp1252"],
)
def test_encodings_are_detected_and_text_reads_right(tmp_path: Path, data: bytes, encoding: str) -> None:
    path = _file(tmp_path, data)
    assert open_source(path).encoding == encoding
    title, author = _title_and_author(path)
    assert title == "“It was really nice to have someone” – patients’ views of naïve rôles"
    assert author == "Östlund"


def test_latin1_when_cp1252_leaves_a_byte_undefined(tmp_path: Path) -> None:
    data = "TY  - JOUR\nAU  - Östlund, G\nTI  - Caf\xe9\x81\nER  - \n".encode("latin-1")
    source = open_source(_file(tmp_path, data))
    assert source.encoding == "latin-1"
    assert "Östlund" in source.head


def test_central_european_file_is_not_forced_into_cp1252(tmp_path: Path) -> None:
    lines = [
        "TY  - JOUR",
        "AU  - Łukasiewicz, Łukasz",
        "AU  - Dvořák, Jiří",
        "TI  - Zażółć gęślą jaźń: Świętokrzyskie żółte łąki w Łodzi i Kraków",
        "AB  - Pacjenci z przewlekłym bólem krzyża oczekują, że fizjoterapeuta wyjaśni przyczynę bólu.",
        "ER  - ",
    ]
    path = _file(tmp_path, ("\n".join(lines * 3) + "\n").encode("cp1250"))
    source = open_source(path)
    assert source.encoding == "cp1250"
    assert "Łukasiewicz" in source.head


def test_corpus_cp1252_and_utf16_files() -> None:
    cp1252 = open_source(EXPORTS / "cinahl_ebsco_cp1252.ris")
    assert cp1252.encoding == "cp1252"
    parsed, _ = read_all(RisReader(), cp1252)
    assert parsed[1].record.first_author == "Östlund"
    utf16 = open_source(EXPORTS / "medline_ovid_utf16.ris")
    assert utf16.encoding == "utf-16"
    assert utf16.head.startswith("TY  - JOUR")


def test_explicit_utf8_on_a_file_with_bom_drops_the_bom(tmp_path: Path) -> None:
    path = _file(tmp_path, codecs.BOM_UTF8 + RIS_TEXT.encode("utf-8"))
    source = open_source(path, encoding="utf-8")
    assert source.head.startswith("TY  - JOUR")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "binary file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"TY  - JOUR\n\x00\x01\x02\x03garbage\xff\x00\x00\x00\x07", "NUL bytes"),
        (b"", "the file is empty"),
        (b"   \r\n\t\n", "only white space"),
        (codecs.BOM_UTF8, "only white space"),
    ],
    ids=["pdf", "png", "nul", "empty", "blank", "bom-only"],
)
def test_unreadable_files_are_refused_with_a_clear_message(tmp_path: Path, data: bytes, message: str) -> None:
    path = _file(tmp_path, data)
    with pytest.raises(ImportFileError, match=message) as error:
        open_source(path)
    assert error.value.message.startswith("export.ris")


def test_missing_file_folder_and_unknown_encoding(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="no such file"):
        open_source(tmp_path / "nope.ris")
    with pytest.raises(ImportFileError, match="is a folder"):
        open_source(tmp_path)
    path = _file(tmp_path, RIS_TEXT.encode("utf-8"))
    with pytest.raises(ImportFileError, match="unknown encoding 'klingon'"):
        open_source(path, encoding="klingon")


def test_wrong_explicit_encoding_names_the_line(tmp_path: Path) -> None:
    path = _file(tmp_path, b"TY  - JOUR\nTI  - ok\nAU  - \xd6stlund, G\nER  - \n")
    with pytest.raises(ImportFileError, match=r"export\.ris:3: cannot be read as utf-8"):
        open_source(path, encoding="utf-8")


def test_lines_are_numbered_from_one_with_any_line_ending(tmp_path: Path) -> None:
    path = _file(tmp_path, b"a\r\nb\rc\nd")
    assert list(open_source(path).lines()) == [(1, "a"), (2, "b"), (3, "c"), (4, "d")]
    reader = RisReader()
    assert reader.sniff(open_source(path)) == 0.0
    with pytest.raises(ImportFileError):
        list(reader.read(open_source(path), ReadOptions()))


def test_utf8_with_a_stray_byte_is_read_line_by_line_not_garbled(tmp_path: Path) -> None:
    path = tmp_path / "damaged.ris"
    good = "TY  - JOUR\nAU  - Östlund, G.\nAU  - Müller, K.\nTI  - Łódź and Zürich\nER  - \n"
    path.write_bytes(good.encode("utf-8") + b"TY  - JOUR\nTI  - Caf\xe9\nER  - \n")
    source = open_source(path)
    assert (source.encoding, source.fallback_lines, source.fallback_count) == ("utf-8", (7,), 1)
    lines = dict(source.lines())
    assert lines[4] == "TI  - Łódź and Zürich" and lines[7] == "TI  - Café"
