"""Agreement statistics: kappa, its standard error and interval, percent agreement and PABAK, checked
against hand arithmetic, published worked examples and (where installed) scikit-learn."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synthesist.screening.agreement import Agreement, agreement, agreement_from_table

try:
    from sklearn.metrics import cohen_kappa_score
except ImportError:  # scikit-learn is not a dependency; the comparison runs where it happens to be
    cohen_kappa_score = None

YES, NO = "yes", "no"


def pairs_from(table: Sequence[Sequence[int]], categories: Sequence[str]) -> list[tuple[str, str]]:
    """One (first rater, second rater) pair per item of a contingency table (rows: first rater)."""
    return [
        (categories[i], categories[j])
        for i, row in enumerate(table)
        for j, count in enumerate(row)
        for _ in range(count)
    ]


def naive_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Kappa straight from its definition, in floats, as a reference for the property tests."""
    n = len(pairs)
    labels = {label for pair in pairs for label in pair}
    po = sum(a == b for a, b in pairs) / n
    pe = sum(
        (sum(a == label for a, _ in pairs) / n) * (sum(b == label for _, b in pairs) / n) for label in labels
    )
    return None if math.isclose(pe, 1.0) else (po - pe) / (1 - pe)


# Hand-computed -------------------------------------------------------------------------------------


def test_two_by_two_by_hand() -> None:
    # Rows: first rater yes/no; columns: second rater yes/no.
    #           yes  no
    #   yes      20   5   (25)
    #   no       10  15   (25)
    #           (30) (20)  n = 50
    # po = (20 + 15) / 50 = 0.70
    # pe = 0.50 * 0.60 + 0.50 * 0.40 = 0.30 + 0.20 = 0.50
    # kappa = (0.70 - 0.50) / (1 - 0.50) = 0.40
    # PABAK = 2 * 0.70 - 1 = 0.40 (same as kappa: the marginals are balanced enough that pe = 1/2)
    # FCE 1969 variance, p11 = .4, p12 = .1, p21 = .2, p22 = .3, rows (.5, .5), columns (.6, .4),
    # 1 - kappa = .6:
    #   diagonal:     .4 (1 - (.5 + .6) .6)^2 + .3 (1 - (.5 + .4) .6)^2 = .04624 + .06348 = .10972
    #   off-diagonal: .6^2 [.1 (.6 + .5)^2 + .2 (.4 + .5)^2] = .36 (.121 + .162) = .10188
    #   correction:   (.4 - .5 * .6)^2 = .01
    #   var = (.10972 + .10188 - .01) / (50 * .5^2) = .2016 / 12.5 = .016128; SE = .126996
    result = agreement(pairs_from([[20, 5], [10, 15]], (YES, NO)))
    assert result.n == 50
    assert result.categories == (YES, NO)
    assert result.table == ((20, 5), (10, 15))
    assert result.observed == pytest.approx(0.70)
    assert result.expected == pytest.approx(0.50)
    assert result.kappa == pytest.approx(0.40)
    assert result.pabak == pytest.approx(0.40)
    assert result.kappa_se == pytest.approx(math.sqrt(0.016128))
    # 95%: 0.40 -+ 1.959964 * 0.126996 = 0.151092 .. 0.648908
    assert result.ci_low == pytest.approx(0.151092, abs=1e-6)
    assert result.ci_high == pytest.approx(0.648908, abs=1e-6)
    assert result.interpretation == "fair"


def test_three_categories_by_hand() -> None:
    # include / exclude / maybe, n = 20.
    #            inc  exc  may
    #   inc        4    1    1   (6)
    #   exc        1    8    1   (10)
    #   may        0    1    3   (4)
    #             (5) (10)  (5)
    # po = (4 + 8 + 3) / 20 = 0.75
    # pe = (6*5 + 10*10 + 4*5) / 400 = (30 + 100 + 20) / 400 = 0.375
    # kappa = (0.75 - 0.375) / 0.625 = 0.6
    # PABAK = (3 * 0.75 - 1) / 2 = 0.625
    table = [[4, 1, 1], [1, 8, 1], [0, 1, 3]]
    categories = ("include", "exclude", "maybe")
    result = agreement(pairs_from(table, categories), categories=categories)
    assert result.observed == pytest.approx(0.75)
    assert result.expected == pytest.approx(0.375)
    assert result.kappa == pytest.approx(0.6)
    assert result.pabak == pytest.approx(0.625)
    # 0.6 sits on the "moderate" band's upper bound (Landis & Koch: 0.41-0.60).
    assert result.interpretation == "moderate"


