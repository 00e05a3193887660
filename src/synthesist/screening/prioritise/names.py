"""The rankers' names, for checking a protocol without importing scikit-learn.

Every command reads the protocol, and its ``[prioritisation] model`` must name a ranker; the rankers
themselves (:mod:`.models`) load scikit-learn and SciPy, which take seconds to import. A built-in name
is recognised from this list; only another name makes the protocol load the registry with its
plug-ins (``tests/screening`` checks the list against the registered classes).
"""

from __future__ import annotations

__all__ = ["BUILT_IN_RANKERS", "DEFAULT_RANKER", "OPTIONAL_RANKERS"]

DEFAULT_RANKER = "svm"
"""The ranker used when none is named: the best of the built-ins on the benchmark datasets."""

BUILT_IN_RANKERS = frozenset({"svm", "svm-autotar", "logistic", "nb", "cnb"})
"""The names the built-in rankers of :mod:`.models` register under."""

OPTIONAL_RANKERS = {"minilm": "embeddings"}
"""Rankers that register only where an optional extra is installed, by name: the extra's name.
A protocol may name them on a machine without the extra (a team shares one ``review.toml``); asking
for one there says which extra to install."""
