"""BibTeX reader: dialects of Scopus, Web of Science, Zotero, Mendeley and JabRef; rejects; macros."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthesist.errors import ImportFileError
from synthesist.importing.base import ReadOptions
from synthesist.importing.formats.bibtex import BibtexReader, decode_latex, parse_bibtex_names
from synthesist.records.model import Author
from tests.importing.structured_helpers import (
    assert_sniff_discriminates,
    corpus,
    read_all,
    records,
    write,
)

READER = BibtexReader()


def test_sniff_claims_bib_files_only() -> None:
    assert_sniff_discriminates(READER)


def test_scopus_dialect() -> None:
    first, *_, ukbeam, muller, _last = records(READER, corpus("scopus.bib"))
    assert first.source_record_id == "Cooper2008244"
    assert [a.display for a in first.authors] == ["Cooper, K.", "Smith, B.H.", "Hancock, E."]
    assert first.pages == "244-252"  # Scopus writes "244 – 252"
    assert first.issn == "00319406"
    assert first.pmid == "19627718"
    assert first.keywords[:2] == ["Chronic low back pain", "Patient-centredness"]
    assert "adult" in first.keywords  # index keywords follow the author keywords
    assert first.url is not None and "%2f" in first.url  # URLs are verbatim, not LaTeX
    assert first.raw["author_keywords"] and first.raw["ENTRYTYPE"] == ["article"]
    assert ukbeam.authors == [Author("UK BEAM Trial Team", organisation=True)]
    assert muller.pages == "e312"
    assert muller.authors[1] == Author("Kowalski", "Ł.")


def test_web_of_science_dialect() -> None:
    first, *_ = records(READER, corpus("wos.bib"))
    assert first.source_record_id == "WOS:000258906500007"  # key written as "{ WOS:..."
    assert (
        first.title
        == "Patient-centredness in physiotherapy from the perspective of the chronic low back pain patient"
    )
    assert first.journal == "PHYSIOTHERAPY"
    assert first.keywords[-1] == "PATIENT-CENTERED CARE"  # Keywords-Plus after Keywords
    assert "Web-of-Science-Categories" in first.raw
    assert first.raw["Unique-ID"] == ["WOS:000258906500007"]


def test_zotero_latex_accents_braces_and_group_author() -> None:
    cooper, ostlund, _, _, _, ukbeam, muller, _ = records(READER, corpus("zotero.bib"))
    assert ostlund.authors[0] == Author("Östlund", "Gunnel")
    assert ostlund.title is not None and ostlund.title.startswith(
        "'It was really nice to have someone' – lay"
    )
    assert ostlund.doi is None
    assert ukbeam.title is not None and ukbeam.title.startswith(
        "United Kingdom back pain exercise and manipulation (UK BEAM)"
    )
    assert ukbeam.authors == [Author("UK BEAM Trial Team", organisation=True)]
    assert [a.family for a in muller.authors] == ["Müller", "Kowalski", "Nowak", "Schäfer"]
    assert muller.authors[1].given == "Łukasz"
    assert cooper.keywords == [
        "Chronic low back pain",
        "Patient-centredness",
        "Physiotherapy",
        "Qualitative research",
    ]
    assert cooper.language == "en"
    assert cooper.raw["month"] == ["sep"]  # an unresolved month macro is kept as written


def test_mendeley_double_braces_and_comma_keywords() -> None:
    cooper, *_ = records(READER, corpus("mendeley.bib"))
    assert cooper.title is not None
    assert cooper.title.startswith("Patients' perceptions of self-management")  # {{...}} braces removed
    assert cooper.keywords == ["Chronic low back pain", "Self-management", "Patient education"]
    assert cooper.pmid == "19627685"


def test_jabref_string_macros_comments_and_eprint_pmid() -> None:
    parsed = records(READER, corpus("jabref.bib"))
    assert len(parsed) == 6  # @String and @Comment blocks are not records
    assert parsed[0].journal == "Physiotherapy"  # journal = physio
    assert parsed[3].journal == "Physiotherapy Research International"
    assert parsed[0].pmid == "19627718"  # eprinttype = pubmed
    assert parsed[2].abstract is None


def test_broken_entry_in_the_middle_is_one_reject_with_its_line() -> None:
    parsed, rejected = read_all(READER, corpus("malformed_entry.bib"))
    assert len(parsed) == 5
    [reject] = rejected
    assert reject.line == 42
    assert "not closed" in reject.reason
    assert reject.excerpt.startswith("@Article{May2001,")
    assert [item.line for item in parsed] == [6, 24, 57, 75, 93]


def test_missing_comma_after_key_is_rejected(tmp_path: Path) -> None:
    text = (
        "@article{a,\n title = {One},\n}\n@article{b\n title = {Two},\n}\n@article{c,\n title = {Three}\n}\n"
    )
    parsed, rejected = read_all(READER, write(tmp_path, "x.bib", text))
    assert [item.record.title for item in parsed] == ["One", "Three"]
    assert rejected[0].line == 4 and "malformed BibTeX entry" in rejected[0].reason


def test_empty_and_wrong_files(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="no BibTeX entries"):
        list(READER.read(write(tmp_path, "x.bib", "% only a comment\n@comment{nothing}\n"), ReadOptions()))
    assert READER.sniff(write(tmp_path, "y.bib", "TY  - JOUR\nTI  - x\nER  - \n")) == 0


def test_cp1252_file_with_accents(tmp_path: Path) -> None:
    text = '@article{k,\n author = {Östlund, Gunnel and M{\\"u}ller, Jürgen},\n title = {Café society},\n}\n'
    [record] = records(READER, write(tmp_path, "x.bib", text, encoding="cp1252"))
    assert [a.family for a in record.authors] == ["Östlund", "Müller"]
    assert record.title == "Café society"


def test_duplicate_fields_keep_the_first_and_raw_keeps_both(tmp_path: Path) -> None:
    text = "@article{k,\n title = {T},\n url = {https://a.org},\n url = {https://b.org},\n}\n"
    [record] = records(READER, write(tmp_path, "x.bib", text))
    assert record.url == "https://a.org"
    assert record.raw["url"] == ["https://a.org", "https://b.org"]


def test_fields_biblatex_and_pmid_in_note(tmp_path: Path) -> None:
    text = (
        "@online{k,\n author = {Slade, Susan C. and others},\n title = {{Listen} to me},\n"
        " journaltitle = {Clin Rehabil}, date = {2009-03}, number = {3}, pages = {270---280},\n"
        " note = {PMID: 19218301}, langid = {english}, keywords = {partnership; care, shared},\n"
        " doi = {https://doi.org/10.1177/0269215508100468},\n}\n"
    )
    [record] = records(READER, write(tmp_path, "x.bib", text))
    assert record.authors == [Author("Slade", "Susan C.")]  # "others" is not a person
    assert (record.title, record.journal, record.year) == ("Listen to me", "Clin Rehabil", 2009)
    assert (record.issue, record.pages, record.pmid) == ("3", "270-280", "19218301")
    assert record.keywords == ["partnership", "care, shared"]
    assert record.doi == "10.1177/0269215508100468"
    assert record.publication_type == "online" and record.language == "english"


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ('{\\"O}stlund', "Östlund"),
        ("\\'{e}t\\'e", "été"),
        ("{\\o}ster", "øster"),
        ("Stra{\\ss}e and \\ss{}", "Straße and ß"),
        ("{\\L}ukasz", "Łukasz"),
        ("\\c{c}a \\v{S}koda \\aa{}", "ça Škoda å"),
        ("A \\& B, 50\\% & more", "A & B, 50% & more"),
        ("Back pain in the {UK}", "Back pain in the UK"),
        ("plain text stays", "plain text stays"),
    ],
)
def test_latex_decoding(latex: str, text: str) -> None:
    assert decode_latex(latex) == text


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ("van der Berg, Jan", [Author("van der Berg", "Jan")]),
        ("Jan van der Berg", [Author("van der Berg", "Jan")]),
        (
            "{World Health Organization} and Smith, J.",
            [Author("World Health Organization", organisation=True), Author("Smith", "J.")],
        ),
        ("{Simon and Schuster}", [Author("Simon and Schuster", organisation=True)]),
        ("Smith, Jr., John", [Author("Smith Jr.", "John")]),
    ],
)
def test_bibtex_names(names: str, expected: list[Author]) -> None:
    assert parse_bibtex_names(names) == expected
