"""Events of data extraction: values set, imported, checked, flagged and agreed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from synthesist.events.base import Event, event_type
from synthesist.wording import plural

# A value's text is left out of the one-line summaries: it can be a page long, and in dual
# extraction the other reviewer must not read it in the log before the comparison.


@event_type
@dataclass(frozen=True, slots=True)
class ExtractionValueSet(Event):
    """A reviewer's value of one field of a study set (``value`` None: cleared)."""

    type: ClassVar[str] = "extraction.value_set"
    study_id: int
    study: str
    field: str
    reviewer: str
    value: str | None
    previous: str | None = None
    source: str = "entered"

    def summary(self) -> str:
        verb = "cleared" if self.value is None else ("corrected" if self.source == "corrected" else "set")
        return f"{self.reviewer} {verb} {self.field} of study {self.study_id} {self.study!r}"


@event_type
@dataclass(frozen=True, slots=True)
class ExtractionImported(Event):
    """Values imported from a CSV file as one reviewer's (``values``: study_id, field, value)."""

    type: ClassVar[str] = "extraction.imported"
    file_name: str
    file_sha256: str
    reviewer: str
    layout: str  # "wide" (a column per field) or "long" (study, field, value)
    studies: int
    values: list[dict[str, Any]]

    def summary(self) -> str:
        return (
            f"{self.reviewer} imported {plural(len(self.values), 'value')} for "
            f"{plural(self.studies, 'study', 'studies')} from {self.file_name}"
        )


@event_type
@dataclass(frozen=True, slots=True)
class ExtractionCompleted(Event):
    """A reviewer marked a study's extraction complete (role extractor) or checked it (verifier)."""

    type: ClassVar[str] = "extraction.completed"
    study_id: int
    study: str
    reviewer: str
    role: str

    def summary(self) -> str:
        done = "checked the extraction of" if self.role == "verifier" else "completed the extraction of"
        return f"{self.reviewer} {done} study {self.study_id} {self.study!r}"


@event_type
@dataclass(frozen=True, slots=True)
class ExtractionFlagged(Event):
    """A verifier queried one field of a study's extraction."""

    type: ClassVar[str] = "extraction.flagged"
    flag_id: int
    study_id: int
    study: str
    field: str
    note: str
    suggested_value: str | None = None

    def summary(self) -> str:
        return f"flagged {self.field} of study {self.study_id} {self.study!r}: {self.note}"


@event_type
@dataclass(frozen=True, slots=True)
class ExtractionFlagResolved(Event):
    """A verifier's flag resolved: the value corrected (``value``) or kept (``note`` says why)."""

    type: ClassVar[str] = "extraction.flag_resolved"
    flag_id: int
    study_id: int
    study: str
    field: str
    resolution: str
    value: str | None = None
    note: str | None = None

    def summary(self) -> str:
        why = f": {self.note}" if self.note else ""
        where = f"{self.field} of study {self.study_id} {self.study!r}"
        return f"flag {self.flag_id} on {where}: value {self.resolution}{why}"


@event_type
@dataclass(frozen=True, slots=True)
class ExtractionConsensus(Event):
    """The agreed value of a field two extractions disagreed on, with what each reviewer had."""

    type: ClassVar[str] = "extraction.consensus"
    study_id: int
    study: str
    field: str
    value: str
    values: dict[str, str | None]
    note: str | None = None

    def summary(self) -> str:
        who = " and ".join(self.values)
        return f"consensus on {self.field} of study {self.study_id} {self.study!r} (values of {who})"
