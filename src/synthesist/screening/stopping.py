"""When to stop prioritised screening: three stopping rules, each reporting what it computed and what
it assumes. Pure functions over the decisions made so far; nothing here reads or writes anything.

A rule sees the screening decisions in the order the records were screened (``True`` for a record
judged relevant, i.e. included at this stage) and ``n_total``, the number of records in the pool,
screened or not. Each returns a :class:`StopVerdict`; :data:`RULES` lists them by name (for the CLI)
and :func:`check_all` runs them all.

* ``hypergeometric``: the statistical stopping criterion of Callaghan & Müller-Hansen (2020),
  "Statistical stopping criteria for automated screening in systematic reviews", Systematic Reviews
  9:273. A hypothesis test of "recall is still below the target"; stopping when it is rejected at
  the chosen confidence level gives the target recall with (about) that probability, provided the
  assumption it states holds.
* ``knee``: the knee method of Cormack & Grossman (2016), "Engineering quality and reliability in
  technology-assisted review", SIGIR '16, pp. 75-84. A heuristic on the shape of the gain curve.
* ``consecutive-irrelevant``: stop after N irrelevant records in a row. A common heuristic with no
  guarantee at all; it is here because reviewers use it and should see it next to the others.

Only the first gives a recall estimate (a lower confidence bound); the other two say nothing about
recall, and a report should say which rule was used and quote its ``assumes`` text.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from synthesist.screening.hypergeometric import (
    Sample,
    exact_recall,
    hypergeometric_cdf,
    log_factorial_table,
)
from synthesist.wording import plural

__all__ = [
    "RULES",
    "StopOptions",
    "StopVerdict",
    "StoppingRule",
    "check_all",
    "consecutive_irrelevant",
    "hypergeometric_cdf",
    "hypergeometric_p",
    "hypergeometric_stopping_point",
    "hypergeometric_test",
    "knee_method",
]

Detail = Mapping[str, float | int | str | None]

HYPERGEOMETRIC = "hypergeometric"
KNEE = "knee"
CONSECUTIVE = "consecutive-irrelevant"

_HYPERGEOMETRIC_ASSUMES = (
    "Treats the records screened most recently as if they had been drawn at random from themselves "
    "and the records not yet screened; prioritisation puts relevant records first, so this errs on the "
    "safe side unless the ranking is worse than random. It needs the true size of the pool and a "
    "decision on every screened record."
)
_KNEE_ASSUMES = (
    "Assumes the curve of relevant records found against records screened flattens once nearly all "
    "relevant records have been found, so a sharp bend means few remain. It has no statistical "
    "guarantee, and a ranking that finds a second cluster of relevant records late can fool it."
)
_CONSECUTIVE_ASSUMES = (
    "Assumes a long run of irrelevant records means few relevant ones remain. It has no statistical "
    "guarantee: it ignores the pool size and how many relevant records were found, and it stops too "
    "early when the model starts badly or the relevant records come in separate clusters."
)

# Cormack & Grossman (2016): stop when the slope ratio is at least 156 - min(relret, 150), i.e. 6
# once 150 relevant records have been found and up to 156 when few have (their adjustment of 150
# for small relret), and not before 1,000 records have been screened (the minimum as Yang, Lewis &
# Frieder 2021 restate the published rule; some implementations use 150 or none).
_KNEE_BASE_RATIO = 6
_KNEE_LOW_RELEVANT_ADJUSTMENT = 150
_KNEE_MIN_SCREENED = 1000


@dataclass(frozen=True, slots=True)
class StopVerdict:
    """What one stopping rule says about the screening so far.

    ``rule`` is the rule's name in :data:`RULES`; ``stop`` whether the rule says screening may stop;
    ``assumes`` one or two plain sentences of what the rule takes for granted, to be shown with the
    verdict in the UI and quoted in the report; ``summary`` the verdict in one sentence; ``detail``
    the numbers the rule computed (keys differ by rule, values are numbers, strings or ``None``).

    ``estimated_recall`` and ``estimated_total_relevant`` are filled only where the rule estimates
    them (the hypergeometric rule): there they are one-sided confidence bounds at the rule's
    confidence level, recall at least ``estimated_recall`` and at most ``estimated_total_relevant``
    relevant records in the pool; ``None`` elsewhere, or when nothing has been screened.
    """

    rule: str
    stop: bool
    assumes: str
    summary: str
    detail: Detail = field(default_factory=dict)
    estimated_recall: float | None = None
    estimated_total_relevant: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain values (JSON-ready), for the screening record and the report."""
        return {
            "rule": self.rule,
            "stop": self.stop,
            "assumes": self.assumes,
            "summary": self.summary,
            "detail": dict(self.detail),
            "estimated_recall": self.estimated_recall,
            "estimated_total_relevant": self.estimated_total_relevant,
        }


