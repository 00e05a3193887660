"""Read model of the duplicate review page: the counts, the review queue, the pair shown and the
groups made so far (a page of them, with their records' titles), read from one unit of work (one
consistent snapshot: a pair decided by a colleague meanwhile is either in the queue or decided,
never both)."""

from __future__ import annotations

from dataclasses import dataclass

from synthesist.dedup.model import DuplicateGroup
from synthesist.errors import NotFound
from synthesist.ports import UnitOfWork
from synthesist.records.stored import StoredRecord
from synthesist.services.dedup.review import PairView, differing_fields, review_queue_in
from synthesist.workspace import Workspace

__all__ = [
    "GROUPS_PER_PAGE",
    "DedupCounts",
    "DuplicatesPage",
    "duplicates_page",
]


@dataclass(frozen=True)
class DedupCounts:
    total: int  # records identified (every batch's records)
    duplicates: int  # records marked as duplicates
    duplicate_groups: int
    deduplicated: bool  # whether deduplication has run since the last import


@dataclass(frozen=True)
class DuplicatesPage:
    status: DedupCounts
    queue: tuple[PairView, ...]  # the pairs waiting, most alike first
    shown: PairView | None  # the pair asked for, else the first waiting one
    groups: tuple[DuplicateGroup, ...]  # the page of groups shown, in id order
    group_records: dict[int, StoredRecord]  # their members (without raw fields), by record id
    groups_page: int = 1
    groups_pages: int = 1

    @property
    def position(self) -> int | None:
        """The shown pair's place in the queue (None: it is not waiting, or nothing is shown)."""
        if self.shown is None:
            return None
        return next(
            (n for n, view in enumerate(self.queue, start=1) if view.pair.id == self.shown.pair.id), None
        )

    @property
    def later(self) -> tuple[PairView, ...]:
        """The waiting pairs other than the one shown."""
        shown = self.shown.pair.id if self.shown is not None else None
        return tuple(view for view in self.queue if view.pair.id != shown)


GROUPS_PER_PAGE = 50


def duplicates_page(
    workspace: Workspace, pair_id: int | None = None, *, groups_page: int = 1
) -> DuplicatesPage:
    """The page with pair ``pair_id`` shown (decided already, or waiting), or the queue's first, and
    page ``groups_page`` of the duplicate groups with their members' titles (read in one query)."""
    with workspace.unit_of_work(write=False) as uow:
        queue = tuple(review_queue_in(uow))
        current = next((view for view in queue if view.pair.id == pair_id), None) if pair_id else None
        shown: PairView | None = None
        if current is not None or (pair_id is None and queue):
            shown = current or queue[0]
        elif pair_id is not None:
            shown = _decided_pair(uow, pair_id)  # decided already, or its records merged meanwhile
        groups = tuple(uow.dedup.groups())
        pages = max(1, -(-len(groups) // GROUPS_PER_PAGE))
        at = min(max(groups_page, 1), pages)
        listed = groups[(at - 1) * GROUPS_PER_PAGE : at * GROUPS_PER_PAGE]
        members = uow.records.get_many(
            (record_id for group in listed for record_id in group.member_ids), with_raw=False
        )
        return DuplicatesPage(_counts(uow), queue, shown, listed, members, at, pages)


def _decided_pair(uow: UnitOfWork, pair_id: int) -> PairView:
    pair = next((pair for pair in uow.dedup.pairs() if pair.id == pair_id), None)
    if pair is None:
        raise NotFound(f"there is no duplicate pair {pair_id}", hint="The review queue lists the open pairs.")
    first, second = uow.records.get(pair.first), uow.records.get(pair.second)
    return PairView(pair, first, second, differing_fields(first.record, second.record))


def _counts(uow: UnitOfWork) -> DedupCounts:
    total = sum(line.records for line in uow.records.counts_by_source())
    groups, duplicates = uow.dedup.counts()
    last_run = uow.dedup.last_run()
    deduplicated = last_run is not None and last_run.max_record_id >= uow.records.max_id()
    return DedupCounts(total, duplicates, groups, deduplicated)
