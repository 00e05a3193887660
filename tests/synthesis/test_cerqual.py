"""The CERQual rules as documented in synthesist.synthesis.cerqual, and the parsing of levels."""

from __future__ import annotations

import pytest

from synthesist.errors import UserError
from synthesist.synthesis.cerqual import (
    Component,
    Concern,
    Confidence,
    parse_component,
    parse_concern,
    parse_confidence,
    suggest_confidence,
    suggest_methodological,
)

ORDER = ["High", "Medium", "Low"]
ML, CO, AD, RE = Component


@pytest.mark.parametrize(
    ("ratings", "concern", "basis"),
    [
        (["High", "High"], Concern.NONE, "2 of 2 contributing studies rated High"),
        (["High", "Medium"], Concern.MINOR, "1 of 2 contributing studies rated Medium; 1 rated High"),
        (
            ["Low", "Medium", "Medium", "High"],
            Concern.MINOR,
            "1 of 4 contributing studies rated Low; 2 rated Medium; 1 rated High",
        ),
        (
            ["Low", "Medium", "High"],
            Concern.MODERATE,
            "1 of 3 contributing studies rated Low; 1 rated Medium; 1 rated High",
        ),
        (
            ["Low", "Low", "Medium", "High"],
            Concern.MODERATE,
            "2 of 4 contributing studies rated Low; 1 rated Medium; 1 rated High",
        ),
        (["Low", "Low", "High"], Concern.SERIOUS, "2 of 3 contributing studies rated Low; 1 rated High"),
        (["Low", None], Concern.SERIOUS, "1 of 2 contributing studies rated Low; 1 not rated yet"),
        ([None], None, "1 of 1 contributing study not rated yet"),
        ([], None, "no contributing studies"),
    ],
)
def test_methodological_limitations_rule(
    ratings: list[str | None], concern: Concern | None, basis: str
) -> None:
    assert suggest_methodological(ratings, ORDER) == (concern, basis)


@pytest.mark.parametrize(
    ("concerns", "confidence"),
    [
        ((Concern.NONE, Concern.NONE, Concern.NONE, Concern.NONE), Confidence.HIGH),
        ((Concern.MINOR, Concern.NONE, Concern.NONE, Concern.NONE), Confidence.HIGH),
        ((Concern.MINOR, Concern.MINOR, Concern.NONE, Concern.NONE), Confidence.MODERATE),
        ((Concern.NONE, Concern.MODERATE, Concern.NONE, Concern.NONE), Confidence.MODERATE),
        ((Concern.MINOR, Concern.MINOR, Concern.MODERATE, Concern.NONE), Confidence.LOW),
        ((Concern.SERIOUS, Concern.NONE, Concern.NONE, Concern.NONE), Confidence.LOW),
        ((Concern.SERIOUS, Concern.MODERATE, Concern.NONE, Concern.NONE), Confidence.VERY_LOW),
        ((Concern.SERIOUS, Concern.SERIOUS, Concern.SERIOUS, Concern.SERIOUS), Confidence.VERY_LOW),
    ],
)
def test_overall_confidence_rule(concerns: tuple[Concern, ...], confidence: Confidence) -> None:
    suggested, why = suggest_confidence(dict(zip(Component, concerns, strict=True)))
    assert suggested is confidence
    assert why.startswith("starts at high confidence")


def test_no_suggestion_until_every_component_is_assessed() -> None:
    assert suggest_confidence({ML: Concern.NONE, CO: None}) == (
        None,
        "assess coherence, adequacy, relevance first",
    )


def test_parsing_levels() -> None:
    assert parse_component("ML") is ML and parse_component("Methodological limitations") is ML
    assert (
        parse_concern("no or very minor concerns") is Concern.NONE
        and parse_concern("Serious") is Concern.SERIOUS
    )
    assert parse_confidence("very low") is Confidence.VERY_LOW and parse_confidence("Moderate confidence")
    with pytest.raises(UserError, match="not a level of confidence"):
        parse_confidence("medium")
    assert (
        Concern.NONE.label == "No or very minor concerns"
        and Confidence.VERY_LOW.label == "Very low confidence"
    )
