"""The hypergeometric arithmetic behind Callaghan & Müller-Hansen's (2020) stopping rule.

Kept apart from :mod:`synthesist.screening.stopping` (the rules and their verdicts) because it is
plain probability: the hypergeometric distribution function computed exactly enough for p-values
near 0.05 without SciPy, and the screening sample as the test sees it (counts and the candidate
windows of the most recently screened records). Nothing here knows about reviews.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

__all__ = ["Minimum", "Sample", "cdf", "exact_recall", "hypergeometric_cdf", "log_factorial_table", "log_pmf"]


def hypergeometric_cdf(k: int, population: int, successes: int, draws: int) -> float:
    """P(X <= k) for X the number of successes in ``draws`` draws without replacement from a
    ``population`` holding ``successes`` successes (scipy's ``hypergeom.cdf(k, M, n, N)``, R's
    ``phyper(k, m, n - m, N)``). Exact up to floating point: the first term from log-gamma, the
    rest by the ratio of consecutive terms, summing the lower tail from ``k`` down when ``k`` is
    below the mode and one minus the upper tail otherwise.

    Raises ``ValueError`` when the counts are negative or do not fit in the population."""
    if population < 0 or not 0 <= successes <= population or not 0 <= draws <= population:
        raise ValueError(f"need 0 <= successes, draws <= population (got {successes}, {draws}, {population})")
    return cdf(k, population, successes, draws, log_factorial_table(population))


@dataclass(frozen=True, slots=True)
class Minimum:
    p: float
    window: int | None
    window_relevant: int | None
    window_null_relevant: int | None


@dataclass(frozen=True, slots=True)
class Sample:
    """The screening so far as the test needs it: counts, and the candidate windows as (size,
    relevant records in it) pairs."""

    screened: int
    relevant: int
    unscreened: int
    windows: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, flags: Sequence[bool], n_total: int) -> Sample:
        return cls.at(len(flags), [i for i, flag in enumerate(flags) if flag], n_total)

    @classmethod
    def at(cls, n: int, positions: Sequence[int], n_total: int) -> Sample:
        """The first ``n`` records screened, ``positions`` the (0-based, increasing) positions of
        the relevant records among them."""
        r = len(positions)
        # The whole sequence, then the windows that stop just short of each relevant record (a
        # window reaching back over that record holds one more relevant record).
        windows = [(n, r)] if n else []
        windows += [(n - pos - 1, r - j - 1) for j, pos in enumerate(positions) if pos < n - 1]
        return cls(screened=n, relevant=r, unscreened=n_total - n, windows=tuple(windows))

    def missing_for(self, target: Fraction) -> int:
        """The fewest relevant records that must still be unscreened for recall to be below the
        target: floor(r / t) + 1 - r."""
        return math.floor(self.relevant / target) + 1 - self.relevant

    def minimum(self, missing: int, lf: Sequence[float]) -> Minimum:
        if not self.windows:
            return Minimum(1.0, None, None, None)
        if missing > self.unscreened:
            return Minimum(0.0, None, None, None)
        best = Minimum(math.inf, None, None, None)
        for size, k in self.windows:
            p = cdf(k, size + self.unscreened, k + missing, size, lf)
            if p < best.p:
                best = Minimum(p, size, k, k + missing)
        return best

    def p_value(self, missing: int, lf: Sequence[float]) -> float:
        return self.minimum(missing, lf).p

    def rejects(self, missing: int, alpha: float, lf: Sequence[float]) -> bool:
        """Whether the minimum p is below ``alpha``, stopping each window's sum as soon as it
        reaches ``alpha``."""
        if not self.windows:
            return False
        if missing > self.unscreened:
            return True
        return any(
            cdf(k, size + self.unscreened, k + missing, size, lf, stop_at=alpha) < alpha
            for size, k in self.windows
        )

    def total_relevant_bound(self, alpha: float, lf: Sequence[float]) -> int | None:
        """The largest number of relevant records in the pool that the test cannot reject: r plus
        one less than the smallest ``missing`` it rejects (p is non-increasing in ``missing``)."""
        if not self.windows:
            return None
        low, high = 1, self.unscreened + 1  # missing > unscreened is always rejected
        while low < high:
            middle = (low + high) // 2
            if self.rejects(middle, alpha, lf):
                high = middle
            else:
                low = middle + 1
        return self.relevant + low - 1


def cdf(
    k: int,
    population: int,
    successes: int,
    draws: int,
    lf: Sequence[float],
    *,
    stop_at: float | None = None,
) -> float:
    """P(X <= k) for the hypergeometric distribution. Below the mode the terms P(k), P(k - 1), ...
    are summed; at or above it, the upper tail P(k + 1), P(k + 2), ... is, and the result is one
    minus that. Either way the terms shrink as the sum goes on, so it can stop when the rest is
    negligible. With ``stop_at`` the sum may stop as soon as the result is known to be on one side
    of that value; what is returned is then on the same side as the exact result, no more."""
    low = max(0, draws + successes - population)
    high = min(draws, successes)
    if k < low:
        return 0.0
    if k >= high:
        return 1.0
    failures = population - successes
    mode = (draws + 1) * (successes + 1) // (population + 2)
    if k < mode:
        # P(x - 1) / P(x) = x (failures - draws + x) / ((successes - x + 1) (draws - x + 1)), below
        # 1 and shrinking as x falls: the rest of the sum is at most term * ratio / (1 - ratio).
        term = math.exp(log_pmf(k, population, successes, draws, lf))
        total = term
        shift = failures - draws
        for x in range(k, low, -1):
            if stop_at is not None and total >= stop_at:
                return total
            ratio = x * (shift + x) / ((successes - x + 1) * (draws - x + 1))
            term *= ratio
            total += term
            if term * ratio / (1 - ratio) <= total * 1e-17:
                break
        return total
    # P(x + 1) / P(x) = (successes - x) (draws - x) / ((x + 1) (failures - draws + x + 1)), below 1
    # above the mode and shrinking as x rises.
    term = math.exp(log_pmf(k + 1, population, successes, draws, lf))
    upper = term
    shift = failures - draws
    for x in range(k + 1, high):
        ratio = (successes - x) * (draws - x) / ((x + 1) * (shift + x + 1))
        rest = term * ratio / (1 - ratio)
        if stop_at is not None and (1 - upper < stop_at or 1 - upper - rest >= stop_at):
            return 1 - upper if 1 - upper < stop_at else 1 - upper - rest
        if rest <= 1e-17:
            break
        term *= ratio
        upper += term
    return max(0.0, 1 - upper)


def log_pmf(x: int, population: int, successes: int, draws: int, lf: Sequence[float]) -> float:
    failures = population - successes
    return (
        lf[successes]
        - lf[x]
        - lf[successes - x]
        + lf[failures]
        - lf[draws - x]
        - lf[failures - draws + x]
        - lf[population]
        + lf[draws]
        + lf[population - draws]
    )


def exact_recall(target_recall: float) -> Fraction:
    """The target as the decimal it was written as (0.95 as 19/20, not the binary float just
    below it), so that a recall exactly at the target counts as reaching it."""
    return Fraction(str(float(target_recall)))


@lru_cache(maxsize=8)
def log_factorial_table(n: int) -> tuple[float, ...]:
    """log(i!) for i = 0..n, each from log-gamma (not a running sum, which would drift). Kept for
    the last few sizes: the screening page checks the stopping rules on every record shown."""
    return tuple(math.lgamma(i + 1) for i in range(n + 1))
