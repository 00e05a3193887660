"""EndNote tagged (refer) and Cochrane Library plain text readers; an EndNote library file refused with
what to do; EBSCOhost BibTeX with unbalanced braces in a one-line field."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthesist.errors import ImportFileError
from synthesist.importing.base import ReadOptions, RejectedRecord, detect_reader
from synthesist.importing.formats.bibtex import BibtexReader
from synthesist.importing.formats.cochrane_text import CochraneTextReader
from synthesist.importing.formats.refer import ReferReader
from synthesist.importing.source import open_source
from synthesist.records.model import Author
from tests.importing.tagged_helpers import EXPORTS, read_all, write

REFER = ReferReader()
COCHRANE = CochraneTextReader()


def test_endnote_tagged_keeps_every_tag_and_reads_keywords_one_per_line() -> None:
    source = open_source(EXPORTS / "endnote_tagged.txt")
    assert detect_reader(source).name == "endnote-tagged"
    parsed, rejected = read_all(REFER, source)
    assert rejected == []
    first, chapter, abstract = (p.record for p in parsed)
    assert first.keywords == [
        "Chronic Disease",
        "Low Back Pain/*rehabilitation",
        "Patient-Centered Care",
        "Physical Therapy Modalities",
    ]
    assert first.raw["%Z"] == ["Ovid search 2024-03-02 &amp; hand search"]  # raw is as written
    assert chapter.authors == [Author(family="Department of Health", organisation=True)]
    assert chapter.raw["%E"] == ["Editor, Ed"] and chapter.raw["%1"] == ["custom note kept in raw"]
    assert chapter.source_record_id is None and chapter.publication_type == "Book Section"
    assert abstract.publication_type is None and abstract.authors == [Author("Nowak", "Łukasz")]
    assert [p.line for p in parsed] == [1, 26, 39]


def test_a_missing_blank_line_before_percent_zero_still_splits(tmp_path: Path) -> None:
    text = "%0 Journal Article\n%T One\n%0 Journal Article\n%T Two\n"
    parsed, rejected = read_all(REFER, write(tmp_path, "joined.enl", text))
    assert ([p.record.title for p in parsed], rejected) == (["One", "Two"], [])


def test_text_that_is_not_a_tag_line_rejects_its_record_only(tmp_path: Path) -> None:
    text = "Exported from a web page\n%T Kept in a bad record\n\n%T Good\n%A Doe, Jane\n\n%D 2001\n"
    parsed, rejected = read_all(REFER, write(tmp_path, "mixed.txt", text))
    assert [p.record.title for p in parsed] == ["Good"]
    assert [(r.line, "neither a tag line" in r.reason) for r in rejected[:1]] == [(1, True)]
    assert rejected[1].line == 7 and "no title (%T)" in rejected[1].reason
    assert len(parsed) + len(rejected) == 3  # records + rejects = entries in the file


def test_a_binary_endnote_library_is_refused_with_what_to_do(tmp_path: Path) -> None:
    library = tmp_path / "My Library.enl"
    library.write_bytes(b"SQLite format 3\x00" + bytes(200))
    with pytest.raises(ImportFileError, match="is an EndNote library") as caught:
        open_source(library)
    assert caught.value.hint is not None and '"EndNote Export"' in caught.value.hint


_TAG = st.sampled_from(list("0ABCDEGIJKMNPRTUVXZ@~!#$&()*+^>[]|?=" + string.digits))
_VALUE = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Zs"), blacklist_characters="%\x85"),
    min_size=1,
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.tuples(_TAG, _VALUE), min_size=1, max_size=6), min_size=1, max_size=4))
def test_every_tag_value_comes_back_in_raw(
    tmp_path_factory: pytest.TempPathFactory, records: list[list[tuple[str, str]]]
) -> None:
    # "%0" only first in a record: a second one would start a new record, as EndNote means it
    records = [[(tag, value) for n, (tag, value) in enumerate(r) if tag != "0" or n == 0] for r in records]
    text = "\n\n".join("\n".join(f"%{tag} {value}" for tag, value in fields) for fields in records) + "\n"
    source = write(tmp_path_factory.mktemp("refer"), "x.txt", text)
    items = list(REFER.read(source, ReadOptions()))
    assert len(items) == len(records)  # every record is read or rejected, never lost
    for item, fields in zip(items, records, strict=True):
        if isinstance(item, RejectedRecord):
            assert "no title (%T)" in item.reason  # the only reason such a record can have
            continue
        raw = item.record.raw
        expected: dict[str, list[str]] = {}
        for tag, value in fields:
            expected.setdefault(f"%{tag}", []).append(value)
        assert raw == expected


def test_cochrane_central_plain_text() -> None:
    source = open_source(EXPORTS / "cochrane_central.txt")
    assert detect_reader(source).name == "cochrane-text"
    parsed, rejected = read_all(COCHRANE, source)
    assert rejected == [] and [p.line for p in parsed] == [7, 27, 48]
    first, second, third = (p.record for p in parsed)
    assert first.authors[:2] == [Author("Cooper", "K"), Author("Smith", "BH")]
    assert first.keywords[:2] == ["Adult", "Chronic Disease"] and first.raw["XR"] == ["EMBASE 352110553"]
    # a wrapped abstract, and a line that only looks like a field, stay in the abstract
    assert second.abstract is not None and second.abstract.endswith("look almost like fields.")
    assert "non-specific chronic low back pain. AIMS:" in second.abstract
    assert second.publication_type == "Journal article" and second.raw["PT"] == [
        "Journal article; Research Support, Non-U.S. Gov't"
    ]
    assert third.authors == [Author("UK BEAM Trial Team", organisation=True)] and third.pmid is None


def test_ebsco_bibtex_with_unbalanced_braces_in_a_field(tmp_path: Path) -> None:
    text = (
        "@article{1,\nTitle = {Fine.},\nYear = {2000},\n}\n\n"
        "@article{13362467620181001,\nAuthor = {Tom Cruise},\n"
        "Keywords = {Price fixing, scraped {name:Nowag, @type:Person}, googletag.cmd ||},\n"
        "Title = {When sharing fixes prices.},\n}\n"
    )
    parsed, rejected = read_all(BibtexReader(), write(tmp_path, "ebsco.bib", text))
    assert rejected == []
    record = parsed[1].record
    assert (record.title, record.authors) == ("When sharing fixes prices.", [Author("Cruise", "Tom")])
    assert record.raw["Keywords"][0].startswith("Price fixing, scraped {name:Nowag")
