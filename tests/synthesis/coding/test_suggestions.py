"""The coding assistant: suggestions from key terms and similar coded text, stored as the
assistant's, never counted as human coding until accepted; rejected ones never come back."""

from __future__ import annotations

import pytest

from synthesist.errors import InvalidTransition, UserError
from synthesist.services.synthesis.agreement import assistant_agreement
from synthesist.services.synthesis.codes import create_code
from synthesist.services.synthesis.coding import apply_code, remove_coding
from synthesist.services.synthesis.documents import add_document
from synthesist.services.synthesis.snapshot import coding_snapshot
from synthesist.services.synthesis.suggest import accept_suggestion, reject_suggestion, suggest
from synthesist.services.synthesis.themes import create_theme
from synthesist.synthesis.model import ASSISTANT, CodingOrigin, Document, SpanKind
from synthesist.synthesis.suggest import matching_terms, stem
from synthesist.workspace import Workspace
from tests.synthesis_helpers import FINDINGS

SECOND = (
    'Patients wanted to be listened to. "I felt nobody listened." '
    "Waiting times for physiotherapy were long.\n"
    "The weather was cold."
)


def test_key_terms_match_after_light_stemming_and_truncation() -> None:
    assert stem("listening") == stem("listened") == "listen"
    text = "We talked on the telephone; she communicated well and I trusted her."
    terms = ["talking", "telephone contact", "communicate", "trust", "communicat*", "face-to-face"]
    assert matching_terms(terms, text) == ["talking", "communicate", "trust", "communicat*"]
    assert matching_terms(["care"], "a career in pain") == [], "short stems do not match longer words"


@pytest.fixture
def docs(studies: Workspace) -> tuple[Document, Document]:
    first = add_document(studies, "Cooper 2008", text=FINDINGS)
    second = add_document(studies, "Matthias 2010", text=SECOND)
    create_theme(studies, "Effective communication", level="analytical", key_terms="listening, talking")
    create_code(studies, "listened to", themes=["Effective communication"])
    create_code(studies, "access", key_terms="waiting*")
    create_code(studies, "information")
    apply_code(studies, first.id, "listened to", segment=1, kind="interpretation", coder="alice")
    apply_code(studies, first.id, "information", segment=4, kind="interpretation", coder="alice")
    return first, second


def test_suggestions_are_the_assistant_s_and_not_human_coding(
    studies: Workspace, docs: tuple[Document, Document]
) -> None:
    _, second = docs
    result = suggest(studies, second.id)
    names = {code.id: code.name for code in coding_snapshot(studies).codes}
    found = {(c.text, names[c.code_id]) for c in result.suggestions}
    assert ("Patients wanted to be listened to.", "listened to") in found
    assert ('"I felt nobody listened."', "listened to") in found
    assert ("Waiting times for physiotherapy were long.", "access") in found
    assert not any(text == "The weather was cold." for text, _ in found)
    assert all(
        c.coder == ASSISTANT and c.origin is CodingOrigin.SUGGESTED and c.score for c in result.suggestions
    )
    quote = next(c for c in result.suggestions if c.text.startswith('"'))
    assert quote.kind is SpanKind.QUOTE and "key terms: listening" in quote.memo
    human = [c for c in coding_snapshot(studies).codings if c.origin is not CodingOrigin.SUGGESTED]
    assert len(human) == 2, "suggestions are stored apart from the people's coding"
    assert suggest(studies, second.id).suggestions == [], "suggesting again adds nothing new"
    with studies.unit_of_work(write=False) as uow:
        [event] = uow.events.list(types=["synthesis.codings_suggested"])
    assert sorted(event.payload["codings"]) == sorted(c.id for c in result.suggestions)


def test_similar_text_to_what_is_coded_is_suggested_without_key_terms(
    studies: Workspace, docs: tuple[Document, Document]
) -> None:
    first, _ = docs
    result = suggest(studies, first.id, min_score=0.1)
    similar = [c for c in result.suggestions if "like coding" in c.memo]
    assert similar, "TF-IDF similarity to the coded segments suggests codes"
    assert all(c.document_id == first.id for c in result.suggestions)
    coded = {(c.start, c.end) for c in coding_snapshot(studies).codings if c.coder == "alice"}
    assert not any((c.start, c.end) in coded for c in result.suggestions), "only uncoded segments"


def test_accepting_makes_a_coding_in_the_reviewer_s_name_and_rejecting_is_final(
    studies: Workspace, docs: tuple[Document, Document]
) -> None:
    _, second = docs
    suggestions = suggest(studies, second.id).suggestions
    take, drop = suggestions[0], suggestions[1]
    made = accept_suggestion(studies, take.id, reviewer="bob", kind="interpretation")
    assert (made.coder, made.origin, made.kind) == ("bob", CodingOrigin.HUMAN, SpanKind.INTERPRETATION)
    assert (made.start, made.end, made.code_id) == (take.start, take.end, take.code_id)
    reject_suggestion(studies, drop.id, reviewer="bob")
    active = {c.id for c in coding_snapshot(studies).codings}
    assert made.id in active and take.id not in active and drop.id not in active
    with pytest.raises(InvalidTransition, match=f"suggestion {take.id} was accepted already"):
        accept_suggestion(studies, take.id, reviewer="bob")
    with pytest.raises(InvalidTransition, match=f"coding {made.id} is bob's coding, not a suggestion"):
        reject_suggestion(studies, made.id, reviewer="bob")
    with pytest.raises(InvalidTransition, match="is a suggestion"):
        remove_coding(studies, suggestions[2].id)
    again = suggest(studies, second.id).suggestions
    assert not any((c.start, c.code_id) == (drop.start, drop.code_id) for c in again), (
        "a rejected one never returns"
    )
    with studies.unit_of_work(write=False) as uow:
        decided = [
            (e.payload["accepted"], e.actor) for e in uow.events.list(types=["synthesis.suggestion_decided"])
        ]
    assert decided == [(True, "tester"), (False, "tester")]


def test_the_assistant_is_measured_against_people_s_own_coding(
    studies: Workspace, docs: tuple[Document, Document]
) -> None:
    _, second = docs
    suggestions = suggest(studies, second.id).suggestions
    listened = next(c for c in suggestions if c.text == "Patients wanted to be listened to.")
    apply_code(studies, second.id, "listened to", segment=1, kind="interpretation", coder="carol")
    accept_suggestion(studies, listened.id, reviewer="bob")
    report = assistant_agreement(studies)
    assert (report.accepted, report.rejected, report.pending) == (1, 0, len(suggestions) - 1)
    pairs = {pair.second: pair for pair in report.pairs}
    assert set(pairs) == {"alice", "carol"}, "bob's only coding came from a suggestion: not his own"
    carol = pairs["carol"]
    row = next(r for r in carol.per_code if carol.code_names[r.code_id or 0] == "listened to")
    assert row.both == 1
    with pytest.raises(UserError, match="'assistant' is the name of the coding assistant"):
        accept_suggestion(studies, suggestions[-1].id, reviewer="assistant")


def test_nothing_to_suggest_without_codes_or_with_a_bad_setting(studies: Workspace) -> None:
    add_document(studies, "Cooper 2008", text=FINDINGS)
    with pytest.raises(UserError, match="there are no codes to suggest"):
        suggest(studies)
    with pytest.raises(UserError, match="--min-score 2 is not between 0 and 1"):
        suggest(studies, min_score=2)
    with pytest.raises(UserError, match="'magic' is not a suggestion method"):
        suggest(studies, method="magic")
