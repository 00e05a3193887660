"""The rating-rule engine, over every combination of answers, and the gap/overlap detector.

``TABLE_1`` below is the reference review's Table 1 written out by hand for each of the 66 ways
10 CASP answers can fall into Yes / No / Can't tell, with whether Table 1 itself states the
combination (the default rules rate the unstated ones Low, marked ``unstated``):

    High    10 Yes; or 1 Can't tell + 9 Yes
    Medium  2 or 3 Can't tell + the rest Yes; or 1 No + 0-3 Can't tell + the rest Yes
    Low     2 or more No + the rest Yes; or 4 or more Can't tell + the rest Yes
"""

from __future__ import annotations

from math import comb

import pytest

from synthesist.appraisal.rules import (
    Condition,
    CountRange,
    RatingRule,
    RuleSet,
    check_rules,
    combinations,
    describe_counts,
)
from synthesist.review.appraisal_settings import default_rating_rules

ANSWERS = ("yes", "no", "cant_tell")

# fmt: off
TABLE_1: list[tuple[int, int, int, str, bool]] = [
    # (yes, no, can't tell, rating, stated in Table 1)
    (10,  0,  0, "High"  , True ),  # 10 Yes
    ( 9,  0,  1, "High"  , True ),  # 1 CT + 9 Yes
    ( 8,  0,  2, "Medium", True ),  # 2-3 CT + rest Yes
    ( 7,  0,  3, "Medium", True ),  # 2-3 CT + rest Yes
    ( 6,  0,  4, "Low"   , True ),  # 4+ CT + rest Yes
    ( 5,  0,  5, "Low"   , True ),  # 4+ CT + rest Yes
    ( 4,  0,  6, "Low"   , True ),  # 4+ CT + rest Yes
    ( 3,  0,  7, "Low"   , True ),  # 4+ CT + rest Yes
    ( 2,  0,  8, "Low"   , True ),  # 4+ CT + rest Yes
    ( 1,  0,  9, "Low"   , True ),  # 4+ CT + rest Yes
    ( 0,  0, 10, "Low"   , True ),  # 4+ CT + rest Yes
    ( 9,  1,  0, "Medium", True ),  # 1 No + 0-3 CT + rest Yes
    ( 8,  1,  1, "Medium", True ),  # 1 No + 0-3 CT + rest Yes
    ( 7,  1,  2, "Medium", True ),  # 1 No + 0-3 CT + rest Yes
    ( 6,  1,  3, "Medium", True ),  # 1 No + 0-3 CT + rest Yes
    ( 5,  1,  4, "Low"   , False),  # unstated: 1 No + 4+ CT
    ( 4,  1,  5, "Low"   , False),  # unstated: 1 No + 4+ CT
    ( 3,  1,  6, "Low"   , False),  # unstated: 1 No + 4+ CT
    ( 2,  1,  7, "Low"   , False),  # unstated: 1 No + 4+ CT
    ( 1,  1,  8, "Low"   , False),  # unstated: 1 No + 4+ CT
    ( 0,  1,  9, "Low"   , False),  # unstated: 1 No + 4+ CT
    ( 8,  2,  0, "Low"   , True ),  # 2+ No + rest Yes
    ( 7,  2,  1, "Low"   , False),  # unstated: 2+ No + some CT
    ( 6,  2,  2, "Low"   , False),  # unstated: 2+ No + some CT
    ( 5,  2,  3, "Low"   , False),  # unstated: 2+ No + some CT
    ( 4,  2,  4, "Low"   , False),  # unstated: 2+ No + some CT
    ( 3,  2,  5, "Low"   , False),  # unstated: 2+ No + some CT
    ( 2,  2,  6, "Low"   , False),  # unstated: 2+ No + some CT
    ( 1,  2,  7, "Low"   , False),  # unstated: 2+ No + some CT
    ( 0,  2,  8, "Low"   , False),  # unstated: 2+ No + some CT
    ( 7,  3,  0, "Low"   , True ),  # 2+ No + rest Yes
    ( 6,  3,  1, "Low"   , False),  # unstated: 2+ No + some CT
    ( 5,  3,  2, "Low"   , False),  # unstated: 2+ No + some CT
    ( 4,  3,  3, "Low"   , False),  # unstated: 2+ No + some CT
    ( 3,  3,  4, "Low"   , False),  # unstated: 2+ No + some CT
    ( 2,  3,  5, "Low"   , False),  # unstated: 2+ No + some CT
    ( 1,  3,  6, "Low"   , False),  # unstated: 2+ No + some CT
    ( 0,  3,  7, "Low"   , False),  # unstated: 2+ No + some CT
    ( 6,  4,  0, "Low"   , True ),  # 2+ No + rest Yes
    ( 5,  4,  1, "Low"   , False),  # unstated: 2+ No + some CT
    ( 4,  4,  2, "Low"   , False),  # unstated: 2+ No + some CT
    ( 3,  4,  3, "Low"   , False),  # unstated: 2+ No + some CT
    ( 2,  4,  4, "Low"   , False),  # unstated: 2+ No + some CT
    ( 1,  4,  5, "Low"   , False),  # unstated: 2+ No + some CT
    ( 0,  4,  6, "Low"   , False),  # unstated: 2+ No + some CT
    ( 5,  5,  0, "Low"   , True ),  # 2+ No + rest Yes
    ( 4,  5,  1, "Low"   , False),  # unstated: 2+ No + some CT
    ( 3,  5,  2, "Low"   , False),  # unstated: 2+ No + some CT
    ( 2,  5,  3, "Low"   , False),  # unstated: 2+ No + some CT
    ( 1,  5,  4, "Low"   , False),  # unstated: 2+ No + some CT
    ( 0,  5,  5, "Low"   , False),  # unstated: 2+ No + some CT
    ( 4,  6,  0, "Low"   , True ),  # 2+ No + rest Yes
    ( 3,  6,  1, "Low"   , False),  # unstated: 2+ No + some CT
    ( 2,  6,  2, "Low"   , False),  # unstated: 2+ No + some CT
    ( 1,  6,  3, "Low"   , False),  # unstated: 2+ No + some CT
    ( 0,  6,  4, "Low"   , False),  # unstated: 2+ No + some CT
    ( 3,  7,  0, "Low"   , True ),  # 2+ No + rest Yes
    ( 2,  7,  1, "Low"   , False),  # unstated: 2+ No + some CT
    ( 1,  7,  2, "Low"   , False),  # unstated: 2+ No + some CT
    ( 0,  7,  3, "Low"   , False),  # unstated: 2+ No + some CT
    ( 2,  8,  0, "Low"   , True ),  # 2+ No + rest Yes
    ( 1,  8,  1, "Low"   , False),  # unstated: 2+ No + some CT
    ( 0,  8,  2, "Low"   , False),  # unstated: 2+ No + some CT
    ( 1,  9,  0, "Low"   , True ),  # 2+ No + rest Yes
    ( 0,  9,  1, "Low"   , False),  # unstated: 2+ No + some CT
    ( 0, 10,  0, "Low"   , True ),  # 2+ No + rest Yes
]
# fmt: on


