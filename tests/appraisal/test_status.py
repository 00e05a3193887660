"""Where a study's appraisal stands, derived from its answers (pure): single, single-verified, dual."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import count

from synthesist.appraisal.model import AnswerKind, AppraisalMode, QuestionStatus, StoredAnswer, StudyStatus
from synthesist.appraisal.status import derive, waiting_questions

QUESTIONS = ["1", "2", "3"]
_ids = count(1)
A, V, C = AnswerKind.APPRAISE, AnswerKind.VERIFY, AnswerKind.CONSENSUS


def answer(question: str, reviewer: str, value: str, kind: AnswerKind = A) -> StoredAnswer:
    return StoredAnswer(
        next(_ids), 1, "casp-qualitative", question, reviewer, value, kind, datetime(2024, 1, 1, tzinfo=UTC)
    )


def statuses(appraisal: object) -> list[str]:
    return [state.status.value for state in appraisal.questions.values()]  # type: ignore[attr-defined]


def test_single_the_latest_answer_counts() -> None:
    answers = [answer("1", "alice", "yes"), answer("2", "alice", "no"), answer("1", "bob", "cant_tell")]
    found = derive(answers, QUESTIONS, AppraisalMode.SINGLE)
    assert found.final_answers() == {"1": "cant_tell", "2": "no"}
    assert found.status is StudyStatus.IN_PROGRESS
    assert waiting_questions(found, "carol") == ["3"]
    done = derive([*answers, answer("3", "alice", "yes")], QUESTIONS, AppraisalMode.SINGLE)
    assert done.status is StudyStatus.COMPLETE and not done.blind


def test_nothing_answered_is_not_started_and_a_missing_category_comes_first() -> None:
    assert derive([], QUESTIONS, AppraisalMode.DUAL).status is StudyStatus.NOT_STARTED
    waiting = derive([], QUESTIONS, AppraisalMode.SINGLE, needs_category=True)
    assert waiting.status is StudyStatus.NEEDS_CATEGORY and waiting_questions(waiting, "alice") == []


def test_single_verified_waits_for_a_check_and_a_different_check_is_a_conflict() -> None:
    first = [answer(q, "alice", "yes") for q in QUESTIONS]
    found = derive(first, QUESTIONS, AppraisalMode.SINGLE_VERIFIED)
    assert found.status is StudyStatus.AWAITING_CHECK and found.final_answers() == {}
    assert waiting_questions(found, "alice") == [] and waiting_questions(found, "bob") == QUESTIONS

    checks = [answer("1", "bob", "yes", V), answer("2", "bob", "no", V)]
    found = derive([*first, *checks], QUESTIONS, AppraisalMode.SINGLE_VERIFIED)
    assert statuses(found) == ["final", "conflict", "awaiting check"]
    assert found.status is StudyStatus.CONFLICT
    assert [(p.first.answer, p.second.answer) for p in found.pairs()] == [("yes", "yes"), ("yes", "no")]

    settled = [*first, *checks, answer("3", "bob", "yes", V), answer("2", "alice & bob", "cant_tell", C)]
    found = derive(settled, QUESTIONS, AppraisalMode.SINGLE_VERIFIED)
    assert found.status is StudyStatus.COMPLETE
    assert found.final_answers() == {"1": "yes", "2": "cant_tell", "3": "yes"}
    assert [(p.first.answer, p.second.answer) for p in found.pairs()] == [
        ("yes", "yes"),
        ("yes", "no"),
        ("yes", "yes"),
    ], "agreement counts the answers as given, before the consensus"


def test_single_verified_a_first_appraisal_not_finished_is_in_progress() -> None:
    found = derive([answer("1", "alice", "yes")], QUESTIONS, AppraisalMode.SINGLE_VERIFIED)
    assert found.status is StudyStatus.IN_PROGRESS
    assert waiting_questions(found, "alice") == ["2", "3"] and waiting_questions(found, "bob") == ["1"]


def test_dual_is_blind_until_both_are_complete_then_compares() -> None:
    alice = [answer(q, "alice", v) for q, v in zip(QUESTIONS, ["yes", "no", "yes"], strict=True)]
    bob = [answer("1", "bob", "yes"), answer("2", "bob", "yes")]
    found = derive([*alice, *bob], QUESTIONS, AppraisalMode.DUAL)
    assert found.blind and found.status is StudyStatus.AWAITING_SECOND
    assert statuses(found) == ["awaiting second reviewer"] * 3, "no conflict shows before both are done"
    assert [a.reviewer for a in found.visible_to("bob")] == ["bob", "bob"]
    assert waiting_questions(found, "bob") == ["3"] and waiting_questions(found, "carol") == []

    found = derive([*alice, *bob, answer("3", "bob", "yes")], QUESTIONS, AppraisalMode.DUAL)
    assert not found.blind and len(found.visible_to("bob")) == 6
    assert statuses(found) == ["final", "conflict", "final"] and found.status is StudyStatus.CONFLICT
    assert found.reviewers == ("alice", "bob") and found.complete == {"alice", "bob"}


def test_dual_a_third_reviewer_is_not_counted() -> None:
    answers = [answer(q, r, "yes") for r in ("alice", "bob", "carol") for q in QUESTIONS]
    found = derive([*answers, answer("1", "carol", "no")], QUESTIONS, AppraisalMode.DUAL)
    assert found.status is StudyStatus.COMPLETE and found.reviewers == ("alice", "bob")


def test_answers_to_questions_not_asked_are_left_out() -> None:
    found = derive([answer("9", "alice", "no"), answer("1", "alice", "yes")], ["1"], AppraisalMode.SINGLE)
    assert found.status is StudyStatus.COMPLETE and [a.question for a in found.answers] == ["1"]
    assert found.questions["1"].status is QuestionStatus.FINAL
