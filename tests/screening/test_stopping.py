"""Stopping rules: the hypergeometric test against hand arithmetic, a brute force from the paper's
definitions (exact, with math.comb) and (where installed) the authors' reference formula in scipy;
the knee method on hand-built gain curves; the consecutive-irrelevant rule; and a simulation of the
statistical rule's promise, that it stops short of the target recall in at most 5% of screenings."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Sequence
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthesist.screening.stopping import (
    RULES,
    StopOptions,
    StopVerdict,
    check_all,
    consecutive_irrelevant,
    hypergeometric_cdf,
    hypergeometric_p,
    hypergeometric_stopping_point,
    hypergeometric_test,
    knee_method,
)

try:
    import numpy as np
    from scipy.stats import hypergeom
except ImportError:  # scipy is not a dependency; the comparison runs where it happens to be
    hypergeom = None

T, F = True, False


def exact_cdf(k: int, population: int, successes: int, draws: int) -> Fraction:
    """P(X <= k) straight from the definition, in exact fractions."""
    total = math.comb(population, draws)
    return sum(
        (
            Fraction(math.comb(successes, x) * math.comb(population - successes, draws - x), total)
            for x in range(0, min(k, draws) + 1)
        ),
        Fraction(0),
    )


def brute_p(labels: Sequence[bool], n_total: int, missing: int) -> float:
    """Callaghan & Müller-Hansen's p from their definitions, over every window m = 1..n: the last m
    records hold k relevant; under the null hypothesis the window plus the unscreened records hold
    K = k + missing relevant (r / t + 1 minus those found before the window, rounded down). A window
    whose K exceeds its population cannot occur under the null hypothesis and counts as p = 0."""
    n = len(labels)
    if n == 0:
        return 1.0
    unscreened = n_total - n
    best = 1.0
    for m in range(1, n + 1):
        k = sum(labels[n - m :])
        population, needed = m + unscreened, k + missing
        p = 0.0 if needed > population else float(exact_cdf(k, population, needed, m))
        best = min(best, p)
    return best


def missing_for(relevant: int, target: Fraction) -> int:
    return math.floor(relevant / target) + 1 - relevant


def biased_ranking(rng: random.Random, n: int, relevant: int, bias: float) -> list[bool]:
    """A screening order in which, at each step, an unscreened relevant record is ``bias`` times as
    likely to come next as an irrelevant one: Callaghan & Müller-Hansen's simulated prioritisation
    (``generate_dataset`` in buscar), drawn by Efraimidis & Spirakis' weighted keys."""
    keyed = [(rng.random() ** (1 / (bias if i < relevant else 1.0)), i < relevant) for i in range(n)]
    keyed.sort(reverse=True)
    return [is_relevant for _, is_relevant in keyed]


# The hypergeometric distribution -------------------------------------------------------------------


def test_cdf_against_math_comb() -> None:
    # P(X <= 3), 20 draws from 50 with 10 successes:
    # sum_{x=0..3} C(10, x) C(40, 20 - x) / C(50, 20) = 0.364968286776...
    expected = exact_cdf(3, 50, 10, 20)
    assert float(expected) == pytest.approx(0.3649682867768, rel=1e-12)
    assert hypergeometric_cdf(3, 50, 10, 20) == pytest.approx(float(expected), rel=1e-12)
    # At or above the mode the upper tail is summed instead; both sides must agree with the definition.
    for k in range(0, 11):
        assert hypergeometric_cdf(k, 50, 10, 20) == pytest.approx(float(exact_cdf(k, 50, 10, 20)), rel=1e-12)


def test_cdf_on_every_small_case() -> None:
    for population in range(0, 13):
        for successes in range(0, population + 1):
            for draws in range(0, population + 1):
                for k in range(-1, draws + 2):
                    expected = float(exact_cdf(k, population, successes, draws)) if k >= 0 else 0.0
                    got = hypergeometric_cdf(k, population, successes, draws)
                    assert got == pytest.approx(min(expected, 1.0), rel=1e-12, abs=1e-15)


def test_cdf_far_in_the_tail() -> None:
    # 0 successes in 900 draws from 1,000 holding 20: C(980, 900) / C(1000, 900), about 1e-20.
    expected = exact_cdf(0, 1000, 20, 900)
    assert 0 < expected < Fraction(1, 10**19)
    assert hypergeometric_cdf(0, 1000, 20, 900) == pytest.approx(float(expected), rel=1e-9)


