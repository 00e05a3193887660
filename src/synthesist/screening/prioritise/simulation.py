"""Replay a labelled dataset through the active-learning loop and measure how fast it finds the
relevant records (what ``synthesist simulate`` runs).

The dataset is a CSV in ASReview's format: columns ``title``, ``abstract`` and ``label_included``
(1 relevant, 0 not); other columns are ignored, an abstract may be empty, the file may be gzipped.
As ASReview does, the simulation starts from prior knowledge: ``n_prior_included`` relevant and
``n_prior_excluded`` irrelevant records drawn at random (from the seed), labelled before the first
suggestion and left out of every metric. It then screens the suggestion, reveals its label, and
goes on, until every relevant record is found: ASReview simulates to the last record, but from
there on every record is irrelevant and no metric changes, so we stop (on a set with a few
relevant records among thousands that saves most of the run). Stopping rules, if any, are still
asked about the records after that point, which are irrelevant whatever their order.

Everything here is pure: no database, no printing. Same dataset, ranker and seed, same result.
"""

from __future__ import annotations

import csv
import gzip
import io
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from synthesist.errors import ImportFileError, InvalidRecordError
from synthesist.screening.prioritise.loop import ActiveLearner, record_text
from synthesist.screening.prioritise.metrics import ScreeningMetrics, screening_metrics
from synthesist.screening.prioritise.models import DEFAULT_RANKER, Ranker, get_ranker

__all__ = [
    "LabelledDataset",
    "SimulationResult",
    "StopPoint",
    "StoppingRule",
    "read_labelled_csv",
    "simulate",
]

# Column names ASReview accepts for the label, in its order of preference.
_LABEL_COLUMNS = ("label_included", "included", "final_included", "label")
_TRUE = {"1", "1.0", "true", "yes", "y"}
_FALSE = {"0", "0.0", "false", "no", "n"}


@dataclass(frozen=True, slots=True)
class LabelledDataset:
    """Records with known relevance, in file order."""

    titles: tuple[str, ...]
    abstracts: tuple[str, ...]
    labels: tuple[bool, ...]
    name: str = ""

    def __post_init__(self) -> None:
        if not len(self.titles) == len(self.abstracts) == len(self.labels):
            raise ValueError("titles, abstracts and labels must have one entry per record")

    @property
    def texts(self) -> list[str]:
        pairs = zip(self.titles, self.abstracts, strict=True)
        return [record_text(title, abstract) for title, abstract in pairs]

    @property
    def n_relevant(self) -> int:
        return sum(self.labels)


def read_labelled_csv(path: Path) -> LabelledDataset:
    """Read an ASReview-format CSV (optionally gzipped, detected from its first bytes).

    Raises :class:`~synthesist.errors.ImportFileError` when the file cannot be read or lacks a
    ``title`` or label column, :class:`~synthesist.errors.InvalidRecordError` (``file:line``) for a
    label that is neither 1 nor 0.
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportFileError(f"{path}: cannot be read ({error.strerror or error})") from error
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as error:
            raise ImportFileError(f"{path}: not a valid gzip file ({error})") from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(f"{path}: not UTF-8 text", hint="Save the CSV as UTF-8.") from error

    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = {name.strip().lower(): name for name in reader.fieldnames or ()}
    label_column = next((columns[name] for name in _LABEL_COLUMNS if name in columns), None)
    if "title" not in columns or label_column is None:
        raise ImportFileError(
            f"{path}: needs the columns title, abstract and label_included",
            hint=f"Found: {', '.join(reader.fieldnames or ()) or 'no header'}.",
        )
    title_column, abstract_column = columns["title"], columns.get("abstract")
    titles: list[str] = []
    abstracts: list[str] = []
    labels: list[bool] = []
    try:
        for row in reader:
            value = (row.get(label_column) or "").strip().lower()
            if value not in _TRUE and value not in _FALSE:
                raise InvalidRecordError(
                    str(path), reader.line_num, f"{label_column} is {value!r}, expected 1 (relevant) or 0"
                )
            titles.append((row.get(title_column) or "").strip())
            abstracts.append((row.get(abstract_column) or "").strip() if abstract_column else "")
            labels.append(value in _TRUE)
    except csv.Error as error:
        raise ImportFileError(f"{path}:{reader.line_num}: not valid CSV ({error})") from error
    return LabelledDataset(tuple(titles), tuple(abstracts), tuple(labels), name=path.name)


class StoppingRule(Protocol):
    """A rule that says when screening could stop, asked after each screened record.

    ``decisions`` are the screened records' relevance in screening order, priors left out;
    ``n_records`` is the number of records there were to screen (priors left out as well)."""

    @property
    def name(self) -> str: ...

    def should_stop(self, decisions: Sequence[bool], n_records: int) -> bool: ...


@dataclass(frozen=True, slots=True)
class StopPoint:
    """When a stopping rule fired, and the recall at that point; ``None`` for a rule that never did."""

    rule: str
    n_screened: int | None
    recall: float | None


@dataclass(frozen=True, slots=True)
class SimulationResult:
    """A simulation's settings, figures and timings."""

    dataset: str
    model: str
    seed: int
    batch_size: int
    prior_included: tuple[int, ...]
    prior_excluded: tuple[int, ...]
    order: tuple[int, ...]
    """Records in the order they were screened, up to the last relevant one (indices in the file)."""
    metrics: ScreeningMetrics
    stops: tuple[StopPoint, ...]
    retrain_seconds: tuple[float, ...]
    feature_seconds: float
    total_seconds: float

    @property
    def retrain_seconds_mean(self) -> float:
        return sum(self.retrain_seconds) / len(self.retrain_seconds) if self.retrain_seconds else 0.0

    @property
    def retrain_seconds_max(self) -> float:
        return max(self.retrain_seconds, default=0.0)

    def to_dict(self, *, curve: bool = True) -> dict[str, Any]:
        """JSON-ready: the metrics (and the recall curve unless ``curve=False``), the stopping rules,
        the timings and the settings that reproduce the run."""
        return {
            "dataset": self.dataset,
            "model": self.model,
            "seed": self.seed,
            "batch_size": self.batch_size,
            "n_prior_included": len(self.prior_included),
            "n_prior_excluded": len(self.prior_excluded),
            "prior_records": {"included": list(self.prior_included), "excluded": list(self.prior_excluded)},
            **self.metrics.to_dict(curve=curve),
            "stopping_rules": [
                {"rule": stop.rule, "n_screened": stop.n_screened, "recall": stop.recall}
                for stop in self.stops
            ],
            "n_retrains": len(self.retrain_seconds),
            "retrain_seconds_mean": self.retrain_seconds_mean,
            "retrain_seconds_max": self.retrain_seconds_max,
            "feature_seconds": self.feature_seconds,
            "total_seconds": self.total_seconds,
        }