@dataclass(frozen=True, slots=True)
class StopOptions:
    """The settings of all rules, so that the registry can call every rule the same way."""

    target_recall: float = 0.95
    confidence: float = 0.95
    n_consecutive: int = 100
    consecutive_fraction: float | None = None
    knee_min_screened: int = _KNEE_MIN_SCREENED


@dataclass(frozen=True, slots=True)
class StoppingRule:
    """A rule as the CLI lists it: its name, a title, the source it implements, what it assumes, and
    ``check(labels, n_total, options)``."""

    name: str
    title: str
    source: str
    assumes: str
    check: Callable[[Sequence[bool], int, StopOptions], StopVerdict]


# The hypergeometric rule ---------------------------------------------------------------------------


def hypergeometric_p(labels: Sequence[bool], n_total: int, *, target_recall: float = 0.95) -> float:
    """The p-value of Callaghan & Müller-Hansen's (2020) test of the null hypothesis that recall is
    below ``target_recall``, after screening ``labels`` (in screening order) out of ``n_total``
    records. See :func:`hypergeometric_test`, which turns it into a verdict; this is the number
    alone, for callers that want it without the recall bound."""
    flags = _check_labels(labels, n_total)
    _check_target(target_recall)
    sample = Sample.of(flags, n_total)
    return sample.p_value(sample.missing_for(exact_recall(target_recall)), log_factorial_table(n_total))


