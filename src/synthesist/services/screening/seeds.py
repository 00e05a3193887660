"""Seed studies: records the team knows are relevant before title/abstract screening starts (from
scoping, an earlier review, an expert's list).

A seed is prior knowledge for the ranking only (:mod:`synthesist.services.screening.queue`): the
model treats it as relevant from the first suggestion, so records like it come first. It is not a
screening decision: the record is still screened like any other, its status comes only from the
decisions, and once it has a decision that the ranking may use, the decision counts instead of the
seed. Each change is one event per record, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from synthesist.errors import UserError
from synthesist.events import ScreeningSeedAdded, ScreeningSeedRemoved
from synthesist.screening.model import SeedStudy, Stage, StageStatus
from synthesist.services.records.refs import resolve_records_in
from synthesist.services.screening.decisions import overview_in
from synthesist.workspace import Workspace

__all__ = ["SeedChange", "SeedListing", "add_seeds", "list_seeds", "remove_seeds"]


@dataclass(frozen=True)
class SeedChange:
    changed: list[int]  # records added (or removed)
    unchanged: list[int]  # records that were seeds already (adding only)


@dataclass(frozen=True)
class SeedListing:
    seed: SeedStudy
    title: str | None
    year: int | None
    status: StageStatus  # at title/abstract


def add_seeds(workspace: Workspace, references: Sequence[str], *, note: str | None = None) -> SeedChange:
    """Mark records as seed studies (by id, DOI or ``pmid:N``; a duplicate stands for its primary).
    Records that are seeds already are left as they are."""
    note = note.strip() if note and note.strip() else None
    with workspace.unit_of_work() as uow:
        record_ids = resolve_records_in(uow, references)
        known = {seed.record_id for seed in uow.screening.seeds()}
        added = [record_id for record_id in record_ids if record_id not in known]
        for record_id in added:
            uow.screening.add_seed(record_id, by=workspace.actor, note=note)
            uow.events.append(ScreeningSeedAdded(record_id=record_id, note=note), workspace.actor)
        uow.commit()
    return SeedChange(changed=added, unchanged=[r for r in record_ids if r in known])


def remove_seeds(workspace: Workspace, references: Sequence[str]) -> SeedChange:
    """Unmark seed studies; all or nothing: a record that is not a seed is an error."""
    with workspace.unit_of_work() as uow:
        record_ids = resolve_records_in(uow, references)
        known = {seed.record_id for seed in uow.screening.seeds()}
        missing = [record_id for record_id in record_ids if record_id not in known]
        if missing:
            names = ", ".join(str(record_id) for record_id in missing)
            raise UserError(
                f"record{'s' if len(missing) > 1 else ''} {names} {'are' if len(missing) > 1 else 'is'} "
                "not a seed study; nothing was removed",
                hint="`synthesist screen seed list` lists the seed studies.",
            )
        for record_id in record_ids:
            uow.screening.remove_seed(record_id)
            uow.events.append(ScreeningSeedRemoved(record_id=record_id), workspace.actor)
        uow.commit()
    return SeedChange(changed=record_ids, unchanged=[])


def list_seeds(workspace: Workspace) -> list[SeedListing]:
    """Every seed study with its record's title and year and where it stands at title/abstract."""
    with workspace.unit_of_work(write=False) as uow:
        seeds = uow.screening.seeds()
        ids = [seed.record_id for seed in seeds]
        records = uow.records.get_many(ids, with_raw=False)
        view = overview_in(uow, workspace, only=ids)
    return [
        SeedListing(
            seed=seed,
            title=records[seed.record_id].record.title,
            year=records[seed.record_id].record.year,
            status=view.records[seed.record_id].at(Stage.TITLE_ABSTRACT),
        )
        for seed in seeds
    ]
