"""BibTeX writer -> BibTeX reader gives back the same canonical record.

Restrictions (what BibTeX as a format cannot carry, documented here):
- keywords: the field is one ";"-separated list, so a keyword containing ";" would read back as two.
- pages: BibTeX writes a range as ``start--end`` and readers normalise range dashes, so pages are
  ranges of letters/digits or single page/article numbers (as databases export them), not free text.
- doi, url: verbatim fields (no LaTeX decoding, since URLs hold "%" and "_"), so no backslash.
Everything else (unicode, LaTeX specials, braces, quotes, "--", names with particles, "and", commas,
organisations) must round-trip.
"""

from __future__ import annotations

import io
import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthesist.exporting.base import ExportItem
from synthesist.exporting.formats.bibtex import BibtexWriter, escape_latex, format_name
from synthesist.importing.base import ParsedRecord, ReadOptions
from synthesist.importing.formats.bibtex import BibtexReader, decode_latex, parse_bibtex_names
from synthesist.importing.source import open_source
from synthesist.records.clean import is_placeholder
from synthesist.records.model import Author, Record
from tests.exporting.record_strategies import records, text

_PAGES = st.one_of(
    st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=6),
    st.builds(
        lambda a, b: f"{a}-{b}",
        st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=5),
        st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=5),
    ),
).filter(lambda value: not is_placeholder(value))  # "Null", "NaN": every reader reads them as missing
_KEYWORD = text(max_size=30).filter(lambda value: ";" not in value)


def _roundtrip(tmp_path: Path, originals: list[Record]) -> list[Record]:
    buffer = io.StringIO()
    items = [ExportItem(record_id=n, record=record, source="Scopus") for n, record in enumerate(originals, 1)]
    assert BibtexWriter().write(items, buffer) == len(originals)
    path = tmp_path / "export.bib"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    parsed = list(BibtexReader().read(open_source(path), ReadOptions()))
    assert all(isinstance(item, ParsedRecord) for item in parsed), parsed
    return [item.record for item in parsed if isinstance(item, ParsedRecord)]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(records(keyword=_KEYWORD, pages=_PAGES), min_size=1, max_size=3))
def test_bibtex_roundtrip(tmp_path: Path, originals: list[Record]) -> None:
    back = _roundtrip(tmp_path, originals)
    assert [record.canonical() for record in back] == [record.canonical() for record in originals]


@settings(max_examples=200, deadline=None)
@given(text(max_size=80))
def test_escaped_text_decodes_to_itself(value: str) -> None:
    assert decode_latex(escape_latex(value)) == value


@settings(max_examples=200, deadline=None)
@given(text(max_size=25), st.one_of(st.just(""), text(max_size=25)), st.booleans())
def test_names_read_back(family: str, given_name: str, organisation: bool) -> None:
    author = Author(family=family, given="" if organisation else given_name, organisation=organisation)
    assert parse_bibtex_names(format_name(author)) == [author]


def test_duplicate_and_invalid_ids_get_generated_keys(tmp_path: Path) -> None:
    first = Record(
        title="Patient-centredness in physiotherapy",
        authors=[Author("Östlund", "G")],
        year=2001,
        source_record_id="same",
    )
    second = Record(
        title="Patient-centredness again",
        authors=[Author("Östlund", "G")],
        year=2001,
        source_record_id="same",
    )
    third = Record(title="No id", authors=[Author("Östlund", "G")], year=2001, source_record_id="has space")
    buffer = io.StringIO()
    BibtexWriter().write([ExportItem(n, r, "x") for n, r in enumerate([first, second, third], 1)], buffer)
    text_out = buffer.getvalue()
    assert "@misc{same," in text_out
    assert "@misc{ostlund2001patientcentredness," in text_out  # "same" is taken
    assert "@misc{ostlund2001noid," not in text_out  # words under four letters are skipped
    assert "@misc{ostlund2001no," in text_out
    assert "source-record-id = {same}" in text_out
    back = _roundtrip(tmp_path, [first, second, third])
    assert [r.source_record_id for r in back] == ["same", "same", "has space"]