def test_cdf_rejects_counts_that_do_not_fit() -> None:
    with pytest.raises(ValueError, match="population"):
        hypergeometric_cdf(1, 10, 11, 5)
    with pytest.raises(ValueError, match="population"):
        hypergeometric_cdf(1, 10, 5, 11)


# The hypergeometric rule -----------------------------------------------------------------------------


def test_p_value_by_hand() -> None:
    # 4 of 10 records screened: relevant, relevant, irrelevant, irrelevant. r = 2, t = 0.95:
    # floor(2 / 0.95) + 1 = 3 relevant in the pool would make recall 2/3 < 0.95, so the null
    # hypothesis needs at least 1 of the 6 unscreened records to be relevant (missing = 1).
    #   window 1 (F):       k = 0, K = 1, population 7, P(X = 0) = 6/7
    #   window 2 (F F):     k = 0, K = 1, population 8, P(X = 0) = C(7,2)/C(8,2) = 21/28 = 3/4
    #   window 3 (T F F):   k = 1, K = 2, population 9, P(X <= 1) = 1 - 7/84 = 11/12
    #   window 4 (T T F F): k = 2, K = 3, population 10, P(X <= 2) = 1 - 7/210 = 29/30
    # p = min = 3/4.
    labels = [T, T, F, F]
    assert brute_p(labels, 10, 1) == pytest.approx(0.75)
    assert hypergeometric_p(labels, 10) == pytest.approx(0.75, rel=1e-12)
    verdict = hypergeometric_test(labels, 10)
    assert verdict.stop is False
    assert verdict.detail["p_value"] == pytest.approx(0.75, rel=1e-12)
    assert verdict.detail["window_size"] == 2
    assert verdict.detail["window_relevant"] == 0
    assert verdict.detail["window_null_relevant"] == 1
    assert verdict.detail["missing_under_null"] == 1


@settings(max_examples=200, deadline=None)
@given(
    labels=st.lists(st.booleans(), max_size=40),
    extra=st.integers(min_value=0, max_value=40),
    target=st.sampled_from(["0.5", "0.8", "0.9", "0.95", "1"]),
)
def test_p_value_matches_brute_force(labels: list[bool], extra: int, target: str) -> None:
    # Only windows ending just short of a relevant record are evaluated; the brute force tries all.
    n_total = len(labels) + extra
    missing = missing_for(sum(labels), Fraction(target))
    got = hypergeometric_p(labels, n_total, target_recall=float(target))
    assert got == pytest.approx(brute_p(labels, n_total, missing), rel=1e-9, abs=1e-15)


@pytest.mark.skipif(hypergeom is None, reason="scipy not installed")
def test_matches_the_reference_formula() -> None:
    # buscar's calculate_h0, written out with scipy: urns of the last 1..n records, k_hat from
    # r / t, the hypergeometric cdf of each, the minimum (windows where k_hat exceeds the
    # population give NaN there and are skipped; the minimum is reached elsewhere).
    rng = random.Random(7)
    for _ in range(200):
        n_total = rng.randint(5, 300)
        screened = rng.randint(1, n_total)
        prevalence = rng.choice([0.02, 0.1, 0.3])
        labels = [rng.random() < prevalence for _ in range(screened)]
        target = rng.choice([0.8, 0.9, 0.95, 0.99])
        urns = np.array(labels[::-1], dtype=int)
        found = urns.sum()
        sizes = np.arange(1, screened + 1)
        k_hat = np.floor(found / target + 1 - (found - urns.cumsum()))
        with np.errstate(all="ignore"):
            p = hypergeom.cdf(urns.cumsum(), n_total - (screened - sizes), k_hat, sizes)
        expected = float(np.nanmin(p))
        assert hypergeometric_p(labels, n_total, target_recall=target) == pytest.approx(
            expected, rel=1e-9, abs=1e-12
        )


def test_stops_after_a_long_irrelevant_tail_and_bounds_recall() -> None:
    # 2,000 records, 40 relevant, all found in the first 60; then only irrelevant ones.
    labels = [T] * 40 + [F] * 20 + [F] * 1400
    verdict = hypergeometric_test(labels, 2000)
    assert verdict.stop is True
    assert verdict.detail["p_value"] < 0.05
    assert verdict.detail["relevant_found"] == 40
    assert verdict.detail["unscreened"] == 540
    # The bound is on the safe side of the truth here (nothing is missing) and implies the target.
    assert verdict.estimated_total_relevant is not None
    assert verdict.estimated_recall is not None
    assert 40 <= verdict.estimated_total_relevant <= 42
    assert verdict.estimated_recall == pytest.approx(40 / verdict.estimated_total_relevant)
    assert verdict.estimated_recall >= 0.95
    assert "rejected" in verdict.summary


