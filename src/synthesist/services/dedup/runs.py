"""Deduplication runs (``synthesist dedup run``).

A run reads the project's records, lets the matcher (:mod:`synthesist.dedup`) find duplicates, and
in one transaction stores the pairs it found (certain ones as ``auto``, uncertain ones ``pending`` in
the review queue), forms or grows the duplicate groups, and writes one ``dedup.run`` event. Groups
found earlier stay as they are (a new record can join one); a pair a reviewer rejected is never
merged again. By default only pairs that involve a record imported since the last run are compared
(``scope="new"``); ``scope="all"`` compares everything again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from synthesist.dedup.engine import match
from synthesist.dedup.features import RAW_TAGS, Fingerprint, fingerprint
from synthesist.dedup.matching import MatchPolicy, PreprintPolicy
from synthesist.dedup.merge import choose_primary, fill_gaps
from synthesist.dedup.model import DedupRun, FilledField, GroupOrigin, NewDedupRun, PairStatus
from synthesist.errors import ChangedMeanwhile, UserError
from synthesist.events import DedupRan
from synthesist.ports import UnitOfWork
from synthesist.records.model import Record
from synthesist.review.protocol import DeduplicationSection
from synthesist.workspace import Workspace

__all__ = ["DedupRunResult", "match_policy", "regroup", "run_dedup"]

Scope = Literal["new", "all"]
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DedupRunResult:
    run: DedupRun | None  # None when there was nothing new to compare
    duplicates_total: int  # records marked as duplicates in the project after the run
    groups_total: int
    pending_total: int  # possible duplicates waiting for a reviewer
    records_total: int

    @property
    def remaining(self) -> int:
        """Records left after removing duplicates (PRISMA: records screened)."""
        return self.records_total - self.duplicates_total


def match_policy(section: DeduplicationSection) -> MatchPolicy:
    return MatchPolicy(
        preprints=PreprintPolicy(section.preprints),
        year_tolerance=section.year_tolerance,
        auto_merge=section.auto_merge,
    )


def run_dedup(
    workspace: Workspace, *, scope: Scope = "new", progress: Progress | None = None
) -> DedupRunResult:
    if scope not in ("new", "all"):
        raise UserError(f"unknown scope {scope!r}", hint='Use "new" (the default) or "all".')
    section = workspace.project.protocol.deduplication
    policy = match_policy(section)
    started = time.perf_counter()
    # Read and match in a read transaction, then write in a short one: matching 100,000 records takes
    # half a minute, and holding SQLite's write lock that long would stall every reviewer.
    with workspace.unit_of_work(write=False) as uow:
        before = _state(uow)
        last = uow.dedup.last_run()
        newest = before.newest_record
        new_after = last.max_record_id if scope == "new" and last is not None else 0
        if newest == 0 or (scope == "new" and last is not None and newest <= last.max_record_id):
            return _totals(uow, None)
        total = uow.records.count()
        prints = []
        for done, (record_id, record) in enumerate(uow.records.iterate_for_matching(RAW_TAGS), start=1):
            prints.append(fingerprint(record_id, record))
            if progress and (done % 2000 == 0 or done == total):
                progress("reading records", done, total)
    rejected = {pair for pair, status in before.pair_statuses.items() if status is PairStatus.REJECTED}
    existing = {record_id: group_id for record_id, (group_id, _) in before.membership.items()}
    result = match(
        prints, policy, new_after=new_after, existing=existing, rejected=rejected, progress=progress
    )
    grouped = {record_id for cluster in result.groups for record_id in cluster}
    member_prints = {fp.record_id: fp for fp in prints if fp.record_id in grouped}
    del prints
    with workspace.unit_of_work() as uow:
        if _state(uow) != before:
            raise ChangedMeanwhile(
                "records or duplicate decisions changed while deduplication ran; nothing was written",
                hint="Run `synthesist dedup run` again.",
            )
        run_id = uow.dedup.add_run(
            NewDedupRun(scope=scope, started_by=workspace.actor, settings=section.model_dump())
        )
        uow.dedup.save_pairs(result.duplicates, run_id=run_id, status=PairStatus.AUTO)
        uow.dedup.save_pairs(result.possible, run_id=run_id, status=PairStatus.PENDING)
        created, grown = regroup(
            uow,
            result.groups,
            before.membership,
            origin=GroupOrigin.AUTO,
            run_id=run_id,
            actor=workspace.actor,
            progress=progress,
            prints=member_prints,
        )
        counts = {
            "records_checked": total,
            "candidate_pairs": result.candidate_pairs,
            "duplicate_pairs": len(result.duplicates),
            "possible_pairs": len(result.possible),
            "groups_created": created,
            "groups_grown": grown,
        }
        seconds = round(time.perf_counter() - started, 3)
        uow.dedup.finish_run(run_id, max_record_id=newest, seconds=seconds, **counts)
        uow.events.append(
            DedupRan(run_id=run_id, scope=scope, settings=section.model_dump(), **counts), workspace.actor
        )
        run = uow.dedup.last_run()
        outcome = _totals(uow, run)
        uow.commit()
    return outcome


@dataclass(frozen=True)
class _DedupState:
    """What a run reads besides the records themselves; if it differs when the run comes to write,
    someone imported, merged or decided meanwhile and the run's results may no longer hold."""

    newest_record: int
    last_run: int | None
    membership: dict[int, tuple[int, bool]]
    pair_statuses: dict[tuple[int, int], PairStatus]


