"""The RIS reader on what databases really write: Ovid's numbering, tags and links after ``ER``, missing
``ER``, odd tag shapes, mixed line endings, BOMs; and the rule that nothing a file holds is dropped."""

from __future__ import annotations

import string
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from synthesist.importing.formats.ris import RisReader
from synthesist.importing.formats.ris_lines import AFTER_END_TEXT, split_records
from synthesist.importing.source import open_source
from tests.importing.tagged_helpers import EXPORTS, read_all, write

RIS = RisReader()
OVID_LINK = "Link to the Ovid Full Text or citation"


def test_ovid_psycinfo_with_record_numbers_nl_and_link_lines() -> None:
    source = open_source(EXPORTS / "psycinfo_ovid_numbered.ris")
    assert RIS.sniff(source) >= 0.9
    parsed, rejected = read_all(RIS, source)
    assert (len(parsed), len(rejected)) == (3, 0)
    assert [p.line for p in parsed] == [2, 38, 69]  # the "TY" lines, after Ovid's "1." lines
    first = parsed[0].record
    assert first.raw["NL"][0].startswith("https://resolver.example.ac.uk/openurl")
    assert first.raw[OVID_LINK] == [
        "http://ovidsp.ovid.com/ovidweb.cgi?T=JS&CSC=Y&NEWS=N&PAGE=fulltext&D=psyc7&AN=2008-10037-001"
    ]
    assert first.raw["Link to the External Link Resolver"][0].endswith("issn=0031-9406")
    assert (
        first.url == "http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference&D=psyc7&NEWS=N&AN=2008-10037-001"
    )
    assert first.abstract is not None and first.abstract.endswith("all rights reserved)")
    assert "RESULTS: Patients valued individualised care" in first.abstract  # wrapped lines joined
    third = parsed[2].record
    # a blank line inside the abstract does not end it, and the second SN stays in raw
    assert third.abstract is not None and third.abstract.startswith("BACKGROUND: Older people")
    assert "METHODS: Qualitative interviews" in third.abstract
    assert third.raw["SN"] == ["0002-0729", "1468-2834(Electronic)"]


def test_an_ovid_file_numbered_with_angle_brackets(tmp_path: Path) -> None:
    text = (
        "<1>\nTY  - JOUR\nAN  - 1\nTI  - One\nER  - \n\n<2>\nTY  - JOUR\nAN  - 2\nTI  - Two\nER  - \n"
        "NL  - note\n"
    )
    parsed, rejected = read_all(RIS, write(tmp_path, "ovid.ris", text))
    assert rejected == []
    assert [(p.record.title, p.record.raw.get("NL")) for p in parsed] == [("One", None), ("Two", ["note"])]


def test_trailing_text_after_er_belongs_to_the_record_before_it(tmp_path: Path) -> None:
    text = (
        "TY  - JOUR\nTI  - Kept\nER  - \nCopyright (c) 2024 Example Publisher. All rights reserved.\n"
        "% exported 2024-03-02\n\nTY  - JOUR\nTI  - Next\nER  - \n"
    )
    parsed, rejected = read_all(RIS, write(tmp_path, "trailing.ris", text))
    assert rejected == []
    assert parsed[0].record.raw[AFTER_END_TEXT] == [
        "Copyright (c) 2024 Example Publisher. All rights reserved.\n% exported 2024-03-02"
    ]
    assert AFTER_END_TEXT not in parsed[1].record.raw


def test_a_missing_er_is_ended_by_the_next_ty_and_odd_tags_are_kept(tmp_path: Path) -> None:
    # the shape of a hand-edited export: no ER, loose spacing, a four-letter tag, a comment line
    text = (
        "\nTY  - CONF\nTI  - A conference paper\nAU  - A. Author-One\nKW - keyword1\nkeyword2\n"
        "PY  - 2020\nPMID - 12345678\n\n\n% Comment\nTY  - JOUR\nTI  - A journal paper\nVO  - 50\n"
        "VL  - 50\nY1  - Mar. 2017\nER  - \n"
    )
    parsed, rejected = read_all(RIS, write(tmp_path, "loose.ris", text))
    assert rejected == []
    conference, journal = (p.record for p in parsed)
    assert (conference.title, conference.year, conference.pmid) == ("A conference paper", 2020, "12345678")
    assert conference.raw["KW"] == ["keyword1\nkeyword2"]
    assert (journal.title, journal.volume, journal.year) == ("A journal paper", "50", 2017)
    assert journal.raw["VO"] == ["50"]  # a tag RIS does not define is kept