# Published examples --------------------------------------------------------------------------------


def test_wikipedia_grant_proposals() -> None:
    """Wikipedia, "Cohen's kappa", section "Examples" (50 grant proposals, two readers, yes/no; also
    reproduced in the Tutorialspoint "Cohen's Kappa Coefficient" statistics tutorial): 20 yes/yes,
    5 yes/no, 10 no/yes, 15 no/no; published po = 0.70, pe = 0.50 x 0.60 + 0.50 x 0.40 = 0.50,
    kappa = 0.4."""
    result = agreement(pairs_from([[20, 5], [10, 15]], (YES, NO)))
    assert result.observed == pytest.approx(0.70)
    assert result.expected == pytest.approx(0.50)
    assert result.kappa == pytest.approx(0.4)


def test_statpsych_ci_kappa_example() -> None:
    """Bonett, R package statpsych, ``ci.kappa`` help page example: ``ci.kappa(.05, 31, 12, 4, 58)``
    (f00 = 31, f01 = 12, f10 = 4, f11 = 58) "Should return" for Cohen's kappa: estimate 0.6756757,
    SE 0.07344761, LL 0.5317210, UL 0.8196303. The page cites Fleiss, Levin & Paik (2003), i.e. the
    Fleiss-Cohen-Everitt standard error this module implements."""
    result = agreement_from_table([[31, 12], [4, 58]], categories=(0, 1))
    assert result.kappa == pytest.approx(0.6756757, abs=5e-8)
    assert result.kappa_se == pytest.approx(0.07344761, abs=5e-9)
    assert result.ci_low == pytest.approx(0.5317210, abs=5e-8)
    assert result.ci_high == pytest.approx(0.8196303, abs=5e-8)


def test_stata_kapci_analytic_interval() -> None:
    """Statalist, "st: kappa agreement standard errors" (December 2009,
    stata.com/statalist/archive/2009-12/msg00320.html): Stata's ``kapci`` (analytic interval, after
    Fleiss-Cohen-Everitt 1969 / Fleiss 1981 eq. 13.15-13.18) on the 2 x 2 table 1395, 118 / 261, 158
    (N = 1932) returns kappa = .3411969207847029, prop_o = .8038302277432712,
    prop_e = .7022330671398995, se = .0262913719660408, 95% CI .2896667786271169 to
    .3927270629422889. (Stata's ``kap`` on the same data prints Std. Err. 0.0220: the standard error
    under kappa = 0, for its z test, which this module deliberately does not use.)"""
    result = agreement_from_table([[1395, 118], [261, 158]], categories=(0, 1))
    assert result.n == 1932
    assert result.kappa == pytest.approx(0.3411969207847029, rel=1e-12)
    assert result.observed == pytest.approx(0.8038302277432712, rel=1e-12)
    assert result.expected == pytest.approx(0.7022330671398995, rel=1e-12)
    assert result.kappa_se == pytest.approx(0.0262913719660408, rel=1e-9)
    assert result.ci_low == pytest.approx(0.2896667786271169, rel=1e-9)
    assert result.ci_high == pytest.approx(0.3927270629422889, rel=1e-9)
    assert result.kappa_se != pytest.approx(0.0220367175735475, rel=1e-3)


