"""Data extraction as stored: values per reviewer, consensus values, verifiers' flags and who marked
a study complete (pure data, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = [
    "Completion",
    "ConsensusValue",
    "ExtractedValue",
    "Flag",
    "Resolution",
    "Role",
    "ValueSource",
]


class Role(StrEnum):
    EXTRACTOR = "extractor"
    VERIFIER = "verifier"


class ValueSource(StrEnum):
    ENTERED = "entered"  # typed at the terminal or with `extract set`
    IMPORTED = "imported"  # from a CSV file
    CORRECTED = "corrected"  # changed to resolve a verifier's flag


class Resolution(StrEnum):
    CORRECTED = "corrected"  # the value was changed
    KEPT = "kept"  # the value stands; the note says why


@dataclass(frozen=True, slots=True)
class ExtractedValue:
    """One reviewer's current value of one field for one study (canonical text, see values.py)."""

    study_id: int
    field: str
    reviewer: str
    value: str
    source: ValueSource
    entered_at: datetime


@dataclass(frozen=True, slots=True)
class ConsensusValue:
    """The agreed value of a field after two extractions differed."""

    study_id: int
    field: str
    value: str
    resolved_by: str
    resolved_at: datetime
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Flag:
    """A verifier's query on one field; open until the extractor corrects or keeps the value."""

    id: int
    study_id: int
    field: str
    flagged_by: str
    flagged_at: datetime
    note: str
    suggested_value: str | None = None
    resolved_by: str | None = None
    resolved_at: datetime | None = None
    resolution: Resolution | None = None

    @property
    def open(self) -> bool:
        return self.resolved_at is None


@dataclass(frozen=True, slots=True)
class Completion:
    """A reviewer marked a study's extraction complete (as extractor) or checked (as verifier)."""

    study_id: int
    reviewer: str
    role: Role
    completed_at: datetime
