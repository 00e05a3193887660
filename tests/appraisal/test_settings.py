"""review.toml's [appraisal]: checklist, mode, rating rules and their mistakes, named by line."""

from __future__ import annotations

import pytest

from synthesist.errors import ProtocolError
from synthesist.review.appraisal_settings import default_rating_rules
from synthesist.review.protocol import Protocol

HEAD = 'project_id = "x"\n\n[review]\ntitle = "Back pain"\n\n'


def parse(appraisal: str) -> Protocol:
    return Protocol.parse(HEAD + appraisal)


def problem(appraisal: str) -> str:
    with pytest.raises(ProtocolError) as caught:
        parse(appraisal)
    return str(caught.value)


def test_without_rules_the_reference_reviews_table_1_applies() -> None:
    section = parse('[appraisal]\ntool = "casp-qualitative"\n').appraisal
    assert section.default_rules and section.rule_set() == default_rating_rules()
    assert [rule.rating for rule in default_rating_rules().rules] == ["High", "Medium", "Low", "Low"]
    assert [rule.unstated for rule in default_rating_rules().rules] == [False, False, False, True]
    assert section.mode == "single" and not section.ordered


def test_an_empty_list_of_rules_means_no_rating() -> None:
    assert parse("[appraisal]\nrating_rules = []\n").appraisal.rule_set() is None


def test_older_protocols_with_only_the_rule_in_words_still_load() -> None:
    section = parse('[appraisal]\ntool = "casp-qualitative"\nrating_rule = "High: 9-10 yes"\n').appraisal
    assert section.rating_rule == "High: 9-10 yes" and section.default_rules


def test_rules_are_read_in_order_with_their_conditions() -> None:
    section = parse(
        "[appraisal]\nordered = true\n\n"
        '[[appraisal.rating_rules]]\nrating = "Good"\nwhen = [{ no = 0 }, { no = 1, cant_tell = "..2" }]\n\n'
        '[[appraisal.rating_rules]]\nrating = "Poor"\nwhen = [{}]\nnote = "everything else"\n'
    ).appraisal
    rules = section.rule_set()
    assert rules is not None and rules.ordered
    assert [(r.rating, len(r.when), r.note) for r in rules.rules] == [
        ("Good", 2, ""),
        ("Poor", 1, "everything else"),
    ]
    assert rules.rate({"yes": 7, "no": 1, "cant_tell": 2}).rating == "Good"  # type: ignore[union-attr]
    assert rules.rate({"yes": 7, "no": 1, "cant_tell": 3}).rating == "Poor"  # type: ignore[union-attr]


def test_mistakes_in_the_rules_name_the_key_and_its_line() -> None:
    message = problem(
        '[appraisal]\nmode = "duel"\n\n'  # lines 6-7
        '[[appraisal.rating_rules]]\nrating = "High"\nwhen = [{ no = 0, cant_tell = "1..x" }]\n\n'  # 9-11
        '[[appraisal.rating_rules]]\nrating = ""\nwhen = []\n\n'  # 13-15
        '[[appraisal.rating_rules]]\nrating = "Low"\nwhen = [{ No = 3 }, 5]\nodered = true\n'  # 17-20
    )
    lines = message.splitlines()
    assert lines[0] == 'review.toml:7: appraisal.mode = "duel" is not allowed; expected one of "single", ' + (
        '"single-verified", "dual"'
    )
    assert lines[1].startswith(
        'review.toml:11: appraisal.rating_rules[0].when[0].cant_tell = "1..x" is not a count'
    )
    assert (
        lines[2]
        == "review.toml:14: appraisal.rating_rules[1].rating is empty; expected some text between the quotes"
    )
    assert lines[3].startswith(
        "review.toml:15: appraisal.rating_rules[1].when = [] is empty; give at least one"
    )
    assert lines[4].startswith("review.toml:19: appraisal.rating_rules[2].when[0].No = 3 is not an answer id")
    assert lines[5].startswith("review.toml:19: appraisal.rating_rules[2].when[1] = 5 is not a condition")
    assert lines[6].startswith(
        "review.toml:20: appraisal.rating_rules[2].odered is not a known setting; allowed here: rating, when"
    )


def test_a_reviewer_listed_twice_is_refused() -> None:
    assert """appraisal.reviewers[1] = "alice" repeats the reviewer 'alice'""" in problem(
        '[appraisal]\nreviewers = ["alice", "alice"]\n'
    )
