"""Agreement between two raters on categorical ratings: Cohen's kappa with a confidence interval,
percent agreement and the prevalence-adjusted bias-adjusted kappa (PABAK). Pure functions.

Written for screening (two reviewers' include/exclude/maybe votes at one stage), but nothing here
knows about screening: a rating is any hashable value, so the same code serves risk-of-bias
appraisal (kappa over checklist answers) and qualitative coding (kappa per code, over segments
rated "applies"/"does not apply").

Percent agreement is reported next to kappa, and PABAK next to both, because kappa on its own
misleads when one category dominates, as exclusions do at title/abstract screening: two reviewers
who agree on 95% of records can get a kappa near zero (the "kappa paradox", Feinstein & Cicchetti
1990). PABAK (Byrt, Bishop & Carlin 1993) is what kappa would be with balanced categories and no
bias between the raters; reporting all three lets a reader see which effect is at work.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any, Generic, TypeVar

__all__ = ["Agreement", "agreement", "agreement_from_table"]

C = TypeVar("C", bound=Hashable)

# Landis & Koch (1977), "The measurement of observer agreement for categorical data", Biometrics
# 33:159-174, p. 165: <0.00 poor, 0.00-0.20 slight, 0.21-0.40 fair, 0.41-0.60 moderate,
# 0.61-0.80 substantial, 0.81-1.00 almost perfect. Their bands are written to two decimals; we
# read each upper bound as inclusive, so a kappa between two bands (0.205) falls in the higher one.
_LANDIS_KOCH = ((0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial"))
# Kappa is computed from integer counts, but 0.6 may still come out as 0.6000000000000001.
_BAND_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class Agreement(Generic[C]):
    """Agreement between two raters over the ``n`` items both of them rated.

    ``table[i][j]`` counts the items the first rater put in ``categories[i]`` and the second in
    ``categories[j]``. ``observed`` is the proportion of items on the diagonal (percent agreement
    as a proportion), ``expected`` the agreement expected by chance from the two raters' marginal
    distributions. ``kappa`` is ``None`` when it is undefined: when chance agreement is 1, i.e.
    both raters put every item in the same single category (kappa would be 0/0); the standard error
    and the interval are ``None`` with it. ``pabak`` is ``None`` with fewer than two categories.
    """

    n: int
    categories: tuple[C, ...]
    table: tuple[tuple[int, ...], ...]
    observed: float
    expected: float
    kappa: float | None
    kappa_se: float | None
    ci_low: float | None
    ci_high: float | None
    pabak: float | None
    confidence: float = 0.95

    @property
    def interpretation(self) -> str:
        """Kappa in words, by the bands of Landis & Koch (1977, Biometrics 33:159-174): "poor"
        (below 0), "slight" (to 0.20), "fair" (to 0.40), "moderate" (to 0.60), "substantial"
        (to 0.80), "almost perfect" (above); "undefined" when kappa is.

        The bands are a convention their authors called arbitrary, not a test: read them with the
        confidence interval, which at screening sample sizes often spans two or three bands."""
        if self.kappa is None:
            return "undefined"
        if self.kappa < -_BAND_TOLERANCE:
            return "poor"
        for upper, label in _LANDIS_KOCH:
            if self.kappa <= upper + _BAND_TOLERANCE:
                return label
        return "almost perfect"

    def to_dict(self) -> dict[str, Any]:
        """Plain lists, numbers and ``None`` (JSON-ready as long as the categories are)."""
        return {
            "n": self.n,
            "categories": list(self.categories),
            "table": [list(row) for row in self.table],
            "observed": self.observed,
            "expected": self.expected,
            "kappa": self.kappa,
            "kappa_se": self.kappa_se,
            "confidence": self.confidence,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "pabak": self.pabak,
            "interpretation": self.interpretation,
        }


def agreement(
    pairs: Iterable[tuple[C, C]],
    *,
    categories: Sequence[C] | None = None,
    confidence: float = 0.95,
) -> Agreement[C]:
    """Cohen's kappa and companions for two raters, from one ``(first rater, second rater)`` pair of
    ratings per item.

    Pass only items that both raters rated: an item one of them has not rated yet is not a
    disagreement, and leaving it in would bias every figure. Ratings are compared with ``==``, so
    ``"Include"`` and ``"include"`` are different categories; normalise before calling.

    ``categories`` fixes the order of the table's rows and columns and, more importantly, the
    number of categories ``k`` that PABAK uses: pass every category the raters *could* have chosen
    (e.g. all of include/exclude/maybe even if nobody voted "maybe"), so that PABAK does not
    depend on which ones happened to be used. Without it the categories are those that occur, in
    order of first appearance (first rater before second within a pair): ratings need not be
    sortable, and the order does not change any statistic. A rating that is not among the given
    ``categories`` raises ``ValueError`` rather than being dropped silently.

    Raises ``ValueError`` when there are no pairs, when ``categories`` repeats a category or misses
    one that occurs, and when ``confidence`` is not strictly between 0 and 1.
    """
    _check_confidence(confidence)
    given = _unique_categories(categories) if categories is not None else None
    index: dict[C, int] = {category: i for i, category in enumerate(given or ())}
    counts: dict[tuple[int, int], int] = {}
    for first, second in pairs:
        cell = (_index_of(first, index, given), _index_of(second, index, given))
        counts[cell] = counts.get(cell, 0) + 1
    if not counts:
        raise ValueError("no paired ratings: agreement needs at least one item rated by both raters")
    order = tuple(index)
    size = len(order)
    table = tuple(tuple(counts.get((i, j), 0) for j in range(size)) for i in range(size))
    return agreement_from_table(table, categories=order, confidence=confidence)


def agreement_from_table(
    table: Sequence[Sequence[int]],
    *,
    categories: Sequence[C],
    confidence: float = 0.95,
) -> Agreement[C]:
    """The same statistics from a square contingency table of counts (rows: first rater), for
    callers that already have counts (a ``GROUP BY`` in the database, a published table).

    Raises ``ValueError`` when the table is not square with one row per category, has a negative
    count, or is empty (all zero).
    """
    _check_confidence(confidence)
    order = _unique_categories(categories)
    size = len(order)
    if len(table) != size or any(len(row) != size for row in table):
        raise ValueError(f"the table must be {size} x {size}, one row and one column per category")
    counts = tuple(tuple(int(cell) for cell in row) for row in table)
    if any(cell < 0 for row in counts for cell in row):
        raise ValueError("the table has a negative count")
    n = sum(map(sum, counts))
    if n == 0:
        raise ValueError("no paired ratings: agreement needs at least one item rated by both raters")

    rows = [sum(row) for row in counts]
    columns = [sum(row[j] for row in counts) for j in range(size)]
    agreed = sum(counts[i][i] for i in range(size))
    # Chance agreement times n squared, kept as an integer so that "chance agreement is 1" (kappa
    # undefined) is an exact test and kappa is exactly 0 or 1 when it should be.
    chance = sum(r * c for r, c in zip(rows, columns, strict=True))
    observed = agreed / n
    expected = chance / (n * n)
    pabak = (size * observed - 1) / (size - 1) if size > 1 else None

    kappa: float | None = None
    se: float | None = None
    low: float | None = None
    high: float | None = None
    if chance < n * n:
        kappa = (agreed * n - chance) / (n * n - chance)
        se = _kappa_se(counts, n, rows, columns, kappa, expected)
        z = NormalDist().inv_cdf((1 + confidence) / 2)
        low = max(-1.0, kappa - z * se)
        high = min(1.0, kappa + z * se)
    return Agreement(
        n=n,
        categories=order,
        table=counts,
        observed=observed,
        expected=expected,
        kappa=kappa,
        kappa_se=se,
        ci_low=low,
        ci_high=high,
        pabak=pabak,
        confidence=confidence,
    )


def _kappa_se(
    counts: tuple[tuple[int, ...], ...],
    n: int,
    rows: list[int],
    columns: list[int],
    kappa: float,
    expected: float,
) -> float:
    """The large-sample standard error of kappa when kappa is not assumed to be 0 (the one for a
    confidence interval), from Fleiss, Cohen & Everitt (1969), "Large sample standard errors of
    kappa and weighted kappa", Psychological Bulletin 72:323-327, as given in Fleiss, Levin & Paik,
    Statistical Methods for Rates and Proportions (3rd ed., 2003, ch. 18):

        var = [ sum_i p_ii (1 - (p_i. + p_.i)(1 - kappa))^2
                + (1 - kappa)^2 sum_{i != j} p_ij (p_.i + p_j.)^2
                - (kappa - p_e (1 - kappa))^2 ] / (n (1 - p_e)^2)

    with p_i. the first rater's and p_.j the second rater's marginal proportions. It is what R's
    ``vcd::Kappa`` reports as the ASE, what ``statpsych::ci.kappa`` and Stata's ``kapci`` (analytic,
    2 x 2) use; the tests check it against published output of both. Stata's own ``kap`` prints the
    other FCE standard error, the one under the null hypothesis kappa = 0: it is for the z test, not
    for an interval. Nor is it Cohen's (1960) sqrt(po (1 - po) / (n (1 - pe)^2)), which FCE showed
    to rest on contradictory assumptions.

    The Wald interval built on it is a large-sample one: at kappa = 1 or -1 the standard error is
    0 and the interval collapses onto the point, and with a few dozen items it is only approximate.
    """
    size = len(counts)
    p_row = [r / n for r in rows]
    p_col = [c / n for c in columns]
    spread = 1 - kappa
    on_diagonal = sum(counts[i][i] / n * (1 - (p_row[i] + p_col[i]) * spread) ** 2 for i in range(size))
    off_diagonal = sum(
        counts[i][j] / n * (p_col[i] + p_row[j]) ** 2
        for i in range(size)
        for j in range(size)
        if i != j and counts[i][j]
    )
    correction = (kappa - expected * spread) ** 2
    variance = (on_diagonal + spread**2 * off_diagonal - correction) / (n * (1 - expected) ** 2)
    # The exact variance is never negative; rounding can take a zero one (kappa = +-1) just below.
    return math.sqrt(max(variance, 0.0))


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95), not {confidence!r}")


def _unique_categories(categories: Sequence[C]) -> tuple[C, ...]:
    order = tuple(categories)
    if len(set(order)) != len(order):
        repeated = next(c for i, c in enumerate(order) if c in order[:i])
        raise ValueError(f"category {repeated!r} is given more than once")
    return order


def _index_of(rating: C, index: dict[C, int], given: tuple[C, ...] | None) -> int:
    """The rating's row/column, adding it when the categories are not fixed in advance."""
    position = index.get(rating)
    if position is not None:
        return position
    if given is not None:
        raise ValueError(f"rating {rating!r} is not one of the categories {list(given)!r}")
    index[rating] = len(index)
    return index[rating]
