"""Deriving where a study's appraisal stands from the answers given. Pure.

Nothing here is stored: each question's status and final answer follow from the answers and the
mode, so re-answering can never leave a stale status behind.

* ``single``: the latest answer to each question counts.
* ``single-verified``: the study's first reviewer (whoever answered on it first) appraises; every
  answer waits for a second reviewer's check. A check that agrees makes the answer final, one that
  differs is a conflict.
* ``dual``: the first two reviewers appraise independently. Their answers are compared only when
  both have answered every question (until then each sees only their own: blind), and each
  question they answered differently is a conflict.

A consensus answer settles a conflict and overrides everything before it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from synthesist.appraisal.model import AnswerKind, AppraisalMode, QuestionStatus, StoredAnswer, StudyStatus

__all__ = ["AnswerPair", "QuestionState", "StudyAppraisal", "derive", "waiting_questions"]


@dataclass(frozen=True, slots=True)
class QuestionState:
    question: str
    status: QuestionStatus
    final: StoredAnswer | None = None  # the answer that counts, once final
    compared: tuple[StoredAnswer, ...] = ()  # the answers compared: first and check, or the two


@dataclass(frozen=True, slots=True)
class AnswerPair:
    """Two reviewers' answers to one question, before any consensus (for agreement)."""

    first: StoredAnswer
    second: StoredAnswer


@dataclass(frozen=True)
class StudyAppraisal:
    mode: AppraisalMode
    status: StudyStatus
    questions: dict[str, QuestionState]  # in checklist order
    reviewers: tuple[str, ...]  # who appraises: the first reviewer (and the second in dual mode)
    complete: frozenset[str]  # reviewers who answered every question
    answers: tuple[StoredAnswer, ...]  # every answer on the study's questions, oldest first

    @property
    def blind(self) -> bool:
        """Dual mode before both appraisals are complete: a reviewer sees only their own answers."""
        return self.mode is AppraisalMode.DUAL and not (
            len(self.reviewers) == 2 and self.complete >= set(self.reviewers)
        )

    def final_answers(self) -> dict[str, str]:
        """Question id -> the answer that counts, for the questions that have one."""
        return {q: state.final.answer for q, state in self.questions.items() if state.final is not None}

    def visible_to(self, viewer: str) -> list[StoredAnswer]:
        """The answers ``viewer`` may see: in blind dual appraisal only their own."""
        if not self.blind:
            return list(self.answers)
        return [answer for answer in self.answers if answer.reviewer == viewer]

    def conflicts(self) -> list[QuestionState]:
        return [state for state in self.questions.values() if state.status is QuestionStatus.CONFLICT]

    def pairs(self) -> list[AnswerPair]:
        """The two answers compared on each question (first and check, or the two reviewers')."""
        return [AnswerPair(*state.compared) for state in self.questions.values() if len(state.compared) == 2]


def _latest(answers: Iterable[StoredAnswer]) -> dict[tuple[str, str], StoredAnswer]:
    """(reviewer, question) -> that reviewer's latest answer to the question."""
    latest: dict[tuple[str, str], StoredAnswer] = {}
    for answer in sorted(answers, key=lambda a: a.id):
        latest[(answer.reviewer, answer.question)] = answer
    return latest


def _first_reviewers(answers: Sequence[StoredAnswer], how_many: int) -> tuple[str, ...]:
    order: list[str] = []
    for answer in sorted(answers, key=lambda a: a.id):
        if answer.kind is AnswerKind.APPRAISE and answer.reviewer not in order:
            order.append(answer.reviewer)
    return tuple(order[:how_many])


