"""Screening prioritisation: rank records so the likely relevant ones are screened first.

* :mod:`.models` — the :class:`Ranker` plug-in interface, its registry (``synthesist.rankers``
  entry points) and the built-in rankers (TF-IDF with a linear SVM, logistic regression or naive
  Bayes; a sentence-embedding ranker where the optional model package is installed);
* :mod:`.loop` — :class:`ActiveLearner`, which suggests the next record and retrains as decisions
  come in, with a cold start from keywords and seed studies;
* :mod:`.simulation` and :mod:`.metrics` — replay a labelled dataset and measure how fast the
  relevant records were found (WSS@95, recall at 10% and 20%, loss, the recall curve).

All pure: no database, no printing. The screening service and ``synthesist simulate`` call these.
"""

from synthesist.screening.prioritise.loop import ActiveLearner, Source, Suggestion, record_text
from synthesist.screening.prioritise.metrics import ScreeningMetrics, screening_metrics
from synthesist.screening.prioritise.models import (
    DEFAULT_RANKER,
    Ranker,
    available_rankers,
    get_ranker,
    register_ranker,
)
from synthesist.screening.prioritise.simulation import (
    LabelledDataset,
    SimulationResult,
    StoppingRule,
    StopPoint,
    read_labelled_csv,
    simulate,
)

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
