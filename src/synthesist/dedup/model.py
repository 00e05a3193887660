"""Deduplication's domain objects: pure data, no I/O.

A *pair verdict* is what the matcher says about two records. A *duplicate group* is a set of records
that are the same publication: exactly one member is the group's primary record, every other member
is a duplicate of it. Because membership is "record -> group" (one group per record at most) and the
group names its one primary, ``duplicate_of`` is always the primary itself: chains and cycles cannot
be expressed, let alone stored (STYLE.md habit 7). No record is ever deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

__all__ = [
    "DedupRun",
    "DuplicateGroup",
    "FilledField",
    "GroupOrigin",
    "NewDedupRun",
    "Outcome",
    "PairStatus",
    "PairVerdict",
    "StoredPair",
]


class Outcome(StrEnum):
    """The matcher's three answers."""

    DUPLICATE = "duplicate"
    POSSIBLE = "possible"  # goes to the review queue
    DISTINCT = "distinct"


class PairStatus(StrEnum):
    """Where a stored pair stands. ``auto``: merged by the rules; ``pending``: waiting in the review
    queue; ``confirmed`` / ``rejected``: a reviewer decided (a rejected pair is never merged again)."""

    AUTO = "auto"
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class GroupOrigin(StrEnum):
    AUTO = "auto"  # formed by `dedup run`
    REVIEW = "review"  # formed or grown by a reviewer confirming a possible duplicate
    MANUAL = "manual"  # `dedup merge`


@dataclass(frozen=True, slots=True)
class PairVerdict:
    """The matcher's verdict on two records; ``first < second`` always."""

    first: int
    second: int
    outcome: Outcome
    score: float  # 0..1, how alike the two records are
    reasons: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.first >= self.second:
            raise ValueError(f"pair must be ordered and distinct: {self.first}, {self.second}")


@dataclass(frozen=True, slots=True)
class StoredPair:
    id: int
    first: int
    second: int
    outcome: Outcome
    score: float
    reasons: tuple[str, ...]
    status: PairStatus
    run_id: int | None
    decided_by: str | None = None
    decided_at: datetime | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class FilledField:
    """A gap in the primary record filled from another member: the value and where it came from."""

    value: Any
    record_id: int


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    id: int
    primary_id: int
    member_ids: tuple[int, ...]  # every member, the primary included, in id order
    origin: GroupOrigin
    run_id: int | None
    created_by: str
    created_at: datetime
    filled: dict[str, FilledField] = field(default_factory=dict)

    @property
    def duplicate_ids(self) -> tuple[int, ...]:
        return tuple(member for member in self.member_ids if member != self.primary_id)


@dataclass(frozen=True, slots=True)
class NewDedupRun:
    scope: str  # "all" or "new"
    started_by: str
    settings: dict[str, Any]


@dataclass(frozen=True, slots=True)
class DedupRun:
    id: int
    scope: str
    started_by: str
    started_at: datetime
    settings: dict[str, Any]
    max_record_id: int  # records with a higher id are "new" for the next incremental run
    records_checked: int
    candidate_pairs: int
    duplicate_pairs: int
    possible_pairs: int
    groups_created: int
    groups_grown: int
    seconds: float
