"""What screening shows: agreement between reviewers, the export's screening columns, and the
blinding of dual screening (a reviewer never sees another's vote before the two are compared)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from synthesist.errors import UserError
from synthesist.events import LoggedEvent, ScreeningStopRecorded
from synthesist.ports import UnitOfWork
from synthesist.screening.agreement import Agreement, agreement
from synthesist.screening.model import DecisionKind, ScreeningDecision, Stage, StageStatus, Vote
from synthesist.screening.status import StageRule
from synthesist.screening.stopping import RULES, StopVerdict, check_all
from synthesist.services.screening.decisions import ScreeningOverview, overview, overview_in, stage_rules
from synthesist.workspace import Workspace

__all__ = [
    "PairAgreement",
    "StopCheck",
    "agreement_by_pair",
    "blinded",
    "decision_json",
    "record_stop",
    "redact_blind_events",
    "screening_columns",
    "stop_check",
    "visible_decisions",
    "visible_decisions_in",
]


def screening_columns(
    view: ScreeningOverview, record_id: int, rules: dict[Stage, StageRule] | None = None
) -> dict[str, str | None]:
    """The export columns for one record: its state, its status and decisions at each stage. With
    ``rules``, votes still blind (dual screening, not yet compared) are left out."""
    progress = view.records.get(record_id)
    if progress is None:
        return {}
    columns: dict[str, str | None] = {"screening_state": progress.state.value}
    for stage, prefix in ((Stage.TITLE_ABSTRACT, "title_abstract"), (Stage.FULL_TEXT, "full_text")):
        status = progress.at(stage)
        decisions = [d for d in view.decisions.get(record_id, []) if d.stage is stage and d.active]
        final = view.final_decision(record_id, stage) if status.final else None
        columns[f"{prefix}_status"] = None if status is StageStatus.NOT_OPEN else status.value
        if rules is not None and blinded(view, rules, record_id, stage):
            decisions = []  # blind dual screening: no vote shown before the two are compared
        columns[f"{prefix}_decisions"] = (
            "; ".join(
                f"{d.reviewer}: {d.vote.value}"
                + (f" ({d.kind.value})" if d.kind is not DecisionKind.SCREEN else "")
                for d in decisions
            )
            or None
        )
        columns[f"{prefix}_reason"] = final.reason if final and status is StageStatus.EXCLUDED else None
    return columns


def blinded(view: ScreeningOverview, rules: dict[Stage, StageRule], record_id: int, stage: Stage) -> bool:
    """Whether decisions on this record at ``stage`` are still hidden from other reviewers: dual
    screening before the two votes are compared."""
    progress = view.records.get(record_id)
    return (
        progress is not None
        and rules[stage].mode == "dual"
        and progress.at(stage) in (StageStatus.TO_SCREEN, StageStatus.AWAITING_SECOND)
    )


def redact_blind_events(workspace: Workspace, events: list[LoggedEvent], viewer: str) -> list[LoggedEvent]:
    """The event log as ``viewer`` may see it: another reviewer's vote on a record still in blind
    dual screening is shown as hidden (the event itself stays, so the audit trail is complete)."""
    rules = stage_rules(workspace)
    if all(rule.mode != "dual" for rule in rules.values()):
        return events
    view = overview(workspace)
    shown = []
    for event in events:
        payload = event.payload
        if (
            event.type in ("screening.decided", "screening.undone")
            and payload.get("reviewer") != viewer
            and blinded(view, rules, int(payload["record_id"]), Stage(payload["stage"]))
        ):
            # a note or labels can give a vote away as surely as the vote itself
            hidden: dict[str, Any] = {
                "vote": "hidden (blind screening)",
                "reason": None,
                "note": None,
                "labels": [],
            }
            event = replace(event, payload={**payload, **hidden})
        shown.append(event)
    return shown


def visible_decisions(workspace: Workspace, record_id: int, viewer: str) -> list[ScreeningDecision]:
    """The decisions on a record that ``viewer`` may see: in dual mode, before the two reviewers'
    votes are compared (a conflict or an agreement), only the viewer's own ones (blind screening)."""
    with workspace.unit_of_work(write=False) as uow:
        return visible_decisions_in(uow, workspace, record_id, viewer)


def visible_decisions_in(
    uow: UnitOfWork, workspace: Workspace, record_id: int, viewer: str
) -> list[ScreeningDecision]:
    """:func:`visible_decisions` inside a unit of work the caller already has open."""
    rules = stage_rules(workspace)
    uow.records.get(record_id)
    view = overview_in(uow, workspace, only=[record_id])
    decisions = uow.screening.for_records([record_id])
    return [d for d in decisions if d.reviewer == viewer or not blinded(view, rules, record_id, d.stage)]


