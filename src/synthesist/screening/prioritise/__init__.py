"""Screening prioritisation: rank records so the likely relevant ones are screened first.

* :mod:`.models` — the :class:`Ranker` plug-in interface, its registry (``synthesist.rankers``
  entry points) and the built-in rankers (TF-IDF with a linear SVM, logistic regression or naive
  Bayes; a sentence-embedding ranker where the optional model package is installed);
* :mod:`.loop` — :class:`ActiveLearner`, which suggests the next record and retrains as decisions
  come in, with a cold start from keywords and seed studies;
* :mod:`.simulation` and :mod:`.metrics` — replay a labelled dataset and measure how fast the
  relevant records were found (WSS@95, recall at 10% and 20%, loss, the recall curve).

All pure: no database, no printing. The screening service and ``synthesist simulate`` call these.

The names below are imported on first use: the package is on the way to :mod:`.names`, which every
command reads with the protocol, and :mod:`.models` loads scikit-learn and SciPy (seconds).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from synthesist.screening.prioritise.loop import ActiveLearner, Source, Suggestion, record_text
    from synthesist.screening.prioritise.metrics import ScreeningMetrics, screening_metrics
    from synthesist.screening.prioritise.models import Ranker, available_rankers, get_ranker, register_ranker
    from synthesist.screening.prioritise.simulation import (
        LabelledDataset,
        SimulationResult,
        StoppingRule,
        StopPoint,
        read_labelled_csv,
        simulate,
    )

from synthesist.screening.prioritise.names import DEFAULT_RANKER

_SUBMODULE = {
    "ActiveLearner": "loop",
    "Source": "loop",
    "Suggestion": "loop",
    "record_text": "loop",
    "ScreeningMetrics": "metrics",
    "screening_metrics": "metrics",
    "Ranker": "models",
    "available_rankers": "models",
    "get_ranker": "models",
    "register_ranker": "models",
    "LabelledDataset": "simulation",
    "SimulationResult": "simulation",
    "StoppingRule": "simulation",
    "StopPoint": "simulation",
    "read_labelled_csv": "simulation",
    "simulate": "simulation",
}


def __getattr__(name: str) -> Any:
    if name not in _SUBMODULE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_SUBMODULE[name]}"), name)
    globals()[name] = value  # once imported, found like any module attribute
    return value


__all__ = [
    "DEFAULT_RANKER",
    "ActiveLearner",
    "LabelledDataset",
    "Ranker",
    "ScreeningMetrics",
    "SimulationResult",
    "Source",
    "StopPoint",
    "StoppingRule",
    "Suggestion",
    "available_rankers",
    "get_ranker",
    "read_labelled_csv",
    "record_text",
    "register_ranker",
    "screening_metrics",
    "simulate",
]