def test_the_hand_written_table_has_every_combination_once() -> None:
    assert len(TABLE_1) == 66 == comb(12, 2)
    assert {(y, n, c) for y, n, c, _, _ in TABLE_1} == {
        (counts["yes"], counts["no"], counts["cant_tell"]) for counts in combinations(ANSWERS, 10)
    }
    assert all(y + n + c == 10 for y, n, c, _, _ in TABLE_1)


@pytest.mark.parametrize(("yes", "no", "cant_tell", "rating", "stated"), TABLE_1)
def test_the_default_rules_rate_every_combination_as_table_1_does(
    yes: int, no: int, cant_tell: int, rating: str, stated: bool
) -> None:
    rules = default_rating_rules()
    found = rules.rate({"yes": yes, "no": no, "cant_tell": cant_tell})
    assert found is not None
    assert found.rating == rating
    assert found.unstated is (not stated)
    assert len(rules.matching({"yes": yes, "no": no, "cant_tell": cant_tell})) == 1


def test_the_default_rules_cover_all_66_once_and_say_how_many_each() -> None:
    coverage = check_rules(default_rating_rules(), ANSWERS, 10)
    assert len(coverage.combinations) == 66
    assert coverage.uncovered == [] and coverage.contested == [] and coverage.ok
    assert [coverage.covered_by(i) for i in range(4)] == [2, 6, 16, 42]
    assert [coverage.decided_by(i) for i in range(4)] == [2, 6, 16, 42]
    assert coverage.rating_counts() == {"High": 2, "Medium": 6, "Low": 58}
    stated_low = sum(1 for *_, rating, stated in TABLE_1 if rating == "Low" and stated)
    assert stated_low == 16


