"""records.clean: placeholders read as missing, character references decoded exactly once."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synthesist.records.clean import (
    clean_doi,
    clean_pmid,
    clean_text,
    decode_entities,
    is_placeholder,
    parse_year,
    split_keywords,
)


@pytest.mark.parametrize(
    "value",
    [
        "NA",
        " NA ",
        "N/A",
        "n/a",
        "#N/A",
        "NULL",
        "null",
        "NaN",
        "-",
        "—",
        "[No abstract available]",
        "No abstract available.",
        "[Not Available].",
        "Abstract not available",
        "[No title available]",
    ],
)
def test_placeholders_read_as_missing(value: str) -> None:
    assert clean_text(value) is None
    assert clean_doi(value) is None and clean_pmid(value) is None and parse_year(value) is None


@pytest.mark.parametrize(
    "value", ["Na", "NAD+", "N-acetylcysteine", "No abstract is needed for this commentary", "A-B", "?!"]
)
def test_real_values_are_kept(value: str) -> None:
    assert clean_text(value) == value


def test_a_placeholder_only_counts_as_the_whole_value() -> None:
    assert split_keywords(["NA"]) == []
    assert split_keywords(["noradrenaline; NA; dopamine"]) == ["noradrenaline", "NA", "dopamine"]
    assert is_placeholder("NA") and not is_placeholder("NA levels")


@pytest.mark.parametrize(
    ("text", "decoded"),
    [
        ("Solvers&#x0027; behaviour", "Solvers' behaviour"),
        ("p &lt; 0.05 &amp; n &#62; 10", "p < 0.05 & n > 10"),
        ("&amp;lt;i&amp;gt;", "&lt;i&gt;"),  # escaped twice in the source: decoded once
        ("R&D and AT&T", "R&D and AT&T"),
        ("R&notation &para without semicolons", "R&notation &para without semicolons"),
        ("&eacute;t&eacute; &mdash; &#x2013;", "été — –"),
    ],
)
def test_entities_are_decoded_exactly_once(text: str, decoded: str) -> None:
    assert decode_entities(text) == decoded
    assert clean_text(text, entities=True) == decoded
    assert clean_text(text) == text  # XML readers: the parser has decoded already


def test_keywords_split_after_decoding() -> None:
    assert split_keywords(["Pain &amp; function; exercise"], entities=True) == ["Pain & function", "exercise"]


@given(st.text(max_size=40))
def test_decoding_a_decoded_escape_gives_the_text_back(text: str) -> None:
    import html

    assert decode_entities(html.escape(text)) == text


def test_formatting_tags_go_but_comparisons_and_decoded_text_stay() -> None:
    europe_pmc = "Background.<h4>Methods</h4>(<i>P</i> = 0.05) in <jats:p>children</jats:p>"
    assert clean_text(europe_pmc, entities=True) == "Background. Methods (P = 0.05) in children"
    assert clean_text("p<0.05 and a <b >bold</b> claim", entities=True) == "p<0.05 and a bold claim"
    # a tag written as references is text the database meant to show: decoded once, not stripped
    assert clean_text("the &lt;i&gt; element", entities=True) == "the <i> element"
    assert clean_text("<i>kept</i> without entities=True") == "<i>kept</i> without entities=True"
