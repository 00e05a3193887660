"""RIS writer -> RIS reader gives back the same canonical record (Hypothesis property), plus writer details.

Where RIS cannot carry something, the strategy is restricted (and only there):

* ``publication_type`` is always a RIS type code: ``TY`` is mandatory and only holds RIS codes (other type
  names are mapped, see ``test_type_names_are_mapped``).
* a person without a given name has a one-word family name: RIS writes ``Family, Given``; a comma-less
  multi-word name is read as a group author (Zotero writes groups that way).
* family names hold no comma and given names do not end with one (the comma separates them; a trailing
  comma marks a group author, EndNote's convention).
* keywords hold no ``;``: several dialects pack keywords into one ``KW`` line separated by ``;``.
* years are 1500-2199 (what ``parse_year`` accepts); the url is not a ``doi.org`` link (a record without
  ``DO`` takes its DOI from such a link, as Cochrane exports need).
* a record has a title, an author or an identifier: the reader rejects one with none of them.
"""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthesist.exporting.base import ExportItem
from synthesist.exporting.formats.ris import RIS_TYPES, RisWriter, ris_type
from synthesist.importing.base import ParsedRecord, ReadOptions
from synthesist.importing.formats.ris import RisReader
from synthesist.importing.source import open_source
from synthesist.records.clean import clean_text
from synthesist.records.model import Author, Record

_LETTERS = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"))


def _clean(min_size: int = 1, max_size: int = 60, exclude: str = "") -> st.SearchStrategy[str]:
    return (
        st.text(alphabet=_LETTERS.filter(lambda c: c not in exclude), min_size=min_size, max_size=max_size)
        .map(lambda text: clean_text(text) or "")
        .filter(bool)
    )


_WORD = _clean(max_size=15, exclude=", ").filter(lambda w: " " not in w)
_PUNCTUATED = st.sampled_from(["{Braced} title", 'A "quoted" one', "semi; colon, comma", "Ünïcödé – “curly”"])


@st.composite
def authors(draw: st.DrawFn) -> Author:
    kind = draw(st.sampled_from(["person", "family-only", "organisation"]))
    if kind == "organisation":
        return Author(family=draw(_clean(max_size=40)), organisation=True)
    particle = draw(st.sampled_from(["", "van der ", "de ", "O'", "von "]))
    if kind == "family-only":
        return Author(family=draw(_WORD))
    family = particle + draw(_clean(max_size=20, exclude=","))
    given_name = draw(_clean(max_size=20).filter(lambda g: not g.endswith(",")))
    return Author(family=family.strip(), given=given_name)


def _optional(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    return st.none() | strategy


@st.composite
def records(draw: st.DrawFn) -> Record:
    title = draw(_optional(st.one_of(_clean(max_size=120), _PUNCTUATED)))
    record = Record(
        title=title,
        authors=draw(st.lists(authors(), max_size=5)),
        year=draw(st.none() | st.integers(min_value=1500, max_value=2199)),
        journal=draw(_optional(_clean())),
        volume=draw(_optional(_clean(max_size=8))),
        issue=draw(_optional(_clean(max_size=8))),
        pages=draw(
            _optional(st.one_of(_clean(max_size=12), st.sampled_from(["244-252", "e1234", "244-52-3"])))
        ),
        doi=draw(
            _optional(st.from_regex(r"10\.[0-9]{4,6}/[A-Za-z0-9()<>:._/-]{1,20}[A-Za-z0-9]", fullmatch=True))
        ),
        pmid=draw(_optional(st.from_regex(r"[1-9][0-9]{0,8}", fullmatch=True))),
        issn=draw(_optional(st.from_regex(r"[0-9]{4}-[0-9]{3}[0-9X]", fullmatch=True))),
        abstract=draw(_optional(_clean(max_size=300))),
        keywords=draw(st.lists(_clean(max_size=25, exclude=";"), max_size=5, unique=True)),
        language=draw(_optional(_clean(max_size=10))),
        publication_type=draw(st.sampled_from(sorted(RIS_TYPES))),
        url=draw(_optional(st.from_regex(r"https://example\.org/[a-z0-9/?=&%.-]{0,30}", fullmatch=True))),
        source_record_id=draw(_optional(_clean(max_size=20))),
    )
    if not (record.title or record.authors or record.doi or record.pmid or record.source_record_id):
        record.title = "Untitled"
    return record


def _round_trip(record: Record, folder: Path, source: str = "Synthesist test") -> Record:
    handle = io.StringIO()
    assert RisWriter().write([ExportItem(record_id=1, record=record, source=source)], handle) == 1
    path = folder / "roundtrip.ris"
    path.write_text(handle.getvalue(), encoding="utf-8")
    items = list(RisReader().read(open_source(path), ReadOptions()))
    assert len(items) == 1 and isinstance(items[0], ParsedRecord), items
    return items[0].record


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=records())
def test_ris_round_trip(tmp_path: Path, record: Record) -> None:
    assert _round_trip(record, tmp_path).canonical() == record.canonical()


def test_written_file_looks_like_standard_ris(tmp_path: Path) -> None:
    record = Record(
        title="Patient-centredness in physiotherapy",
        authors=[Author("Cooper", "Kay"), Author("UK BEAM Trial Team", organisation=True)],
        year=2008,
        journal="Physiotherapy",
        pages="244-252",
        doi="10.1016/j.physio.2007.10.006",
        pmid="18649386",
        keywords=["physiotherapy", "back pain"],
        publication_type="Journal Article",
        source_record_id="CN-00652391",
    )
    handle = io.StringIO()
    item = ExportItem(record_id=7, record=record, source="Cochrane CENTRAL", extra={"duplicate_group": "3"})
    RisWriter().write([item, item], handle)
    text = handle.getvalue()
    first = text.split("\n\n")[0].splitlines()
    assert first[0] == "TY  - JOUR" and first[-1] == "ER  - "
    for line in [
        "ID  - CN-00652391",
        "AU  - Cooper, Kay",
        "AU  - UK BEAM Trial Team,",
        "SP  - 244",
        "EP  - 252",
    ]:
        assert line in first
    assert [line for line in first if line.startswith("KW")] == ["KW  - physiotherapy", "KW  - back pain"]
    assert "N1  - PMID: 18649386" in first and "N1  - duplicate_group: 3" in first
    assert "DB  - Cochrane CENTRAL" in first
    assert text.count("TY  - ") == 2
    assert RisWriter.extension == ".ris"


def test_type_names_are_mapped() -> None:
    assert ris_type("Journal Article") == "JOUR"
    assert ris_type("Article") == "JOUR"
    assert ris_type("Book Chapter") == "CHAP"
    assert ris_type("CHAP") == "CHAP"
    assert ris_type("Something odd") == "GEN"
    assert ris_type(None) == "GEN"
