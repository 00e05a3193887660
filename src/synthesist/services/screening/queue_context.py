"""What the next record is chosen with besides the decisions: the seed studies and the latest
ranked model. Read once per page, or kept by a process with its overview cache
(:mod:`synthesist.services.screening.overview_cache`), since each changes only with a logged event."""

from __future__ import annotations

from dataclasses import dataclass

from synthesist.ports import UnitOfWork
from synthesist.screening.model import Stage
from synthesist.screening.stored_ranking import StoredModel
from synthesist.workspace import Workspace

__all__ = ["QueueContext", "queue_context", "ranked", "seed_ids"]


def ranked(workspace: Workspace, stage: Stage) -> bool:
    """Whether the stage is screened in ranked order (title/abstract, prioritisation enabled)."""
    return stage is Stage.TITLE_ABSTRACT and workspace.project.protocol.screening.prioritisation.enabled


def seed_ids(uow: UnitOfWork) -> set[int]:
    """The seed studies, a seed merged into a duplicate group counting for the group's primary."""
    seeds: set[int] = set()
    for seed in uow.screening.seeds():
        group = uow.dedup.group_of(seed.record_id)
        seeds.add(group.primary_id if group is not None else seed.record_id)
    return seeds


@dataclass(frozen=True)
class QueueContext:
    """What the next record is chosen with besides the decisions: the seed studies and the latest
    ranked model of the ranked stage. Both change only with a logged event (a seed added, a merge,
    a training stored), so a process may keep them with its overview cache, read again with it."""

    seeds: frozenset[int]
    model: StoredModel | None  # of title/abstract screening


def queue_context(uow: UnitOfWork, workspace: Workspace) -> QueueContext:
    if not ranked(workspace, Stage.TITLE_ABSTRACT):
        return QueueContext(frozenset(), None)
    return QueueContext(frozenset(seed_ids(uow)), uow.rankings.latest(Stage.TITLE_ABSTRACT))
