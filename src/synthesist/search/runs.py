"""Search runs (pure): what a run of a strategy on a live source is, and which fetched records are
new to the project.

A run moves ``running`` → ``completed``, or → ``interrupted`` (the source failed after its retries,
answered nonsense, or the user pressed Ctrl+C) and back to ``running`` on resume. Its records are
imported in one transaction when every page is in, so an interrupted run has imported nothing.

``kind`` says why it ran: a ``search`` of the strategy, an ``update`` (living update: only what the
source added since the last run, only records not yet in the project), or citation searching
(``backward``: reference lists; ``forward``: works citing the included studies).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from synthesist.dedup.blocking import candidate_pairs
from synthesist.dedup.features import Fingerprint, fingerprint
from synthesist.dedup.matching import MatchPolicy, compare
from synthesist.dedup.model import Outcome
from synthesist.dedup.normalize import normalize_doi, normalize_pmid
from synthesist.records.model import Record

__all__ = [
    "NewSearchRun",
    "Novelty",
    "RunKind",
    "RunStatus",
    "SearchRun",
    "page_file_name",
    "split_new",
]


class RunStatus(StrEnum):
    RUNNING = "running"
    INTERRUPTED = "interrupted"
    COMPLETED = "completed"


class RunKind(StrEnum):
    SEARCH = "search"
    UPDATE = "update"
    BACKWARD = "backward"
    FORWARD = "forward"

    @property
    def other_method(self) -> str | None:
        """PRISMA 2020: citation searching is an "other method"; database searches are not."""
        if self is RunKind.BACKWARD:
            return "citation searching (backward)"
        if self is RunKind.FORWARD:
            return "citation searching (forward)"
        return None


@dataclass(frozen=True)
class NewSearchRun:
    strategy: str
    source: str
    kind: RunKind
    query: str  # in the source's syntax (what the client sends)
    query_as_run: str  # as sent, date window included: what the batch and the report show
    since: date | None
    max_records: int | None
    page_size: int
    cursor: str
    started_by: str


@dataclass(frozen=True)
class SearchRun:
    id: int
    strategy: str
    source: str
    kind: RunKind
    query: str
    query_as_run: str
    since: date | None
    max_records: int | None
    page_size: int
    status: RunStatus
    cursor: str | None  # where the next page starts; None once every page is in
    pages: int
    total: int | None  # hits the source reported
    fetched: int
    imported: int  # records imported (0 until completed)
    already_present: int  # fetched records the project already had (updates and citations)
    batch_id: int | None
    message: str | None  # why the run was interrupted
    started_by: str
    started_at: datetime
    finished_at: datetime | None

    @property
    def searched_on(self) -> date:
        return (self.finished_at or self.started_at).date()

    @property
    def all_pages_in(self) -> bool:
        return self.cursor is None or (self.max_records is not None and self.fetched >= self.max_records)


def page_file_name(number: int, suffix: str) -> str:
    return f"page-{number:04d}{suffix}"


@dataclass(frozen=True)
class Novelty:
    """Which fetched records to import. ``new`` are indexes into the fetched records."""

    new: list[int]
    already_present: int  # same DOI/PMID as a project record, or a duplicate of one
    repeated: int  # the same record twice in the fetched pages (kept once)


def _identifiers(record: Record) -> list[str]:
    keys = []
    doi = normalize_doi(record.doi)
    if doi:
        keys.append(f"doi:{doi}")
    pmid = normalize_pmid(record.pmid)
    if pmid:
        keys.append(f"pmid:{pmid}")
    return keys


def split_new(
    fetched: Sequence[Record],
    existing: Iterable[tuple[int, Record]],
    policy: MatchPolicy = MatchPolicy(),
) -> Novelty:
    """The fetched records that are not in the project: not the same DOI or PMID as a project
    record, and not a duplicate of one by the project's matcher (the same comparison deduplication
    makes; a *possible* duplicate is imported and left to ``dedup run`` and its reviewers)."""
    existing_prints: list[Fingerprint] = []
    known: set[str] = set()
    newest = 0
    for record_id, record in existing:
        known.update(_identifiers(record))
        existing_prints.append(fingerprint(record_id, record))
        newest = max(newest, record_id)
    seen: set[str] = set()
    candidates: list[int] = []
    present = repeated = 0
    for index, record in enumerate(fetched):
        keys = _identifiers(record)
        if any(key in known for key in keys):
            present += 1
        elif any(key in seen for key in keys):
            repeated += 1
        else:
            seen.update(keys)
            candidates.append(index)
    # fetched records get ids above the project's so the blocking compares only pairs with one
    prints = existing_prints + [fingerprint(newest + 1 + n, fetched[i]) for n, i in enumerate(candidates)]
    duplicates: set[int] = set()
    for i, j in candidate_pairs(prints, new_after=newest):
        a, b = prints[i], prints[j]
        if (a.record_id > newest) == (b.record_id > newest):
            continue  # two fetched records: left to deduplication
        fetched_print = a if a.record_id > newest else b
        if compare(a, b, policy)[0] is Outcome.DUPLICATE:
            duplicates.add(fetched_print.record_id - newest - 1)
    new = [index for n, index in enumerate(candidates) if n not in duplicates]
    return Novelty(new=new, already_present=present + len(duplicates), repeated=repeated)