def derive(
    answers: Iterable[StoredAnswer],
    questions: Sequence[str],
    mode: AppraisalMode,
    *,
    needs_category: bool = False,
) -> StudyAppraisal:
    """The appraisal of one study from its answers (any order; answers to other questions, e.g. of
    a category no longer chosen, are left out) and the ids of the questions it must answer."""
    wanted = set(questions)
    mine = tuple(sorted((a for a in answers if a.question in wanted), key=lambda a: a.id))
    own = [a for a in mine if a.kind is AnswerKind.APPRAISE]
    reviewers = _first_reviewers(own, 2 if mode is AppraisalMode.DUAL else 1)
    latest_own = _latest(a for a in own if a.reviewer in reviewers or mode is AppraisalMode.SINGLE)
    checks = _latest(a for a in mine if a.kind is AnswerKind.VERIFY and a.reviewer not in reviewers[:1])
    consensus = {a.question: a for a in mine if a.kind is AnswerKind.CONSENSUS}  # the latest wins
    complete = frozenset(
        reviewer for reviewer in reviewers if all((reviewer, q) in latest_own for q in questions)
    )
    both_done = mode is AppraisalMode.DUAL and len(reviewers) == 2 and complete >= set(reviewers)

    states: dict[str, QuestionState] = {}
    for question in questions:
        if mode is AppraisalMode.SINGLE:
            given = [a for (_, q), a in latest_own.items() if q == question]
            latest = max(given, key=lambda a: a.id) if given else None
            found = QuestionStatus.FINAL if latest else QuestionStatus.UNANSWERED
            state = QuestionState(question, found, latest)
        elif mode is AppraisalMode.SINGLE_VERIFIED:
            state = _verified(question, reviewers, latest_own, checks)
        else:
            state = _dual(question, reviewers, latest_own, both_done)
        if question in consensus:
            # the answers compared stay: agreement is measured before consensus, not after it
            state = QuestionState(question, QuestionStatus.FINAL, consensus[question], state.compared)
        states[question] = state
    status = _study_status(mode, states, reviewers, complete, bool(mine), needs_category)
    return StudyAppraisal(mode, status, states, reviewers, complete, mine)


def _verified(
    question: str,
    reviewers: tuple[str, ...],
    latest_own: Mapping[tuple[str, str], StoredAnswer],
    checks: Mapping[tuple[str, str], StoredAnswer],
) -> QuestionState:
    first = latest_own.get((reviewers[0], question)) if reviewers else None
    if first is None:
        return QuestionState(question, QuestionStatus.UNANSWERED)
    given = [a for (_, q), a in checks.items() if q == question]
    if not given:
        return QuestionState(question, QuestionStatus.AWAITING_CHECK)
    check = max(given, key=lambda a: a.id)
    if check.answer == first.answer:
        return QuestionState(question, QuestionStatus.FINAL, first, (first, check))
    return QuestionState(question, QuestionStatus.CONFLICT, None, (first, check))


def _dual(
    question: str,
    reviewers: tuple[str, ...],
    latest_own: Mapping[tuple[str, str], StoredAnswer],
    both_done: bool,
) -> QuestionState:
    given = [latest_own[(r, question)] for r in reviewers if (r, question) in latest_own]
    if not given:
        return QuestionState(question, QuestionStatus.UNANSWERED)
    if not both_done:
        return QuestionState(question, QuestionStatus.AWAITING_SECOND)
    first, second = given
    if first.answer == second.answer:
        return QuestionState(question, QuestionStatus.FINAL, first, (first, second))
    return QuestionState(question, QuestionStatus.CONFLICT, None, (first, second))


def _study_status(
    mode: AppraisalMode,
    states: Mapping[str, QuestionState],
    reviewers: tuple[str, ...],
    complete: frozenset[str],
    any_answer: bool,
    needs_category: bool,
) -> StudyStatus:
    if needs_category:
        return StudyStatus.NEEDS_CATEGORY
    statuses = {state.status for state in states.values()}
    if statuses == {QuestionStatus.FINAL}:
        return StudyStatus.COMPLETE
    if not any_answer:
        return StudyStatus.NOT_STARTED
    if QuestionStatus.CONFLICT in statuses:
        return StudyStatus.CONFLICT
    if mode is AppraisalMode.DUAL:
        return StudyStatus.AWAITING_SECOND if complete else StudyStatus.IN_PROGRESS
    if QuestionStatus.UNANSWERED in statuses:
        return StudyStatus.IN_PROGRESS
    return StudyStatus.AWAITING_CHECK


def waiting_questions(appraisal: StudyAppraisal, reviewer: str) -> list[str]:
    """The questions of the study waiting for ``reviewer``: to answer (the first appraisal, or their
    own in dual mode) or, in single-verified mode, to check another reviewer's answer."""
    states = appraisal.questions
    if appraisal.status is StudyStatus.NEEDS_CATEGORY:
        return []
    if appraisal.mode is AppraisalMode.SINGLE:
        return [q for q, s in states.items() if s.status is QuestionStatus.UNANSWERED]
    if appraisal.mode is AppraisalMode.SINGLE_VERIFIED:
        first = appraisal.reviewers[0] if appraisal.reviewers else reviewer
        wanted = QuestionStatus.UNANSWERED if first == reviewer else QuestionStatus.AWAITING_CHECK
        return [q for q, s in states.items() if s.status is wanted]
    if len(appraisal.reviewers) == 2 and reviewer not in appraisal.reviewers:
        return []  # two others appraise this study
    answered = {
        a.question for a in appraisal.answers if a.reviewer == reviewer and a.kind is AnswerKind.APPRAISE
    }
    return [q for q in states if q not in answered]
