"""Keyword highlighting: whole words, ``*`` for word starts, phrases; and the web app's markup of it."""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from synthesist.screening.highlight import Span, is_word_character, keyword_spans
from synthesist.web.render import highlight


def _marked(text: str, include: list[str], exclude: list[str] = []) -> list[str]:  # noqa: B006
    return [text[s.start : s.end] for s in keyword_spans(text, include, exclude)]


def _word(character: str) -> bool:
    """The test's own reading of a word character: a letter, digit, underscore or combining mark."""
    return character.isalnum() or character == "_" or unicodedata.category(character)[0] == "M"


def test_a_keyword_matches_whole_words_only() -> None:
    text = "Ratings of inter-rater agreement in rats; a rat study. RAT!"
    assert _marked(text, [], ["rat"]) == ["rat", "RAT"]


def test_a_trailing_star_matches_the_words_a_keyword_starts_and_marks_them_whole() -> None:
    text = "Ratings of inter-rater agreement in rats; a rat study."
    assert _marked(text, [], ["rat*"]) == ["Ratings", "rater", "rats", "rat"]
    assert _marked("interviews, interviewed; an interviewer", ["interview*"]) == [
        "interviews",
        "interviewed",
        "interviewer",
    ]


def test_phrases_match_as_phrases_with_spaces_and_hyphens_alike() -> None:
    text = "Self management of low back pain; back painful; self-management of back pain"
    assert _marked(text, ["self management", "back pain", "low back pain"]) == [
        "Self management",
        "low back pain",
        "self-management",
        "back pain",
    ]
    # the longer phrase is tried first, and a shorter one still matches where the longer fails
    assert _marked("pain reliefs and pain relief", ["pain relief", "pain"]) == ["pain", "pain relief"]


def test_accented_letters_are_word_characters_composed_or_not() -> None:
    decomposed = "cafe\u0301 culture"  # "café" as "e" and a combining acute accent
    assert _marked(decomposed, ["cafe"]) == []
    assert _marked(decomposed, ["cafe*"]) == ["cafe\u0301"]
    assert _marked("Östlund-Berg and östlund", ["östlund"]) == ["Östlund", "östlund"]
    assert _marked("Łódź and Łódźka", ["łódź"]) == ["Łódź"]
    assert is_word_character("\u0301") and is_word_character("é") and not is_word_character("-")


def test_an_exclude_keyword_wins_where_an_include_keyword_overlaps() -> None:
    spans = keyword_spans("cancer pain management", ["pain management"], ["cancer pain"])
    assert spans == [Span(0, 11, "exclude")]


def test_empty_and_bare_star_keywords_match_nothing() -> None:
    assert keyword_spans("anything at all", ["", "  ", "*"], ["**"]) == []


def test_the_web_markup_escapes_the_text_and_names_the_kind_for_screen_readers() -> None:
    shown = str(highlight("<b>rat</b> & rats", [], ["rat"]))
    assert shown.startswith('&lt;b&gt;<mark class="kw-exclude">rat')
    assert '<span class="sr-only"> (exclude keyword)</span></mark>&lt;/b&gt; &amp; rats' in shown


# Hypothesis: texts and keywords from a small alphabet, so that words, word starts, hyphens, accents
# and combining marks meet often.
LETTERS = "abé\u0301_1"
TEXT = st.text(alphabet=LETTERS + " -.,", max_size=60)
KEYWORD = st.text(alphabet=LETTERS, min_size=1, max_size=4)


@settings(max_examples=300)
@given(text=TEXT, keyword=KEYWORD, star=st.booleans())
def test_a_match_never_starts_or_ends_inside_a_word(text: str, keyword: str, star: bool) -> None:
    for span in keyword_spans(text, [keyword + ("*" if star else "")], []):
        assert 0 <= span.start < span.end <= len(text)
        assert span.start == 0 or not _word(text[span.start - 1]), (text, span)
        # with * the whole word is marked, so a match ends where the word ends too
        assert span.end == len(text) or not _word(text[span.end]), (text, span)


@settings(max_examples=300)
@given(text=TEXT, keyword=KEYWORD)
def test_without_a_star_the_match_is_the_keyword_itself(text: str, keyword: str) -> None:
    for span in keyword_spans(text, [keyword], []):
        assert text[span.start : span.end].lower() == keyword.lower()


@settings(max_examples=300)
@given(
    words=st.lists(st.text(alphabet="abcé", min_size=1, max_size=5), min_size=1, max_size=12),
    keyword=st.text(alphabet="abcé", min_size=1, max_size=3),
    star=st.booleans(),
)
def test_every_word_the_keyword_names_is_marked_and_nothing_else(
    words: list[str], keyword: str, star: bool
) -> None:
    text = " ".join(words)
    expected = [w for w in words if (w.lower().startswith(keyword) if star else w.lower() == keyword)]
    assert _marked(text, [keyword + ("*" if star else "")]) == expected


@settings(max_examples=200)
@given(
    text=st.text(max_size=80), include=st.lists(KEYWORD, max_size=3), exclude=st.lists(KEYWORD, max_size=3)
)
def test_spans_are_in_order_without_overlaps_and_the_markup_keeps_the_text(
    text: str, include: list[str], exclude: list[str]
) -> None:
    spans = keyword_spans(text, include, exclude)
    assert all(a.end <= b.start for a, b in pairwise(spans))
    shown = str(highlight(text, include, exclude))
    plain = re.sub(r'<span class="sr-only">[^<]*</span>|</?mark[^>]*>', "", shown)
    assert plain == str(highlight(text, [], []))