def test_cohen_1968_three_category_example() -> None:
    """Cohen (1968), "Weighted kappa", Psychological Bulletin 70:213-220: the 3 x 3 table of
    proportions .44 .07 .09 / .05 .20 .05 / .01 .03 .06 for 200 items, as reproduced in the R psych
    package's ``cohen.kappa`` examples ("cohen reports .492" for unweighted kappa; .348 is the
    weighted one). By hand: po = .44 + .20 + .06 = .70; rows .60 .30 .10, columns .50 .30 .20, so
    pe = .30 + .09 + .02 = .41 and kappa = .29 / .59 = .4915."""
    proportions = [[0.44, 0.07, 0.09], [0.05, 0.20, 0.05], [0.01, 0.03, 0.06]]
    table = [[round(p * 200) for p in row] for row in proportions]
    result = agreement_from_table(table, categories=("a", "b", "c"))
    assert result.n == 200
    assert result.observed == pytest.approx(0.70)
    assert result.expected == pytest.approx(0.41)
    assert result.kappa is not None
    assert round(result.kappa, 3) == 0.492


def test_mcginn_2004_cmaj_chance_and_half_way() -> None:
    """McGinn et al. (2004), "Tips for learners of evidence-based medicine: 3. Measures of observer
    variability (kappa statistic)", CMAJ 171(11):1369-1373. Fig. 3: two clinicians guessing at random,
    each calling the sign present in 60 of 100 patients: 36 / 24 / 24 / 16, agreement no better than
    chance (kappa 0). Fig. 1: each observer calls half the subjects positive and they agree on 75%:
    "The observed agreement above chance is half of the possible agreement above chance" (kappa
    0.5); shown here with 200 subjects, 75 / 25 / 25 / 75."""
    guessing = agreement_from_table([[36, 24], [24, 16]], categories=(YES, NO))
    assert guessing.observed == pytest.approx(0.52)
    assert guessing.expected == pytest.approx(0.52)
    assert guessing.kappa == 0
    assert guessing.interpretation == "slight"

    half_way = agreement_from_table([[75, 25], [25, 75]], categories=(YES, NO))
    assert half_way.observed == pytest.approx(0.75)
    assert half_way.expected == pytest.approx(0.50)
    assert half_way.kappa == pytest.approx(0.5)


# Edge cases ---------------------------------------------------------------------------------------


def test_no_pairs_is_an_error() -> None:
    with pytest.raises(ValueError, match="no paired ratings"):
        agreement([])
    with pytest.raises(ValueError, match="no paired ratings"):
        agreement(iter(()), categories=(YES, NO))
    with pytest.raises(ValueError, match="no paired ratings"):
        agreement_from_table([[0, 0], [0, 0]], categories=(YES, NO))


def test_one_category_only_leaves_kappa_undefined() -> None:
    # Both reviewers excluded all 30 records: po = 1, pe = 1 * 1 = 1, kappa = 0 / 0.
    pairs = [("exclude", "exclude")] * 30
    alone = agreement(pairs)
    assert alone.categories == ("exclude",)
    assert alone.observed == 1.0
    assert alone.expected == 1.0
    assert alone.kappa is None
    assert alone.kappa_se is None
    assert alone.ci_low is None
    assert alone.ci_high is None
    assert alone.interpretation == "undefined"
    assert alone.pabak is None  # (k po - 1) / (k - 1) needs k >= 2

    # Declaring the categories the reviewers could have chosen defines PABAK: (2 * 1 - 1) / 1 = 1.
    declared = agreement(pairs, categories=("include", "exclude"))
    assert declared.table == ((0, 0), (0, 30))
    assert declared.kappa is None
    assert declared.pabak == 1.0
    assert declared.to_dict()["kappa"] is None


def test_perfect_agreement() -> None:
    # 12 include/include, 18 exclude/exclude: po = 1, pe = .4 * .4 + .6 * .6 = .52, kappa = 1;
    # FCE variance: .4 (1 - 0)^2 + .6 (1 - 0)^2 + 0 - (1 - 0)^2 = 0, so the interval is [1, 1].
    result = agreement([("include", "include")] * 12 + [("exclude", "exclude")] * 18)
    assert result.kappa == 1.0
    assert result.observed == 1.0
    assert result.expected == pytest.approx(0.52)
    assert result.kappa_se == pytest.approx(0.0, abs=1e-12)
    assert result.ci_low == pytest.approx(1.0)
    assert result.ci_high == 1.0
    assert result.pabak == 1.0
    assert result.interpretation == "almost perfect"


