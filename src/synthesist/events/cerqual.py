"""Events of GRADE-CERQual, the conceptual model and REFI-QDA imports (re-exported by synthesist.events)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

from synthesist.events import Event, event_type
from synthesist.wording import plural

# GRADE-CERQual findings, the conceptual model and REFI-QDA imports.


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


@event_type
@dataclass(frozen=True, slots=True)
class ModelOutcomeChanged(Event):
    """An outcome node of the conceptual model added or removed."""

    type: ClassVar[str] = "model.outcome_changed"
    outcome_id: int
    name: str
    added: bool
    description: str = ""

    def summary(self) -> str:
        return f"model outcome {self.name!r} {'added' if self.added else 'removed'}"


@event_type
@dataclass(frozen=True, slots=True)
class ModelLinkChanged(Event):
    """A link of the conceptual model added or removed."""

    type: ClassVar[str] = "model.link_changed"
    link_id: int
    source: str
    target: str
    relation: str
    added: bool
    label: str = ""

    def summary(self) -> str:
        verb = "added" if self.added else "removed"
        return f"model link {self.link_id} {verb}: {self.source} {self.relation} {self.target}"


@event_type
@dataclass(frozen=True, slots=True)
class ModelLoaded(Event):
    """The conceptual model replaced by a model file's."""

    type: ClassVar[str] = "model.loaded"
    file: str
    sha256: str
    outcomes: int
    links: int
    replaced_links: int

    def summary(self) -> str:
        return (
            f"model loaded from {self.file}: {plural(self.outcomes, 'outcome')}, {plural(self.links, 'link')}"
        )


@event_type
@dataclass(frozen=True, slots=True)
class RefiQdaImported(Event):
    """A REFI-QDA codebook (.qdc) or project (.qdpx) imported: what it added (what the project had
    already is reused, not repeated)."""

    type: ClassVar[str] = "synthesis.refi_qda_imported"
    file: str
    sha256: str
    format: str  # "qdc" or "qdpx"
    themes: list[str]
    codes: list[str]
    documents: list[int]
    codings: list[int]
    notes: list[str] = dataclasses.field(default_factory=list)

    def summary(self) -> str:
        return (
            f"imported {self.file}: {plural(len(self.themes), 'theme')}, {plural(len(self.codes), 'code')}, "
            f"{plural(len(self.documents), 'document')}, {plural(len(self.codings), 'coding')} added"
        )
