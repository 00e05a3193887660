"""How well a screening order finds the relevant records: recall curve, WSS@95, recall@10%/20%, loss.

Pure functions of one input: the records' relevance in the order they were screened. We follow the
conventions of ``asreview-insights`` (the metrics ASReview's simulations are reported with), so our
figures can be set beside theirs:

* **Prior knowledge is left out.** The records labelled before screening started (the prior
  relevant and irrelevant records a simulation starts from, seed studies) are neither screened
  nor counted: ``n_records`` is the records *left to screen* and ``n_relevant`` the relevant
  records among them. Pass only the order after the priors. (asreview-insights' default,
  ``priors=False``.)
* **Recall curve**: after screening ``k`` records (``k`` = 1 ... ``n_records``), the share of the
  ``n_relevant`` records found.
* **Recall at x%** (RRF@x, O'Mara-Eves et al. 2015): the recall after screening ``floor(x% of
  n_records)`` records, the last point of the curve not past x% (0 when that is no record at all).
* **WSS@95** as the issue defines it, Cohen et al. (2006, JAMIA 13:206-219):
  ``(n_records - n_screened_at_95) / n_records - 0.05``, where ``n_screened_at_95`` is the fewest
  records screened for a recall of at least 95%. (asreview-insights' own WSS compares with a
  rounded random curve instead and differs by a record or so; Cohen's form is the one the
  reference figures in ``shared/benchmarks`` are in.) A perfect order scores
  ``1 - ceil(0.95 n_relevant) / n_records - 0.05``, random screening about 0.
* **Loss** (asreview-insights 1.3): the area between the perfect recall curve and the actual one,
  over the area between the perfect and the worst curve (relevant records all last), the areas
  being sums of the number found after each record. 0 for a perfect order, 1 for the worst.

The 95% threshold is compared in integers (``100 * found >= 95 * n_relevant``), so a recall of
exactly 95% (19 of 20) counts as reaching it, which ``found / n_relevant >= 0.95`` can miss by
rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

__all__ = ["ScreeningMetrics", "recall_at", "screening_metrics"]


@dataclass(frozen=True, slots=True)
class ScreeningMetrics:
    """The figures for one screening order (priors left out); see the module docstring."""

    n_records: int
    n_relevant: int
    n_screened_at_95: int
    wss_95: float
    recall_at_10pct: float
    recall_at_20pct: float
    loss: float
    found_at: tuple[int, ...]
    """When each relevant record was found: its 1-based position in the screening order."""

    @property
    def recall_curve(self) -> tuple[float, ...]:
        """The recall after each screened record, ``n_records`` values."""
        curve = [0] * self.n_records
        for position in self.found_at:
            curve[position - 1] = 1
        return tuple(found / self.n_relevant for found in accumulate(curve))

    def to_dict(self, *, curve: bool = True) -> dict[str, Any]:
        """Plain numbers and lists, JSON-ready; ``curve=False`` leaves out the ``n_records``-long curve."""
        result: dict[str, Any] = {
            "n_records": self.n_records,
            "n_relevant": self.n_relevant,
            "n_screened_at_95": self.n_screened_at_95,
            "wss_95": self.wss_95,
            "recall_at_10pct": self.recall_at_10pct,
            "recall_at_20pct": self.recall_at_20pct,
            "loss": self.loss,
            "found_at": list(self.found_at),
        }
        if curve:
            result["recall_curve"] = list(self.recall_curve)
        return result


def screening_metrics(relevant_in_order: Sequence[bool], *, n_records: int | None = None) -> ScreeningMetrics:
    """The metrics for records screened in this order (``True`` for relevant), priors left out.

    A simulation may stop once it has found every relevant record: pass the order up to there and
    the size of the whole pool as ``n_records``; the records not passed count as irrelevant and
    screened last, which changes no metric.

    Raises ``ValueError`` when there is no relevant record (every metric would divide by zero) or
    when ``n_records`` is smaller than the order passed.
    """
    total = len(relevant_in_order) if n_records is None else n_records
    if total < len(relevant_in_order):
        raise ValueError(f"n_records ({total}) is smaller than the {len(relevant_in_order)} records passed")
    found_at = tuple(position for position, relevant in enumerate(relevant_in_order, start=1) if relevant)
    n_relevant = len(found_at)
    if n_relevant == 0:
        raise ValueError("no relevant record among those screened: recall is undefined")

    # The fewest records for >= 95% recall: the position of the ceil(0.95 R)-th relevant record.
    needed = -(-95 * n_relevant // 100)
    n_at_95 = found_at[needed - 1]
    # Sum over k = 1..N of the number found after k records: each relevant record found at
    # position p adds 1 for every k >= p.
    area = sum(total - position + 1 for position in found_at)
    best = n_relevant * total - n_relevant * (n_relevant - 1) // 2
    worst = n_relevant * (n_relevant + 1) // 2
    loss = (best - area) / (best - worst) if best != worst else 0.0
    return ScreeningMetrics(
        n_records=total,
        n_relevant=n_relevant,
        n_screened_at_95=n_at_95,
        wss_95=(total - n_at_95) / total - 0.05,
        recall_at_10pct=recall_at(found_at, total, 10),
        recall_at_20pct=recall_at(found_at, total, 20),
        loss=loss,
        found_at=found_at,
    )


def recall_at(found_at: Sequence[int], n_records: int, percent: int) -> float:
    """The recall after screening ``floor(percent% of n_records)`` records, from the 1-based
    positions at which the relevant records were found."""
    if not found_at:
        raise ValueError("no relevant record: recall is undefined")
    screened = n_records * percent // 100
    return sum(1 for position in found_at if position <= screened) / len(found_at)
