"""Where every record stands at each screening stage, derived from the stored decisions.

The status of a record is worked out from its active decisions (:mod:`synthesist.screening.status`)
each time it is asked for, so it can never disagree with them. Reading is split from deriving: the
facts a record's progress follows from (its duplicate group, its active decisions, the verification
sample, its full-text marks) are read in one batch of queries, and a decision's effect is derived
from the facts read before it plus the new decision, without reading them again (the screening page
and the decision form ask for a few records' progress on every request: benchmarks/web_load.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from synthesist.ports import UnitOfWork
from synthesist.review.protocol import ScreeningStage
from synthesist.screening.model import DecisionKind, RecordState, ScreeningDecision, Stage, StageStatus, Vote
from synthesist.screening.status import (
    StageRule,
    VerifySample,
    record_state,
    stage_status,
    verification_sample,
)
from synthesist.workspace import Workspace

__all__ = [
    "ProgressFacts",
    "RecordProgress",
    "ScreeningOverview",
    "overview",
    "overview_in",
    "progress_from",
    "read_facts",
    "stage_rules",
]


def stage_rules(workspace: Workspace) -> dict[Stage, StageRule]:
    screening = workspace.project.protocol.screening

    def rule(section: ScreeningStage) -> StageRule:
        sample = VerifySample.parse(section.verify_sample, stratified=section.verify_sampling == "stratified")
        return StageRule(mode=section.mode, sample=sample)

    return {Stage.TITLE_ABSTRACT: rule(screening.title_abstract), Stage.FULL_TEXT: rule(screening.full_text)}


@dataclass(frozen=True)
class RecordProgress:
    record_id: int
    state: RecordState
    title_abstract: StageStatus
    full_text: StageStatus

    def at(self, stage: Stage) -> StageStatus:
        return self.title_abstract if stage is Stage.TITLE_ABSTRACT else self.full_text


@dataclass
class ScreeningOverview:
    """Every record's progress, with the decisions behind it (all of them, undone included)."""

    records: dict[int, RecordProgress]
    decisions: dict[int, list[ScreeningDecision]] = field(default_factory=dict)
    samples: dict[Stage, set[int]] = field(default_factory=dict)

    def states(self) -> Counter[RecordState]:
        return Counter(progress.state for progress in self.records.values())

    def statuses(self, stage: Stage) -> Counter[StageStatus]:
        return Counter(
            progress.at(stage)
            for progress in self.records.values()
            if progress.state is not RecordState.DUPLICATE
        )

    def final_decision(self, record_id: int, stage: Stage) -> ScreeningDecision | None:
        """The decision that settled the record at ``stage`` (consensus, check, or the first one)."""
        active = [d for d in self.decisions.get(record_id, []) if d.active and d.stage is stage]
        for kind in (DecisionKind.CONSENSUS, DecisionKind.VERIFY, DecisionKind.SCREEN):
            chosen = [d for d in active if d.kind is kind]
            if chosen:
                return max(chosen, key=lambda d: d.id)
        return None

    def exclusion_reasons(self, stage: Stage) -> Counter[str]:
        reasons: Counter[str] = Counter()
        for record_id, progress in self.records.items():
            if progress.at(stage) is StageStatus.EXCLUDED:
                final = self.final_decision(record_id, stage)
                reasons[(final.reason if final and final.reason else "no reason given")] += 1
        return reasons


@dataclass(frozen=True)
class ProgressFacts:
    """What the progress of some records follows from, as read in one unit of work."""

    record_ids: list[int]
    membership: dict[int, tuple[int, bool]]  # record id -> (duplicate group, is primary)
    decisions: dict[int, list[ScreeningDecision]]  # the active ones, oldest first
    samples: dict[Stage, set[int]]
    not_retrieved: set[int]
    with_reports: set[int]
    # every decision on the records asked about, undone ones too (None when all records were read)
    all_decisions: list[ScreeningDecision] | None = None

    def with_decision(
        self, decision: ScreeningDecision, rules: dict[Stage, StageRule]
    ) -> ProgressFacts | None:
        """These facts after ``decision`` was stored; ``None`` when the decision could change the
        verification sample of other records (a partial sample in single-verified mode), which
        only a new read can tell."""
        rule = rules[decision.stage]
        if rule.mode == "single-verified" and not rule.sample.everything:
            return None
        decisions = dict(self.decisions)
        decisions[decision.record_id] = [*decisions.get(decision.record_id, []), decision]
        samples = dict(self.samples)
        if rule.mode == "single-verified" and decision.kind is DecisionKind.SCREEN:
            samples[decision.stage] = samples.get(decision.stage, set()) | {decision.record_id}
        known = None if self.all_decisions is None else [*self.all_decisions, decision]
        return replace(self, decisions=decisions, samples=samples, all_decisions=known)


