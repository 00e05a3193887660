"""Re-anchoring when a document's text changes: found once -> moved; found several times -> the
one in the same surroundings, else lost; gone -> lost. Never moved to a guess."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from synthesist.synthesis.anchoring import reanchor
from synthesist.synthesis.model import AnchorStatus

OK, MOVED, LOST = AnchorStatus.OK, AnchorStatus.REANCHORED, AnchorStatus.LOST
OLD = "Patients valued trust. Others wanted information about their diagnosis."


def anchor(new: str, words: str, old: str = OLD) -> tuple[int, int, AnchorStatus]:
    start = old.index(words)
    found = reanchor(old, new, start, start + len(words), words, OK)
    return found.start, found.end, found.status


def test_words_where_they_were_stay_ok() -> None:
    assert anchor(OLD + " More text.", "valued trust") == (9, 21, OK)


def test_words_found_once_elsewhere_are_reanchored_to_them() -> None:
    new = "Introduction added. " + OLD
    start, end, status = anchor(new, "information about their diagnosis")
    assert status is MOVED and new[start:end] == "information about their diagnosis"


def test_words_that_wrap_differently_are_still_found() -> None:
    new = OLD.replace("information about", "information\n  about")
    start, end, status = anchor(new, "information about their diagnosis")
    assert status is MOVED and new[start:end] == "information\n  about their diagnosis"


def test_words_gone_from_the_new_text_are_lost_and_keep_their_old_offsets() -> None:
    start = OLD.index("information")
    assert anchor("Patients valued trust.", "information about their diagnosis") == (start, start + 33, LOST)


def test_repeated_words_go_to_the_occurrence_in_the_same_surroundings() -> None:
    old = "Patients valued trust. Others valued trust in the system."
    new = "New opening. Patients valued trust. Others valued trust in the system."
    start = old.index("valued trust in")
    found = reanchor(old, new, start, start + len("valued trust"), "valued trust", OK)
    assert found.status is MOVED and new[found.start : found.end + 7] == "valued trust in the"


def test_repeated_words_in_unknown_surroundings_are_lost_not_guessed() -> None:
    old = "He valued trust."
    new = "A valued trust. B valued trust."
    found = reanchor(old, new, 3, 15, "valued trust", OK)
    assert found.status is LOST and (found.start, found.end) == (3, 15)


@given(st.text(alphabet="abc .", min_size=1, max_size=40), st.text(alphabet="abc .", max_size=40))
def test_a_coding_is_never_shifted_onto_other_words(prefix: str, suffix: str) -> None:
    words = "partnership"
    old = prefix + words + suffix
    new = suffix + "x" + prefix + words
    found = reanchor(old, new, len(prefix), len(prefix) + len(words), words, OK)
    assert found.status is LOST or new[found.start : found.end] == words