def test_a_file_that_never_writes_er_reads_every_record(tmp_path: Path) -> None:
    text = "TY  - JOUR\nTI  - One\n\nTY  - JOUR\nTI  - Two\n"
    parsed, rejected = read_all(RIS, write(tmp_path, "no_er.ris", text))
    assert ([p.record.title for p in parsed], rejected) == (["One", "Two"], [])


def test_a_last_record_cut_off_in_a_file_that_writes_er_is_rejected(tmp_path: Path) -> None:
    text = "TY  - JOUR\nTI  - Whole\nER  - \n\nTY  - JOUR\nTI  - Cut off in the mid"
    parsed, rejected = read_all(RIS, write(tmp_path, "cut.ris", text))
    assert [p.record.title for p in parsed] == ["Whole"]
    assert rejected[0].line == 5 and "may be truncated" in rejected[0].reason


def test_tag_lines_closed_by_their_own_er_are_a_record_without_ty(tmp_path: Path) -> None:
    text = "TY  - JOUR\nTI  - First\nER  - \n\nTI  - Lost its TY\nAU  - Doe, J\nER  - \n"
    parsed, rejected = read_all(RIS, write(tmp_path, "no_ty.ris", text))
    assert [p.record.title for p in parsed] == ["First"]
    assert "TI" in parsed[0].record.raw and parsed[0].record.raw["TI"] == ["First"]
    assert rejected[0].line == 5 and "outside a record" in rejected[0].reason


def test_mixed_line_endings_a_bom_per_joined_file_and_odd_ty_spacing(tmp_path: Path) -> None:
    first = "TY - JOUR\r\nTI  - Windows\r\nL1  - https://example.org/a.pdf\r\nER  -\r\n"
    second = "\ufeffTY  - JOUR\nTI  - Unix\nER  - \n"
    third = "TY  -  BOOK\rBT  - Old Mac book\rER  - \r"
    path = tmp_path / "joined.ris"
    path.write_bytes(("\ufeff" + first).encode() + second.encode() + third.encode())
    parsed, rejected = read_all(RIS, open_source(path))
    assert rejected == []
    assert [p.record.title for p in parsed] == ["Windows", "Unix", "Old Mac book"]
    assert parsed[0].record.raw["L1"] == ["https://example.org/a.pdf"]


def test_scopus_article_number_and_ebsco_n2(tmp_path: Path) -> None:
    text = "TY  - JOUR\nTI  - T\nC7  - 102043\nN2  - Abstract in N2.\nDB  - Scopus\nER  - \n"
    [parsed], _ = read_all(RIS, write(tmp_path, "scopus.ris", text))
    assert (parsed.record.pages, parsed.record.abstract) == ("102043", "Abstract in N2.")


# ---------------------------------------------------------------- nothing a file holds is dropped

_TAGS = (
    st.text(string.ascii_uppercase, min_size=1, max_size=1)
    .flatmap(
        lambda first: st.text(string.ascii_uppercase + string.digits, min_size=1, max_size=3).map(
            lambda rest: first + rest
        )
    )
    .filter(lambda tag: tag not in {"TY", "ER"})
)
_VALUES = (
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff\x85"),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
_RECORDS = st.lists(st.lists(st.tuples(_TAGS, _VALUES), min_size=1, max_size=6), min_size=1, max_size=4)


@settings(max_examples=150, deadline=None)
@given(_RECORDS, st.sampled_from(["\n", "\r\n"]))
def test_every_tag_value_comes_back_in_raw(records: list[list[tuple[str, str]]], newline: str) -> None:
    lines: list[str] = []
    for fields in records:
        lines.append("TY  - JOUR")
        lines += [f"{tag}  - {value}" for tag, value in fields]
        lines += ["ER  - ", ""]
    text = newline.join(lines) + newline
    chunks = list(split_records(text.splitlines(keepends=True)))
    assert [chunk.kind for chunk in chunks] == ["record"] * len(records)  # records + rejects = entries
    for chunk, fields in zip(chunks, records, strict=True):
        expected: dict[str, list[str]] = {"TY": ["JOUR"]}
        for tag, value in fields:
            expected.setdefault(tag, []).append(value)
        assert chunk.raw == expected
