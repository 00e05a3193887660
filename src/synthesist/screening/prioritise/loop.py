"""The active-learning loop: which record to screen next, given the decisions so far.

:class:`ActiveLearner` holds the records' features (computed once), the decisions, and the current
ranking. Asked for the next record it returns the highest-ranked record not decided yet; told a
decision it counts it, and once ``batch_size`` decisions have come in since the ranking was built it
builds a new one. ``batch_size=1`` retrains after every decision (what ASReview simulates); a larger
batch trades a little ranking quality for fewer retrains when a team screens fast on a large set.

How the ranking is built depends on what is known:

* **both** a relevant and an irrelevant record: the ranker's classifier is trained on every decision
  and scores the undecided records (:attr:`Source.MODEL`);
* only **relevant** records (seed studies the team already knows): with a ranker that uses
  pseudo-negatives (below) the classifier is trained on the seeds and those; otherwise records are
  ranked by their similarity to the seeds' mean feature vector (:attr:`Source.SEEDS` either way);
* **no relevant** record yet: records that match the protocol's include keywords come first, by
  their BM25 score (:attr:`Source.KEYWORDS`), and the rest follow in random order
  (:attr:`Source.RANDOM`).

**Pseudo-negatives** (Cormack & Grossman 2015, "Autonomy and reliability of continuous active
learning", the AutoTAR method): at each retrain, ``ranker.pseudo_negatives`` records drawn at random
from the whole collection join the training set labelled irrelevant, drawn afresh each time. A review
includes a few percent of its records, so a random draw is almost all irrelevant records; early on,
when a team has made a handful of decisions, they tell the classifier what an ordinary record of
this search looks like, which one or two real exclusions cannot. Later they are a small share of the
training set and matter little. The rare relevant record in a draw is outweighed by the real
decisions and changes with the next draw.

A ranking that can move up a step (the first relevant record, the first irrelevant one after
seeds) is rebuilt at once, whatever the batch size: the cold start should last no longer than it
has to.

Deterministic for a given seed: ties in any score are broken by one random permutation of the
records drawn from the seed, the classifier gets the same seed, and nothing else is random.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from synthesist.screening.prioritise.keywords import keyword_scores
from synthesist.screening.prioritise.models import Features, Ranker

__all__ = ["ActiveLearner", "Source", "Suggestion", "record_text"]


def record_text(title: str | None, abstract: str | None) -> str:
    """The text a ranker reads for one record: title and abstract, either may be missing."""
    return " ".join(part.strip() for part in (title, abstract) if part and part.strip())


class Source(StrEnum):
    """Why a record was suggested: what the ranking it came from was built on."""

    MODEL = "model"
    SEEDS = "similar to known relevant records"
    KEYWORDS = "matches include keywords"
    RANDOM = "random"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The next record to screen: its position in the texts, why, and its score (``None`` if random)."""

    index: int
    source: Source
    score: float | None


class _Phase(StrEnum):
    COLD = "cold"  # no relevant record known
    SEEDS = "seeds"  # relevant records known, no irrelevant one
    MODEL = "model"