def _state(uow: UnitOfWork) -> _DedupState:
    last = uow.dedup.last_run()
    return _DedupState(
        newest_record=uow.records.max_id(),
        last_run=last.id if last else None,
        membership=uow.dedup.membership(),
        pair_statuses=uow.dedup.pair_statuses(),
    )


def _totals(uow: UnitOfWork, run: DedupRun | None) -> DedupRunResult:
    groups, duplicates = uow.dedup.counts()
    return DedupRunResult(
        run=run,
        duplicates_total=duplicates,
        groups_total=groups,
        pending_total=len(uow.dedup.pairs(status=PairStatus.PENDING)),
        records_total=uow.records.count(),
    )


def regroup(
    uow: UnitOfWork,
    clusters: Iterable[set[int]],
    membership: Mapping[int, tuple[int, bool]],
    *,
    origin: GroupOrigin,
    run_id: int | None,
    actor: str,
    progress: Progress | None = None,
    prints: Mapping[int, Fingerprint] | None = None,
) -> tuple[int, int]:
    """Bring the stored groups in line with ``clusters`` (record-id sets that include the existing
    groups). Returns (groups created, groups grown). A cluster with no stored group becomes a new
    group; one with a stored group grows it; one spanning several stored groups folds them into the
    oldest, whose primary stays (so ``duplicate_of`` changes as little as possible)."""
    fresh: list[set[int]] = []
    growing: list[tuple[int, set[int], set[int]]] = []  # (group id, all members, group ids folded in)
    for cluster in clusters:
        group_ids = {membership[record_id][0] for record_id in cluster if record_id in membership}
        if not group_ids:
            fresh.append(cluster)
            continue
        known = {record_id for record_id in cluster if record_id in membership}
        if len(group_ids) == 1 and known == cluster:
            continue  # unchanged
        growing.append((min(group_ids), cluster, group_ids - {min(group_ids)}))
    wanted = {record_id for cluster in fresh for record_id in cluster}
    wanted.update(record_id for _, cluster, _ in growing for record_id in cluster)
    found = uow.records.get_many(wanted, with_raw=False)
    records = {record_id: stored.record for record_id, stored in found.items()}
    specs: list[tuple[int, list[int], dict[str, FilledField]]] = []
    for done, cluster in enumerate(fresh, start=1):
        members = {record_id: records[record_id] for record_id in cluster}
        primary = choose_primary(members, prints)
        specs.append((primary, sorted(cluster), fill_gaps(primary, members, prints)))
        if progress and (done % 1000 == 0 or done == len(fresh)):
            progress("forming groups", done, len(fresh))
    if specs:
        uow.dedup.create_groups(specs, origin=origin, run_id=run_id, created_by=actor)
    for target, cluster, folded in growing:
        grow_group(uow, target, cluster, folded, records)
    return len(specs), len(growing)


def grow_group(
    uow: UnitOfWork, target: int, cluster: set[int], folded: set[int], records: Mapping[int, Record]
) -> None:
    """Fold the groups ``folded`` into ``target`` and add the other records of ``cluster``."""
    for group_id in sorted(folded):
        uow.dedup.delete_group(group_id)
    current = set(uow.dedup.get_group(target).member_ids)
    uow.dedup.add_members(target, sorted(cluster - current))
    group = uow.dedup.get_group(target)
    members = {record_id: records[record_id] for record_id in group.member_ids}
    uow.dedup.set_filled(target, fill_gaps(group.primary_id, members))
