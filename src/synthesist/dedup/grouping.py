"""From pair verdicts to duplicate groups, without transitive false merges. Pure.

Duplicate pairs are joined into groups with a union-find, strongest pair first. Joining two groups
is refused when any record of one is *distinct* from any record of the other (by the matcher's
guards, or because a reviewer rejected that pair): A = B and B = C must not put an erratum C in the
group of article A. A refused join becomes a possible duplicate for a reviewer instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from synthesist.dedup.model import Outcome, PairVerdict

__all__ = ["Clusters", "cluster"]

Compare = Callable[[int, int], Outcome]


@dataclass
class Clusters:
    """The groups after clustering (record id sets of two or more) and the pairs that could not join."""

    groups: list[set[int]]
    merged: list[PairVerdict]
    refused: list[PairVerdict] = field(default_factory=list)


def cluster(
    duplicates: Iterable[PairVerdict],
    *,
    existing: Mapping[int, int],
    rejected: set[tuple[int, int]],
    compare: Compare,
) -> Clusters:
    """``existing`` maps record id -> group id of groups already stored; they stay together.
    ``compare(a, b)`` gives the matcher's outcome for records not yet compared (a < b)."""
    parent: dict[int, int] = {}
    members: dict[int, set[int]] = {}

    def find(node: int) -> int:
        root = node
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(node, node) != root:  # path compression
            parent[node], node = root, parent[node]
        return root

    def union(first: int, second: int) -> None:
        a, b = find(first), find(second)
        if a == b:
            return
        if len(members.get(a, {a})) < len(members.get(b, {b})):
            a, b = b, a
        parent[b] = a
        members[a] = members.get(a, {a}) | members.pop(b, {b})

    by_group: dict[int, list[int]] = {}
    for record_id, group_id in existing.items():
        by_group.setdefault(group_id, []).append(record_id)
    for ids in by_group.values():
        for other in ids[1:]:
            union(ids[0], other)

    def compatible(first: int, second: int) -> bool:
        for x in members.get(first, {first}):
            for y in members.get(second, {second}):
                pair = (x, y) if x < y else (y, x)
                if pair in rejected or compare(*pair) is Outcome.DISTINCT:
                    return False
        return True

    merged: list[PairVerdict] = []
    refused: list[PairVerdict] = []
    for verdict in sorted(duplicates, key=lambda v: (-v.score, v.first, v.second)):
        a, b = find(verdict.first), find(verdict.second)
        if a == b:
            merged.append(verdict)
            continue
        if compatible(a, b):
            union(a, b)
            merged.append(verdict)
        else:
            refused.append(
                PairVerdict(
                    verdict.first,
                    verdict.second,
                    Outcome.POSSIBLE,
                    verdict.score,
                    (*verdict.reasons, "joining would put records the rules call distinct in one group"),
                )
            )
    groups = [set(ids) for ids in members.values() if len(ids) > 1]
    return Clusters(groups=groups, merged=merged, refused=refused)
