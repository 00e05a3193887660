"""A reviewer's part in deduplication: the review queue, confirming and rejecting possible
duplicates, merging by hand, splitting a group, undoing a merge, choosing a group's primary.

Every action is one transaction with its event. Rejections are remembered: a pair a reviewer called
distinct (directly, by a split, or by undoing a merge) is never merged again by a later run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from synthesist.dedup.merge import choose_primary, fill_gaps, merged_record
from synthesist.dedup.model import (
    DuplicateGroup,
    GroupOrigin,
    Outcome,
    PairStatus,
    PairVerdict,
    StoredPair,
)
from synthesist.errors import Conflict, NotFound, UserError
from synthesist.events import (
    DuplicateGroupSplit,
    DuplicateGroupUndone,
    DuplicatePairDecided,
    DuplicatePrimaryChanged,
    DuplicatesMerged,
)
from synthesist.ports import UnitOfWork
from synthesist.records.model import CANONICAL_FIELDS, Record
from synthesist.records.stored import StoredRecord
from synthesist.workspace import Workspace

__all__ = [
    "GroupView",
    "PairView",
    "decide_pair",
    "differing_fields",
    "find_group_of",
    "group_for_record",
    "list_groups",
    "list_pairs",
    "merge_records",
    "review_queue",
    "review_queue_in",
    "set_group_primary",
    "show_group",
    "split_group",
    "undo_group",
]

Decision = Literal["confirm", "reject"]
_HUMAN = "reviewer"


@dataclass(frozen=True)
class PairView:
    pair: StoredPair
    first: StoredRecord
    second: StoredRecord
    differences: tuple[str, ...]  # canonical fields whose values differ


@dataclass(frozen=True)
class GroupView:
    group: DuplicateGroup
    records: dict[int, StoredRecord]
    merged: Record  # the primary with its gaps filled from the others


def differing_fields(first: Record, second: Record) -> tuple[str, ...]:
    a, b = first.canonical(), second.canonical()
    return tuple(name for name in CANONICAL_FIELDS if a[name] != b[name] and name != "source_record_id")


def review_queue(workspace: Workspace, *, limit: int | None = None) -> list[PairView]:
    """Possible duplicates waiting for a reviewer, most alike first; pairs whose records have since
    ended up in one group are left out (nothing left to decide)."""
    with workspace.unit_of_work(write=False) as uow:
        return review_queue_in(uow, limit=limit)


def review_queue_in(uow: UnitOfWork, *, limit: int | None = None) -> list[PairView]:
    """:func:`review_queue` inside a unit of work the caller already has open."""
    pending = uow.dedup.pairs(status=PairStatus.PENDING)
    membership = uow.dedup.membership()
    open_pairs = [
        pair
        for pair in sorted(pending, key=lambda p: (-p.score, p.id))
        if not _same_group(membership, pair.first, pair.second)
    ][:limit]
    records = uow.records.get_many({i for pair in open_pairs for i in (pair.first, pair.second)})
    return [
        PairView(pair, records[pair.first], records[pair.second],
                 differing_fields(records[pair.first].record, records[pair.second].record))
        for pair in open_pairs
    ]  # fmt: skip


def list_pairs(workspace: Workspace, *, status: PairStatus | None = None) -> list[StoredPair]:
    with workspace.unit_of_work(write=False) as uow:
        return uow.dedup.pairs(status=status)


def _same_group(membership: dict[int, tuple[int, bool]], first: int, second: int) -> bool:
    return first in membership and second in membership and membership[first][0] == membership[second][0]


def decide_pair(
    workspace: Workspace, pair_id: int, decision: Decision, *, note: str | None = None
) -> int | None:
    """Confirm (the two records are duplicates: their groups are joined) or reject a pair.
    Returns the group both records are in after a confirmation."""
    if decision not in ("confirm", "reject"):
        raise UserError(f"unknown decision {decision!r}", hint='Use "confirm" or "reject".')
    with workspace.unit_of_work() as uow:
        pair = uow.dedup.get_pair(pair_id)
        if pair.status in (PairStatus.CONFIRMED, PairStatus.REJECTED):
            raise Conflict(
                f"pair {pair_id} was already {pair.status.value} by {pair.decided_by}",
                hint="`synthesist dedup undo GROUP` reverses a merge; `synthesist dedup merge` joins "
                "records.",
            )
        group_id: int | None = None
        if decision == "confirm":
            group_id = _join(uow, [pair.first, pair.second], GroupOrigin.REVIEW, workspace.actor)
            uow.dedup.decide_pair(pair_id, PairStatus.CONFIRMED, by=workspace.actor, note=note)
        else:
            if _same_group(uow.dedup.membership(), pair.first, pair.second):
                raise Conflict(
                    f"records {pair.first} and {pair.second} are already in one duplicate group",
                    hint="Split one of them out with `synthesist dedup split GROUP RECORD`.",
                )
            uow.dedup.decide_pair(pair_id, PairStatus.REJECTED, by=workspace.actor, note=note)
        status = "confirmed" if decision == "confirm" else "rejected"
        uow.events.append(
            DuplicatePairDecided(pair_id, pair.first, pair.second, status, group_id, note), workspace.actor
        )
        uow.commit()
    return group_id


def merge_records(
    workspace: Workspace, record_ids: Sequence[int], *, note: str | None = None
) -> DuplicateGroup:
    """Mark records as duplicates of each other by hand (joining any groups they are in)."""
    ids = sorted(set(record_ids))
    if len(ids) < 2:
        raise UserError(
            "name at least two different records to merge", hint="Example: synthesist dedup merge 12 48"
        )
    with workspace.unit_of_work() as uow:
        found = uow.records.get_many(ids)
        missing = [record_id for record_id in ids if record_id not in found]
        if missing:
            raise NotFound(f"no record {missing[0]}", hint="`synthesist records list` shows record ids.")
        group_id = _join(uow, ids, GroupOrigin.MANUAL, workspace.actor)
        _confirm_pairs(uow, ids, workspace.actor, note)
        group = uow.dedup.get_group(group_id)
        uow.events.append(DuplicatesMerged(group_id, ids, group.primary_id, note), workspace.actor)
        uow.commit()
    return group


def _join(uow: UnitOfWork, record_ids: Sequence[int], origin: GroupOrigin, actor: str) -> int:
    membership = uow.dedup.membership()
    group_ids = {membership[record_id][0] for record_id in record_ids if record_id in membership}
    cluster = set(record_ids)
    for group_id in group_ids:
        cluster.update(uow.dedup.get_group(group_id).member_ids)
    records = {record_id: stored.record for record_id, stored in uow.records.get_many(cluster).items()}
    if not group_ids:
        primary = choose_primary(records)
        return uow.dedup.create_group(
            primary,
            sorted(cluster),
            origin=origin,
            run_id=None,
            created_by=actor,
            filled=fill_gaps(primary, records),
        )
    # the matching engine (rapidfuzz) loads with it: only when groups join, not for `records show`
    from synthesist.services.dedup.runs import grow_group

    target = min(group_ids)
    grow_group(uow, target, cluster, group_ids - {target}, records)
    return target


def _confirm_pairs(uow: UnitOfWork, ids: Sequence[int], actor: str, note: str | None) -> None:
    _decide_all(uow, ids, PairStatus.CONFIRMED, actor, note)


def _decide_all(
    uow: UnitOfWork, pairs_of: Sequence[int], status: PairStatus, actor: str, note: str | None,
    against: Sequence[int] | None = None,
) -> None:  # fmt: skip
    """Record a reviewer's ``status`` for every pair among ``pairs_of`` (or between ``pairs_of`` and
    ``against``), storing pairs the matcher never proposed."""
    if against is None:
        wanted = [tuple(sorted(pair)) for pair in combinations(sorted(set(pairs_of)), 2)]
    else:
        wanted = [tuple(sorted((a, b))) for a in pairs_of for b in against if a != b]
    new: list[PairVerdict] = []
    for first, second in wanted:
        stored = uow.dedup.find_pair(first, second)
        if stored is None:
            outcome = Outcome.DUPLICATE if status is PairStatus.CONFIRMED else Outcome.DISTINCT
            new.append(PairVerdict(first, second, outcome, 0.0, (f"decided by a {_HUMAN}",)))
        elif stored.status is not status:
            uow.dedup.decide_pair(stored.id, status, by=actor, note=note)
    if new:
        uow.dedup.save_pairs(new, run_id=None, status=status)
        for verdict in new:
            found = uow.dedup.find_pair(verdict.first, verdict.second)
            if found is not None:
                uow.dedup.decide_pair(found.id, status, by=actor, note=note)


def split_group(
    workspace: Workspace, group_id: int, record_ids: Sequence[int], *, note: str | None = None
) -> DuplicateGroup | None:
    """Take records out of a group: they are distinct from those left (remembered for later runs).
    Returns the group as it is afterwards, or ``None`` when fewer than two records were left."""
    with workspace.unit_of_work() as uow:
        group = uow.dedup.get_group(group_id)
        leaving = sorted(set(record_ids))
        strangers = [record_id for record_id in leaving if record_id not in group.member_ids]
        if strangers:
            raise UserError(
                f"record {strangers[0]} is not in duplicate group {group_id}",
                hint=f"`synthesist dedup show {group_id}` lists its records.",
            )
        staying = [record_id for record_id in group.member_ids if record_id not in leaving]
        if not leaving or not staying:
            raise UserError(
                "name some, not all, of the group's records to split off",
                hint=f"To dissolve the whole group use `synthesist dedup undo {group_id}`.",
            )
        after: DuplicateGroup | None = None
        if len(staying) < 2:
            uow.dedup.delete_group(group_id)
        else:
            records = {i: s.record for i, s in uow.records.get_many(group.member_ids).items()}
            primary = group.primary_id
            if primary in leaving:
                primary = choose_primary({i: records[i] for i in staying})
                uow.dedup.set_primary(group_id, primary)
            uow.dedup.remove_members(group_id, leaving)
            uow.dedup.set_filled(group_id, fill_gaps(primary, {i: records[i] for i in staying}))
            after = uow.dedup.get_group(group_id)
        _decide_all(uow, leaving, PairStatus.REJECTED, workspace.actor, note, against=staying)
        uow.events.append(
            DuplicateGroupSplit(group_id, leaving, after.primary_id if after else None, note), workspace.actor
        )
        uow.commit()
    return after


def undo_group(workspace: Workspace, group_id: int, *, note: str | None = None) -> DuplicateGroup:
    """Reverse a merge: dissolve the group; its records are unique again and stay apart in later runs."""
    with workspace.unit_of_work() as uow:
        group = uow.dedup.get_group(group_id)
        uow.dedup.delete_group(group_id)
        _decide_all(uow, group.member_ids, PairStatus.REJECTED, workspace.actor, note)
        uow.events.append(
            DuplicateGroupUndone(
                group_id, list(group.member_ids), group.primary_id, group.origin.value, note
            ),
            workspace.actor,
        )
        uow.commit()
    return group


def set_group_primary(workspace: Workspace, group_id: int, record_id: int) -> DuplicateGroup:
    with workspace.unit_of_work() as uow:
        group = uow.dedup.get_group(group_id)
        if record_id not in group.member_ids:
            raise UserError(
                f"record {record_id} is not in duplicate group {group_id}",
                hint=f"`synthesist dedup show {group_id}` lists its records.",
            )
        if record_id != group.primary_id:
            records = {i: s.record for i, s in uow.records.get_many(group.member_ids).items()}
            uow.dedup.set_primary(group_id, record_id)
            uow.dedup.set_filled(group_id, fill_gaps(record_id, records))
            uow.events.append(DuplicatePrimaryChanged(group_id, group.primary_id, record_id), workspace.actor)
        group = uow.dedup.get_group(group_id)
        uow.commit()
    return group


def list_groups(workspace: Workspace) -> list[DuplicateGroup]:
    with workspace.unit_of_work(write=False) as uow:
        return uow.dedup.groups()


def show_group(workspace: Workspace, group_id: int) -> GroupView:
    with workspace.unit_of_work(write=False) as uow:
        group = uow.dedup.get_group(group_id)
        records = uow.records.get_many(group.member_ids)
    return GroupView(group, records, merged_record(records[group.primary_id].record, group.filled))


def find_group_of(workspace: Workspace, record_id: int) -> DuplicateGroup | None:
    """The duplicate group a record is in, or ``None``."""
    with workspace.unit_of_work(write=False) as uow:
        return uow.dedup.group_of(record_id)


def group_for_record(workspace: Workspace, record_id: int) -> DuplicateGroup:
    with workspace.unit_of_work(write=False) as uow:
        uow.records.get(record_id)
        group = uow.dedup.group_of(record_id)
    if group is None:
        raise NotFound(
            f"record {record_id} is not in a duplicate group", hint="`synthesist dedup groups` lists them."
        )
    return group
