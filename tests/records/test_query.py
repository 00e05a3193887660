from __future__ import annotations

import pytest

from synthesist.errors import InvalidQuery
from synthesist.records.query import Condition, parse_where


def test_parses_fields_operators_and_values() -> None:
    parsed = parse_where(["year>=2000", "source ~ medline", 'doi="10.1/x"', "abstract="])
    assert parsed.conditions == (
        Condition("year", ">=", 2000),
        Condition("source", "~", "medline"),
        Condition("doi", "=", "10.1/x"),
        Condition("abstract", "=", None),
    )


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("colour=red", "unknown field 'colour'"),
        ("year~20", "is a number"),
        ("year>=soon", "is a number"),
        ("title>abc", "is text"),
        ("year>=", "needs a value"),
        ("just words", "cannot understand"),
    ],
)
def test_bad_filters_say_what_is_wrong(expression: str, message: str) -> None:
    with pytest.raises(InvalidQuery, match=message):
        parse_where([expression])