def hypergeometric_test(
    labels: Sequence[bool],
    n_total: int,
    *,
    target_recall: float = 0.95,
    confidence: float = 0.95,
) -> StopVerdict:
    """Callaghan & Müller-Hansen (2020), Systematic Reviews 9:273: stop when the null hypothesis
    "recall is below ``target_recall``" is rejected at level ``1 - confidence``.

    With r relevant records found among the n screened, recall is below the target t exactly when
    the pool holds more than r / t relevant records, i.e. when at least ``missing = floor(r / t) + 1
    - r`` of them are among the U = n_total - n not yet screened. For each window of the last m
    screened records, holding k relevant, the test treats the window as a sample drawn at random
    from the window plus the unscreened records (m + U records). Under the null hypothesis that
    population holds at least K = k + missing relevant records (the paper's K-hat: r / t + 1 minus
    the relevant records found before the window, rounded down), and the chance of seeing k or fewer
    in the window is the hypergeometric P(X <= k; m + U, K, m). The p-value is the smallest of these
    over all window sizes m = 1..n, and the rule says stop when p < 1 - confidence.

    This follows the authors' reference code: ``calculate_h0`` in the ``buscar`` Python package and
    the ``buscarR`` R package, and the minimal example in github.com/mcallaghan/rapid-screening
    (analysis/minimal_example.ipynb): ``k_hat = floor(r_seen / recall_target + 1 - (r_seen -
    urns.cumsum()))``, ``p = hypergeom.cdf(urns.cumsum(), N - (n_seen - urn_sizes), k_hat,
    urn_sizes)``, ``min(p)``. Two differences, neither changing the test: r / t is computed with the
    decimal value of t (0.95 as 19/20), so that a recall exactly at the target counts as reaching
    it; and when ``missing`` exceeds the unscreened records (the null hypothesis cannot be true, as
    in the reference code's windows where K-hat exceeds the population) p is 0 rather than
    undefined. Only the windows that begin just after a relevant record, and the whole sequence,
    are evaluated: reaching one irrelevant record further back never raises a window's p (the
    window then draws one more record from a population one larger, leaving the same records
    undrawn, so the relevant records it holds are stochastically more and P(X <= k) smaller), so
    the minimum is always at one of them. The tests check this against every window.

    ``estimated_recall`` is the one-sided lower confidence bound on recall at ``confidence``: the
    largest total of relevant records the test cannot rule out is ``estimated_total_relevant``, and
    recall is at least r over it (the inversion of ``recall_frontier`` in ``buscar``).

    The guarantee is for a single test; checking after every record and stopping at the first
    rejection is repeated testing. In the authors' simulations, and in this module's tests (random
    and prioritised orders, checked after every record), the target was still reached in at least
    95% of runs at 95% confidence. Raises ``ValueError`` for labels longer than the pool, a target
    outside (0, 1] or a confidence outside (0, 1).
    """
    flags = _check_labels(labels, n_total)
    _check_target(target_recall)
    _check_confidence(confidence)
    alpha = 1 - confidence
    sample = Sample.of(flags, n_total)
    missing = sample.missing_for(exact_recall(target_recall))
    lf = log_factorial_table(n_total)
    result = sample.minimum(missing, lf)
    stop = result.p < alpha
    total_bound = sample.total_relevant_bound(alpha, lf)
    recall_bound: float | None = None
    if total_bound is not None and total_bound > 0:
        recall_bound = sample.relevant / total_bound
    detail: dict[str, float | int | str | None] = {
        "p_value": result.p,
        "alpha": alpha,
        "target_recall": target_recall,
        "confidence": confidence,
        "screened": sample.screened,
        "relevant_found": sample.relevant,
        "unscreened": sample.unscreened,
        "missing_under_null": missing,
        "window_size": result.window,
        "window_relevant": result.window_relevant,
        "window_null_relevant": result.window_null_relevant,
    }
    if sample.screened == 0:
        summary = "nothing screened yet: the test has no sample"
    elif stop:
        summary = (
            f"p = {result.p:.3g} < {alpha:.3g}: recall below {target_recall:.0%} is rejected "
            f"at {confidence:.0%} confidence"
        )
    else:
        summary = (
            f"p = {result.p:.3g} >= {alpha:.3g}: recall below {target_recall:.0%} cannot yet be "
            f"rejected at {confidence:.0%} confidence"
        )
    return StopVerdict(
        rule=HYPERGEOMETRIC,
        stop=stop,
        assumes=_HYPERGEOMETRIC_ASSUMES,
        summary=summary,
        detail=detail,
        estimated_recall=recall_bound,
        estimated_total_relevant=total_bound,
    )


def hypergeometric_stopping_point(
    labels: Sequence[bool],
    n_total: int,
    *,
    target_recall: float = 0.95,
    confidence: float = 0.95,
) -> int | None:
    """The number of records screened when :func:`hypergeometric_test`, checked after every record,
    first says stop, given a complete (or partial) screening order; ``None`` if it never does within
    ``labels``. For evaluating the rule on finished screenings and simulations: how much screening
    it would have saved, and at what recall.

    Exact and fast: between two relevant records the p-value can only fall (every window gains an
    irrelevant record from a population of unchanged size), so each stretch is tested at its end
    and searched only if the rule fires there."""
    flags = _check_labels(labels, n_total)
    _check_target(target_recall)
    _check_confidence(confidence)
    alpha = 1 - confidence
    target = exact_recall(target_recall)
    lf = log_factorial_table(n_total)
    positions = [i for i, flag in enumerate(flags) if flag]

    def rejects(n: int) -> bool:
        sample = Sample.at(n, positions[: bisect.bisect_left(positions, n)], n_total)
        return sample.rejects(sample.missing_for(target), alpha, lf)

    # Stretches of prefixes: each starts at a prefix ending on a relevant record (or at 1) and runs
    # on over irrelevant ones up to the prefix before the next relevant record.
    start = 1
    for end in [pos for pos in positions if pos > 0] + [len(flags)]:
        if start <= end and rejects(end):
            low, high = start, end
            while low < high:
                middle = (low + high) // 2
                if rejects(middle):
                    high = middle
                else:
                    low = middle + 1
            return low
        start = end + 1
    return None


