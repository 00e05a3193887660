"""The ``[appraisal]`` section of ``review.toml``: which checklist, who appraises how, and the rating
rules (see :mod:`synthesist.appraisal.rules` for what a rule means).

Written here, apart from :mod:`synthesist.review.protocol`, so that the appraisal settings and their
defaults live in one place; ``protocol.py`` only names the section. Example::

    [appraisal]
    tool = "casp-qualitative"
    mode = "single-verified"
    ordered = false

    [[appraisal.rating_rules]]
    rating = "High"
    when = [{ no = 0, cant_tell = "0..1" }]

Without ``rating_rules`` the reference review's Table 1 applies (:data:`DEFAULT_RULES_FILE`, with the
combinations its table leaves unstated rated Low and marked so); ``rating_rules = []`` means no
overall rating.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator

from synthesist.appraisal.rules import Condition, CountRange, RatingRule, RuleSet
from synthesist.toml_errors import ItemProblem

__all__ = [
    "DEFAULT_RULES_FILE",
    "AppraisalSection",
    "RatingRuleSetting",
    "default_rating_rules",
]

DEFAULT_RULES_FILE = "default_rating_rules.toml"
"""In the ``synthesist.appraisal`` package: the reference review's Table 1 as rating rules."""

_ANSWER_ID = re.compile(r"^[a-z][a-z0-9_]*$")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _condition(value: Any) -> Any:
    """``{ no = 1, cant_tell = "0..3" }`` -> :class:`Condition`; each mistake points at its key."""
    if isinstance(value, Condition):
        return value
    if not isinstance(value, dict):
        raise ValueError(
            'is not a condition; expected answer counts in braces, e.g. { no = 1, cant_tell = "0..3" }'
        )
    counts: list[tuple[str, CountRange]] = []
    for answer, count in value.items():
        if not _ANSWER_ID.match(answer):
            raise ItemProblem(
                "is not an answer id; expected the id of an answer of the checklist, e.g. yes, no, cant_tell",
                answer,
            )
        try:
            counts.append((answer, CountRange.parse(count)))
        except ValueError as exc:
            raise ItemProblem(str(exc), answer) from None
    return Condition(tuple(counts))


ConditionSetting = Annotated[Condition, BeforeValidator(_condition)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class RatingRuleSetting(_Section):
    rating: Text
    when: list[ConditionSetting]
    # the rule rates combinations its source (e.g. a paper's table) leaves unstated; reports say so
    unstated: bool = False
    note: str = ""

    @field_validator("when")
    @classmethod
    def _some_condition(cls, when: list[Condition]) -> list[Condition]:
        if not when:
            raise ValueError(
                'is empty; give at least one condition, e.g. when = [{ no = 0, cant_tell = "0..1" }]'
            )
        return when

    def rule(self) -> RatingRule:
        return RatingRule(self.rating, tuple(self.when), self.unstated, self.note.strip())


class AppraisalSection(_Section):
    # the checklist's id (`synthesist appraise checklists` lists them)
    tool: Text | None = None
    # the rule in plain words, as the report states it (older protocols kept only this)
    rating_rule: Text | None = None
    mode: Literal["single", "single-verified", "dual"] = "single"
    reviewers: list[Text] = Field(default_factory=list)
    # project checklist files besides checklists/*.toml, relative to the project folder
    checklists: list[Text] = Field(default_factory=list)
    # true: where rules overlap and disagree, the first rule that matches wins
    ordered: bool = False
    # None: the reference review's Table 1 (DEFAULT_RULES_FILE); []: no overall rating
    rating_rules: list[RatingRuleSetting] | None = None

    @field_validator("reviewers")
    @classmethod
    def _reviewers_unique(cls, names: list[str]) -> list[str]:
        for index, name in enumerate(names):
            if name in names[:index]:
                raise ItemProblem(f"repeats the reviewer {name!r}; each must be given once", index)
        return names

    def rule_set(self) -> RuleSet | None:
        """The rules in force: the protocol's, else the default; None when there are none."""
        if self.rating_rules is None:
            return default_rating_rules()
        if not self.rating_rules:
            return None
        return RuleSet(tuple(setting.rule() for setting in self.rating_rules), self.ordered)

    @property
    def default_rules(self) -> bool:
        return self.rating_rules is None


@cache
def default_rating_rules() -> RuleSet:
    """The reference review's Table 1, from the data file shipped with Synthesist."""
    text = resources.files("synthesist.appraisal").joinpath(DEFAULT_RULES_FILE).read_text(encoding="utf-8")
    section = AppraisalSection.model_validate(tomllib.loads(text)["appraisal"])
    return RuleSet(tuple(setting.rule() for setting in section.rating_rules or ()), section.ordered)
