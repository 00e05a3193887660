from __future__ import annotations

import pytest

from synthesist.records import Author, Record, clean_doi, clean_pmid, parse_year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cooper, Kay", Author("Cooper", "Kay")),
        ("Östlund G", Author("Östlund", "G")),
        ("van der Berg JA", Author("van der Berg", "JA")),
        ("Kay Cooper", Author("Cooper", "Kay")),
        ("{World Health Organization}", Author("World Health Organization", organisation=True)),
        ("Smith", Author("Smith")),
    ],
)
def test_author_names_as_exports_write_them(text: str, expected: Author) -> None:
    assert Author.parse(text) == expected


def test_record_dict_round_trip() -> None:
    record = Record(
        title="Patient-centredness in physiotherapy",
        authors=[Author("Cooper", "K"), Author("NICE", organisation=True)],
        year=2008,
        keywords=["physiotherapy", "low back pain"],
        raw={"TI": ["Patient-centredness in physiotherapy"]},
    )
    assert Record.from_dict(record.to_dict()) == record
    assert record.citation().startswith("Cooper & NICE (2008)")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://doi.org/10.1016/j.physio.2007.10.006", "10.1016/j.physio.2007.10.006"),
        ("doi:10.1111/j.1365-2524.2009.00897.x.", "10.1111/j.1365-2524.2009.00897.x"),
        ("  ", None),
    ],
)
def test_clean_doi(value: str, expected: str | None) -> None:
    assert clean_doi(value) == expected


def test_clean_pmid_and_year() -> None:
    assert clean_pmid("PMID: 18590842 [Indexed for MEDLINE]") == "18590842"
    assert parse_year("2008 Sep") == 2008
    assert parse_year("Spring 2009///") == 2009
    assert parse_year("n.d.") is None
