"""The matcher end to end, on fingerprints: block, compare, cluster. Pure (no storage).

The service (:mod:`synthesist.services.dedup.runs`) feeds it the project's records and writes back what
it finds; benchmarks and tests call it directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from synthesist.dedup.blocking import candidate_pairs
from synthesist.dedup.features import Fingerprint, fingerprint
from synthesist.dedup.grouping import cluster
from synthesist.dedup.matching import MatchPolicy, clearly_distinct, compare
from synthesist.dedup.model import Outcome, PairVerdict
from synthesist.records.model import Record

__all__ = ["MatchResult", "fingerprints", "match"]

Progress = Callable[[str, int, int], None]


@dataclass
class MatchResult:
    candidate_pairs: int
    duplicates: list[PairVerdict]  # pairs merged into groups
    possible: list[PairVerdict]  # pairs for the review queue
    groups: list[set[int]]  # record ids, two or more per group, existing groups included


def fingerprints(records: Iterable[tuple[int, Record]]) -> list[Fingerprint]:
    return [fingerprint(record_id, record) for record_id, record in records]


def match(
    prints: Sequence[Fingerprint],
    policy: MatchPolicy = MatchPolicy(),
    *,
    new_after: int = 0,
    existing: Mapping[int, int] | None = None,
    rejected: set[tuple[int, int]] | None = None,
    progress: Progress | None = None,
) -> MatchResult:
    """Find duplicates among ``prints``.

    ``existing`` (record id -> group id) keeps groups found earlier together; ``rejected`` holds
    pairs a reviewer called distinct (never merged, never queued again); ``new_after`` limits the
    comparisons to pairs with at least one record newer than that id.
    """
    rejected = rejected or set()
    by_id = {fp.record_id: fp for fp in prints}
    pairs = candidate_pairs(prints, new_after=new_after)
    outcomes: dict[tuple[int, int], Outcome] = {}
    duplicates: list[PairVerdict] = []
    possible: list[PairVerdict] = []
    total = len(pairs)
    for done, (i, j) in enumerate(sorted(pairs), start=1):
        a, b = prints[i], prints[j]
        if a.record_id > b.record_id:
            a, b = b, a
        key = (a.record_id, b.record_id)
        if key in rejected:
            continue
        if clearly_distinct(a, b):
            outcomes[key] = Outcome.DISTINCT
            continue
        outcome, score, reasons = compare(a, b, policy)
        outcomes[key] = outcome
        if outcome is Outcome.DUPLICATE:
            duplicates.append(PairVerdict(*key, outcome, score, reasons))
        elif outcome is Outcome.POSSIBLE:
            possible.append(PairVerdict(*key, outcome, score, reasons))
        if progress and done % 5000 == 0:
            progress("comparing", done, total)

    def outcome_of(first: int, second: int) -> Outcome:
        found = outcomes.get((first, second))
        if found is None:
            found = compare(by_id[first], by_id[second], policy)[0]
            outcomes[(first, second)] = found
        return found

    clusters = cluster(duplicates, existing=existing or {}, rejected=rejected, compare=outcome_of)
    grouped = {record_id for group in clusters.groups for record_id in group}
    # A possible pair whose two records ended up in one group anyway needs no review.
    group_of = {record_id: index for index, group in enumerate(clusters.groups) for record_id in group}
    queue = [
        verdict
        for verdict in [*possible, *clusters.refused]
        if not (
            verdict.first in grouped
            and verdict.second in grouped
            and group_of[verdict.first] == group_of[verdict.second]
        )
    ]
    if progress:
        progress("comparing", total, total)
    return MatchResult(
        candidate_pairs=total, duplicates=clusters.merged, possible=queue, groups=clusters.groups
    )
