"""Damaged and hostile export files: each becomes a clear message or a named warning, never a crash.

Cut UTF-16, a UTF-8 file with lines in Windows-1252, BibTeX nested 50,000 braces deep, identifiers
that are not identifiers. The files are generated here, small.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthesist.errors import ImportFileError
from synthesist.importing.base import ParsedRecord, ReadOptions, RejectedRecord
from synthesist.importing.formats.bibtex import MAX_BRACE_DEPTH, BibtexReader
from synthesist.importing.identifiers import RAW_INVALID_PREFIX, drop_invalid_identifiers
from synthesist.importing.source import decode_error_line, open_source
from synthesist.records.clean import is_valid_doi, is_valid_pmid
from synthesist.records.model import Record

RIS = "TY  - JOUR\nTI  - Müller's naïve café study\nAU  - Østergaard, J\nER  - \n"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def nested_bibtex(depth: int) -> str:
    deep = "@article{deep,\n  title = {" + "{" * depth + "x" + "}" * depth + "},\n}\n"
    fine = "@article{fine,\n  title = {A {Protected} title},\n  year = {2020},\n}\n"
    return deep + fine


def test_utf16_cut_mid_character_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "cut.ris", RIS.encode("utf-16")[:-1])
    with pytest.raises(ImportFileError, match=r"cut\.ris: ends in the middle of a character") as caught:
        open_source(path)
    assert caught.value.hint and "again" in caught.value.hint


def test_utf16_cut_inside_a_surrogate_pair_names_the_line(tmp_path: Path) -> None:
    # an even number of bytes, but the last character (outside the BMP) lost its second half
    data = ("TY  - JOUR\nTI  - ok\nER  - \n" * 3 + "TI  - 𝛼").encode("utf-16-le")[:-2]
    path = _write(tmp_path, "pair.ris", codecs.BOM_UTF16_LE + data)
    assert decode_error_line(path, "utf-16") == 10
    assert decode_error_line(_write(tmp_path, "whole.ris", RIS.encode("utf-16")), "utf-16") is None


def test_a_utf8_file_with_one_cp1252_line_is_decoded_line_by_line(tmp_path: Path) -> None:
    data = (
        "TY  - JOUR\nTI  - Café one\nER  - \n".encode()
        + "TY  - JOUR\nTI  - Résumé two\nER  - \n".encode("cp1252")
        + "TY  - JOUR\nTI  - Naïve three über\nER  - \n".encode()
    )
    source = open_source(_write(tmp_path, "mixed.ris", data))
    assert (source.encoding, source.fallback_lines, source.fallback_count) == ("utf-8", (5,), 1)
    titles = [text for _, text in source.lines() if text.startswith("TI")]
    assert titles == ["TI  - Café one", "TI  - Résumé two", "TI  - Naïve three über"]


def test_a_file_wholly_in_cp1252_is_still_read_as_cp1252_without_fallback_lines(tmp_path: Path) -> None:
    source = open_source(_write(tmp_path, "win.ris", RIS.encode("cp1252")))
    assert source.encoding == "cp1252" and source.fallback_count == 0
    assert "TI  - Müller's naïve café study" in dict(source.lines()).values()


_LATIN = st.text(alphabet="abcdefghij ,.éüößàçÉÖñ", min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(st.tuples(_LATIN, st.booleans()), min_size=1, max_size=12))
def test_mixed_lines_round_trip(
    tmp_path_factory: pytest.TempPathFactory, lines: list[tuple[str, bool]]
) -> None:
    """Lines written in UTF-8 or in cp1252 come back as written (a cp1252 line of these letters is never
    valid UTF-8: an accented letter is one byte followed by an ASCII one or another lead byte)."""
    marker = "TI  - ñ"  # one UTF-8 line, so the file is UTF-8 with fallback lines where there are any
    texts = [marker, *(text for text, _ in lines)]
    data = (
        marker.encode()
        + b"\n"
        + b"".join(text.encode("cp1252" if as_cp1252 else "utf-8") + b"\n" for text, as_cp1252 in lines)
    )
    folder = tmp_path_factory.mktemp("mixed")
    source = open_source(_write(folder, "m.txt", data))
    assert [text for _, text in source.lines()] == texts
    wanted = [number for number, (text, cp) in enumerate(lines, start=2) if cp and not text.isascii()]
    assert list(source.fallback_lines) == wanted[:20] and source.fallback_count == len(wanted)


def test_bibtex_nested_50000_deep_is_a_reject_not_a_recursion_error(tmp_path: Path) -> None:
    path = tmp_path / "nested.bib"
    path.write_text(nested_bibtex(50_000), encoding="utf-8")
    items = list(BibtexReader().read(open_source(path), ReadOptions()))
    assert [type(item) for item in items] == [RejectedRecord, ParsedRecord]
    reject = items[0]
    assert isinstance(reject, RejectedRecord) and reject.line == 1
    assert f"more than {MAX_BRACE_DEPTH} deep" in reject.reason


def test_bibtex_at_the_depth_limit_still_parses(tmp_path: Path) -> None:
    path = tmp_path / "deep.bib"
    # the entry's own brace and the field's count too
    path.write_text(nested_bibtex(MAX_BRACE_DEPTH - 2), encoding="utf-8")
    items = list(BibtexReader().read(open_source(path), ReadOptions()))
    assert all(isinstance(item, ParsedRecord) for item in items) and len(items) == 2


@pytest.mark.parametrize("value", ["123", "40000000", "999999999"])
def test_valid_pmids(value: str) -> None:
    assert is_valid_pmid(value)


@pytest.mark.parametrize("value", ["notanumber", "0", "0123", "12a", "1234567890", "", "12 34"])
def test_invalid_pmids(value: str) -> None:
    assert not is_valid_pmid(value)


@pytest.mark.parametrize("value", ["10.1000/xyz123", "10.1/ABC", "10.1000.10/a(b)c", "10.1002/(SICI)1097"])
def test_valid_dois(value: str) -> None:
    assert is_valid_doi(value)


@pytest.mark.parametrize("value", ["notadoi", "10.1000", "10./x", "11.1000/x", "10.1000/a b", "doi"])
def test_invalid_dois(value: str) -> None:
    assert not is_valid_doi(value)


def test_an_invalid_identifier_is_dropped_from_the_field_and_kept_in_raw() -> None:
    record = Record(title="t", pmid="notanumber", doi="10.1000/ok", raw={"PMID": ["notanumber"]})
    dropped = drop_invalid_identifiers(record)
    assert [(item.field, item.value) for item in dropped] == [("pmid", "notanumber")]
    assert record.pmid is None and record.doi == "10.1000/ok"
    assert record.raw == {"PMID": ["notanumber"]}
    # a value the reader did not keep in raw is added there, so it is never lost
    other = Record(doi="not a doi")
    drop_invalid_identifiers(other)
    assert other.doi is None and other.raw == {RAW_INVALID_PREFIX + "doi": ["not a doi"]}
