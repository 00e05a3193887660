"""Events of the conceptual model: outcomes and links changed, a model file loaded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from synthesist.events.base import Event, event_type
from synthesist.wording import plural


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
