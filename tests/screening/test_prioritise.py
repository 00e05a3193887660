"""Screening prioritisation: metrics on hand-built orders, the ranker registry, the active-learning
loop (cold start, retraining cadence, determinism) and a small end-to-end simulation."""

from __future__ import annotations

import gzip
import random
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from synthesist.errors import ImportFileError, InvalidRecordError, UnknownPlugin
from synthesist.screening.prioritise import (
    DEFAULT_RANKER,
    ActiveLearner,
    LabelledDataset,
    Ranker,
    Source,
    available_rankers,
    get_ranker,
    read_labelled_csv,
    record_text,
    register_ranker,
    screening_metrics,
    simulate,
)
from synthesist.screening.prioritise.keywords import keyword_scores
from synthesist.screening.prioritise.models import _RANKERS, Features, tfidf_features

# --- metrics ---------------------------------------------------------------------------------


def test_perfect_order() -> None:
    # 20 relevant first, then 80 irrelevant: 95% recall (19 of 20) after 19 records.
    metrics = screening_metrics([True] * 20 + [False] * 80)
    assert (metrics.n_records, metrics.n_relevant) == (100, 20)
    assert metrics.n_screened_at_95 == 19
    assert metrics.wss_95 == pytest.approx((100 - 19) / 100 - 0.05)
    assert metrics.recall_at_10pct == 0.5  # 10 of 20 after 10 records
    assert metrics.recall_at_20pct == 1.0
    assert metrics.loss == 0.0
    assert metrics.recall_curve[:3] == (0.05, 0.1, 0.15)
    assert metrics.recall_curve[19:] == (1.0,) * 81


def test_worst_order() -> None:
    metrics = screening_metrics([False] * 80 + [True] * 20)
    assert metrics.n_screened_at_95 == 99
    assert metrics.wss_95 == pytest.approx(0.01 - 0.05)
    assert metrics.recall_at_10pct == 0.0
    assert metrics.recall_at_20pct == 0.0
    assert metrics.loss == 1.0


def test_hand_computed_curve() -> None:
    # N = 20, R = 4, relevant at positions 1, 3, 6, 15 (1-based).
    order = [False] * 20
    for position in (1, 3, 6, 15):
        order[position - 1] = True
    metrics = screening_metrics(order)
    # ceil(0.95 * 4) = 4 relevant needed: the 4th is at 15 -> WSS = (20 - 15) / 20 - 0.05 = 0.2.
    assert metrics.n_screened_at_95 == 15
    assert metrics.wss_95 == pytest.approx(0.2)
    # 10% of 20 = 2 records: 1 found; 20% = 4 records: 2 found.
    assert metrics.recall_at_10pct == 0.25
    assert metrics.recall_at_20pct == 0.5
    # Area = sum over k of found after k: (20-1+1) + (20-3+1) + (20-6+1) + (20-15+1) = 20+18+15+6 = 59.
    # Best = 4*20 - 4*3/2 = 74, worst = 4*5/2 = 10: loss = (74 - 59) / (74 - 10) = 15 / 64.
    assert metrics.loss == pytest.approx(15 / 64)
    assert metrics.found_at == (1, 3, 6, 15)
    assert metrics.recall_curve[:6] == (0.25, 0.25, 0.5, 0.5, 0.5, 0.75)


def test_exactly_95_percent_counts_as_reached() -> None:
    # 19 of 20 is exactly 95%, which 19 / 20 >= 0.95 gets wrong in floating point.
    order = [True] * 19 + [False] * 30 + [True]
    assert screening_metrics(order).n_screened_at_95 == 19


def test_truncated_order_pads_with_irrelevant_records() -> None:
    full = screening_metrics([False, True, True] + [False] * 7)
    short = screening_metrics([False, True, True], n_records=10)
    assert short == full
    assert short.to_dict()["recall_curve"] == list(full.recall_curve)


def test_metrics_need_a_relevant_record() -> None:
    with pytest.raises(ValueError, match="no relevant"):
        screening_metrics([False, False])
    with pytest.raises(ValueError, match="smaller"):
        screening_metrics([True, False], n_records=1)


