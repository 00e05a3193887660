"""Events of deduplication: matcher runs and reviewers' merges, splits and decisions."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

from synthesist.events.base import Event, event_type
from synthesist.wording import plural


@event_type
@dataclass(frozen=True, slots=True)
class DedupRan(Event):
    """``dedup run``: the matcher compared records and marked the certain duplicates."""

    type: ClassVar[str] = "dedup.run"
    run_id: int
    scope: str
    records_checked: int
    candidate_pairs: int
    duplicate_pairs: int
    possible_pairs: int
    groups_created: int
    groups_grown: int
    settings: dict[str, Any] = dataclasses.field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"deduplication run {self.run_id} ({self.scope} records): "
            f"{plural(self.records_checked, 'record')}, {plural(self.groups_created, 'new group')}, "
            f"{self.groups_grown} grown, {plural(self.possible_pairs, 'possible duplicate')} to review"
        )


@event_type
@dataclass(frozen=True, slots=True)
class DuplicatePairDecided(Event):
    """A reviewer confirmed or rejected a possible duplicate."""

    type: ClassVar[str] = "dedup.pair_decided"
    pair_id: int
    first: int
    second: int
    decision: str  # "confirmed" or "rejected"
    group_id: int | None = None
    note: str | None = None

    def summary(self) -> str:
        verb = "are duplicates" if self.decision == "confirmed" else "are not duplicates"
        group = f" (group {self.group_id})" if self.group_id else ""
        return f"records {self.first} and {self.second} {verb}{group}" + (
            f": {self.note}" if self.note else ""
        )


@event_type
@dataclass(frozen=True, slots=True)
class DuplicatesMerged(Event):
    """A reviewer marked records as duplicates by hand (``dedup merge``)."""

    type: ClassVar[str] = "dedup.merged"
    group_id: int
    record_ids: list[int]
    primary_id: int
    note: str | None = None

    def summary(self) -> str:
        ids = ", ".join(str(record_id) for record_id in self.record_ids)
        return f"merged records {ids} into group {self.group_id} (primary {self.primary_id})"


@event_type
@dataclass(frozen=True, slots=True)
class DuplicateGroupSplit(Event):
    """Records taken out of a group; they are distinct from the records left in it."""

    type: ClassVar[str] = "dedup.split"
    group_id: int
    record_ids: list[int]
    primary_id: int | None  # None when the group was dissolved
    note: str | None = None

    def summary(self) -> str:
        ids = ", ".join(str(record_id) for record_id in self.record_ids)
        left = f"primary {self.primary_id}" if self.primary_id is not None else "group dissolved"
        return f"split records {ids} from group {self.group_id} ({left})"


@event_type
@dataclass(frozen=True, slots=True)
class DuplicateGroupUndone(Event):
    """A merge reversed: the group is dissolved and its records are unique again."""

    type: ClassVar[str] = "dedup.undone"
    group_id: int
    member_ids: list[int]
    primary_id: int
    origin: str
    note: str | None = None

    def summary(self) -> str:
        ids = ", ".join(str(record_id) for record_id in self.member_ids)
        return f"undid duplicate group {self.group_id} (records {ids} are distinct again)"


@event_type
@dataclass(frozen=True, slots=True)
class DuplicatePrimaryChanged(Event):
    type: ClassVar[str] = "dedup.primary_changed"
    group_id: int
    old_primary_id: int
    new_primary_id: int

    def summary(self) -> str:
        return (
            f"group {self.group_id}: primary record is now {self.new_primary_id} (was {self.old_primary_id})"
        )
