"""A screening ranking as stored for a review and stage: the model's version and the order it gave.

A model is trained once for the whole team (a background job), and its ranking of every record
still to be settled is stored whole, so that any web process finds a reviewer's next record with a
query instead of holding a learner in memory (services/screening/ranking_store.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from synthesist.screening.model import Stage

__all__ = ["RankedRecord", "RankingPhase", "StoredModel"]


class RankingPhase(StrEnum):
    """What the ranking was built on, as :class:`~synthesist.screening.prioritise.ActiveLearner`'s
    phases: a classifier (relevant and irrelevant records known), similarity to the relevant records
    (no irrelevant one yet), or the include keywords then random order (nothing relevant known)."""

    MODEL = "model"
    SEEDS = "seeds"
    COLD = "cold"


@dataclass(frozen=True)
class StoredModel:
    id: int
    stage: Stage
    version: int  # 1, 2, ... per review and stage; the last few are kept
    model: str  # the ranker's name, e.g. "svm"
    decisions: int  # labelled records it learnt from (final outcomes and seed studies)
    last_event_id: int  # the review's log as it stood when the training read it
    trained_at: datetime
    phase: RankingPhase
    records: int = 0  # records in its ranking


@dataclass(frozen=True)
class RankedRecord:
    record_id: int
    rank: int  # 0 is the most likely relevant
    score: float | None  # None where the order is random