def test_the_default_rules_fit_fewer_questions_too() -> None:
    """MMAT rates 5 criteria: "the rest Yes" makes Table 1 meaningful for any number of questions."""
    coverage = check_rules(default_rating_rules(), ANSWERS, 5)
    assert len(coverage.combinations) == 21 and coverage.ok
    rules = default_rating_rules()
    assert rules.rate({"yes": 4, "no": 0, "cant_tell": 1}).rating == "High"  # type: ignore[union-attr]
    assert rules.rate({"yes": 2, "no": 0, "cant_tell": 3}).rating == "Medium"  # type: ignore[union-attr]


TABLE_1_AS_WRITTEN = RuleSet(
    (
        RatingRule("High", (Condition.of(yes=10), Condition.of(cant_tell=1, yes=9))),
        RatingRule("Medium", (Condition.of(no=0, cant_tell="2..3"), Condition.of(no=1, cant_tell="0..3"))),
        RatingRule("Low", (Condition.of(no="2..", cant_tell=0), Condition.of(no=0, cant_tell="4.."))),
    )
)


def test_the_gap_detector_finds_exactly_what_table_1_leaves_unstated() -> None:
    coverage = check_rules(TABLE_1_AS_WRITTEN, ANSWERS, 10)
    gaps = {(c.as_dict()["yes"], c.as_dict()["no"], c.as_dict()["cant_tell"]) for c in coverage.uncovered}
    assert gaps == {(y, n, c) for y, n, c, _, stated in TABLE_1 if not stated}
    assert len(gaps) == 42
    assert (5, 1, 4) in gaps and (7, 2, 1) in gaps  # the two examples
    assert coverage.contested == [] and not coverage.ok
    assert TABLE_1_AS_WRITTEN.rate({"yes": 5, "no": 1, "cant_tell": 4}) is None


def test_a_deliberate_gap_in_the_middle_is_found() -> None:
    rules = RuleSet(
        (
            RatingRule("High", (Condition.of(no=0, cant_tell="0..1"),)),
            RatingRule("Low", (Condition.of(no="1.."), Condition.of(cant_tell="3.."))),
        )
    )
    coverage = check_rules(rules, ANSWERS, 10)
    assert [c.as_dict() for c in coverage.uncovered] == [{"yes": 8, "no": 0, "cant_tell": 2}]


def test_the_overlap_detector_finds_rules_that_disagree() -> None:
    rules = RuleSet(
        (
            RatingRule("High", (Condition.of(no=0, cant_tell="0..1"),)),
            RatingRule("Medium", (Condition.of(no="0..1", cant_tell="1..3"),)),
            RatingRule("Low", (Condition.of(no="1.."), Condition.of(cant_tell="4.."))),
        )
    )
    coverage = check_rules(rules, ANSWERS, 10)
    contested = {tuple(c.as_dict().values()): c.matches for c in coverage.contested}
    # 9 Yes + 1 CT: High and Medium; 1 No + 1-3 CT: Medium and Low
    assert contested == {(9, 0, 1): (0, 1), (8, 1, 1): (1, 2), (7, 1, 2): (1, 2), (6, 1, 3): (1, 2)}
    assert coverage.uncovered == [] and not coverage.ok
    assert coverage.covered_by(1) == 6 and coverage.decided_by(1) == 2  # 8 and 7 Yes with 0 No
    with pytest.raises(ValueError, match="rate"):
        rules.rate({"yes": 9, "no": 0, "cant_tell": 1})