def overview(workspace: Workspace) -> ScreeningOverview:
    with workspace.unit_of_work(write=False) as uow:
        return overview_in(uow, workspace)


def overview_in(
    uow: UnitOfWork, workspace: Workspace, only: Iterable[int] | None = None
) -> ScreeningOverview:
    """:func:`overview` inside a unit of work the caller already has open (of ``only`` these records)."""
    rules = stage_rules(workspace)
    facts = read_facts(uow, workspace.project.key, rules, only=only)
    return ScreeningOverview(
        records=progress_from(facts, rules), decisions=facts.decisions, samples=facts.samples
    )


def read_facts(
    uow: UnitOfWork, key: str, rules: dict[Stage, StageRule], only: Iterable[int] | None = None
) -> ProgressFacts:
    """The facts for every record, or for ``only`` these: a fixed handful of queries either way."""
    record_ids = list(only) if only is not None else uow.records.ids()
    wanted = record_ids if only is not None else None
    every = uow.screening.for_records(record_ids) if only is not None else None
    active = [d for d in every if d.active] if every is not None else uow.screening.active()
    decisions: dict[int, list[ScreeningDecision]] = {}
    for decision in active:
        decisions.setdefault(decision.record_id, []).append(decision)
    if wanted is not None:
        # full-text marks only matter past title/abstract: a record with no active decision letting
        # it through cannot be there, and most records asked about on a screening page are not
        wanted = [r for r in wanted if any(_past_first_stage(d) for d in decisions.get(r, []))]
    return ProgressFacts(
        record_ids=record_ids,
        membership=uow.dedup.membership(record_ids if only is not None else None),
        decisions=decisions,
        samples={
            stage: _sample(uow, key, stage, rules[stage], active if only is not None else None)
            for stage in Stage
        },
        not_retrieved=set(uow.fulltext.not_retrieved(wanted)) if wanted != [] else set(),
        with_reports=uow.fulltext.records_with_reports(wanted),
        all_decisions=every,
    )


def _past_first_stage(decision: ScreeningDecision) -> bool:
    """Whether the decision could be part of a record's way past title/abstract."""
    return decision.stage is Stage.FULL_TEXT or decision.vote is not Vote.EXCLUDE


def progress_from(facts: ProgressFacts, rules: dict[Stage, StageRule]) -> dict[int, RecordProgress]:
    """Each record's progress, derived from ``facts`` (no reading)."""
    records: dict[int, RecordProgress] = {}
    samples, membership = facts.samples, facts.membership
    for record_id in facts.record_ids:
        duplicate = record_id in membership and not membership[record_id][1]
        mine = facts.decisions.get(record_id, [])
        ta = (
            StageStatus.NOT_OPEN
            if duplicate
            else stage_status(
                mine,
                Stage.TITLE_ABSTRACT,
                rules[Stage.TITLE_ABSTRACT],
                in_sample=record_id in samples[Stage.TITLE_ABSTRACT],
            )
        )
        ft = StageStatus.NOT_OPEN
        if ta is StageStatus.INCLUDED:
            ft = stage_status(
                mine, Stage.FULL_TEXT, rules[Stage.FULL_TEXT], in_sample=record_id in samples[Stage.FULL_TEXT]
            )
        not_retrieved, with_report = record_id in facts.not_retrieved, record_id in facts.with_reports
        if ft is StageStatus.TO_SCREEN and not_retrieved and not with_report:
            # without its report the record cannot be assessed: it leaves the full-text queue
            ft = StageStatus.NOT_OPEN
        state = record_state(
            duplicate=duplicate,
            title_abstract=ta,
            full_text=ft,
            not_retrieved=not_retrieved,
            report_attached=with_report,
        )
        records[record_id] = RecordProgress(record_id, state, ta, ft)
    return records


def _sample(
    uow: UnitOfWork, key: str, stage: Stage, rule: StageRule, known: list[ScreeningDecision] | None = None
) -> set[int]:
    """The records in the verification sample of a single-verified stage. ``known``: the active
    decisions of the only records asked about; when every decision is checked, whether a record is
    in the sample depends on its own decisions alone, so the stage's other decisions need not be
    read (reading them on every decision made screening quadratic in the number of records)."""
    if rule.mode != "single-verified":
        return set()
    if known is not None and rule.sample.everything:
        return {d.record_id for d in known if d.stage is stage and d.kind is DecisionKind.SCREEN}
    first: dict[int, Vote] = {}
    for decision in uow.screening.active(stage):
        if decision.kind is DecisionKind.SCREEN:
            first.setdefault(decision.record_id, decision.vote)
    return verification_sample(first, rule.sample, key=key, stage=stage)
