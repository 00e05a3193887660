"""Rating rules: an overall rating from the counts of a study's checklist answers. Pure.

A rule gives a rating ("High") when any of its conditions holds. A condition names answers and how
many of them there may be; an answer it does not name may occur any number of times. Because the
counts add up to the number of questions, naming every answer but one fixes the last one, which is
how the reference review's Table 1 says "the rest are Yes"::

    rating = "Medium"
    when = [{ no = 0, cant_tell = "2..3" }, { no = 1, cant_tell = "0..3" }]

A count is a whole number (``2``) or a range in quotes: ``"2..3"`` (2 to 3), ``"2.."`` (2 or more),
``"..3"`` (at most 3). Ranges include both ends.

A rule set is checked against *every* combination of answer counts a study could have
(:func:`check_rules`): a combination no rule covers has no rating, and one that two rules rate
differently is contested. With ``ordered = true`` the first rule that matches wins, so contested
combinations are settled by the order (and reported as such); otherwise they are an error the
protocol has to resolve, because which rating a study gets must not depend on the order someone
happened to write the rules in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

__all__ = [
    "Combination",
    "Condition",
    "CountRange",
    "Coverage",
    "Rating",
    "RatingRule",
    "RuleSet",
    "check_rules",
    "combinations",
    "describe_counts",
]

_RANGE = re.compile(r"^\s*(\d+)?\s*\.\.\s*(\d+)?\s*$")
_NUMBER = re.compile(r"^\s*(\d+)\s*$")
RANGE_HELP = (
    'a whole number such as 2, or a range in quotes: "2..3" (2 to 3), "2.." (2 or more), "..3" (at most 3)'
)


@dataclass(frozen=True, slots=True)
class CountRange:
    """How many answers of one kind a condition allows: ``low`` to ``high`` (None: no upper bound)."""

    low: int
    high: int | None

    @classmethod
    def parse(cls, value: object) -> CountRange:
        """``2``, ``"2"``, ``"2..3"``, ``"2.."`` or ``"..3"``; anything else raises ``ValueError``."""
        if isinstance(value, bool):  # True is an int in Python; in a rating rule it is a mistake
            raise ValueError(f"is not a count; expected {RANGE_HELP}")
        if isinstance(value, int):
            if value < 0:
                raise ValueError(f"is negative; expected {RANGE_HELP}")
            return cls(value, value)
        if isinstance(value, str):
            number = _NUMBER.match(value)
            if number:
                return cls(int(number.group(1)), int(number.group(1)))
            found = _RANGE.match(value)
            if found and (found.group(1) or found.group(2)):
                low = int(found.group(1) or 0)
                high = int(found.group(2)) if found.group(2) else None
                if high is not None and high < low:
                    raise ValueError(f'runs backwards; write the smaller number first, e.g. "{high}..{low}"')
                return cls(low, high)
        raise ValueError(f"is not a count; expected {RANGE_HELP}")

    def __contains__(self, count: object) -> bool:
        return isinstance(count, int) and self.low <= count and (self.high is None or count <= self.high)

    def __str__(self) -> str:
        if self.high == self.low:
            return str(self.low)
        if self.high is None:
            return f"{self.low}.."
        return f"{self.low}..{self.high}" if self.low else f"..{self.high}"

    def words(self) -> str:
        """``2``, ``2–3``, ``2 or more``, ``0–3``: as a table in a paper would say it."""
        if self.high == self.low:
            return str(self.low)
        if self.high is None:
            return f"{self.low} or more"
        return f"{self.low}–{self.high}"


@dataclass(frozen=True, slots=True)
class Condition:
    """Counts of some answers, all of which must hold; unnamed answers may be any number."""

    counts: tuple[tuple[str, CountRange], ...]

    @classmethod
    def of(cls, **counts: int | str) -> Condition:
        return cls(tuple((answer, CountRange.parse(value)) for answer, value in counts.items()))

    def matches(self, counts: Mapping[str, int]) -> bool:
        return all(counts.get(answer, 0) in allowed for answer, allowed in self.counts)

    def answers(self) -> tuple[str, ...]:
        return tuple(answer for answer, _ in self.counts)

    def words(self, labels: Mapping[str, str] | None = None) -> str:
        """``1 No + 0–3 Can't tell`` (``any`` for an empty condition, which matches everything)."""
        if not self.counts:
            return "any answers"
        names = labels or {}
        return " + ".join(f"{allowed.words()} {names.get(answer, answer)}" for answer, allowed in self.counts)


@dataclass(frozen=True, slots=True)
class RatingRule:
    """One rating and the conditions that give it. ``unstated``: the rule rates combinations the
    source of the rules (e.g. a paper's table) leaves unstated, so a report can say so."""

    rating: str
    when: tuple[Condition, ...]
    unstated: bool = False
    note: str = ""

    def matches(self, counts: Mapping[str, int]) -> bool:
        return any(condition.matches(counts) for condition in self.when)

    def words(self, labels: Mapping[str, str] | None = None) -> str:
        return "; or ".join(condition.words(labels) for condition in self.when)


