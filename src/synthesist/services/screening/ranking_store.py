"""Stored screening rankings: a model trained once per review and stage, the next record a query.

The terminal session keeps a learner in memory for its reviewer (queue.py). A server cannot: a
learner per reviewer in each web process took 5-8 s to build for the first page, held state that
another process did not see, and re-derived the statuses on each decision. Here instead:

* :func:`train_ranking` (run by the background job "screening.rank") trains one model for the team
  on the stage's settled outcomes and the seed studies, and stores its whole ranking of the records
  still to be settled as a new version (the last three are kept), in one transaction with its event;
* :func:`next_record` is a query: checks waiting for this reviewer first (single-verified), then the
  seed studies waiting for them, then the best-ranked record they may still vote on, then the
  records the ranking does not hold yet (newly imported) in id order, so a page never waits for a
  training. The database filters on the votes cast; the few records it returns are checked against
  the screening rules read afresh, so a record with all the votes its mode needs is offered to no
  one, whichever process asks;
* :func:`needs_training` says when the stored model is stale and :func:`request_training` asks for a
  job (once), or trains in-line when the jobs package is missing and no model exists at all.

What the model learns from, for the whole team: final outcomes and seed studies, never a vote that
is not final (in dual screening that would leak one reviewer's vote to the other through the order).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Collection
from datetime import UTC, datetime, timedelta
from typing import Any

from synthesist.errors import Conflict, UserError
from synthesist.events import ScreeningRankingTrained
from synthesist.ports import UnitOfWork
from synthesist.screening.model import Stage, StageStatus
from synthesist.screening.stored_ranking import RankingPhase, StoredModel
from synthesist.services.screening.decisions import ScreeningOverview, overview_in, stage_rules, waiting_for
from synthesist.services.screening.queue import NextRecord, Reason, training_labels
from synthesist.services.screening.queue_context import QueueContext, queue_context, seed_ids
from synthesist.services.screening.queue_context import ranked as _ranked
from synthesist.workspace import Workspace

__all__ = [
    "JOB_KIND",
    "latest_model",
    "needs_training",
    "next_record",
    "next_record_in",
    "offer",
    "register_job_runner",
    "request_training",
    "retrain_threshold",
    "train_ranking",
]

log = logging.getLogger(__name__)

JOB_KIND = "screening.rank"
KEEP_VERSIONS = 3
# A server retrains no more often than every this many decisions (a busy team would otherwise keep
# a worker training all day), except while the review is young and each decision moves the ranking.
SERVER_MIN_RETRAIN = 10
YOUNG_REVIEW = 50
_BATCH = 50  # candidates read per query after the first
# The first query reads only a few: almost always the first candidate is offered, and each one read
# is checked against the screening rules (a re-read of its decisions) before it is.
_FIRST_BATCH = 6
_RANK_WINDOW = 200  # ranks one query looks through (see SqlRankingRepository.ranked_candidates)
# How long a record shown to a reviewer counts as theirs to decide: a screener reads a record in
# seconds to a minute; one who walked away stops holding it after this.
OFFER_LAPSE = timedelta(minutes=10)


_DECISION_EVENTS = ("screening.decided", "screening.undone")
# Logged changes that alter what the ranking holds or learns from, whatever the count of decisions.
_RERANK_EVENTS = (
    "records.imported",
    "screening.seed_added",
    "screening.seed_removed",
    "dedup.split",
    "dedup.undone",
    "project.restored",
)

Progress = Callable[[int, int | None, str | None], None]

# A process asks for a training of one review's stage at most this often (seconds): every page
# asks, and a job that keeps failing must not be queued again on every page.
ASK_EVERY = 15.0
_asked: dict[tuple[str, Stage], float] = {}
_asked_lock = threading.Lock()


# training -------------------------------------------------------------------------------------------


def train_ranking(workspace: Workspace, stage: Stage, progress: Progress | None = None) -> StoredModel:
    """Train the team's model for ``stage`` and store its ranking as a new version. Reads in one
    snapshot, trains (seconds for thousands of records), then writes in one transaction with its
    event; ``progress(done, total, message)`` is told of each step before the write (a job's
    progress bar, which raises to cancel the job)."""
    if not _ranked(workspace, stage):
        raise UserError(
            f"{stage.label} screening is not ranked",
            hint="Prioritisation ranks title/abstract screening when review.toml's "
            "[screening.prioritisation] has enabled = true.",
        )
    from synthesist.screening.prioritise import ActiveLearner, Source, get_ranker, record_text

    def step(done: int, message: str) -> None:
        if progress is not None:
            progress(done, 4, message)

    settings = workspace.project.protocol.screening.prioritisation
    step(0, "reading the records and decisions")
    with workspace.unit_of_work(write=False) as uow:
        latest = uow.events.list(limit=1)
        last_event_id = latest[0].id if latest else 0
        view = overview_in(uow, workspace)
        seeds = seed_ids(uow)
        labels = training_labels(view, "", stage, seeds, ())  # no reviewer: final outcomes and seeds only
        pool = sorted(r for r, p in view.records.items() if p.at(stage) is not StageStatus.NOT_OPEN)
        open_ids = set(pool)
        labels = {r: relevant for r, relevant in labels.items() if r in open_ids}
        stored = uow.records.get_many(pool, with_raw=False)
    texts = [record_text(stored[r].record.title, stored[r].record.abstract) for r in pool]
    ranking: list[tuple[int, float | None]] = []
    phase = RankingPhase.COLD
    if len(labels) < len(pool):
        step(1, f"computing the features of {len(pool)} records")
        ranker = get_ranker(settings.model, seed=settings.seed)
        index = {record_id: i for i, record_id in enumerate(pool)}
        learner = ActiveLearner(
            texts,
            ranker,
            labels={index[r]: relevant for r, relevant in labels.items()},
            keywords=workspace.project.protocol.screening.ranking_keywords,
            seed=settings.seed,
        )
        step(2, f"training on {len(labels)} labelled records")
        suggestions = learner.ranking()
        sources = {suggestion.source for suggestion in suggestions}
        if Source.MODEL in sources:
            phase = RankingPhase.MODEL
        elif Source.SEEDS in sources:
            phase = RankingPhase.SEEDS
        ranking = [(pool[s.index], s.score if s.source is not Source.RANDOM else None) for s in suggestions]
    step(3, f"storing the ranking of {len(ranking)} records")
    with workspace.unit_of_work() as uow:
        model = uow.rankings.store(
            stage,
            model=settings.model,
            decisions=len(labels),
            last_event_id=last_event_id,
            phase=phase,
            ranking=ranking,
            keep=KEEP_VERSIONS,
        )
        uow.events.append(
            ScreeningRankingTrained(
                model_id=model.id,
                stage=stage.value,
                version=model.version,
                model=model.model,
                decisions=model.decisions,
                records=model.records,
                phase=model.phase.value,
            ),
            workspace.actor,
        )
        uow.commit()
    # no progress call after the commit: a job's progress raises once a cancel is asked for, and a
    # job that says "cancelled" must have written nothing
    return model


def latest_model(workspace: Workspace, stage: Stage) -> StoredModel | None:
    with workspace.unit_of_work(write=False) as uow:
        return uow.rankings.latest(stage)


def retrain_threshold(retrain_every: int, decisions: int) -> int:
    """Decisions between two trainings on a server: the protocol's ``retrain_every``, at least
    :data:`SERVER_MIN_RETRAIN` once the review has :data:`YOUNG_REVIEW` decisions, and at least a
    tenth of the decisions so far: one more decision moves a model trained on many very little, and
    a training costs seconds of CPU on the machine serving the pages (the load benchmark's 50
    reviewers set off ~30 trainings a review at every 10 decisions)."""
    if decisions < YOUNG_REVIEW:
        return retrain_every
    return max(retrain_every, SERVER_MIN_RETRAIN, decisions // 10)


def needs_training(workspace: Workspace, stage: Stage) -> bool:
    """Whether the stored ranking of ``stage`` is missing or stale: enough decisions since it was
    trained (:func:`retrain_threshold`), or records imported, seed studies changed, or duplicates
    split since, or the protocol names another model. Never for a stage that is not ranked."""
    if not _ranked(workspace, stage):
        return False
    with workspace.unit_of_work(write=False) as uow:
        return _needs_training_in(uow, workspace, stage)


def _needs_training_in(uow: UnitOfWork, workspace: Workspace, stage: Stage) -> bool:
    model = uow.rankings.latest(stage)
    settings = workspace.project.protocol.screening.prioritisation
    if model is None or model.model != settings.model:  # none yet, or review.toml names another
        return True
    if uow.rankings.logged_since(model.last_event_id, _RERANK_EVENTS):
        return True
    every = settings.retrain_every
    # counted up to the largest threshold there can be, which also tells whether the review is young
    at_most = max(every, SERVER_MIN_RETRAIN, YOUNG_REVIEW)
    since = uow.rankings.changes_since(
        model.last_event_id, stage, decision_types=_DECISION_EVENTS, at_most=at_most
    )
    return since >= retrain_threshold(every, model.decisions + since)


def request_training(workspace: Workspace, stage: Stage) -> int | None:
    """Ask for a new ranking when :func:`needs_training` says so: a "screening.rank" job (one at a
    time per review and stage), whose id is returned. Without the jobs package, train in-line, and
    only when no ranking exists at all (the page then waits once, as it used to for every reviewer).
    Asked again within :data:`ASK_EVERY` seconds in this process, it does nothing."""
    key, now = (str(workspace.project.root), stage), time.monotonic()
    with _asked_lock:
        if now - _asked.get(key, -ASK_EVERY) < ASK_EVERY:
            return None
        _asked[key] = now
    if not needs_training(workspace, stage):
        return None
    try:
        from synthesist.services.jobs import submit_job
    except ImportError:
        if latest_model(workspace, stage) is None:
            with contextlib.suppress(Conflict):  # another process stored one first: that one serves
                train_ranking(workspace, stage)
        return None
    try:
        return int(submit_job(workspace, JOB_KIND, {"stage": stage.value}, once=True))
    except UserError as error:
        # a queue that cannot be reached must not take screening down: the stored ranking (or id
        # order) still serves every page, and the next page asks again
        log.warning("could not queue the %s ranking: %s", stage.label, error)
        return None


# the next record ------------------------------------------------------------------------------------


def next_record(
    workspace: Workspace, reviewer: str, stage: Stage, *, skip: Collection[int] = ()
) -> NextRecord | None:
    """The record ``reviewer`` screens next at ``stage`` (none of ``skip``), or ``None``."""
    with workspace.unit_of_work(write=False) as uow:
        return next_record_in(uow, workspace, reviewer, stage, overview_in(uow, workspace), skip=skip)


def next_record_in(
    uow: UnitOfWork,
    workspace: Workspace,
    reviewer: str,
    stage: Stage,
    view: ScreeningOverview,
    *,
    skip: Collection[int] = (),
    context: QueueContext | None = None,
) -> NextRecord | None:
    """:func:`next_record` in the caller's unit of work. ``view`` may be an overview read earlier
    (a process's cache): it gives the count of records waiting and proposes the checks and seed
    studies, but every record offered is first read again in ``uow`` and checked to be waiting.
    ``context``: the seeds and model as read with ``view`` (read here when not given)."""
    mode = stage_rules(workspace)[stage].mode
    skipped = set(skip)
    waiting = [r for r in waiting_for(view, mode, reviewer, stage) if r not in skipped]
    count = len(waiting)
    # Records colleagues are reading now are passed over while they lack no more votes than readers
    # (see ``offer``): a team sharing one ranking would otherwise all read the same record.
    held_since = datetime.now(UTC) - OFFER_LAPSE

    def still_waiting(record_ids: list[int]) -> list[int]:
        if not record_ids:
            return []
        fresh = overview_in(uow, workspace, only=record_ids)
        now = set(waiting_for(fresh, mode, reviewer, stage))
        return [r for r in record_ids if r in now]

    def first_waiting(record_ids: list[int]) -> int | None:
        for start in range(0, len(record_ids), _BATCH):
            found = still_waiting(record_ids[start : start + _BATCH])
            if found:
                return found[0]
        return None

    # a check is the one vote its record lacks: one colleague reading it is enough
    checks = [r for r in waiting if view.records[r].at(stage) is StageStatus.AWAITING_CHECK]
    if checks:  # single-verified only: who is reading which check now (dual and single have none)
        held = uow.rankings.held_by_others(stage, reviewer, held_since)
        checks = [r for r in checks if r not in held]
    if (check := first_waiting(checks)) is not None:
        return NextRecord(check, Reason.CHECK, count)
    ranked = _ranked(workspace, stage)
    if ranked and context is None:
        context = queue_context(uow, workspace)
    if ranked and context is not None and context.seeds:
        seeds = context.seeds
        if (seed := first_waiting([r for r in waiting if r in seeds and r not in checks])) is not None:
            return NextRecord(seed, Reason.SEED, count)
    # A check (single-verified) is a second vote on a record with one: it came above; the rest
    # need a record without any vote, or in dual mode with fewer than two.
    votes_below = 2 if mode == "dual" else 1
    model = context.model if ranked and context is not None else None
    if model is not None:
        after, top = -1, model.records - 1  # ranks run from 0 without gaps
        while after < top:
            batch = uow.rankings.ranked_candidates(
                model.id,
                stage,
                reviewer=reviewer,
                votes_below=votes_below,
                skip=skipped,
                after_rank=after,
                limit=_FIRST_BATCH,
                held_since=held_since,
                window=_RANK_WINDOW,
            )
            if not batch:
                after += _RANK_WINDOW
                continue
            offered = still_waiting([item.record_id for item in batch])
            if offered:
                chosen = next(item for item in batch if item.record_id == offered[0])
                return _from_model(model, chosen.record_id, chosen.score, count)
            after = batch[-1].rank
    after_id = 0
    while True:
        ids = uow.rankings.unranked_candidates(
            model.id if model is not None else None,
            stage,
            reviewer=reviewer,
            votes_below=votes_below,
            skip=skipped,
            after_id=after_id,
            limit=_FIRST_BATCH if after_id == 0 else _BATCH,
            held_since=held_since,
        )
        if not ids:
            return None
        offered = still_waiting(ids)
        if offered:
            return NextRecord(offered[0], Reason.ID_ORDER, max(count, 1))
        after_id = ids[-1]


def offer(workspace: Workspace, reviewer: str, stage: Stage, item: NextRecord) -> bool:
    """Note that ``reviewer`` is now shown ``item`` (their one current offer at ``stage``): until
    the offer lapses (:data:`OFFER_LAPSE`, or they are shown another record), colleagues are offered
    it only while it lacks more votes than it has readers. ``False`` when a colleague claimed the
    record's last vote since it was chosen (the caller chooses again). Fairness, not correctness:
    the database still refuses a vote beyond the mode's."""
    with workspace.unit_of_work() as uow:
        if item.reason is Reason.CHECK:  # a check is one vote on a record that has one already
            uow.rankings.offer(stage, reviewer, item.record_id)
            claimed = True
        else:
            mode = stage_rules(workspace)[stage].mode
            claimed = uow.rankings.claim(
                stage,
                reviewer,
                item.record_id,
                votes_below=2 if mode == "dual" else 1,
                held_since=datetime.now(UTC) - OFFER_LAPSE,
            )
        uow.commit()
    return claimed


def _from_model(model: StoredModel, record_id: int, score: float | None, waiting: int) -> NextRecord:
    if model.phase is RankingPhase.MODEL:
        return NextRecord(
            record_id, Reason.MODEL, waiting, score=score, model=model.model, trained_on=model.decisions
        )
    if model.phase is RankingPhase.SEEDS:
        return NextRecord(record_id, Reason.SIMILAR, waiting, score=score)
    if score is not None and score > 0:
        return NextRecord(record_id, Reason.KEYWORDS, waiting, score=score)
    return NextRecord(record_id, Reason.RANDOM, waiting)


# the job ----------------------------------------------------------------------------------------------


def _stage_param(params: dict[str, Any]) -> Stage:
    text = str(params.get("stage", Stage.TITLE_ABSTRACT.value)).replace("_", "-")
    try:
        return Stage(text)
    except ValueError:
        raise UserError(
            f"{params.get('stage')!r} is not a screening stage",
            hint='Use "title-abstract" (the ranked stage).',
        ) from None


def _run_job(workspace: Workspace, params: dict[str, Any], context: Any) -> dict[str, Any]:
    """The "screening.rank" runner: ``params`` {"stage": "title-abstract"}; the job context's
    progress (which raises when the job is cancelled) follows the training's steps."""
    model = train_ranking(workspace, _stage_param(params), progress=context.progress)
    return {
        "stage": model.stage.value,
        "version": model.version,
        "model": model.model,
        "phase": model.phase.value,
        "decisions": model.decisions,
        "records": model.records,
    }


def register_job_runner() -> bool:
    """Register the "screening.rank" runner with the jobs package, if it is installed (a worker
    imports this module when it first meets the kind, which registers it)."""
    try:
        from synthesist.services.jobs import register_runner
    except ImportError:
        return False
    register_runner(JOB_KIND, _run_job)
    return True


register_job_runner()
