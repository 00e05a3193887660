"""How many votes a record takes at a stage, and when a vote is fixed. Pure.

A stage's mode says how many reviewers vote on a record: one in ``single`` mode, two in
``single-verified`` (the first reviewer and the one who checks) and ``dual`` mode. The rules below
turn that into refusals, so that the record's status, the agreement statistics and the audit trail
only ever rest on votes cast as the protocol says:

* a vote from a reviewer beyond those the mode takes is refused, not stored and ignored;
* once both votes are in, each reviewer has seen the other's (the status tells them), so neither
  may undo or change theirs any more: a disagreement, or a change of mind, is the team's consensus
  decision, and kappa is computed from the votes as they were first compared;
* a record is settled by consensus at most once per stage (the database holds the same rule as a
  unique index, :mod:`synthesist.storage.schema`).

Each function returns ``None`` when the step is allowed, else the refusal as (message, hint). The
service raises them as :class:`~synthesist.errors.InvalidTransition` (HTTP 409), inside the
transaction that holds the record's lock, so concurrent voters are answered in turn and truthfully.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from synthesist.screening.model import DecisionKind, ScreeningDecision, Stage, StageStatus

__all__ = ["consensus_refusal", "undo_refusal", "vote_refusal", "voters", "votes_taken"]

Refusal = tuple[str, str]

_RESOLVE_HINT = (
    "A consensus decision settles it: `synthesist screen resolve {record} include|exclude "
    "--stage {stage} --with NAME --with NAME` (on the web: Conflicts)."
)


def votes_taken(mode: str) -> int:
    """How many reviewers vote on a record at a stage in ``mode``."""
    return 1 if mode == "single" else 2


def voters(decisions: Iterable[ScreeningDecision], stage: Stage) -> list[str]:
    """The reviewers with an active vote (screen or check) on the record at ``stage``, in the order
    they first voted."""
    ordered: dict[str, None] = {}
    for decision in sorted(decisions, key=lambda d: d.id):
        if decision.active and decision.stage is stage and decision.kind is not DecisionKind.CONSENSUS:
            ordered.setdefault(decision.reviewer, None)
    return list(ordered)


def _consensus(decisions: Iterable[ScreeningDecision], stage: Stage) -> ScreeningDecision | None:
    settled = [d for d in decisions if d.active and d.stage is stage and d.kind is DecisionKind.CONSENSUS]
    return max(settled, key=lambda d: d.id) if settled else None


def _settled_by_consensus(consensus: ScreeningDecision, record_id: int, stage: Stage) -> Refusal:
    return (
        f"record {record_id} was settled at {stage.label} by consensus ({consensus.reviewer}: "
        f"{consensus.vote.value}, decision {consensus.id}); no further vote counts there",
        f"The consensus stands in the record's history (`synthesist screen decisions {record_id}`).",
    )


def vote_refusal(
    mode: str, decisions: Sequence[ScreeningDecision], reviewer: str, record_id: int, stage: Stage
) -> Refusal | None:
    """Why ``reviewer`` may not vote on the record now (``decisions``: all of its decisions)."""
    consensus = _consensus(decisions, stage)
    if consensus is not None:
        return _settled_by_consensus(consensus, record_id, stage)
    cast = voters(decisions, stage)
    room = votes_taken(mode)
    if reviewer not in cast and len(cast) >= room:
        taken = " and ".join(cast)
        if room == 1:
            return (
                f"record {record_id} is already decided at {stage.label} by {taken}; "
                f'{stage.label} screening is single-reviewer (mode = "single"), so it takes one vote',
                f"{taken} may change their own decision. For two reviewers per record set mode = "
                '"dual" or "single-verified" under [screening] in review.toml.',
            )
        return (
            f"record {record_id} already has its two votes at {stage.label} ({taken}); "
            f"a third vote would not count",
            "Each record takes two reviewers' votes in this mode; pick another record from your queue.",
        )
    if reviewer in cast and room == 2 and len(cast) == 2:
        other = next(name for name in cast if name != reviewer)
        return (
            f"both votes on record {record_id} at {stage.label} are in and you have seen {other}'s, "
            "so your vote can no longer change",
            _RESOLVE_HINT.format(record=record_id, stage=stage.value),
        )
    return None


def undo_refusal(
    mode: str, decisions: Sequence[ScreeningDecision], undoing: ScreeningDecision
) -> Refusal | None:
    """Why ``undoing`` (one of ``decisions``, the record's) may not be undone now."""
    record_id, stage = undoing.record_id, undoing.stage
    if undoing.kind is DecisionKind.CONSENSUS:
        return None
    consensus = _consensus(decisions, stage)
    if consensus is not None:
        return (
            f"your {undoing.vote.value} on record {record_id} at {stage.label} (decision {undoing.id}) "
            f"cannot be undone: the team settled the record by consensus (decision {consensus.id})",
            "Votes behind a consensus stay as they were cast.",
        )
    cast = voters(decisions, stage)
    if votes_taken(mode) == 2 and len(cast) == 2:
        other = next(name for name in cast if name != undoing.reviewer)
        return (
            f"your {undoing.vote.value} on record {record_id} at {stage.label} (decision {undoing.id}) "
            f"cannot be undone: both votes are in and you have seen {other}'s",
            "Votes are fixed once compared, so agreement statistics stay true. "
            + _RESOLVE_HINT.format(record=record_id, stage=stage.value),
        )
    return None


def consensus_refusal(
    mode: str, decisions: Sequence[ScreeningDecision], status: StageStatus, record_id: int, stage: Stage
) -> Refusal | None:
    """Why a consensus decision may not be recorded on the record now: it is taken once, on a record
    whose votes are all in (a conflict, or an outcome the team wants to overturn)."""
    consensus = _consensus(decisions, stage)
    if consensus is not None:
        return _settled_by_consensus(consensus, record_id, stage)
    if status is StageStatus.CONFLICT:
        return None
    if votes_taken(mode) == 2 and len(voters(decisions, stage)) == 2:
        return None
    return (
        f"record {record_id} is not in conflict at {stage.label} (it is {status.value})",
        "A consensus decision settles a record once its reviewers' votes are all in; "
        "`synthesist screen conflicts` lists the records to resolve.",
    )
