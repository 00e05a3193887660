"""Deriving where a record stands from the decisions made on it. Pure.

Nothing here is stored: the status at a stage follows from the active decisions and the stage's
mode, so undoing or re-deciding can never leave a stale status behind, and the PRISMA counts always
use the final decisions.

* ``single``: the latest decision counts.
* ``single-verified``: the first reviewer's latest decision counts, unless the record is in the
  verification sample: then it waits for a second reviewer's check, and a disagreement is a conflict.
* ``dual``: two reviewers decide independently (blind); agreement decides, disagreement is a conflict.

A consensus decision settles a conflict (and overrides everything before it). At title/abstract a
"maybe" lets the record through to full text, as include does; at full text a record must end up
included or excluded, so "maybe" leaves it undecided.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from synthesist.screening.model import DecisionKind, RecordState, ScreeningDecision, Stage, StageStatus, Vote

__all__ = [
    "StageRule",
    "VerifySample",
    "record_state",
    "sample_fraction",
    "stage_status",
    "verification_sample",
]


@dataclass(frozen=True, slots=True)
class VerifySample:
    """Which first decisions a second reviewer checks: all, ``count`` records, or a ``fraction``;
    ``stratified`` takes the same share of each decision (so includes are always represented)."""

    count: int | None = None
    fraction: float | None = None
    stratified: bool = False

    @classmethod
    def parse(cls, value: int | str | None, *, stratified: bool = False) -> VerifySample:
        if value is None or value == "all":
            return cls(fraction=1.0, stratified=stratified)
        if isinstance(value, int):
            return cls(count=value, stratified=stratified)
        return cls(fraction=float(value.rstrip("%")) / 100, stratified=stratified)

    @property
    def everything(self) -> bool:
        return self.count is None and (self.fraction or 0) >= 1.0


@dataclass(frozen=True, slots=True)
class StageRule:
    mode: str  # "single", "single-verified" or "dual"
    sample: VerifySample = VerifySample(fraction=1.0)


def _outcome(vote: Vote, stage: Stage) -> StageStatus:
    if vote is Vote.EXCLUDE:
        return StageStatus.EXCLUDED
    if vote is Vote.INCLUDE or stage is Stage.TITLE_ABSTRACT:
        return StageStatus.INCLUDED
    return StageStatus.UNDECIDED


def _latest_by_reviewer(decisions: Iterable[ScreeningDecision]) -> dict[str, ScreeningDecision]:
    """Each reviewer's latest active decision, in the order the reviewers first decided."""
    first_seen: dict[str, int] = {}
    latest: dict[str, ScreeningDecision] = {}
    for decision in sorted(decisions, key=lambda d: d.id):
        first_seen.setdefault(decision.reviewer, decision.id)
        latest[decision.reviewer] = decision
    return {reviewer: latest[reviewer] for reviewer in sorted(latest, key=first_seen.__getitem__)}


def stage_status(
    decisions: Sequence[ScreeningDecision], stage: Stage, rule: StageRule, *, in_sample: bool = True
) -> StageStatus:
    """The status at ``stage`` from the record's decisions at that stage (undone ones are ignored)."""
    active = [d for d in decisions if d.active and d.stage is stage]
    consensus = [d for d in active if d.kind is DecisionKind.CONSENSUS]
    if consensus:
        return _outcome(max(consensus, key=lambda d: d.id).vote, stage)
    screens = _latest_by_reviewer(d for d in active if d.kind is DecisionKind.SCREEN)
    if not screens:
        return StageStatus.TO_SCREEN
    if rule.mode == "single":
        return _outcome(max(screens.values(), key=lambda d: d.id).vote, stage)
    first = next(iter(screens.values()))
    if rule.mode == "dual":
        if len(screens) < 2:
            return StageStatus.AWAITING_SECOND
        second = list(screens.values())[1]
        return _agreed(first.vote, second.vote, stage)
    # single-verified
    checks = _latest_by_reviewer(
        d for d in active if d.kind is DecisionKind.VERIFY and d.reviewer != first.reviewer
    )
    if not checks:
        return StageStatus.AWAITING_CHECK if in_sample else _outcome(first.vote, stage)
    return _agreed(first.vote, max(checks.values(), key=lambda d: d.id).vote, stage)


def _agreed(first: Vote, second: Vote, stage: Stage) -> StageStatus:
    a, b = _outcome(first, stage), _outcome(second, stage)
    return a if a is b else StageStatus.CONFLICT


def record_state(
    *,
    duplicate: bool,
    title_abstract: StageStatus,
    full_text: StageStatus,
    not_retrieved: bool = False,
    report_attached: bool = False,
) -> RecordState:
    """The record's place in the whole flow. Past title/abstract, a record is in full-text
    assessment once a report is attached or a full-text decision exists (teams that keep their PDFs
    elsewhere decide without attaching); until then it is sought, or not retrieved if so marked."""
    if duplicate:
        return RecordState.DUPLICATE
    if title_abstract is StageStatus.EXCLUDED:
        return RecordState.EXCLUDED_TITLE_ABSTRACT
    if title_abstract is not StageStatus.INCLUDED:
        return RecordState.TITLE_ABSTRACT
    if full_text is StageStatus.INCLUDED:
        return RecordState.INCLUDED
    if full_text is StageStatus.EXCLUDED:
        return RecordState.EXCLUDED_FULL_TEXT
    # A report or a decision is evidence of assessment, so it wins over a stale "not retrieved" mark
    # (attaching withdraws the mark, and a not-retrieved record cannot be decided).
    if report_attached or full_text not in (StageStatus.TO_SCREEN, StageStatus.NOT_OPEN):
        return RecordState.FULL_TEXT
    if not_retrieved:
        return RecordState.NOT_RETRIEVED
    return RecordState.SOUGHT


def sample_fraction(key: str, stage: Stage, record_id: int) -> float:
    """A stable pseudo-random number in [0, 1) for a record: the same record is in or out of the
    verification sample every time it is asked, on every machine, without storing the draw."""
    digest = hashlib.sha256(f"{key}:{stage}:{record_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def verification_sample(
    first_votes: Mapping[int, Vote], sample: VerifySample, *, key: str, stage: Stage
) -> set[int]:
    """The records (of those with a first decision) whose decision a second reviewer checks."""
    if sample.everything:
        return set(first_votes)
    strata: dict[str, list[int]] = {"all": list(first_votes)}
    if sample.stratified:
        strata = {}
        for record_id, vote in first_votes.items():
            strata.setdefault("exclude" if vote is Vote.EXCLUDE else "include", []).append(record_id)
    chosen: set[int] = set()
    total = len(first_votes)
    for members in strata.values():
        ranked = sorted(members, key=lambda record_id: sample_fraction(key, stage, record_id))
        if sample.count is not None:
            share = sample.count * len(members) / total if total else 0
            take = min(len(members), max(1, round(share)) if sample.stratified else sample.count)
        else:
            take = math.ceil((sample.fraction or 0) * len(members))
        chosen.update(ranked[:take])
    return chosen
