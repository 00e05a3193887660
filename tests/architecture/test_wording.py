"""Counts and articles read as a person writes them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synthesist.wording import a_or_an, count_phrase, plural, plural_word, verb_for


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 records"), (1, "1 record"), (2, "2 records"), (757, "757 records")]
)
def test_plural_adds_s_except_for_one(count: int, expected: str) -> None:
    assert plural(count, "record") == expected


def test_irregular_plurals_are_given_where_used() -> None:
    assert plural(1, "study", "studies") == "1 study"
    assert plural(3, "study", "studies") == "3 studies"
    assert plural_word(2, "analysis", "analyses") == "analyses"
    assert plural_word(1, "analysis", "analyses") == "analysis"


def test_count_phrase_makes_the_verb_agree() -> None:
    assert count_phrase(1, "record", verb=("has", "have")) == "1 record has"
    assert count_phrase(2, "record", verb=("has", "have")) == "2 records have"
    assert count_phrase(1, "study", "studies", verb=("was", "were")) == "1 study was"
    assert count_phrase(0, "study", "studies", verb=("was", "were")) == "0 studies were"
    assert count_phrase(4, "pair") == "4 pairs"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("owner", "an owner"),
        ("reviewer", "a reviewer"),
        ("admin", "an admin"),
        ("user", "a user"),
        ("hour", "an hour"),
        ("unique id", "a unique id"),
        ("unread record", "an unread record"),
        ("RIS file", "an RIS file"),
        ("CSV file", "a CSV file"),
        ("MMAT category", "an MMAT category"),
        ("European database", "a European database"),
    ],
)
def test_a_or_an_follows_the_sound(word: str, expected: str) -> None:
    assert a_or_an(word) == expected


@given(st.integers(min_value=0, max_value=10**6))
def test_one_is_the_only_singular(count: int) -> None:
    phrase = count_phrase(count, "record", verb=("has", "have"))
    assert phrase.startswith(f"{count} record")
    assert phrase.endswith("1 record has" if count == 1 else "records have")


def test_verb_for_agrees_when_the_noun_is_left_out() -> None:
    assert f"1 {verb_for(1, 'was', 'were')} excluded" == "1 was excluded"
    assert f"3 {verb_for(3, 'was', 'were')} excluded" == "3 were excluded"