# The knee method -----------------------------------------------------------------------------------


def knee_method(
    labels: Sequence[bool], n_total: int, *, min_screened: int = _KNEE_MIN_SCREENED
) -> StopVerdict:
    """The knee method of Cormack & Grossman (2016), SIGIR '16, pp. 75-84.

    The gain curve plots relevant records found (relret) against records screened (rank). At the
    current rank s, the knee is the rank i < s whose point lies farthest above the straight line
    from the origin to the current point (s, relret(s)); the first such rank on ties. The slope
    ratio is the slope of the curve before the knee over its slope after it, the latter with one
    relevant record added so that a flat tail does not divide by zero:

        rho = (relret(i) / i) / ((relret(s) - relret(i) + 1) / (s - i))

    The rule says stop when rho >= 156 - min(relret(s), 150) (6 once 150 relevant records have been
    found; the 150 is their adjustment against stopping on a handful of early finds) and at least
    ``min_screened`` records have been screened (1,000 in the published rule, as restated by Yang,
    Lewis & Frieder 2021, "Heuristic stopping rules for technology-assisted review", DocEng '21).

    Followed: ``find_knee`` and ``get_slope_ratio`` in github.com/alisonsneyd/poisson_stopping_method
    (utils/knee_method_fns.py, Sneyd & Stevenson 2019), and ``KneeStoppingRule`` in
    github.com/eugene-yang/tarexp (tarexp/component/stopping.py) for the threshold on the current
    relret. Cormack & Grossman check the rule at the end of each batch of their BMI schedule;
    here it is checked whenever it is asked, which can only stop at the same point or earlier.
    ``n_total`` is only checked against the labels: the rule does not use the pool size.
    """
    flags = _check_labels(labels, n_total)
    if min_screened < 1:
        raise ValueError(f"min_screened must be at least 1, not {min_screened!r}")
    s = len(flags)
    cumulative = [0]
    for flag in flags:
        cumulative.append(cumulative[-1] + flag)
    relret = cumulative[s]
    threshold = _KNEE_BASE_RATIO + _KNEE_LOW_RELEVANT_ADJUSTMENT - min(relret, _KNEE_LOW_RELEVANT_ADJUSTMENT)
    knee: int | None = None
    ratio = 0.0
    slope_before: float | None = None
    slope_after: float | None = None
    if s >= 2 and relret > 0:
        # Distance above the line y = x * relret / s, times the constant s / sqrt(s^2 + relret^2).
        knee = max(range(1, s), key=lambda x: (s * cumulative[x] - x * relret, -x))
        slope_before = cumulative[knee] / knee
        slope_after = (relret - cumulative[knee] + 1) / (s - knee)
        ratio = slope_before / slope_after
    stop = s >= min_screened and ratio >= threshold
    detail: dict[str, float | int | str | None] = {
        "screened": s,
        "relevant_found": relret,
        "knee_rank": knee,
        "relevant_at_knee": cumulative[knee] if knee is not None else None,
        "slope_before": slope_before,
        "slope_after": slope_after,
        "slope_ratio": ratio,
        "threshold": threshold,
        "min_screened": min_screened,
    }
    if knee is None:
        summary = "no knee yet: fewer than two records screened or no relevant record found"
    else:
        comparison = ">=" if ratio >= threshold else "<"
        summary = f"slope ratio {ratio:.3g} {comparison} {threshold} at a knee after {plural(knee, 'record')}"
        if s < min_screened:
            summary += f"; fewer than {min_screened} records screened"
    return StopVerdict(rule=KNEE, stop=stop, assumes=_KNEE_ASSUMES, summary=summary, detail=detail)


# N consecutive irrelevant --------------------------------------------------------------------------