def test_recall_bound_is_where_the_test_turns() -> None:
    # The largest pool total the test cannot reject: "missing >= bound - r" is not rejected, one
    # more is.
    rng = random.Random(3)
    for _ in range(30):
        n_total = rng.randint(20, 120)
        labels = [rng.random() < 0.2 for _ in range(rng.randint(1, n_total))]
        verdict = hypergeometric_test(labels, n_total, confidence=0.9)
        found = sum(labels)
        bound = verdict.estimated_total_relevant
        assert bound is not None
        assert found <= bound <= n_total
        if bound > found:
            assert brute_p(labels, n_total, bound - found) >= 0.1
        assert brute_p(labels, n_total, bound - found + 1) < 0.1
        assert verdict.estimated_recall == (found / bound if bound else None)


def test_random_order_does_not_stop_early() -> None:
    # Relevant records spread at random: half-way through, about half of them are found, and the
    # test must not claim 95% recall.
    rng = random.Random(11)
    labels = [T] * 40 + [F] * 1960
    rng.shuffle(labels)
    assert hypergeometric_test(labels[:1000], 2000).stop is False
    stop = hypergeometric_stopping_point(labels, 2000)
    assert stop is not None
    assert sum(labels[:stop]) >= 38  # it stops only once the target is actually reached


def test_everything_screened_is_a_stop_and_nothing_screened_is_not() -> None:
    everything = hypergeometric_test([T, F, F, T], 4)
    assert everything.stop is True
    assert everything.detail["p_value"] == 0.0
    assert everything.estimated_total_relevant == 2
    assert everything.estimated_recall == 1.0
    nothing = hypergeometric_test([], 100)
    assert nothing.stop is False
    assert nothing.detail["p_value"] == 1.0
    assert nothing.estimated_recall is None
    assert nothing.estimated_total_relevant is None


def test_no_relevant_record_found() -> None:
    # r = 0: the null hypothesis is "at least one relevant record is unscreened"; the whole screened
    # set is the best window, p = unscreened / pool. After 970 of 1,000: p = 0.03.
    verdict = hypergeometric_test([F] * 970, 1000)
    assert verdict.detail["p_value"] == pytest.approx(0.03, rel=1e-12)
    assert verdict.stop is True
    assert verdict.estimated_total_relevant == 0
    assert verdict.estimated_recall is None  # no relevant record in the pool: recall is undefined


def test_recall_exactly_at_the_target_counts_as_reaching_it() -> None:
    # r = 19, t = 0.95: 20 in the pool gives recall 0.95, which is not "below the target"; the null
    # hypothesis starts at 21 (missing = 2), although 19 / 0.95 is 20.000000000000004 in floats.
    labels = [T] * 19 + [F] * 500
    verdict = hypergeometric_test(labels, 1000)
    assert verdict.detail["missing_under_null"] == 2


@settings(max_examples=100, deadline=None)
@given(
    labels=st.lists(st.booleans(), max_size=60),
    extra=st.integers(min_value=0, max_value=30),
    confidence=st.sampled_from([0.5, 0.8, 0.95]),
)
def test_stopping_point_is_the_first_prefix_that_stops(
    labels: list[bool], extra: int, confidence: float
) -> None:
    n_total = len(labels) + extra
    expected = next(
        (
            n
            for n in range(1, len(labels) + 1)
            if hypergeometric_test(labels[:n], n_total, confidence=confidence).stop
        ),
        None,
    )
    assert hypergeometric_stopping_point(labels, n_total, confidence=confidence) == expected


