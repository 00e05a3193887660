"""Screening: deciding, undoing, resolving conflicts, the reviewer's queue, and where every record stands.

Each write is one transaction with its event. The status of every record is derived from the active
decisions (:mod:`synthesist.screening.status`) each time it is asked for, so it can never disagree
with the decisions, and the PRISMA counts always use the final ones.

Blind dual screening: while a record is not yet in conflict, a reviewer sees only their own decisions
on it (:func:`visible_decisions`); the other reviewer's vote appears once the two disagree or agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from synthesist.errors import Conflict, InvalidTransition, NotFound, ReasonRefused, UserError
from synthesist.events import ScreeningDecided, ScreeningDecisionUndone
from synthesist.ports import UnitOfWork
from synthesist.records.clean import remove_controls
from synthesist.review.protocol import ScreeningStage
from synthesist.screening.model import (
    ACTIONS,
    Action,
    DecisionKind,
    NewDecision,
    RecordState,
    ScreeningDecision,
    Stage,
    StageStatus,
    Vote,
)
from synthesist.screening.status import StageRule
from synthesist.screening.vote_rules import consensus_refusal, undo_refusal, vote_refusal
from synthesist.services.screening.progress import (
    ProgressFacts,
    RecordProgress,
    ScreeningOverview,
    overview,
    overview_in,
    progress_from,
    read_facts,
    stage_rules,
)
from synthesist.workspace import Workspace

__all__ = [
    "DecisionResult",
    "RecordProgress",
    "ScreeningOverview",
    "decide",
    "decide_in",
    "next_records",
    "overview",
    "overview_in",
    "resolve_conflict",
    "stage_rules",
    "undo_decision",
    "waiting_for",
]

_ACTION = {Stage.TITLE_ABSTRACT: Action.DECIDE_TITLE_ABSTRACT, Stage.FULL_TEXT: Action.DECIDE_FULL_TEXT}


@dataclass(frozen=True)
class DecisionResult:
    decision_id: int
    kind: DecisionKind
    status: StageStatus  # the record's status at the stage after the decision
    state: RecordState


def decide(
    workspace: Workspace,
    record_id: int,
    stage: Stage,
    vote: Vote,
    *,
    reviewer: str,
    reason: str | None = None,
    note: str | None = None,
    labels: Sequence[str] = (),
) -> DecisionResult:
    """Record a reviewer's decision. The kind follows from the stage's mode: in single-verified
    screening, a decision on a record another reviewer has decided is that reviewer's check."""
    with workspace.unit_of_work() as uow:
        result = decide_in(uow, workspace, NewDecision(record_id, stage, reviewer, vote, reason=reason,
                                                       note=note, labels=tuple(labels)))  # fmt: skip
        uow.commit()
    return result


def decide_in(uow: UnitOfWork, workspace: Workspace, new: NewDecision) -> DecisionResult:
    """:func:`decide` inside a unit of work the caller holds (an import of many decisions is one
    transaction). ``new.kind`` is worked out here; the one given is ignored."""
    rules = stage_rules(workspace)
    record_id, stage, reviewer = new.record_id, new.stage, new.reviewer
    _check_reviewer(workspace, stage, reviewer)
    reason = _check_reason(workspace, stage, new.vote, new.reason)
    if not uow.screening.lock_record(record_id):  # voters on one record are answered in turn
        uow.records.get(record_id)  # raises the "no such record" error
    facts = read_facts(uow, workspace.project.key, rules, only=[record_id])
    before = progress_from(facts, rules)[record_id]
    allowed = ACTIONS[_ACTION[stage]]
    if before.state not in allowed:
        raise InvalidTransition(
            f"record {record_id} is {before.state.value}; it cannot be decided at {stage.label}",
            hint="Decisions at full text need the record included at title/abstract; duplicates are "
            "not screened (`synthesist dedup show --record ID`).",
        )
    existing = facts.all_decisions or []
    mode = rules[stage].mode
    _refuse(vote_refusal(mode, existing, reviewer, record_id, stage))
    kind = DecisionKind.SCREEN
    if mode == "single-verified":
        others = {
            d.reviewer
            for d in existing
            if d.active and d.stage is stage and d.kind is DecisionKind.SCREEN and d.reviewer != reviewer
        }
        if others:
            kind = DecisionKind.VERIFY
    note = remove_controls(new.note) if new.note else new.note
    chosen = NewDecision(record_id, stage, reviewer, new.vote, kind, reason, note, new.labels)
    return _store(uow, chosen, workspace, rules, facts)


