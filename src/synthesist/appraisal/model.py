"""Appraisal's domain: answers as given, and where a study's appraisal stands. Pure data.

Answers are kept as they were given: answering a question again adds an answer, and the latest one
of each reviewer counts. What is final, what is in conflict and what waits for whom is *derived*
from the answers and the protocol's mode (:mod:`synthesist.appraisal.status`), like screening's
status, so it never goes stale.

Answers belong to a study (``studies.id``): a record that is a study of its own is given its row
in ``studies`` when it is first appraised (:func:`synthesist.services.fulltext.study_refs.stored_study_id`),
as extraction does, so appraisal and extraction name studies alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

__all__ = [
    "AnswerKind",
    "AppraisalMode",
    "NewAnswer",
    "QuestionStatus",
    "StoredAnswer",
    "StudyCategory",
    "StudyStatus",
]


class AppraisalMode(StrEnum):
    SINGLE = "single"
    SINGLE_VERIFIED = "single-verified"  # a second reviewer checks every answer of the first
    DUAL = "dual"  # two reviewers appraise independently (blind), conflicts go to consensus


class AnswerKind(StrEnum):
    APPRAISE = "appraise"  # a reviewer's own answer (the first, or one of two in dual mode)
    VERIFY = "verify"  # single-verified: a second reviewer's check of the first one's answer
    CONSENSUS = "consensus"  # the team's answer to a question in conflict


@dataclass(frozen=True, slots=True)
class NewAnswer:
    study_id: int
    checklist: str
    question: str
    reviewer: str
    answer: str
    kind: AnswerKind = AnswerKind.APPRAISE
    comment: str | None = None
    quote: str | None = None
    page: int | None = None
    participants: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    id: int
    study_id: int
    checklist: str
    question: str
    reviewer: str
    answer: str
    kind: AnswerKind
    answered_at: datetime
    comment: str | None = None
    quote: str | None = None
    page: int | None = None
    participants: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class StudyCategory:
    """The category of a checklist with alternatives (MMAT's study designs) chosen for a study."""

    study_id: int
    checklist: str
    category: str
    chosen_by: str
    chosen_at: datetime


class QuestionStatus(StrEnum):
    UNANSWERED = "unanswered"
    AWAITING_CHECK = "awaiting check"  # single-verified: answered, not checked yet
    AWAITING_SECOND = "awaiting second reviewer"  # dual: not both appraisals complete yet (blind)
    CONFLICT = "conflict"  # the two answers differ; a consensus answer settles it
    FINAL = "final"

    @property
    def final(self) -> bool:
        return self is QuestionStatus.FINAL


class StudyStatus(StrEnum):
    """Where a study's appraisal stands, from its questions' statuses."""

    NEEDS_CATEGORY = "category to choose"  # the checklist has alternatives and none is chosen
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"  # the (first) appraisal is not complete
    AWAITING_CHECK = "awaiting check"
    AWAITING_SECOND = "awaiting second reviewer"
    CONFLICT = "conflict"
    COMPLETE = "complete"  # every question has a final answer
