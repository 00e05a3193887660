"""Segmentation: segments tile the text (Hypothesis), sentences are cut where a reader would cut
them and not at "et al.", "e.g." or in decimals, and every line starts a segment."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from synthesist.synthesis.segments import segment_at, segments

# pieces rather than characters, so that abbreviations, quotes, initials and line ends meet often
PIECES = st.sampled_from(
    [*"ab .!?\n\t\"“”'(K)3e", "et al.", " Dr. ", "e.g.", "\r\n", "\u2028", "\x0c", " ", "A"]
)
TEXTS = st.lists(PIECES, max_size=60).map("".join)


@given(TEXTS)
def test_segments_cover_the_text_without_gaps_or_overlaps(text: str) -> None:
    parts = segments(text)
    if not text.strip():
        assert parts == ()
        return
    assert parts[0].start == 0 and parts[-1].end == len(text)
    for before, after in pairwise(parts):
        assert before.end == after.start
    for number, part in enumerate(parts, start=1):
        assert part.number == number
        assert part.start <= part.content_start < part.content_end <= part.end
        words = part.text(text)
        assert words.strip() == words and words, (
            "a segment holds visible text, without the whitespace round it"
        )
        assert not text[part.content_end : part.end].strip(), "only whitespace follows a segment's words"
    assert segments(text) == parts, "the same text always gives the same segments"


@given(TEXTS, st.data())
def test_segment_at_finds_the_segment_holding_an_offset(text: str, data: st.DataObject) -> None:
    parts = segments(text)
    if not parts:
        return
    offset = data.draw(st.integers(0, len(text) - 1))
    found = segment_at(parts, offset)
    assert found is not None and found.start <= offset < found.end


def test_sentences_are_cut_after_full_stops_but_not_after_abbreviations_or_in_decimals() -> None:
    text = (
        "Patients valued being listened to (Cooper et al. 2008). Trust took time, e.g. 2.5 visits. "
        '"They never asked me." Dr. Smith agreed! K. Cooper wrote it? Yes.'
    )
    assert [part.text(text) for part in segments(text)] == [
        "Patients valued being listened to (Cooper et al. 2008).",
        "Trust took time, e.g. 2.5 visits.",
        '"They never asked me."',
        "Dr. Smith agreed!",
        "K. Cooper wrote it?",
        "Yes.",
    ]


def test_a_sentence_going_on_in_lower_case_is_one_segment() -> None:
    text = "'they kept wanting to push more medicines.' she said, p. 30 of the report."
    assert len(segments(text)) == 1


def test_every_line_starts_a_segment_and_blank_lines_only_separate() -> None:
    text = "\n  Findings\n\nline one of a wrapped\nsentence from a PDF\n\n"
    parts = segments(text)
    assert [part.text(text) for part in parts] == ["Findings", "line one of a wrapped", "sentence from a PDF"]
    assert parts[0].start == 0 and parts[0].content_start == 3
