"""Events of screening: decisions, undos, seed studies and the stopping rule's verdict."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import ClassVar

from synthesist.events.base import Event, event_type
from synthesist.wording import plural


@event_type
@dataclass(frozen=True, slots=True)
class ScreeningDecided(Event):
    """A reviewer's decision on a record at a stage (kind: screen, verify or consensus)."""

    type: ClassVar[str] = "screening.decided"
    decision_id: int
    record_id: int
    stage: str
    reviewer: str
    vote: str
    kind: str
    reason: str | None = None
    note: str | None = None
    labels: list[str] = dataclasses.field(default_factory=list)
    participants: list[str] = dataclasses.field(default_factory=list)

    def summary(self) -> str:
        who = self.reviewer if self.kind != "consensus" else f"consensus of {', '.join(self.participants)}"
        reason = f" ({self.reason})" if self.reason else ""
        check = " as a check" if self.kind == "verify" else ""
        return f"{who}: {self.vote} record {self.record_id} at {self.stage}{check}{reason}"


@event_type
@dataclass(frozen=True, slots=True)
class ScreeningDecisionUndone(Event):
    type: ClassVar[str] = "screening.undone"
    decision_id: int
    record_id: int
    stage: str
    reviewer: str
    vote: str

    def summary(self) -> str:
        return f"undid {self.reviewer}'s {self.vote} on record {self.record_id} at {self.stage}"


@event_type
@dataclass(frozen=True, slots=True)
class ScreeningSeedAdded(Event):
    """A record marked as a seed study: known to be relevant, so the ranking treats it as such (it is
    not a screening decision)."""

    type: ClassVar[str] = "screening.seed_added"
    record_id: int
    note: str | None = None

    def summary(self) -> str:
        return f"marked record {self.record_id} as a seed study" + (f": {self.note}" if self.note else "")


@event_type
@dataclass(frozen=True, slots=True)
class ScreeningSeedRemoved(Event):
    type: ClassVar[str] = "screening.seed_removed"
    record_id: int

    def summary(self) -> str:
        return f"record {self.record_id} is no longer a seed study"


@event_type
@dataclass(frozen=True, slots=True)
class ScreeningStopRecorded(Event):
    """The team stopped title/abstract screening on a stopping rule's word (quoted in the report)."""

    type: ClassVar[str] = "screening.stop_recorded"
    rule: str
    screened: int
    pool: int
    relevant_found: int
    verdict: str
    assumes: str
    estimated_recall: float | None = None
    target_recall: float | None = None
    confidence: float | None = None

    def summary(self) -> str:
        return (
            f"stopped title/abstract screening by the {self.rule} rule "
            f"after {self.screened} of {plural(self.pool, 'record')}"
        )


@event_type
@dataclass(frozen=True, slots=True)
class ScreeningRankingTrained(Event):
    """The team's screening model trained and its ranking stored as a new version: every reviewer's
    next record at the stage comes from it until the next one (services/screening/ranking_store.py).
    ``decisions``: the labelled records it learnt from; ``phase``: model, seeds or cold."""

    type: ClassVar[str] = "screening.ranked"
    model_id: int
    stage: str
    version: int
    model: str
    decisions: int
    records: int
    phase: str

    def summary(self) -> str:
        return (
            f"ranked {plural(self.records, 'record')} at {self.stage} "
            f"(version {self.version}, {self.model}, learnt from {plural(self.decisions, 'label')})"
        )