def test_complete_disagreement() -> None:
    # Balanced: 5 yes/no, 5 no/yes. po = 0, pe = .5 * .5 + .5 * .5 = .5, kappa = -.5 / .5 = -1,
    # PABAK = 2 * 0 - 1 = -1. FCE: 0 + (2^2)(.5 (.5 + .5)^2 + .5 (.5 + .5)^2) - (-1 - .5 * 2)^2
    # = 4 - 4 = 0, so the interval is [-1, -1].
    balanced = agreement([(YES, NO)] * 5 + [(NO, YES)] * 5)
    assert balanced.observed == 0.0
    assert balanced.kappa == -1.0
    assert balanced.pabak == -1.0
    assert balanced.ci_low == -1.0
    assert balanced.ci_high == pytest.approx(-1.0)
    assert balanced.interpretation == "poor"

    # Unbalanced: 3 yes/no, 7 no/yes. Rows .3 .7, columns .7 .3: pe = .21 + .21 = .42,
    # kappa = -.42 / .58 = -.7241: kappa's floor is -1 only when the marginals allow it.
    unbalanced = agreement([(YES, NO)] * 3 + [(NO, YES)] * 7)
    assert unbalanced.kappa == pytest.approx(-0.42 / 0.58)
    assert unbalanced.ci_low is not None
    assert unbalanced.ci_low >= -1.0


def test_categories_that_never_occur() -> None:
    # "maybe" is a possible vote nobody used. The kappa of the 2 x 2 example does not change (a zero
    # row and column add nothing to po or pe), but PABAK uses k = 3: (3 * .7 - 1) / 2 = .55.
    pairs = pairs_from([[20, 5], [10, 15]], (YES, NO))
    result = agreement(pairs, categories=(YES, NO, "maybe"))
    assert result.categories == (YES, NO, "maybe")
    assert result.table == ((20, 5, 0), (10, 15, 0), (0, 0, 0))
    assert result.kappa == pytest.approx(0.4)
    assert result.kappa_se == pytest.approx(agreement(pairs).kappa_se)
    assert result.pabak == pytest.approx(0.55)


def test_given_categories_fix_the_order_and_first_seen_is_the_default() -> None:
    pairs = [(NO, YES), (YES, YES), (NO, NO)]
    assert agreement(pairs).categories == (NO, YES)
    assert agreement(pairs).table == ((1, 1), (0, 1))
    reordered = agreement(pairs, categories=(YES, NO))
    assert reordered.table == ((1, 0), (1, 1))
    assert reordered.kappa == agreement(pairs).kappa


def test_rating_outside_the_given_categories_is_an_error() -> None:
    with pytest.raises(ValueError, match="'maybe' is not one of the categories"):
        agreement([(YES, "maybe")], categories=(YES, NO))


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="more than once"):
        agreement([(YES, YES)], categories=(YES, NO, YES))
    with pytest.raises(ValueError, match="confidence"):
        agreement([(YES, YES)], confidence=95)
    with pytest.raises(ValueError, match="2 x 2"):
        agreement_from_table([[1, 2, 3], [4, 5, 6]], categories=(YES, NO))
    with pytest.raises(ValueError, match="negative"):
        agreement_from_table([[1, -1], [0, 2]], categories=(YES, NO))


def test_confidence_level_widens_the_interval() -> None:
    pairs = pairs_from([[20, 5], [10, 15]], (YES, NO))
    narrow, wide = agreement(pairs, confidence=0.80), agreement(pairs, confidence=0.99)
    assert narrow.ci_low is not None and wide.ci_low is not None
    assert narrow.ci_high is not None and wide.ci_high is not None
    assert wide.ci_low < narrow.ci_low < 0.4 < narrow.ci_high < wide.ci_high
    # 99%: z = 2.575829; 0.4 + 2.575829 * 0.126996 = 0.727120
    assert wide.ci_high == pytest.approx(0.727120, abs=1e-6)
    assert wide.confidence == 0.99