def simulate(
    dataset: LabelledDataset,
    *,
    ranker: str | Ranker = DEFAULT_RANKER,
    seed: int = 0,
    n_prior_included: int = 1,
    n_prior_excluded: int = 1,
    batch_size: int = 1,
    keywords: Sequence[str] = (),
    stopping_rules: Sequence[StoppingRule] = (),
    prior_records: tuple[Sequence[int], Sequence[int]] | None = None,
) -> SimulationResult:
    """Screen ``dataset`` with the active-learning loop, the labels playing the reviewer.

    ``ranker`` is a registered name or an instance (a name gets the ``seed``). ``prior_records``
    names the prior records (included, excluded; row indices) instead of drawing them from the seed,
    so that another tool's simulation can be replayed from the same starting point. Raises
    :class:`~synthesist.errors.ImportFileError` when the dataset has too few relevant or
    irrelevant records for the priors asked for and one more relevant record to find.
    """
    started = time.perf_counter()
    if n_prior_included < 0 or n_prior_excluded < 0:
        raise ValueError("the numbers of prior records cannot be negative")
    labels = np.asarray(dataset.labels, dtype=bool)
    relevant = np.flatnonzero(labels)
    irrelevant = np.flatnonzero(~labels)
    if len(relevant) <= n_prior_included or len(irrelevant) < n_prior_excluded:
        raise ImportFileError(
            f"{dataset.name or 'the dataset'}: {len(relevant)} relevant and {len(irrelevant)} irrelevant "
            f"records, too few for {n_prior_included} + {n_prior_excluded} prior records and one to find",
            hint="Lower --n-prior-included / --n-prior-excluded.",
        )
    model = get_ranker(ranker, seed=seed) if isinstance(ranker, str) else ranker
    if prior_records is None:
        rng = np.random.default_rng(seed)
        drawn_in = rng.choice(relevant, n_prior_included, replace=False)
        drawn_out = rng.choice(irrelevant, n_prior_excluded, replace=False)
        prior_included = tuple(sorted(int(i) for i in drawn_in))
        prior_excluded = tuple(sorted(int(i) for i in drawn_out))
    else:
        prior_included = tuple(sorted(int(i) for i in prior_records[0]))
        prior_excluded = tuple(sorted(int(i) for i in prior_records[1]))
        wrong = [i for i in prior_included if not labels[i]] + [i for i in prior_excluded if labels[i]]
        if wrong:
            raise ValueError(f"prior records {wrong} are labelled the other way in the dataset")
    priors = {index: True for index in prior_included} | {index: False for index in prior_excluded}

    texts = dataset.texts
    feature_started = time.perf_counter()
    features = model.features(texts)
    feature_seconds = time.perf_counter() - feature_started
    learner = ActiveLearner(
        texts, model, labels=priors, keywords=keywords, batch_size=batch_size, seed=seed, features=features
    )
    n_records = len(texts) - len(priors)
    to_find = len(relevant) - len(prior_included)
    order: list[int] = []
    decisions: list[bool] = []
    for suggestion in learner:
        truth = bool(labels[suggestion.index])
        learner.label(suggestion.index, truth)
        order.append(suggestion.index)
        decisions.append(truth)
        to_find -= truth
        if to_find == 0:
            break

    metrics = screening_metrics(decisions, n_records=n_records)
    return SimulationResult(
        dataset=dataset.name,
        model=model.name,
        seed=seed,
        batch_size=batch_size,
        prior_included=prior_included,
        prior_excluded=prior_excluded,
        order=tuple(order),
        metrics=metrics,
        stops=tuple(_stop_point(rule, decisions, n_records, metrics.n_relevant) for rule in stopping_rules),
        retrain_seconds=learner.retrain_seconds,
        feature_seconds=feature_seconds,
        total_seconds=time.perf_counter() - started,
    )


def _stop_point(rule: StoppingRule, found: list[bool], n_records: int, n_relevant: int) -> StopPoint:
    """Ask the rule after each record, the records past the last relevant one being irrelevant."""
    decisions: list[bool] = []
    n_found = 0
    for k in range(n_records):
        relevant = found[k] if k < len(found) else False
        decisions.append(relevant)
        n_found += relevant
        if rule.should_stop(decisions, n_records):
            return StopPoint(rule=rule.name, n_screened=k + 1, recall=n_found / n_relevant)
    return StopPoint(rule=rule.name, n_screened=None, recall=None)
