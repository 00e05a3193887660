"""Events of GRADE-CERQual: review findings, their contributing studies and assessments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from synthesist.events.base import Event, event_type


@event_type
@dataclass(frozen=True, slots=True)
class CerqualFindingAdded(Event):
    type: ClassVar[str] = "cerqual.finding_added"
    finding_id: int
    number: int
    statement: str
    themes: list[str]

    def summary(self) -> str:
        themes = ", ".join(self.themes) or "no themes"
        return f"review finding F{self.number} added ({themes}): {self.statement!r}"


@event_type
@dataclass(frozen=True, slots=True)
class CerqualFindingChanged(Event):
    """A finding's statement, themes or entered participants changed: ``changes`` maps each to [old, new]."""

    type: ClassVar[str] = "cerqual.finding_changed"
    finding_id: int
    number: int
    changes: dict[str, list[Any]]

    def summary(self) -> str:
        return f"review finding F{self.number}: " + "; ".join(
            f"{key} {old!r} -> {new!r}" for key, (old, new) in self.changes.items()
        )


@event_type
@dataclass(frozen=True, slots=True)
class CerqualStudyCorrected(Event):
    """A study added to or removed from a finding's contributing studies (``include``), or such a
    correction withdrawn (``include`` None: the coding decides again)."""

    type: ClassVar[str] = "cerqual.study_corrected"
    finding_id: int
    number: int
    study_id: int
    study: str
    include: bool | None
    note: str = ""

    def summary(self) -> str:
        verb = {True: "added to", False: "removed from", None: "back as the coding says for"}[self.include]
        why = f" ({self.note})" if self.note else ""
        return f"study {self.study!r} {verb} review finding F{self.number}{why}"


@event_type
@dataclass(frozen=True, slots=True)
class CerqualComponentAssessed(Event):
    type: ClassVar[str] = "cerqual.component_assessed"
    finding_id: int
    number: int
    component: str
    concern: str
    explanation: str
    previous: str | None = None  # the concern assessed before, if any
    suggested: str | None = None  # Synthesist's suggestion at the time, if it made one

    def summary(self) -> str:
        was = f" (was {self.previous})" if self.previous else ""
        return f"F{self.number} {self.component}: {self.concern} concerns{was}"


@event_type
@dataclass(frozen=True, slots=True)
class CerqualConfidenceSet(Event):
    type: ClassVar[str] = "cerqual.confidence_set"
    finding_id: int
    number: int
    confidence: str | None
    explanation: str
    previous: str | None = None
    suggested: str | None = None  # Synthesist's suggestion at the time, if it made one

    def summary(self) -> str:
        level = self.confidence or "not assessed"
        was = f" (was {self.previous})" if self.previous else ""
        return f"F{self.number}: {level} confidence{was}"
