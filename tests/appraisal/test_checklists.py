"""Appraisal checklists as data files: the built-in ones, a team's own, and mistakes named by line."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from synthesist.appraisal.checklist import (
    builtin_checklist_files,
    find_checklist,
    load_checklists,
    parse_checklist,
)
from synthesist.errors import ProtocolError, UnknownPlugin, UserError

CHECKLISTS = resources.files("synthesist.appraisal").joinpath("checklists")

VALID = """id = "our-tool"
name = "Our adapted checklist"
version = "1"
licence = "CC BY 4.0"

[[answers]]
id = "yes"
label = "Yes"
abbreviation = "Y"
judgement = "favourable"

[[answers]]
id = "no"
label = "No"
abbreviation = "N"
judgement = "unfavourable"

[[questions]]
id = "1"
text = "Were the aims clear?"
hint = "What was the goal?"

[[questions]]
id = "2"
text = "Was the method fit for them?"
"""


def test_the_built_in_checklists_load_with_their_questions() -> None:
    loaded = {item.checklist.id: item.checklist for item in load_checklists()}
    assert sorted(loaded) == ["casp-cohort", "casp-qualitative", "casp-rct", "jbi-qualitative", "mmat-2018"]
    casp = loaded["casp-qualitative"]
    assert [q.heading for q in casp.questions] == [f"Q{n}" for n in range(1, 11)]
    assert all(q.hint for q in casp.questions)
    assert [a.abbreviation for a in casp.answers] == ["Y", "N", "CT"]
    assert [a.key_char for a in casp.answers] == ["y", "n", "c"]
    assert len(loaded["jbi-qualitative"].questions) == 10
    assert [a.id for a in loaded["jbi-qualitative"].answers] == ["yes", "no", "unclear", "not_applicable"]
    assert casp.rated_counts() == [10]


def test_mmat_is_two_screening_questions_plus_one_category_of_five() -> None:
    mmat = find_checklist("mmat-2018").checklist
    assert [s.id for s in mmat.categories] == ["qualitative", "rct", "non-randomised", "descriptive", "mixed"]
    assert len(mmat.questions) == 2 + 5 * 5
    assert [q.id for q in mmat.questions_for("qualitative")] == [
        "S1",
        "S2",
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "1.5",
    ]
    assert [q.id for q in mmat.questions_for(None)] == ["S1", "S2"]
    assert [q.id for q in mmat.rated_questions("mixed")] == ["5.1", "5.2", "5.3", "5.4", "5.5"]
    assert mmat.rated_counts() == [5]
    assert mmat.category("2").id == "rct" and mmat.category("Mixed").id == "mixed"
    assert mmat.category("3. Quantitative non-randomised").id == "non-randomised"
    with pytest.raises(UserError, match="'cohort' is not a category") as caught:
        mmat.category("cohort")
    assert caught.value.hint and "1. qualitative" in caught.value.hint


def test_every_file_says_its_licence_and_the_notice_lists_them_all() -> None:
    notice = CHECKLISTS.joinpath("NOTICE.md").read_text(encoding="utf-8")
    for item in load_checklists():
        checklist = item.checklist
        assert checklist.licence and checklist.licence_note and checklist.citation and checklist.source
        assert f"`{checklist.id}.toml`" in notice
        if checklist.id.startswith("casp-"):
            assert checklist.licence == "CC BY-NC-SA 4.0"
            assert "CC BY-NC-SA 4.0" in item.text.splitlines()[1]  # said at the top of the file too
        else:
            assert "not an open licence" in notice.split(f"`{checklist.id}.toml`")[1].splitlines()[0]
    assert len(builtin_checklist_files()) == 5


@pytest.mark.parametrize("given", ["cant_tell", "CT", "ct", "c", "Can't tell", "can’t tell", "cant tell"])
def test_an_answer_is_found_by_id_label_abbreviation_or_key(given: str) -> None:
    assert find_checklist("casp-qualitative").checklist.answer(given).id == "cant_tell"


def test_an_answer_outside_the_scale_is_refused_with_the_scale() -> None:
    casp = find_checklist("casp-qualitative").checklist
    with pytest.raises(UserError, match="'maybe' is not an answer of CASP Qualitative") as caught:
        casp.answer("maybe")
    assert caught.value.hint == "Answers: yes (Y, key y), no (N, key n), cant_tell (CT, key c)."
    assert casp.question("q3").id == "3" and casp.question(" 3 ").id == "3"
    with pytest.raises(UserError, match="casp-qualitative has no question '11'"):
        casp.question("11")


def test_a_teams_own_checklist_is_found_beside_the_built_in_ones(tmp_path: Path) -> None:
    (tmp_path / "checklists").mkdir()
    (tmp_path / "checklists" / "ours.toml").write_text(VALID, encoding="utf-8")
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "second.toml").write_text(VALID.replace('"our-tool"', '"second"'), encoding="utf-8")
    loaded = load_checklists(tmp_path, ["more/second.toml"])
    assert [(c.checklist.id, c.origin, c.builtin) for c in loaded[-2:]] == [
        ("our-tool", "checklists/ours.toml", False),
        ("second", "more/second.toml", False),
    ]
    assert find_checklist("our-tool", tmp_path).checklist.questions[1].text == "Was the method fit for them?"


def test_a_checklist_may_not_take_a_built_in_id(tmp_path: Path) -> None:
    (tmp_path / "checklists").mkdir()
    (tmp_path / "checklists" / "casp.toml").write_text(VALID.replace('"our-tool"', '"casp-qualitative"'))
    with pytest.raises(ProtocolError) as caught:
        load_checklists(tmp_path)
    assert str(caught.value).startswith(
        'checklists/casp.toml: the checklist id "casp-qualitative" is already used by built-in'
    )


def test_an_unknown_checklist_lists_the_known_ones() -> None:
    with pytest.raises(UnknownPlugin, match='no appraisal checklist "casp"') as caught:
        find_checklist("casp")
    assert caught.value.hint and "casp-qualitative, casp-rct" in caught.value.hint


def _problem(text: str) -> str:
    with pytest.raises(ProtocolError) as caught:
        parse_checklist(text, "checklists/ours.toml")
    return str(caught.value)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('text = "Was the method', 'txet = "Was the method'),
         ':25: questions[1].txet is not a known setting; did you mean "text"?'),
        (('judgement = "unfavourable"', 'judgement = "bad"'),
         ':16: answers[1].judgement = "bad" is not allowed; expected one of "favourable", "unfavourable", '
         '"unclear", "not_applicable"'),
        (('id = "2"', 'id = "1"'),
         """:24: questions[1].id = "1" repeats the question id '1'; each must be given"""),
        (('id = "2"', 'id = "two words"'),
         ':24: questions[1].id = "two words" is not allowed; expected letters'),
        (('id = "no"', 'id = "skip"'),
         ":12: answers[1] uses the key 's', which the terminal session keeps for back (b), skip (s)"),
        (('hint = "What was the goal?"', 'section = "A"'),
         ':21: questions[0].section = "A" names a section that is not in the checklist; sections: none'),
        (('abbreviation = "N"', 'abbreviation = "y"'),
         ':15: answers[1].abbreviation = "y" repeats the abbreviation'),
        (('name = "Our adapted checklist"\n', ""), "ours.toml: name is missing"),
        (('licence = "CC BY 4.0"', 'licence = "CC BY 4.0'), "ours.toml:4: not valid TOML"),
    ],
)  # fmt: skip
def test_mistakes_in_a_checklist_file_name_the_file_and_line(change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in VALID
    message = _problem(VALID.replace(old, new, 1))
    assert expected in message
    assert message.startswith("checklists/ours.toml")


def test_a_checklist_file_that_is_valid_parses() -> None:
    checklist = parse_checklist(VALID, "ours.toml")
    assert [q.id for q in checklist.questions] == ["1", "2"] and checklist.rated_counts() == [2]


def test_a_single_category_is_refused_because_categories_are_alternatives() -> None:
    text = VALID.replace('hint = "What was the goal?"', 'section = "A"').replace(
        'text = "Was the method fit for them?"', 'text = "Was the method fit for them?"\nsection = "A"'
    )
    text += '\n[[sections]]\nid = "A"\ntitle = "Only one"\ncategory = true\n'
    assert ":31: sections[0].category = true is the only category; categories are alternatives" in _problem(
        text
    )