def test_simulated_screenings_reach_the_target_when_the_rule_fires() -> None:
    # Callaghan & Müller-Hansen's simulation, scaled down: 2,000 records, 40 relevant, a ranking in
    # which a relevant record is 10 times as likely as an irrelevant one to come next. Stopping at
    # the first record where p < 0.05 should give recall >= 95% in at least 95% of runs.
    rng = random.Random(20201124)
    runs, n_total, relevant = 200, 2000, 40
    reached, saved = 0, []
    for _ in range(runs):
        labels = biased_ranking(rng, n_total, relevant, bias=10)
        stop = hypergeometric_stopping_point(labels, n_total)
        assert stop is not None  # at the latest once too few records are left to miss the target
        reached += sum(labels[:stop]) >= math.ceil(0.95 * relevant)
        saved.append(1 - stop / n_total)
    assert reached / runs >= 0.95
    # It saves screening (about a quarter of the pool on these runs), never all of it.
    assert 0.1 < sum(saved) / runs < 0.5
    assert min(saved) > 0


def test_simulated_random_order_screenings_reach_the_target() -> None:
    # With no prioritisation at all the window really is a random sample: the test's own premise.
    rng = random.Random(1)
    runs, n_total, relevant = 100, 1000, 20
    reached = 0
    for _ in range(runs):
        labels = biased_ranking(rng, n_total, relevant, bias=1)
        stop = hypergeometric_stopping_point(labels, n_total)
        assert stop is not None
        reached += sum(labels[:stop]) >= math.ceil(0.95 * relevant)
    assert reached / runs >= 0.95


# The knee method ------------------------------------------------------------------------------------


def knee_curve() -> list[bool]:
    # 50 relevant records in the first 100 (every other one), then 2 more in the next 1,000.
    labels = [i % 2 == 1 for i in range(100)] + [F] * 1000
    labels[499] = T
    labels[899] = T
    return labels


def test_knee_on_a_synthetic_curve() -> None:
    # At s = 1,100 with relret = 52, s * relret(x) - x * relret (proportional to the distance above
    # the line from the origin) is 1100 * 50 - 100 * 52 = 49,800 at x = 100, and less everywhere
    # else (48,752 at 99; 1100 * 51 - 500 * 52 = 30,100 at 500). So the knee is at 100:
    #   slope before = 50 / 100 = 0.5, slope after = (52 - 50 + 1) / (1100 - 100) = 0.003,
    #   rho = 166.67 >= 156 - min(52, 150) = 104, and 1,100 >= 1,000 records: stop.
    verdict = knee_method(knee_curve(), 2000)
    assert verdict.detail["knee_rank"] == 100
    assert verdict.detail["relevant_at_knee"] == 50
    assert verdict.detail["slope_before"] == pytest.approx(0.5)
    assert verdict.detail["slope_after"] == pytest.approx(0.003)
    assert verdict.detail["slope_ratio"] == pytest.approx(500 / 3)
    assert verdict.detail["threshold"] == 104
    assert verdict.stop is True
    assert verdict.estimated_recall is None
    assert verdict.estimated_total_relevant is None


def test_knee_waits_for_the_minimum_screened() -> None:
    # At s = 800 (relret 51, knee still at 100): rho = 0.5 / ((51 - 50 + 1) / 700) = 175 >= 105,
    # but 800 < 1,000.
    labels = knee_curve()[:800]
    verdict = knee_method(labels, 2000)
    assert verdict.detail["knee_rank"] == 100
    assert verdict.detail["slope_ratio"] == pytest.approx(175)
    assert verdict.detail["threshold"] == 105
    assert verdict.stop is False
    assert "fewer than 1000" in verdict.summary
    assert knee_method(labels, 2000, min_screened=150).stop is True


def test_knee_threshold_is_six_from_150_relevant() -> None:
    labels = [T] * 200 + [F] * 800
    verdict = knee_method(labels, 1000)
    assert verdict.detail["threshold"] == 6
    assert verdict.detail["knee_rank"] == 200
    assert verdict.stop is True


def test_knee_does_not_stop_on_a_straight_line() -> None:
    # Relevant records at a steady rate, one in every ten: no bend, a slope ratio near 1. (Were the
    # very first record relevant, the "knee" would be at rank 1 with a slope of 1 before it and the
    # rule would stop at 10 / 1: the method reads any early burst as a knee.)
    labels = [i % 10 == 9 for i in range(1500)]
    verdict = knee_method(labels, 3000)
    assert verdict.detail["slope_ratio"] < 2
    assert verdict.stop is False


def test_knee_without_relevant_records() -> None:
    verdict = knee_method([F] * 1200, 2000)
    assert verdict.stop is False
    assert verdict.detail["knee_rank"] is None
    assert verdict.detail["slope_ratio"] == 0.0


# N consecutive irrelevant ---------------------------------------------------------------------------


