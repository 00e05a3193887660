"""The order of a reviewer's screening: most likely relevant first, learning from each decision.

:class:`PrioritisedQueue` is built once per screening session, for one workspace, reviewer and
stage. It computes the records' features once (the slow step: seconds for thousands of records)
and holds an :class:`~synthesist.screening.prioritise.ActiveLearner` over them. Before each
suggestion it reads the decisions again, because the rest of the team keeps screening while a
session runs, and passes the learner only the labels that are new or changed. :func:`prioritised_next`
does the same without a session. This is the terminal's queue, one reviewer's learner in one
process; the web app reads a ranking trained once for the team and stored instead
(:mod:`~synthesist.services.screening.ranking_store`), so that every server process offers the same.

**The order** of the records waiting for the reviewer (exactly those of
:func:`~synthesist.services.screening.decisions.next_records`):

1. *checks* (single-verified mode): another reviewer's decisions sampled for checking, in id
   order. They are a fixed amount of work whatever their relevance, and checking them early settles
   their outcome, which the ranking then learns from;
2. *seed studies* still to be screened by this reviewer, in id order: they are known to be
   relevant, so they are the most likely relevant records there are;
3. everything else, ranked by the learner (:class:`Reason`): by the model once a relevant and an
   irrelevant record are known, by similarity to the relevant ones before any irrelevant one is,
   and before anything relevant is known the records matching the keywords first, the rest at
   random. In dual mode the records the other reviewer has already screened are ranked with the
   rest and look like the rest: putting them first would tell the reviewer which records their
   colleague has done.

Prioritisation ranks title/abstract screening only, when ``[screening.prioritisation]`` is enabled;
at full text, when disabled, or with ``order=Order.ID``, the order is the records' id order.

**What the model learns from** (:func:`training_labels`), include and maybe counting as relevant:

* the stage's final outcomes (agreed, checked, resolved by consensus or single decisions);
* this reviewer's own votes on records not yet final;
* seed studies, until a decision above says otherwise.

Never another reviewer's vote that is not final: in blind dual screening that would leak it through
the ranking, and in single-verified mode a decision awaiting its check is not yet the team's.

Deterministic: the same records, labels and ``seed`` give the same order. ``retrain_every`` counts
every new label (this reviewer's decisions and the team's new final outcomes alike); the learner
is rebuilt, and so retrained at once, when a label has to be taken back (an undo, a seed removed),
when records arrive (an import), or when the record it would suggest is no longer waiting for this
reviewer.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from synthesist.errors import UserError
from synthesist.screening.model import DecisionKind, Stage, StageStatus, Vote
from synthesist.services.screening.decisions import ScreeningOverview, stage_rules, waiting_for
from synthesist.services.screening.overview_cache import OverviewCache
from synthesist.wording import plural
from synthesist.workspace import Workspace

# The ranking (NumPy, SciPy, scikit-learn: seconds to import) loads when a queue first ranks, not
# with this module, which every screening command imports.
if TYPE_CHECKING:
    from synthesist.screening.prioritise import ActiveLearner, Source, Suggestion
    from synthesist.screening.prioritise.models import Features

__all__ = ["NextRecord", "Order", "PrioritisedQueue", "Reason", "prioritised_next", "training_labels"]


class Order(StrEnum):
    PRIORITY = "priority"  # most likely relevant first (title/abstract, when the protocol enables it)
    ID = "id"  # the order the records were imported in


class Reason(StrEnum):
    """Why a record comes next."""

    CHECK = "check"
    SEED = "seed study"
    MODEL = "model"
    SIMILAR = "similar to known relevant records"
    KEYWORDS = "matches include keywords"
    RANDOM = "random"
    ID_ORDER = "id order"


def _reason(source: Source) -> Reason:
    from synthesist.screening.prioritise import Source  # loaded already: the suggestion came from it

    reasons = {
        Source.MODEL: Reason.MODEL,
        Source.SEEDS: Reason.SIMILAR,
        Source.KEYWORDS: Reason.KEYWORDS,
        Source.RANDOM: Reason.RANDOM,
    }
    return reasons[source]


@dataclass(frozen=True)
class NextRecord:
    """A record to screen, why it comes now, and how many records are waiting (this one included).

    ``score`` is the learner's (``None`` where the order is not a ranking); ``model`` and
    ``trained_on`` (how many labelled records the model last learned from) are set for
    :attr:`Reason.MODEL`."""

    record_id: int
    reason: Reason
    waiting: int
    score: float | None = None
    model: str | None = None
    trained_on: int | None = None

    def explain(self) -> str:
        """One line for the reviewer."""
        if self.reason is Reason.MODEL:
            return (
                f"ranked by model ({self.model}, retrained after {plural(self.trained_on or 0, 'decision')})"
            )
        return {
            Reason.CHECK: "a check of another reviewer's decision (checks come first)",
            Reason.SEED: "a seed study (known to be relevant, and screened like any other)",
            Reason.SIMILAR: "similar to the records known to be relevant (no irrelevant one yet)",
            Reason.KEYWORDS: "matches include keywords",
            Reason.RANDOM: "random (no relevant record known yet)",
            Reason.ID_ORDER: "in id order",
        }[self.reason]


def training_labels(
    view: ScreeningOverview,
    reviewer: str,
    stage: Stage,
    seeds: Collection[int],
    waiting: Collection[int],
) -> dict[int, bool]:
    """What the ranking may learn for ``reviewer``, by record id (``True`` for relevant): final
    outcomes, then the reviewer's own votes, then seed studies. Records waiting for the reviewer
    get no label from a decision (a seed study keeps its own), so that they stay to be suggested."""
    labels = {record_id: True for record_id in seeds}
    for record_id, progress in view.records.items():
        status = progress.at(stage)
        if status is StageStatus.NOT_OPEN:
            labels.pop(record_id, None)
        elif status.final:
            labels[record_id] = status is StageStatus.INCLUDED
        elif record_id not in waiting:
            own = [
                d
                for d in view.decisions.get(record_id, [])
                if d.stage is stage and d.reviewer == reviewer and d.kind is not DecisionKind.CONSENSUS
            ]
            if own:
                labels[record_id] = max(own, key=lambda d: d.id).vote is not Vote.EXCLUDE
    return labels


@dataclass(frozen=True)
class _State:
    """The screening as one read saw it."""

    waiting: list[int]  # every record waiting for the reviewer, id order
    checks: list[int]  # of those, the checks
    seeds: list[int]  # of those, the seed studies
    labels: dict[int, bool]
    open: list[int]  # records open at the stage (their texts are ranked)


class PrioritisedQueue:
    """One reviewer's screening queue at one stage, for the length of a session.

    ``order`` overrides the protocol (``None``: priority at title/abstract when
    ``[screening.prioritisation] enabled``, else id order). Building it computes the features of
    every record open at the stage, so build it once and call :meth:`next` for each record."""

    def __init__(
        self, workspace: Workspace, reviewer: str, stage: Stage, *, order: Order | None = None
    ) -> None:
        settings = workspace.project.protocol.screening.prioritisation
        if order is Order.PRIORITY and stage is not Stage.TITLE_ABSTRACT:
            raise UserError(
                "prioritisation ranks title/abstract screening only",
                hint="Full texts come in id order; leave out --order.",
            )
        if order is None:
            order = Order.PRIORITY if settings.enabled and stage is Stage.TITLE_ABSTRACT else Order.ID
        self.order = order
        self._workspace = workspace
        self._reviewer = reviewer
        self._stage = stage
        self._mode = stage_rules(workspace)[stage].mode
        self.model = settings.model
        self._retrain_every = settings.retrain_every
        self._seed = settings.seed
        self._keywords = workspace.project.protocol.screening.ranking_keywords
        self._rows: dict[int, int] = {}  # record id -> row of the features
        self._texts: list[str] = []
        self._features: Features = None  # computed by _prepare
        self._learner: ActiveLearner | None = None
        self._pool: list[int] = []  # record id of each learner index
        self._index: dict[int, int] = {}
        self._fed: dict[int, bool] = {}  # labels the learner has, by record id
        self._retrains = 0
        self._trained_on: int | None = None
        # The overview the latest suggestion was made from, so a caller showing progress beside the
        # record need not read every decision a second time.
        self.last_overview: ScreeningOverview | None = None
        self._overviews = OverviewCache()  # reads again only the records whose decisions changed
        if order is Order.PRIORITY:
            self._prepare(self._read().open)

    def next(self, *, skip: Collection[int] = ()) -> NextRecord | None:
        """The record to screen next (none of ``skip``), or ``None`` when nothing is waiting.
        Asking again without a decision in between gives the same record."""
        state = self._read()
        waiting = [record_id for record_id in state.waiting if record_id not in skip]
        if not waiting:
            return None
        if self.order is Order.ID:
            return NextRecord(waiting[0], Reason.ID_ORDER, len(waiting))
        for reason, found in ((Reason.CHECK, state.checks), (Reason.SEED, state.seeds)):
            chosen = [record_id for record_id in found if record_id not in skip]
            if chosen:
                return NextRecord(chosen[0], reason, len(waiting))
        candidates = self._candidates(state, skip)
        learner = self._sync(state.labels, candidates)
        # The learner may still hold records that have stopped waiting for this reviewer (colleagues
        # screened them, or they were skipped): the best-ranked record still waiting is taken, and
        # the learner is not rebuilt, which in a busy team would mean a retrain on every page.
        suggestion = learner.next_among({self._index[record_id] for record_id in candidates})
        if suggestion is None:
            return None
        self._note_retrain(learner)
        return self._suggested(suggestion, self._pool, len(waiting), self._trained_on)

    def upcoming(self, limit: int | None = None) -> list[NextRecord]:
        """The next ``limit`` records (all without a limit) in the order :meth:`next` would give them
        if the ranking did not change in between; the ranking is built afresh for the list."""
        state = self._read()
        limit = len(state.waiting) if limit is None else limit
        if self.order is Order.ID:
            return [NextRecord(r, Reason.ID_ORDER, len(state.waiting)) for r in state.waiting[:limit]]
        found = [NextRecord(r, Reason.CHECK, len(state.waiting)) for r in state.checks]
        found += [NextRecord(r, Reason.SEED, len(state.waiting)) for r in state.seeds]
        candidates = self._candidates(state, ())
        if len(found) >= limit or not candidates:
            return found[:limit]
        self._ensure_features(candidates | set(state.labels))
        # A learner of its own that does not retrain during the walk (its batch is longer than the
        # walk), each suggestion labelled the way that keeps the ranking in the same phase:
        # irrelevant while nothing relevant is known, relevant afterwards (see ActiveLearner).
        walker, pool = self._new_learner(state.labels, candidates, batch_size=limit + 1)
        while len(found) < limit and (suggestion := walker.next()) is not None:
            found.append(self._suggested(suggestion, pool, len(state.waiting), len(state.labels)))
            walker.label(suggestion.index, _reason(suggestion.source) not in (Reason.KEYWORDS, Reason.RANDOM))
        return found

    # reading --------------------------------------------------------------------------------------

    def _read(self) -> _State:
        with self._workspace.unit_of_work(write=False) as uow:
            view = self._overviews.read(uow, self._workspace)
            self.last_overview = view
            seeds: set[int] = set()
            if self.order is Order.PRIORITY:
                for seed in uow.screening.seeds():
                    # A seed merged into a duplicate group later counts for the group's primary.
                    group = uow.dedup.group_of(seed.record_id)
                    seeds.add(group.primary_id if group is not None else seed.record_id)
        waiting = waiting_for(view, self._mode, self._reviewer, self._stage)
        waiting_set = set(waiting)
        labels = (
            training_labels(view, self._reviewer, self._stage, seeds, waiting_set)
            if self.order is Order.PRIORITY
            else {}
        )
        checks = [r for r in waiting if view.records[r].at(self._stage) is StageStatus.AWAITING_CHECK]
        return _State(
            waiting=waiting,
            checks=checks,
            seeds=[r for r in waiting if r in seeds and r not in checks],
            labels=labels,
            open=[r for r, p in view.records.items() if p.at(self._stage) is not StageStatus.NOT_OPEN],
        )

    @staticmethod
    def _candidates(state: _State, skip: Collection[int]) -> set[int]:
        """The records the learner may suggest: waiting, not a check or a seed, not skipped."""
        set_aside = set(state.checks) | set(state.seeds) | set(skip)
        return {r for r in state.waiting if r not in set_aside and r not in state.labels}

    # the learner ----------------------------------------------------------------------------------

    def _prepare(self, record_ids: list[int]) -> None:
        """Compute the features of these records: the slow step, once per session (again only if
        records are imported during it)."""
        from synthesist.screening.prioritise import get_ranker, record_text

        with self._workspace.unit_of_work(write=False) as uow:
            stored = uow.records.get_many(record_ids, with_raw=False)
        ids = sorted(stored)
        self._rows = {record_id: row for row, record_id in enumerate(ids)}
        self._texts = [record_text(stored[r].record.title, stored[r].record.abstract) for r in ids]
        self._features = get_ranker(self.model, seed=self._seed).features(self._texts)
        self._learner = None

    def _ensure_features(self, record_ids: Collection[int]) -> None:
        if any(record_id not in self._rows for record_id in record_ids):
            self._prepare(sorted(set(self._rows) | set(record_ids)))

    def _sync(self, labels: Mapping[int, bool], candidates: set[int]) -> ActiveLearner:
        """The session's learner, told the labels that are new or changed; rebuilt when that is not
        enough (a label taken back, a record it does not hold)."""
        pool = candidates | set(labels)
        self._ensure_features(pool)
        if (
            self._learner is None
            or any(record_id not in self._index for record_id in pool)
            or any(record_id not in labels for record_id in self._fed)
        ):
            return self._build(labels, candidates)
        for record_id in sorted(labels):
            if self._fed.get(record_id) != labels[record_id]:
                self._learner.label(self._index[record_id], labels[record_id])
                self._fed[record_id] = labels[record_id]
        return self._learner

    def _build(self, labels: Mapping[int, bool], candidates: set[int]) -> ActiveLearner:
        self._learner, self._pool = self._new_learner(labels, candidates, batch_size=self._retrain_every)
        self._index = {record_id: index for index, record_id in enumerate(self._pool)}
        self._fed = dict(labels)
        self._retrains = 0
        return self._learner

    def _new_learner(
        self, labels: Mapping[int, bool], candidates: set[int], *, batch_size: int
    ) -> tuple[ActiveLearner, list[int]]:
        """A learner over the labelled records and the candidates, and the record id of each of its
        indices (record id order, so the same records and labels give the same learner)."""
        import numpy as np

        from synthesist.screening.prioritise import ActiveLearner, get_ranker

        pool = sorted(candidates | set(labels))
        index = {record_id: i for i, record_id in enumerate(pool)}
        rows = np.asarray([self._rows[record_id] for record_id in pool], dtype=np.intp)
        learner = ActiveLearner(
            [self._texts[row] for row in rows],
            get_ranker(self.model, seed=self._seed),
            labels={index[record_id]: relevant for record_id, relevant in labels.items()},
            keywords=self._keywords,
            batch_size=batch_size,
            seed=self._seed,
            features=self._features[rows],
        )
        return learner, pool

    def _note_retrain(self, learner: ActiveLearner) -> None:
        retrains = len(learner.retrain_seconds)
        if retrains > self._retrains:
            self._retrains = retrains
            self._trained_on = len(learner.labels)

    def _suggested(
        self, suggestion: Suggestion, pool: list[int], waiting: int, trained_on: int | None
    ) -> NextRecord:
        reason = _reason(suggestion.source)
        by_model = reason is Reason.MODEL
        return NextRecord(
            record_id=pool[suggestion.index],
            reason=reason,
            waiting=waiting,
            score=suggestion.score,
            model=self.model if by_model else None,
            trained_on=trained_on if by_model else None,
        )


def prioritised_next(
    workspace: Workspace, reviewer: str, stage: Stage, *, limit: int | None = None, order: Order | None = None
) -> list[int]:
    """The ids of the records waiting for ``reviewer`` at ``stage``, next first, as a new
    :class:`PrioritisedQueue` would give them (for callers that keep no session)."""
    return [
        item.record_id for item in PrioritisedQueue(workspace, reviewer, stage, order=order).upcoming(limit)
    ]