# --- registry --------------------------------------------------------------------------------


def test_built_in_rankers_are_registered() -> None:
    names = available_rankers()
    assert {"svm", "svm-autotar", "logistic", "nb", "cnb"} <= set(names)
    assert DEFAULT_RANKER in names
    assert list(names) == sorted(names)
    ranker = get_ranker("svm", seed=3)
    assert ranker.name == "svm" and ranker.seed == 3
    assert get_ranker("svm") is not get_ranker("svm")  # a ranker holds its fit: one per caller


def test_the_protocol_knows_the_built_in_rankers_without_importing_them() -> None:
    from synthesist.screening.prioritise import models
    from synthesist.screening.prioritise.names import BUILT_IN_RANKERS

    defined_here = {cls.name for cls in available_rankers().values() if cls.__module__ == models.__name__}
    assert defined_here == BUILT_IN_RANKERS


def test_unknown_ranker_lists_the_available_ones() -> None:
    with pytest.raises(UnknownPlugin) as caught:
        get_ranker("bert-xl")
    assert "bert-xl" in caught.value.message
    assert caught.value.hint is not None
    for name in available_rankers():
        assert name in caught.value.hint


def test_an_optional_ranker_names_its_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(_RANKERS, "minilm", raising=False)
    monkeypatch.setattr("synthesist.screening.prioritise.models._ENTRY_POINTS_LOADED", True)
    with pytest.raises(UnknownPlugin) as caught:
        get_ranker("minilm")
    assert "embeddings" in caught.value.message
    assert caught.value.hint is not None and "synthesist[embeddings]" in caught.value.hint


class CountingRanker(Ranker):
    """Scores by the share of relevant records among the decided ones sharing a word; counts fits."""

    name = "test-counting"
    description = "test double"

    def __init__(self, *, seed: int = 0) -> None:
        super().__init__(seed=seed)
        self.fits: list[int] = []
        self._weights: NDArray[np.float64] = np.zeros(0)

    def features(self, texts: Sequence[str]) -> Features:
        return tfidf_features(texts)

    def fit(self, features: Features, labels: NDArray[np.bool_]) -> None:
        self.fits.append(len(labels))
        signs = np.where(labels, 1.0, -1.0)
        self._weights = np.asarray(features.T @ signs, dtype=np.float64).ravel()

    def scores(self, features: Features) -> NDArray[np.float64]:
        return np.asarray(features @ self._weights, dtype=np.float64).ravel()


def test_a_plug_in_registers_like_a_built_in() -> None:
    try:
        register_ranker(CountingRanker)
        assert isinstance(get_ranker("test-counting"), CountingRanker)
    finally:
        _RANKERS.pop("test-counting", None)


# --- the loop --------------------------------------------------------------------------------