def test_consecutive_irrelevant_counts_the_current_run() -> None:
    labels = [T] * 5 + [F] * 99
    assert consecutive_irrelevant(labels, 1000).stop is False
    verdict = consecutive_irrelevant([*labels, F], 1000)
    assert verdict.stop is True
    assert verdict.detail["current_run"] == 100
    assert verdict.detail["needed"] == 100
    assert consecutive_irrelevant([*labels, F, T], 1000).detail["current_run"] == 0
    assert consecutive_irrelevant(labels, 1000, n=50).stop is True


def test_consecutive_irrelevant_as_a_fraction_of_the_pool() -> None:
    # 5% of 2,001 records, rounded up: 101.
    verdict = consecutive_irrelevant([F] * 100, 2001, fraction=0.05)
    assert verdict.detail["needed"] == 101
    assert verdict.stop is False
    assert consecutive_irrelevant([F] * 101, 2001, fraction=0.05).stop is True


def test_consecutive_irrelevant_stops_on_a_bad_start() -> None:
    # The weakness its `assumes` text states: a model that starts badly stops it with nothing found.
    verdict = consecutive_irrelevant([F] * 100, 5000)
    assert verdict.stop is True
    assert "no statistical guarantee" in verdict.assumes
    assert "starts badly" in verdict.assumes


# All rules ------------------------------------------------------------------------------------------


def test_all_rules_stop_after_a_long_irrelevant_tail() -> None:
    # 35 relevant records found in the first 40, then 1,700 irrelevant ones; 260 left unscreened.
    # The statistical rule needs the tail that long: at 1,500 irrelevant (460 unscreened) the chance
    # of seeing none of 2 missing records in that window is still (460 * 459) / (1960 * 1959) = 0.055.
    labels = [T] * 30 + [F, T] * 5 + [F] * 1700
    verdicts = check_all(labels, 2000)
    assert [verdict.rule for verdict in verdicts] == list(RULES)
    assert all(verdict.stop for verdict in verdicts)
    # ...and none of them early on, while relevant records are still coming.
    assert not any(verdict.stop for verdict in check_all(labels[:45], 2000))


def test_registry_lists_each_rule_with_what_it_assumes() -> None:
    assert list(RULES) == ["hypergeometric", "knee", "consecutive-irrelevant"]
    for name, rule in RULES.items():
        assert rule.name == name
        assert rule.title and rule.source and rule.assumes
        verdict = rule.check([T, F, F], 100, StopOptions())
        assert verdict.rule == name
        assert verdict.assumes == rule.assumes


def test_check_all_passes_the_options_on() -> None:
    labels = [T] * 10 + [F] * 60
    verdicts = {
        v.rule: v for v in check_all(labels, 100, n_consecutive=50, knee_min_screened=50, confidence=0.9)
    }
    assert verdicts["consecutive-irrelevant"].detail["needed"] == 50
    assert verdicts["knee"].detail["min_screened"] == 50
    assert verdicts["hypergeometric"].detail["confidence"] == 0.9
    by_fraction = check_all(labels, 100, consecutive_fraction=0.7)[2]
    assert by_fraction.detail["needed"] == 70


def test_verdicts_serialise_to_json() -> None:
    for verdict in check_all([T, F, T] + [F] * 200, 500):
        assert isinstance(verdict, StopVerdict)
        data = json.loads(json.dumps(verdict.to_dict()))
        assert data["rule"] == verdict.rule
        assert data["stop"] == verdict.stop
        assert data["detail"] == dict(verdict.detail)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="pool holds only 2"):
        check_all([F, F, F], 2)
    with pytest.raises(ValueError, match="n_total"):
        knee_method([], -1)
    with pytest.raises(ValueError, match="target_recall"):
        hypergeometric_test([F], 10, target_recall=0)
    with pytest.raises(ValueError, match="target_recall"):
        hypergeometric_p([F], 10, target_recall=1.5)
    with pytest.raises(ValueError, match="confidence"):
        hypergeometric_test([F], 10, confidence=1)
    with pytest.raises(ValueError, match="confidence"):
        hypergeometric_stopping_point([F], 10, confidence=0)
    with pytest.raises(ValueError, match="at least 1"):
        consecutive_irrelevant([F], 10, n=0)
    with pytest.raises(ValueError, match="fraction"):
        consecutive_irrelevant([F], 10, fraction=0)
    with pytest.raises(ValueError, match="min_screened"):
        knee_method([F], 10, min_screened=0)