def test_ordered_rules_settle_overlaps_by_order_but_still_report_them() -> None:
    rules = RuleSet(
        (
            RatingRule("High", (Condition.of(no=0, cant_tell="0..1"),)),
            RatingRule("Low", (Condition(()),)),  # a catch-all: everything else
        ),
        ordered=True,
    )
    coverage = check_rules(rules, ANSWERS, 10)
    assert coverage.ok and coverage.uncovered == []
    assert len(coverage.contested) == 2  # the two High combinations also match the catch-all
    assert coverage.decided_by(0) == 2 and coverage.decided_by(1) == 64
    assert rules.rate({"yes": 9, "no": 0, "cant_tell": 1}).rating == "High"  # type: ignore[union-attr]
    assert rules.rate({"yes": 0, "no": 10, "cant_tell": 0}).rating == "Low"  # type: ignore[union-attr]


def test_overlapping_rules_that_agree_are_not_contested() -> None:
    rules = RuleSet(
        (
            RatingRule("Low", (Condition.of(no="2.."),)),
            RatingRule("Low", (Condition.of(no="3.."),)),
            RatingRule("OK", (Condition.of(no="..1"),)),
        )
    )
    coverage = check_rules(rules, ANSWERS, 10)
    assert coverage.ok and coverage.contested == []
    assert coverage.covered_by(1) == coverage.decided_by(1) == sum(11 - n for n in range(3, 11))


@pytest.mark.parametrize(
    ("questions", "answers", "expected"), [(10, 3, 66), (5, 3, 21), (10, 4, 286), (1, 2, 2)]
)
def test_there_are_n_plus_k_minus_1_choose_k_minus_1_combinations(
    questions: int, answers: int, expected: int
) -> None:
    names = ["a", "b", "c", "d"][:answers]
    found = list(combinations(names, questions))
    assert len(found) == expected == len({tuple(c.values()) for c in found})
    assert all(sum(c.values()) == questions for c in found)
    assert found[0] == {"a": questions, **dict.fromkeys(names[1:], 0)}  # all of the first answer first


@pytest.mark.parametrize(
    ("value", "low", "high", "shown"),
    [(2, 2, 2, "2"), ("2", 2, 2, "2"), ("2..3", 2, 3, "2..3"), ("2..", 2, None, "2.."), ("..3", 0, 3, "..3"),
     (" 0 .. 3 ", 0, 3, "..3"), (0, 0, 0, "0")],
)  # fmt: skip
def test_count_ranges(value: int | str, low: int, high: int | None, shown: str) -> None:
    parsed = CountRange.parse(value)
    assert (parsed.low, parsed.high, str(parsed)) == (low, high, shown)
    assert low in parsed and (high is None or high + 1 not in parsed) and (low == 0 or low - 1 not in parsed)


@pytest.mark.parametrize(
    ("value", "message"),
    [("3..2", "runs backwards"), ("..", "not a count"), ("two", "not a count"), (-1, "negative"),
     (True, "not a count"), (1.5, "not a count"), ("2...3", "not a count")],
)  # fmt: skip
def test_count_ranges_refuse_nonsense(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        CountRange.parse(value)


def test_rules_and_counts_read_as_a_paper_would_say_them() -> None:
    labels = {"yes": "Yes", "no": "No", "cant_tell": "Can't tell"}
    medium = default_rating_rules().rules[1]
    assert medium.words(labels) == "0 No + 2–3 Can't tell; or 1 No + 0–3 Can't tell"
    assert default_rating_rules().rules[2].words(labels) == (
        "2 or more No + 0 Can't tell; or 0 No + 4 or more Can't tell"
    )
    assert describe_counts({"yes": 5, "no": 1, "cant_tell": 4}, labels) == "5 Yes + 1 No + 4 Can't tell"
    assert Condition(()).words() == "any answers"