def decision_json(decision: ScreeningDecision) -> dict[str, Any]:
    """The one JSON shape of a screening decision, for every adapter (``screen decisions --json``,
    ``screen conflicts --json``, the web's ``decisions.json``). Pass only decisions the reader may
    see (:func:`visible_decisions`): the shape holds the note and labels."""
    return {
        "decision_id": decision.id,
        "stage": decision.stage.value,
        "reviewer": decision.reviewer,
        "vote": decision.vote.value,
        "kind": decision.kind.value,
        "reason": decision.reason,
        "note": decision.note,
        "labels": list(decision.labels),
        "participants": list(decision.participants),
        "decided_at": decision.decided_at.isoformat(),
        "undone_at": decision.undone_at.isoformat() if decision.undone_at else None,
        "active": decision.active,
    }


@dataclass(frozen=True)
class PairAgreement:
    stage: Stage
    reviewers: tuple[str, str]
    agreement: Agreement[str]


def agreement_by_pair(workspace: Workspace, stage: Stage) -> list[PairAgreement]:
    """Agreement of every pair of reviewers who both decided some records at ``stage`` (dual
    screening, or a first decision and its check), before any consensus. At title/abstract a "maybe"
    counts as include, since both let the record through; at full text it is its own category."""
    view = overview(workspace)
    votes: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for decisions in view.decisions.values():
        latest: dict[str, ScreeningDecision] = {}
        for decision in sorted(decisions, key=lambda d: d.id):
            if decision.active and decision.stage is stage and decision.kind is not DecisionKind.CONSENSUS:
                latest[decision.reviewer] = decision
        names = sorted(latest)
        for i, first in enumerate(names):
            for second in names[i + 1 :]:
                pair = votes.setdefault((first, second), [])
                pair.append((_category(latest[first].vote, stage), _category(latest[second].vote, stage)))
    categories = ["include", "exclude"] if stage is Stage.TITLE_ABSTRACT else ["include", "exclude", "maybe"]
    return [
        PairAgreement(stage, pair, agreement(ratings, categories=categories))
        for pair, ratings in sorted(votes.items())
    ]


def _category(vote: Vote, stage: Stage) -> str:
    return "include" if vote is Vote.MAYBE and stage is Stage.TITLE_ABSTRACT else vote.value


@dataclass(frozen=True)
class StopCheck:
    screened: int  # records with a first title/abstract decision, in the order decided
    pool: int  # records to screen at title/abstract (duplicates left out)
    relevant_found: int
    verdicts: list[StopVerdict]


def stop_check(
    workspace: Workspace,
    *,
    target_recall: float = 0.95,
    confidence: float = 0.95,
    n_consecutive: int = 100,
    viewer: str | None = None,
    view: ScreeningOverview | None = None,
) -> StopCheck:
    """What each stopping rule says about title/abstract screening so far. The screening order is
    the order of each record's first decision; a record counts as relevant when that decision let it
    through (include or maybe), as the stopping rules' authors count a screener's judgement.

    With ``viewer``, another reviewer's vote on a record still blind to the viewer (dual screening
    before the two votes are compared) is left out: the counts would otherwise tell the viewer how
    many of those records their colleague let through. ``view``: an overview the caller has just
    read (the web page has its queue's), so that every record and decision is not read again."""
    view = view if view is not None else overview(workspace)
    rules = stage_rules(workspace) if viewer is not None else None
    first: dict[int, ScreeningDecision] = {}
    for decisions in view.decisions.values():
        for decision in decisions:
            counts = decision.active and decision.stage is Stage.TITLE_ABSTRACT
            if counts and rules is not None and decision.reviewer != viewer:
                counts = not blinded(view, rules, decision.record_id, Stage.TITLE_ABSTRACT)
            if counts and decision.kind is DecisionKind.SCREEN:
                earlier = first.get(decision.record_id)
                if earlier is None or decision.id < earlier.id:
                    first[decision.record_id] = decision
    ordered = sorted(first.values(), key=lambda d: d.id)
    labels = [decision.vote is not Vote.EXCLUDE for decision in ordered]
    pool = sum(
        1
        for progress in view.records.values()
        if progress.at(Stage.TITLE_ABSTRACT) is not StageStatus.NOT_OPEN
    )
    verdicts = check_all(
        labels, pool, target_recall=target_recall, confidence=confidence, n_consecutive=n_consecutive
    )
    return StopCheck(len(labels), pool, sum(labels), verdicts)


def record_stop(workspace: Workspace, rule: str, **options: Any) -> StopVerdict:
    """Record that screening stopped on ``rule``'s word (the report quotes it); refused when the rule
    does not say stop."""
    if rule not in RULES:
        raise UserError(f"unknown stopping rule {rule!r}", hint=f"Rules: {', '.join(RULES)}.")
    check = stop_check(workspace, **options)
    verdict = next(v for v in check.verdicts if v.rule == rule)
    if not verdict.stop:
        raise UserError(f"the {rule} rule does not say stop yet: {verdict.summary}")
    with workspace.unit_of_work() as uow:
        uow.events.append(
            ScreeningStopRecorded(
                rule=rule,
                screened=check.screened,
                pool=check.pool,
                relevant_found=check.relevant_found,
                verdict=verdict.summary,
                assumes=verdict.assumes,
                estimated_recall=verdict.estimated_recall,
                target_recall=options.get("target_recall", 0.95),
                confidence=options.get("confidence", 0.95),
            ),
            workspace.actor,
        )
        uow.commit()
    return verdict