def _store(
    uow: UnitOfWork,
    new: NewDecision,
    workspace: Workspace,
    rules: dict[Stage, StageRule],
    facts: ProgressFacts,
) -> DecisionResult:
    """Store the decision and its event; the record's progress after it is derived from ``facts``
    (read before, under the record's lock) and the decision, not read again."""
    decision_id = uow.screening.add(new)
    uow.events.append(
        ScreeningDecided(
            decision_id=decision_id,
            record_id=new.record_id,
            stage=new.stage.value,
            reviewer=new.reviewer,
            vote=new.vote.value,
            kind=new.kind.value,
            reason=new.reason,
            note=new.note,
            labels=list(new.labels),
            participants=list(new.participants),
        ),
        workspace.actor,
    )
    stored = ScreeningDecision(
        decision_id, new.record_id, new.stage, new.reviewer, new.vote, new.kind, datetime.now(UTC),
        new.reason, new.note, tuple(new.labels), tuple(new.participants),
    )  # fmt: skip
    known = facts.with_decision(stored, rules)
    if known is None:  # a partial verification sample: only a new read tells
        known = read_facts(uow, workspace.project.key, rules, only=[new.record_id])
    after = progress_from(known, rules)[new.record_id]
    return DecisionResult(decision_id, new.kind, after.at(new.stage), after.state)


def _refuse(refusal: tuple[str, str] | None) -> None:
    if refusal is not None:
        message, hint = refusal
        raise InvalidTransition(message, hint=hint)


def _check_reviewer(workspace: Workspace, stage: Stage, reviewer: str) -> None:
    section = _section(workspace, stage)
    if not reviewer.strip():
        raise UserError("name the reviewer", hint="Pass --reviewer NAME (or --as NAME).")
    if section.reviewers and reviewer not in section.reviewers:
        raise UserError(
            f"{reviewer!r} is not a reviewer for {stage.label} screening",
            hint=f"review.toml lists: {', '.join(section.reviewers)}. "
            "Add the name there, or check its spelling.",
        )


def _section(workspace: Workspace, stage: Stage) -> ScreeningStage:
    screening = workspace.project.protocol.screening
    return screening.title_abstract if stage is Stage.TITLE_ABSTRACT else screening.full_text


def _check_reason(workspace: Workspace, stage: Stage, vote: Vote, reason: str | None) -> str | None:
    """At full text an exclusion needs one of the protocol's reasons (PRISMA counts them); given as the
    reason's text (case-insensitive) or its number in the list."""
    reason = remove_controls(reason).strip() if reason else None
    reasons = workspace.project.protocol.screening.exclusion_reasons
    if vote is not Vote.EXCLUDE:
        if reason and stage is Stage.FULL_TEXT:
            raise ReasonRefused(
                "a reason only goes with an exclusion",
                problem="not an exclusion",
                hint="Use --note for other remarks.",
            )
        return reason
    if stage is Stage.TITLE_ABSTRACT or not reasons:
        if stage is Stage.FULL_TEXT and not reason:
            raise ReasonRefused(
                "excluding at full text needs a reason",
                problem="missing",
                hint="Pass --reason; list the allowed reasons as exclusion_reasons in review.toml "
                "[screening].",
            )
        return reason
    if not reason:
        listed = "; ".join(f"{n}. {text}" for n, text in enumerate(reasons, start=1))
        raise ReasonRefused(
            "excluding at full text needs one of the protocol's reasons",
            problem="missing",
            hint=f"--reason: {listed}",
        )
    if reason.isdigit() and 1 <= int(reason) <= len(reasons):
        return reasons[int(reason) - 1]
    for known in reasons:
        if known.casefold() == reason.casefold():
            return known
    listed = "; ".join(f"{n}. {text}" for n, text in enumerate(reasons, start=1))
    raise ReasonRefused(
        f"{reason!r} is not an exclusion reason in review.toml",
        problem="unknown",
        hint=f"Use one of: {listed}",
    )