def consecutive_irrelevant(
    labels: Sequence[bool],
    n_total: int,
    *,
    n: int = 100,
    fraction: float | None = None,
) -> StopVerdict:
    """Stop once the last N screened records were all irrelevant. N is ``n``, or, when ``fraction``
    is given, that fraction of the pool rounded up (the rule is often stated as a percentage of
    the records, e.g. 5%). A heuristic with no statistical basis (see ``assumes``).

    Raises ``ValueError`` when N would be below 1 or ``fraction`` is not in (0, 1]."""
    flags = _check_labels(labels, n_total)
    if fraction is not None:
        if not 0 < fraction <= 1:
            raise ValueError(f"fraction must be in (0, 1], not {fraction!r}")
        needed = max(1, math.ceil(fraction * n_total))
    else:
        needed = n
    if needed < 1:
        raise ValueError(f"the number of consecutive irrelevant records must be at least 1, not {needed!r}")
    run = 0
    for flag in reversed(flags):
        if flag:
            break
        run += 1
    stop = run >= needed
    detail: dict[str, float | int | str | None] = {
        "screened": len(flags),
        "relevant_found": sum(flags),
        "current_run": run,
        "needed": needed,
        "fraction": fraction,
    }
    summary = f"the last {run} screened records were irrelevant; the rule needs {needed}"
    return StopVerdict(
        rule=CONSECUTIVE, stop=stop, assumes=_CONSECUTIVE_ASSUMES, summary=summary, detail=detail
    )


# Registry ------------------------------------------------------------------------------------------


def _run_hypergeometric(labels: Sequence[bool], n_total: int, options: StopOptions) -> StopVerdict:
    return hypergeometric_test(
        labels, n_total, target_recall=options.target_recall, confidence=options.confidence
    )


def _run_knee(labels: Sequence[bool], n_total: int, options: StopOptions) -> StopVerdict:
    return knee_method(labels, n_total, min_screened=options.knee_min_screened)


def _run_consecutive(labels: Sequence[bool], n_total: int, options: StopOptions) -> StopVerdict:
    return consecutive_irrelevant(
        labels, n_total, n=options.n_consecutive, fraction=options.consecutive_fraction
    )


RULES: Mapping[str, StoppingRule] = MappingProxyType(
    {
        HYPERGEOMETRIC: StoppingRule(
            name=HYPERGEOMETRIC,
            title="Hypergeometric test against a target recall",
            source=(
                "Callaghan MW, Müller-Hansen F (2020). Statistical stopping criteria for automated "
                "screening in systematic reviews. Systematic Reviews 9:273."
            ),
            assumes=_HYPERGEOMETRIC_ASSUMES,
            check=_run_hypergeometric,
        ),
        KNEE: StoppingRule(
            name=KNEE,
            title="Knee of the gain curve",
            source=(
                "Cormack GV, Grossman MR (2016). Engineering quality and reliability in "
                "technology-assisted review. SIGIR '16, 75-84."
            ),
            assumes=_KNEE_ASSUMES,
            check=_run_knee,
        ),
        CONSECUTIVE: StoppingRule(
            name=CONSECUTIVE,
            title="N consecutive irrelevant records",
            source="A common heuristic; no single source.",
            assumes=_CONSECUTIVE_ASSUMES,
            check=_run_consecutive,
        ),
    }
)


def check_all(
    labels: Sequence[bool],
    n_total: int,
    *,
    target_recall: float = 0.95,
    confidence: float = 0.95,
    n_consecutive: int = 100,
    consecutive_fraction: float | None = None,
    knee_min_screened: int = _KNEE_MIN_SCREENED,
) -> list[StopVerdict]:
    """Every rule in :data:`RULES`, in its order, on the same screening so far."""
    options = StopOptions(
        target_recall=target_recall,
        confidence=confidence,
        n_consecutive=n_consecutive,
        consecutive_fraction=consecutive_fraction,
        knee_min_screened=knee_min_screened,
    )
    return [rule.check(labels, n_total, options) for rule in RULES.values()]


# Checks --------------------------------------------------------------------------------------------


def _check_labels(labels: Sequence[bool], n_total: int) -> list[bool]:
    if n_total < 0:
        raise ValueError(f"n_total must not be negative, not {n_total!r}")
    flags = [bool(label) for label in labels]
    if len(flags) > n_total:
        raise ValueError(f"{len(flags)} records screened, but the pool holds only {n_total}")
    return flags


def _check_target(target_recall: float) -> None:
    if not 0 < target_recall <= 1:
        raise ValueError(f"target_recall must be in (0, 1], e.g. 0.95, not {target_recall!r}")


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95), not {confidence!r}")