@pytest.mark.parametrize(
    ("kappa", "label"),
    [
        (-0.01, "poor"),
        (0.0, "slight"),
        (0.2, "slight"),
        (0.2000000000000001, "slight"),
        (0.205, "fair"),
        (0.4, "fair"),
        (0.41, "moderate"),
        (0.6000000000000001, "moderate"),
        (0.61, "substantial"),
        (0.8, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
    ],
)
def test_landis_koch_bands(kappa: float, label: str) -> None:
    result = Agreement(
        n=1,
        categories=(YES,),
        table=((1,),),
        observed=1.0,
        expected=0.5,
        kappa=kappa,
        kappa_se=None,
        ci_low=None,
        ci_high=None,
        pabak=None,
    )
    assert result.interpretation == label


def test_to_dict() -> None:
    result = agreement(pairs_from([[20, 5], [10, 15]], (YES, NO)))
    data = result.to_dict()
    assert data["n"] == 50
    assert data["categories"] == [YES, NO]
    assert data["table"] == [[20, 5], [10, 15]]
    assert data["kappa"] == pytest.approx(0.4)
    assert data["confidence"] == 0.95
    assert data["interpretation"] == "fair"
    assert set(data) == {
        "n", "categories", "table", "observed", "expected", "kappa", "kappa_se", "confidence",
        "ci_low", "ci_high", "pabak", "interpretation",
    }  # fmt: skip


# Properties ---------------------------------------------------------------------------------------

votes = st.sampled_from(["include", "exclude", "maybe"])
rating_pairs = st.lists(st.tuples(votes, votes), min_size=1, max_size=200)


@given(rating_pairs)
def test_properties(pairs: list[tuple[str, str]]) -> None:
    result = agreement(pairs)
    assert result.n == len(pairs)
    assert sum(map(sum, result.table)) == len(pairs)
    assert 0.0 <= result.observed <= 1.0
    assert 0.0 <= result.expected <= 1.0
    assert result.pabak is None or -1.0 <= result.pabak <= 1.0

    reference = naive_kappa(pairs)
    if result.kappa is None:
        assert reference is None
        return
    assert reference is not None
    assert result.kappa == pytest.approx(reference, abs=1e-9)
    assert -1.0 - 1e-12 <= result.kappa <= 1.0 + 1e-12
    # kappa = (po - pe) / (1 - pe) <= po whenever 0 <= pe < 1 and po <= 1.
    assert result.kappa <= result.observed + 1e-12
    # Agreement above chance gives kappa above 0, and the other way round.
    assert (result.kappa > 1e-12) == (result.observed > result.expected + 1e-12)
    assert result.kappa_se is not None and result.kappa_se >= 0.0
    assert result.ci_low is not None and result.ci_high is not None
    assert -1.0 <= result.ci_low <= result.kappa + 1e-12
    assert result.kappa - 1e-12 <= result.ci_high <= 1.0


@given(rating_pairs)
def test_swapping_the_raters_changes_nothing_but_the_table(pairs: list[tuple[str, str]]) -> None:
    categories = ("include", "exclude", "maybe")
    forward = agreement(pairs, categories=categories)
    backward = agreement([(second, first) for first, second in pairs], categories=categories)
    assert backward.table == tuple(zip(*forward.table, strict=True))
    assert backward.observed == forward.observed
    assert backward.expected == pytest.approx(forward.expected)
    assert backward.pabak == pytest.approx(forward.pabak)
    if forward.kappa is None:
        assert backward.kappa is None
    else:
        assert backward.kappa == pytest.approx(forward.kappa)
        assert backward.kappa_se == pytest.approx(forward.kappa_se)


@pytest.mark.skipif(cohen_kappa_score is None, reason="scikit-learn is not installed")
@given(rating_pairs)
def test_matches_scikit_learn(pairs: list[tuple[str, str]]) -> None:
    result = agreement(pairs)
    if result.kappa is None:  # scikit-learn returns nan (with a warning) for 0 / 0
        return
    first, second = zip(*pairs, strict=True)
    assert result.kappa == pytest.approx(cohen_kappa_score(first, second), abs=1e-9)
