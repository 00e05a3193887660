"""Screening's domain: stages, votes, decisions, and the record's state machine. Pure data.

A record goes through two stages, title/abstract then full text (PRISMA 2020: records screened,
reports assessed). Reviewers' decisions are kept as they were made (undoing one marks it undone; it
is never deleted), and the record's state at each stage is *derived* from the active decisions and
the stage's mode (:mod:`synthesist.screening.status`). The transition table below says which states
allow each action; anything else raises :class:`~synthesist.errors.InvalidTransition` naming both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

__all__ = [
    "ACTIONS",
    "Action",
    "DecisionKind",
    "NewDecision",
    "RecordState",
    "ScreeningDecision",
    "SeedStudy",
    "Stage",
    "StageStatus",
    "Vote",
]


class Stage(StrEnum):
    TITLE_ABSTRACT = "title-abstract"
    FULL_TEXT = "full-text"

    @property
    def label(self) -> str:
        return "title and abstract" if self is Stage.TITLE_ABSTRACT else "full text"


class Vote(StrEnum):
    INCLUDE = "include"
    EXCLUDE = "exclude"
    MAYBE = "maybe"


class DecisionKind(StrEnum):
    SCREEN = "screen"  # a reviewer's own decision (the first, or one of two in dual mode)
    VERIFY = "verify"  # single-verified: a second reviewer checking the first one's decision
    CONSENSUS = "consensus"  # the team's decision on a conflict


class StageStatus(StrEnum):
    """Where a record stands at one stage."""

    NOT_OPEN = "not open"  # the stage is not open for it (a duplicate, or excluded earlier)
    TO_SCREEN = "to screen"  # no decision yet
    AWAITING_SECOND = "awaiting second reviewer"  # dual: one decision of two
    AWAITING_CHECK = "awaiting check"  # single-verified: decided, in the sample, not checked yet
    UNDECIDED = "undecided"  # only "maybe" at full text, where a record must be in or out
    CONFLICT = "conflict"  # reviewers disagree; a consensus decision settles it
    INCLUDED = "included"
    EXCLUDED = "excluded"

    @property
    def final(self) -> bool:
        return self in (StageStatus.INCLUDED, StageStatus.EXCLUDED)


class RecordState(StrEnum):
    """The record's place in the whole flow (the PRISMA 2020 boxes)."""

    DUPLICATE = "duplicate"  # removed before screening
    TITLE_ABSTRACT = "title/abstract screening"
    EXCLUDED_TITLE_ABSTRACT = "excluded at title/abstract"
    SOUGHT = "full text sought"  # included at title/abstract, no report yet
    NOT_RETRIEVED = "full text not retrieved"
    FULL_TEXT = "full-text assessment"
    EXCLUDED_FULL_TEXT = "excluded at full text"
    INCLUDED = "included"


class Action(StrEnum):
    DECIDE_TITLE_ABSTRACT = "decide at title/abstract"
    DECIDE_FULL_TEXT = "decide at full text"


# The transition table: the states a record may be in for each action. Deciding again on a record
# that a decision already moved on (e.g. re-deciding an exclusion) is allowed; undoing a decision
# moves the record back to where it was before it.
ACTIONS: dict[Action, frozenset[RecordState]] = {
    Action.DECIDE_TITLE_ABSTRACT: frozenset(
        {RecordState.TITLE_ABSTRACT, RecordState.EXCLUDED_TITLE_ABSTRACT, RecordState.SOUGHT}
    ),
    Action.DECIDE_FULL_TEXT: frozenset(
        {RecordState.SOUGHT, RecordState.FULL_TEXT, RecordState.EXCLUDED_FULL_TEXT, RecordState.INCLUDED}
    ),
}


@dataclass(frozen=True, slots=True)
class NewDecision:
    record_id: int
    stage: Stage
    reviewer: str
    vote: Vote
    kind: DecisionKind = DecisionKind.SCREEN
    reason: str | None = None  # exclusion reason (required to exclude at full text)
    note: str | None = None
    labels: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()  # consensus: who took part


@dataclass(frozen=True, slots=True)
class ScreeningDecision:
    id: int
    record_id: int
    stage: Stage
    reviewer: str
    vote: Vote
    kind: DecisionKind
    decided_at: datetime
    reason: str | None = None
    note: str | None = None
    labels: tuple[str, ...] = field(default=())
    participants: tuple[str, ...] = field(default=())
    undone_at: datetime | None = None
    undone_by: str | None = None

    @property
    def active(self) -> bool:
        return self.undone_at is None


@dataclass(frozen=True, slots=True)
class SeedStudy:
    """A record the team knows is relevant before screening (e.g. from the protocol's scoping). The
    ranking treats it as relevant; it is not a decision, and the record is still screened."""

    record_id: int
    added_by: str
    added_at: datetime
    note: str | None = None