@dataclass(frozen=True, slots=True)
class Rating:
    """A study's rating and the rule (0-based index) that gave it."""

    rating: str
    rule: int
    unstated: bool = False


@dataclass(frozen=True, slots=True)
class RuleSet:
    rules: tuple[RatingRule, ...]
    ordered: bool = False

    @property
    def ratings(self) -> list[str]:
        """The ratings in the order the rules first give them (e.g. High, Medium, Low)."""
        return list(dict.fromkeys(rule.rating for rule in self.rules))

    def matching(self, counts: Mapping[str, int]) -> list[int]:
        return [index for index, rule in enumerate(self.rules) if rule.matches(counts)]

    def rate(self, counts: Mapping[str, int]) -> Rating | None:
        """The rating for these answer counts; None when no rule covers them. Contested counts
        (rules disagreeing, not ordered) raise ``ValueError``: :func:`check_rules` finds them first."""
        found = self.matching(counts)
        if not found:
            return None
        if not self.ordered and len({self.rules[index].rating for index in found}) > 1:
            raise ValueError(f"rules {', '.join(str(i + 1) for i in found)} rate {dict(counts)} differently")
        first = self.rules[found[0]]
        return Rating(first.rating, found[0], first.unstated)


def combinations(answers: Sequence[str], questions: int) -> Iterator[dict[str, int]]:
    """Every way ``questions`` answers can fall into the ``answers`` (counts, not which question got
    which): C(questions + k - 1, k - 1) of them, e.g. 66 for 10 questions and 3 answers. The first
    answer's count runs from high to low, so "all Yes" comes first."""
    if not answers:
        return
    first, rest = answers[0], answers[1:]
    if not rest:
        yield {first: questions}
        return
    for count in range(questions, -1, -1):
        for tail in combinations(rest, questions - count):
            yield {first: count, **tail}


def describe_counts(counts: Mapping[str, int], labels: Mapping[str, str] | None = None) -> str:
    """``9 Yes + 1 Can't tell`` (answers with a zero count left out; ``no answers`` if all are)."""
    names = labels or {}
    parts = [f"{count} {names.get(answer, answer)}" for answer, count in counts.items() if count]
    return " + ".join(parts) or "no answers"


@dataclass(frozen=True, slots=True)
class Combination:
    counts: tuple[tuple[str, int], ...]
    matches: tuple[int, ...]  # indexes of the rules that match, in rule order

    def as_dict(self) -> dict[str, int]:
        return dict(self.counts)


@dataclass(frozen=True)
class Coverage:
    """What a rule set does with every combination of answers to ``questions`` questions."""

    rules: RuleSet
    answers: tuple[str, ...]
    questions: int
    combinations: tuple[Combination, ...]

    @property
    def uncovered(self) -> list[Combination]:
        return [combination for combination in self.combinations if not combination.matches]

    @cached_property
    def contested(self) -> list[Combination]:
        """Combinations two or more rules rate differently (settled by order only when ordered)."""
        return [
            combination
            for combination in self.combinations
            if len({self.rules.rules[index].rating for index in combination.matches}) > 1
        ]

    @property
    def ok(self) -> bool:
        return not self.uncovered and (self.rules.ordered or not self.contested)

    def covered_by(self, rule: int) -> int:
        """How many combinations the rule matches (whether or not it decides them)."""
        return sum(1 for combination in self.combinations if rule in combination.matches)

    def decided_by(self, rule: int) -> int:
        """How many combinations get their rating from the rule: it is the first to match (ordered),
        or it matches and no other rule disagrees (not ordered; shared with agreeing rules)."""
        count = 0
        for combination in self.combinations:
            if not combination.matches:
                continue
            if self.rules.ordered:
                count += combination.matches[0] == rule
            elif rule in combination.matches and combination not in self.contested:
                count += 1
        return count

    def rating_counts(self) -> dict[str, int]:
        """How many combinations end up with each rating (contested ones left out unless ordered)."""
        counts = dict.fromkeys(self.rules.ratings, 0)
        contested = self.contested
        for combination in self.combinations:
            if combination.matches and (self.rules.ordered or combination not in contested):
                counts[self.rules.rules[combination.matches[0]].rating] += 1
        return counts


def check_rules(rules: RuleSet, answers: Sequence[str], questions: int) -> Coverage:
    """Apply the rules to every combination of counts of ``answers`` over ``questions`` questions."""
    found = tuple(
        Combination(tuple(counts.items()), tuple(rules.matching(counts)))
        for counts in combinations(tuple(answers), questions)
    )
    return Coverage(rules, tuple(answers), questions, found)