def undo_decision(
    workspace: Workspace, *, reviewer: str, stage: Stage, decision_id: int | None = None
) -> ScreeningDecision:
    """Undo the reviewer's latest decision at ``stage`` (or the one named). The decision stays in the
    history, marked undone; the record goes back to where it was before it. Refused once the
    record's votes have been compared (:func:`~synthesist.screening.vote_rules.undo_refusal`)."""
    mode = stage_rules(workspace)[stage].mode
    with workspace.unit_of_work() as uow:
        decision: ScreeningDecision | None
        if decision_id:
            decision = _own_decision(uow, decision_id, reviewer)
        else:
            decision = uow.screening.latest_by(reviewer, stage)
        if decision is None:
            raise NotFound(f"{reviewer} has no decision at {stage.label} to undo")
        uow.screening.lock_record(decision.record_id)  # in turn with a colleague's vote on it
        decision = uow.screening.get(decision.id)  # as it is now that the record is ours
        if not decision.active:
            raise Conflict(f"decision {decision.id} was already undone by {decision.undone_by}")
        if decision.stage is not stage:
            mode = stage_rules(workspace)[decision.stage].mode
        _refuse(undo_refusal(mode, uow.screening.for_records([decision.record_id]), decision))
        uow.screening.undo(decision.id, by=reviewer)
        uow.events.append(
            ScreeningDecisionUndone(
                decision.id, decision.record_id, decision.stage.value, decision.reviewer, decision.vote.value
            ),
            workspace.actor,
        )
        uow.commit()
    return decision


def _own_decision(uow: UnitOfWork, decision_id: int, reviewer: str) -> ScreeningDecision:
    """The reviewer's decision ``decision_id``; a colleague's answers as an unknown id does, so ids
    cannot be probed for votes that may still be blind."""
    try:
        decision = uow.screening.get(decision_id)
    except NotFound:
        decision = None
    if decision is None or decision.reviewer != reviewer:
        raise NotFound(
            f"no decision {decision_id} of {reviewer}'s to undo",
            hint="`synthesist screen decisions RECORD_ID` lists a record's decisions; each reviewer "
            "undoes their own, and a consensus decision settles a disagreement.",
        )
    return decision


def resolve_conflict(
    workspace: Workspace,
    record_id: int,
    stage: Stage,
    vote: Vote,
    *,
    participants: Sequence[str],
    reason: str | None = None,
    note: str | None = None,
) -> DecisionResult:
    """Settle a record with the team's consensus decision (who took part is recorded): a conflict,
    or a record whose votes are all in and whose outcome the team overturns. Once per stage."""
    rules = stage_rules(workspace)
    people = tuple(dict.fromkeys(name.strip() for name in participants if name.strip()))
    if len(people) < 2:
        raise UserError("a consensus needs the people who took part", hint="Pass --with NAME at least twice.")
    reason = _check_reason(workspace, stage, vote, reason)
    with workspace.unit_of_work() as uow:
        uow.records.get(record_id)
        uow.screening.lock_record(record_id)  # two owners settling one record: the second is refused
        facts = read_facts(uow, workspace.project.key, rules, only=[record_id])
        before = progress_from(facts, rules)[record_id]
        existing = facts.all_decisions or []
        _refuse(consensus_refusal(rules[stage].mode, existing, before.at(stage), record_id, stage))
        new = NewDecision(
            record_id, stage, " & ".join(people), vote, DecisionKind.CONSENSUS, reason, note, (), people
        )
        result = _store(uow, new, workspace, rules, facts)
        uow.commit()
    return result


def next_records(workspace: Workspace, reviewer: str, stage: Stage, *, limit: int | None = None) -> list[int]:
    """The records waiting for this reviewer at ``stage``, in id order: not yet screened; in dual mode
    those the other reviewer did but this one did not; in single-verified mode also the sampled
    decisions of others waiting for a check. (:mod:`synthesist.services.screening.queue` orders them
    by likely relevance.)"""
    return waiting_for(overview(workspace), stage_rules(workspace)[stage].mode, reviewer, stage, limit=limit)


def waiting_for(
    view: ScreeningOverview, mode: str, reviewer: str, stage: Stage, *, limit: int | None = None
) -> list[int]:
    """:func:`next_records` from an overview the caller already has (``mode``: the stage's)."""
    waiting: list[int] = []
    for record_id, progress in view.records.items():
        status = progress.at(stage)
        mine = [d for d in view.decisions.get(record_id, []) if d.stage is stage and d.reviewer == reviewer]
        if status is StageStatus.TO_SCREEN or (
            mode == "dual" and status is StageStatus.AWAITING_SECOND and not mine
        ):
            waiting.append(record_id)
        elif mode == "single-verified" and status is StageStatus.AWAITING_CHECK:
            first = [
                d
                for d in view.decisions.get(record_id, [])
                if d.stage is stage and d.kind is DecisionKind.SCREEN
            ]
            if first and first[0].reviewer != reviewer:
                waiting.append(record_id)
        if limit is not None and len(waiting) >= limit:
            break
    return waiting
