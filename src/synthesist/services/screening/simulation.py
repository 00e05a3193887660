"""``synthesist simulate``: replay a labelled dataset with a prioritisation model and measure it.

The labels play the reviewer (ASReview's simulation mode). The figures are those of
:mod:`synthesist.screening.prioritise.metrics` (priors left out); the stopping rules of
:mod:`synthesist.screening.stopping` are evaluated on the same screening order, reporting when each
would have fired and the recall reached at that point — how much screening it would have saved, and
at what cost.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from synthesist.screening.prioritise import DEFAULT_RANKER, read_labelled_csv, simulate
from synthesist.screening.stopping import hypergeometric_stopping_point, knee_method

__all__ = ["run_simulation", "stop_points"]

_KNEE_EVERY = 10  # Cormack & Grossman check the knee at batch boundaries; every 10 records here


def stop_points(
    relevant_in_order: Sequence[bool],
    n_records: int,
    *,
    target_recall: float = 0.95,
    confidence: float = 0.95,
    n_consecutive: int = 100,
) -> list[dict[str, Any]]:
    """When each stopping rule would have fired on this screening order, and the recall then."""
    labels = list(relevant_in_order) + [False] * (n_records - len(relevant_in_order))
    n_relevant = sum(labels)
    found_by = [0]
    for label in labels:
        found_by.append(found_by[-1] + label)

    def point(rule: str, screened: int | None) -> dict[str, Any]:
        recall = None if screened is None or not n_relevant else found_by[screened] / n_relevant
        return {"rule": rule, "n_screened": screened, "recall": recall}

    hyper = hypergeometric_stopping_point(
        labels, n_records, target_recall=target_recall, confidence=confidence
    )
    run, consecutive = 0, None
    for index, label in enumerate(labels, start=1):
        run = 0 if label else run + 1
        if run >= n_consecutive:
            consecutive = index
            break
    knee = next(
        (
            k
            for k in range(_KNEE_EVERY, n_records + 1, _KNEE_EVERY)
            if knee_method(labels[:k], n_records).stop
        ),
        None,
    )
    return [point("hypergeometric", hyper), point("knee", knee), point("consecutive-irrelevant", consecutive)]


def run_simulation(
    data: Path,
    output: Path,
    *,
    model: str = DEFAULT_RANKER,
    seed: int = 0,
    n_prior_included: int = 1,
    n_prior_excluded: int = 1,
    batch_size: int = 1,
    target_recall: float = 0.95,
) -> dict[str, Any]:
    """Simulate, write the metrics JSON atomically to ``output`` and return it."""
    dataset = read_labelled_csv(data)
    result = simulate(
        dataset,
        ranker=model,
        seed=seed,
        n_prior_included=n_prior_included,
        n_prior_excluded=n_prior_excluded,
        batch_size=batch_size,
    )
    priors = set(result.prior_included) | set(result.prior_excluded)
    n_records = len(dataset.labels) - len(priors)
    relevant_in_order = [dataset.labels[index] for index in result.order if index not in priors]
    metrics = result.to_dict()
    metrics["stopping_rules"] = stop_points(relevant_in_order, n_records, target_recall=target_recall)
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(metrics, handle, indent=2)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return metrics