def synthetic(n: int = 600, n_relevant: int = 30, seed: int = 1) -> LabelledDataset:
    """Records on many topics; the relevant ones share a few words the others never use."""
    rng = random.Random(seed)
    vocabulary = [f"word{i}" for i in range(400)]
    signal = ["nudge", "default", "choice", "architecture", "behavioural"]
    titles, abstracts, labels = [], [], []
    for i in range(n):
        relevant = i % (n // n_relevant) == 0
        words = rng.choices(vocabulary, k=40)
        rng.shuffle(words)
        title, abstract = words[:8], words[8:]
        if relevant:  # one signal word in the title, two more in the abstract
            first, *others = rng.sample(signal, 3)
            title.insert(rng.randrange(8), first)
            abstract += others
        titles.append(" ".join(title))
        abstracts.append(" ".join(abstract) if i % 7 else "")  # some records lack an abstract
        labels.append(relevant)
    return LabelledDataset(tuple(titles), tuple(abstracts), tuple(labels), name="synthetic")


def test_record_text_skips_missing_parts() -> None:
    assert record_text("A title", None) == "A title"
    assert record_text(" A title ", "An abstract") == "A title An abstract"
    assert record_text(None, "") == ""


def test_cold_start_keywords_first_then_random() -> None:
    texts = ["trees and rivers", "nudging people", "a nudge to save", "mountains", "default choices", "lakes"]
    learner = ActiveLearner(texts, get_ranker("svm"), keywords=["nudg*", "default choices"], seed=0)
    seen = []
    for suggestion in learner:
        seen.append(suggestion)
        learner.label(suggestion.index, False)  # nothing relevant: the cold start never ends
    assert [s.source for s in seen[:3]] == [Source.KEYWORDS] * 3
    assert {s.index for s in seen[:3]} == {1, 2, 4}
    assert all(s.score is not None and s.score > 0 for s in seen[:3])
    assert [s.source for s in seen[3:]] == [Source.RANDOM] * 3
    assert all(s.score is None for s in seen[3:])


def test_keyword_scores_phrases_and_truncation() -> None:
    texts = ["heart failure in adults", "failure of the heart", "nudges and nudging", "nothing here"]
    scores = keyword_scores(texts, ["heart failure", "nudg*"])
    assert scores[0] > 0 and scores[2] > 0
    assert scores[1] == 0  # the phrase, not its words apart
    assert scores[3] == 0
    assert keyword_scores(texts, []).tolist() == [0.0] * 4
    assert keyword_scores(["", ""], ["heart"]).tolist() == [0.0, 0.0]


def test_seed_studies_rank_by_similarity_until_an_irrelevant_record() -> None:
    texts = ["nudge default choice", "rivers and lakes", "default choice nudge people", "mountains high"]
    learner = ActiveLearner(texts, get_ranker("svm"), labels={0: True})
    first = learner.next()
    assert first is not None
    assert (first.index, first.source) == (2, Source.SEEDS)
    learner.label(2, False)
    second = learner.next()
    assert second is not None and second.source is Source.MODEL


def test_retrains_every_batch_size_decisions() -> None:
    dataset = synthetic(n=120, n_relevant=12)
    ranker = CountingRanker()
    learner = ActiveLearner(dataset.texts, ranker, labels={0: True, 1: False}, batch_size=5)
    for suggestion in learner:
        learner.label(suggestion.index, dataset.labels[suggestion.index])
        if len(learner.labels) == 2 + 19:
            break
    # Trained on the 2 priors, then when asked after decisions 5, 10 and 15.
    assert ranker.fits == [2, 7, 12, 17]
    learner.label(learner.next().index, False)  # type: ignore[union-attr]
    assert ranker.fits == [2, 7, 12, 17]  # the 20th decision: not asked for a suggestion yet
    learner.next()
    assert ranker.fits == [2, 7, 12, 17, 22]
    assert len(learner.retrain_seconds) == 5


def test_next_among_walks_the_current_ranking_without_retraining() -> None:
    """In a team, records leave a reviewer's queue when colleagues screen them: the learner skips to
    the best-ranked record still allowed, in the same ranking, instead of being rebuilt."""
    dataset = synthetic(n=120, n_relevant=12)
    ranker = CountingRanker()
    learner = ActiveLearner(dataset.texts, ranker, labels={0: True, 1: False})
    ranking = [learner.next()]
    assert ranking[0] is not None
    fits = list(ranker.fits)
    top = ranking[0].index
    allowed = set(range(2, 120)) - {top}
    among = learner.next_among(allowed)
    assert among is not None and among.index != top and among.index in allowed
    assert ranker.fits == fits, "no retrain to skip a record"
    assert learner.next_among(allowed) == among  # the same answer until a decision is made
    assert learner.next_among({top}) == ranking[0]
    assert learner.next_among(set()) is None
    assert learner.next_among({0, 1}) is None  # decided records are never suggested


class PseudoNegativeCountingRanker(CountingRanker):
    name = "test-counting-pseudo"
    pseudo_negatives = 10

    def __init__(self, *, seed: int = 0) -> None:
        super().__init__(seed=seed)
        self.labels: list[NDArray[np.bool_]] = []

    def fit(self, features: Features, labels: NDArray[np.bool_]) -> None:
        self.labels.append(labels.copy())
        super().fit(features, labels)


def test_pseudo_negatives_join_each_training_set_drawn_afresh() -> None:
    dataset = synthetic(n=120, n_relevant=12)
    ranker = PseudoNegativeCountingRanker()
    learner = ActiveLearner(dataset.texts, ranker, labels={0: True, 1: False}, seed=4)
    for _, suggestion in zip(range(3), learner, strict=False):
        learner.label(suggestion.index, dataset.labels[suggestion.index])
    # 2 priors + 10 pseudo-negatives, then one more decision each time.
    assert ranker.fits == [12, 13, 14]
    assert all(labels[-10:].sum() == 0 for labels in ranker.labels)


def test_pseudo_negatives_let_seeds_alone_train_the_model() -> None:
    dataset = synthetic(n=120, n_relevant=12)
    ranker = PseudoNegativeCountingRanker()
    learner = ActiveLearner(dataset.texts, ranker, labels={0: True})
    first = learner.next()
    assert first is not None and first.source is Source.SEEDS
    assert ranker.fits == [11]  # the seed and 10 records drawn at random, labelled irrelevant


def test_pseudo_negative_draws_are_seeded() -> None:
    dataset = synthetic(n=120, n_relevant=12)

    def order(seed: int) -> list[int]:
        ranker = get_ranker("svm-autotar", seed=seed)
        learner = ActiveLearner(dataset.texts, ranker, labels={0: True, 1: False}, seed=seed)
        picked = []
        for _, suggestion in zip(range(15), learner, strict=False):
            learner.label(suggestion.index, dataset.labels[suggestion.index])
            picked.append(suggestion.index)
        return picked

    assert order(5) == order(5)
    assert get_ranker("svm-autotar").pseudo_negatives == 100 and get_ranker("svm").pseudo_negatives == 0


def test_retrains_after_every_decision_by_default() -> None:
    dataset = synthetic(n=60, n_relevant=6)
    ranker = CountingRanker()
    learner = ActiveLearner(dataset.texts, ranker, labels={0: True, 1: False})
    for _, suggestion in zip(range(4), learner, strict=False):
        learner.label(suggestion.index, dataset.labels[suggestion.index])
    assert ranker.fits == [2, 3, 4, 5]


def test_suggestion_must_be_labelled_before_the_next() -> None:
    learner = ActiveLearner(["a b", "c d", "e f"], get_ranker("nb"), labels={0: True, 1: False})
    suggestions = iter(learner)
    first = next(suggestions)
    assert learner.next() == first  # asking again gives the same record
    with pytest.raises(RuntimeError, match="not labelled"):
        next(suggestions)


def test_loop_checks_its_input() -> None:
    with pytest.raises(ValueError, match="batch_size"):
        ActiveLearner(["a"], get_ranker("svm"), batch_size=0)
    with pytest.raises(IndexError):
        ActiveLearner(["a"], get_ranker("svm"), labels={3: True})


def test_same_seed_same_order_other_seed_other_order() -> None:
    dataset = synthetic(n=300, n_relevant=15)
    runs = [simulate(dataset, ranker="svm", seed=seed) for seed in (7, 7, 8)]
    assert runs[0].order == runs[1].order
    assert runs[0].prior_included == runs[1].prior_included
    assert runs[0].metrics == runs[1].metrics
    assert runs[2].prior_included != runs[0].prior_included or runs[2].order != runs[0].order


def test_cold_start_random_order_is_seeded() -> None:
    texts = [f"record number {i}" for i in range(50)]

    def first_ten(seed: int) -> list[int]:
        learner = ActiveLearner(texts, get_ranker("svm"), seed=seed)
        order = []
        for suggestion in learner:
            learner.label(suggestion.index, False)
            order.append(suggestion.index)
            if len(order) == 10:
                break
        return order

    assert first_ten(1) == first_ten(1)
    assert first_ten(1) != first_ten(2)


# --- simulation ------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["svm", "svm-autotar", "logistic", "nb", "cnb"])
def test_simulation_finds_relevant_records_much_faster_than_random(model: str) -> None:
    dataset = synthetic()
    result = simulate(dataset, ranker=model, seed=0)
    metrics = result.metrics
    assert (metrics.n_records, metrics.n_relevant) == (598, 29)  # priors left out
    assert metrics.wss_95 > 0.3
    assert metrics.recall_at_10pct > 0.5
    # It stops at the last relevant record; the metrics count the rest as screened after it.
    assert len(result.order) == metrics.found_at[-1]
    assert set(result.order).isdisjoint(result.prior_included + result.prior_excluded)
    assert result.retrain_seconds and result.retrain_seconds_max < 1.0
    report = result.to_dict()
    assert report["model"] == model and len(report["recall_curve"]) == 598
    assert {"wss_95", "recall_at_10pct", "recall_at_20pct", "loss", "n_screened_at_95"} <= set(report)


class StopAfterIrrelevantRun:
    """Stop after this many irrelevant records in a row (a simple heuristic, for the test)."""

    def __init__(self, run: int) -> None:
        self.run = run
        self.name = f"{run} irrelevant in a row"

    def should_stop(self, decisions: Sequence[bool], n_records: int) -> bool:
        return len(decisions) >= self.run and not any(decisions[-self.run :])


def test_stopping_rules_report_when_they_fired_and_the_recall_then() -> None:
    dataset = synthetic(n=300, n_relevant=15)
    result = simulate(
        dataset, seed=0, stopping_rules=[StopAfterIrrelevantRun(50), StopAfterIrrelevantRun(10_000)]
    )
    early, never = result.stops
    assert early.n_screened is not None and early.recall is not None
    assert early.n_screened >= 50 and 0 < early.recall <= 1
    assert never.n_screened is None and never.recall is None
    assert result.to_dict()["stopping_rules"][0] == {
        "rule": early.rule,
        "n_screened": early.n_screened,
        "recall": early.recall,
    }


def test_simulation_needs_enough_labelled_records() -> None:
    dataset = LabelledDataset(("a", "b", "c"), ("", "", ""), (True, False, False))
    with pytest.raises(ImportFileError, match="too few"):
        simulate(dataset, seed=0)


# --- reading ASReview CSV --------------------------------------------------------------------

CSV = (
    "record_id,title,abstract,label_included\n"
    '0,"Nudging, defaults","An abstract, with commas",1\n'
    "1,Rivers,,0\n"
    "2,Lakes,Deep water,0\n"
)


def test_reads_asreview_csv_plain_and_gzipped(tmp_path: Path) -> None:
    plain = tmp_path / "data.csv"
    plain.write_text(CSV, encoding="utf-8")
    packed = tmp_path / "data.csv.gz"
    packed.write_bytes(gzip.compress(CSV.encode()))
    for path in (plain, packed):
        dataset = read_labelled_csv(path)
        assert dataset.titles == ("Nudging, defaults", "Rivers", "Lakes")
        assert dataset.abstracts == ("An abstract, with commas", "", "Deep water")
        assert dataset.labels == (True, False, False)
        assert dataset.texts[1] == "Rivers"
        assert dataset.name == path.name


def test_csv_errors_name_the_file_and_line(tmp_path: Path) -> None:
    no_label = tmp_path / "no_label.csv"
    no_label.write_text("title,abstract\nA,B\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="label_included"):
        read_labelled_csv(no_label)
    bad_label = tmp_path / "bad.csv"
    bad_label.write_text("title,abstract,label_included\nA,B,1\nC,D,maybe\n", encoding="utf-8")
    with pytest.raises(InvalidRecordError, match=r"bad\.csv:3:"):
        read_labelled_csv(bad_label)
    with pytest.raises(ImportFileError, match="cannot be read"):
        read_labelled_csv(tmp_path / "missing.csv")