class ActiveLearner:
    """Suggests records one at a time, most likely relevant first, learning from each decision.

    ``texts`` are the records' title + abstract (:func:`record_text`), in a fixed order: a record is
    its index in them. ``labels`` are the decisions known before screening starts (prior knowledge:
    seed studies, a pilot), ``True`` for relevant. ``keywords`` serve the cold start only.
    ``features`` lets a caller pass ``ranker.features(texts)`` computed earlier (they are the slow
    part, and several learners over the same records can share them).
    """

    def __init__(
        self,
        texts: Sequence[str],
        ranker: Ranker,
        *,
        labels: Mapping[int, bool] | None = None,
        keywords: Sequence[str] = (),
        batch_size: int = 1,
        seed: int = 0,
        features: Features | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        self._texts = texts
        self._n = len(texts)
        self._ranker = ranker
        self._keywords = tuple(keywords)
        self._batch_size = batch_size
        self._features = features if features is not None else ranker.features(texts)
        if self._features.shape[0] != self._n:
            raise ValueError(f"features have {self._features.shape[0]} rows for {self._n} texts")
        # One permutation breaks every tie, so equal scores come out in a random but repeatable order.
        self._tiebreak = np.random.default_rng(seed).permutation(self._n)
        # A separate stream for the pseudo-negative draws, so they do not shift the tie-break.
        self._draws = np.random.default_rng([seed, 1])
        self._decided = np.zeros(self._n, dtype=bool)
        self._relevant = np.zeros(self._n, dtype=bool)
        for index, relevant in (labels or {}).items():
            self._set(index, relevant)
        self._since_ranking = 0
        self._phase: _Phase | None = None
        self._order: NDArray[np.intp] = np.empty(0, dtype=np.intp)
        self._scores: NDArray[np.float64] = np.empty(0, dtype=np.float64)
        self._keyword_scores: NDArray[np.float64] | None = None  # computed at most once
        self._n_matched = 0  # in the cold start: how many records at the top matched a keyword
        self._position = 0
        self._retrain_seconds: list[float] = []
        self._pending: int | None = None

    @property
    def labels(self) -> Mapping[int, bool]:
        """Every decision so far, prior knowledge included, by record index."""
        return {int(i): bool(self._relevant[i]) for i in np.flatnonzero(self._decided)}

    @property
    def n_remaining(self) -> int:
        """Records not decided yet."""
        return self._n - int(np.count_nonzero(self._decided))

    @property
    def retrain_seconds(self) -> tuple[float, ...]:
        """Wall time of each classifier retrain (fit + scoring + ordering), in order."""
        return tuple(self._retrain_seconds)

    def label(self, index: int, relevant: bool) -> None:
        """Record a decision. Changing an earlier decision counts as a new decision."""
        self._set(index, relevant)
        self._since_ranking += 1
        if self._pending == index:
            self._pending = None

    def next(self) -> Suggestion | None:
        """The record to screen next, or ``None`` when every record is decided.

        Asking twice without a decision in between gives the same record."""
        if self.n_remaining == 0:
            return None
        self._refresh()
        while self._decided[self._order[self._position]]:
            self._position += 1
        return self._suggestion(self._position)

    def next_among(self, allowed: Collection[int]) -> Suggestion | None:
        """Like :meth:`next`, but the best-ranked undecided record among the ``allowed`` indices, or
        ``None`` when none is left. For a team: records the learner has not been told about may stop
        waiting for this reviewer (colleagues screened them), and walking past them in the current
        ranking costs far less than building and training a new learner without them."""
        if self.n_remaining == 0 or not allowed:
            return None
        self._refresh()
        while self._decided[self._order[self._position]]:
            self._position += 1
        wanted = allowed if isinstance(allowed, (set, frozenset)) else set(allowed)
        for position in range(self._position, len(self._order)):
            index = int(self._order[position])
            if index in wanted and not self._decided[index]:
                return self._suggestion(position)
        return None

    def ranking(self) -> list[Suggestion]:
        """Every undecided record, best first: the order :meth:`next` would suggest them in if no
        decision came in between. What a team's stored ranking keeps (services/screening/
        ranking_store.py), so that no process has to hold a learner."""
        if self.n_remaining == 0:
            return []
        self._refresh()
        return [
            self._suggestion(position)
            for position in range(len(self._order))
            if not self._decided[self._order[position]]
        ]

    def _refresh(self) -> None:
        phase = self._current_phase()
        # Irrelevant decisions do not change a keyword ranking: no point rebuilding it.
        stale = self._since_ranking >= self._batch_size and phase is not _Phase.COLD
        if phase != self._phase or stale:
            self._rank(phase)

    def _suggestion(self, position: int) -> Suggestion:
        index = int(self._order[position])
        source = self._source_at(position)
        score = None if source is Source.RANDOM else float(self._scores[position])
        return Suggestion(index=index, source=source, score=score)

    def __iter__(self) -> Iterator[Suggestion]:
        """Suggestions until every record is decided; label each one before asking for the next."""
        while (suggestion := self.next()) is not None:
            if self._pending == suggestion.index:
                raise RuntimeError(f"record {suggestion.index} was suggested but not labelled")
            self._pending = suggestion.index
            yield suggestion

    def _set(self, index: int, relevant: bool) -> None:
        if not 0 <= index < self._n:
            raise IndexError(f"record {index} is not among the {self._n} records")
        self._decided[index] = True
        self._relevant[index] = bool(relevant)

    def _current_phase(self) -> _Phase:
        n_relevant = int(np.count_nonzero(self._relevant))
        if n_relevant == 0:
            return _Phase.COLD
        if n_relevant == np.count_nonzero(self._decided):
            return _Phase.SEEDS
        return _Phase.MODEL

    def _rank(self, phase: _Phase) -> None:
        self._phase = phase
        self._since_ranking = 0
        self._position = 0
        undecided = np.flatnonzero(~self._decided)
        if phase is _Phase.MODEL or (phase is _Phase.SEEDS and self._ranker.pseudo_negatives):
            started = time.perf_counter()
            self._fit()
            scores = self._ranker.scores(self._features[undecided])
            self._set_order(undecided, scores)
            self._retrain_seconds.append(time.perf_counter() - started)
        elif phase is _Phase.SEEDS:
            relevant = np.flatnonzero(self._relevant)
            centroid = np.asarray(self._features[relevant].mean(axis=0), dtype=np.float64).ravel()
            scores = np.asarray(self._features[undecided] @ centroid, dtype=np.float64).ravel()
            self._set_order(undecided, scores)
        else:
            # Keyword matches first; the rest all score 0, so the tie-break puts them in random order.
            if self._keyword_scores is None:
                self._keyword_scores = keyword_scores(self._texts, self._keywords)
            matched = self._keyword_scores[undecided]
            self._set_order(undecided, matched)
            self._n_matched = int((matched > 0).sum())

    def _fit(self) -> None:
        # In record order, so the training set does not depend on the order decisions came in.
        decided = np.flatnonzero(self._decided)
        labels = self._relevant[decided]
        rows = decided
        n_pseudo = min(self._ranker.pseudo_negatives, self._n)
        if n_pseudo:
            drawn = np.sort(self._draws.choice(self._n, n_pseudo, replace=False))
            rows = np.concatenate([decided, drawn])
            labels = np.concatenate([labels, np.zeros(n_pseudo, dtype=bool)])
        self._ranker.fit(self._features[rows], labels)

    def _set_order(self, indices: NDArray[np.intp], scores: NDArray[np.float64]) -> None:
        order = np.lexsort((self._tiebreak[indices], -scores))
        self._order = indices[order]
        self._scores = scores[order]

    def _source_at(self, position: int) -> Source:
        if self._phase is _Phase.MODEL:
            return Source.MODEL
        if self._phase is _Phase.SEEDS:
            return Source.SEEDS
        return Source.KEYWORDS if position < self._n_matched else Source.RANDOM
