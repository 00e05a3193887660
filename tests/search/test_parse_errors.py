"""Pasted strategies that cannot be read: the error names line and column, in words a librarian acts on."""

from __future__ import annotations

import pytest

from synthesist.errors import StrategySyntaxError, UnknownPlugin, UserError
from synthesist.search.model import And, BlockRef, Field, Heading, Limits, Near, Term, Vocabulary
from synthesist.search.translate import parse


@pytest.mark.parametrize(
    ("text", "target", "line", "column", "reason"),
    [
        (
            "1 exp Back Pain/\n2 (back pain or backache.ti,ab.\n3 1 or 2",
            "ovid-medline",
            2,
            3,
            "unbalanced parenthesis",
        ),
        ("1 exp Back Pain/\n2 back pain.ti,ab.)\n3 1 or 2", "ovid-medline", 2, 19, "unbalanced parenthesis"),
        ("#1 pain[tiab]\n#2 #1 AND #7", "pubmed", 2, 11, "refers to line 7"),
        ("#1 pain[xyz]", "pubmed", 1, 8, "search tag [xyz]"),
        ("#1 pain[tiab]\nback pain", "pubmed", 2, 1, "expected a line number such as '#1'"),
        ('#1 "back pain[tiab]', "pubmed", 1, 4, "unbalanced quotes"),
        ("#1 (pain OR ache)[Mesh]", "pubmed", 1, 18, "applies to one term"),
        ("S1 TI ( pain OR )", "ebsco-cinahl", 1, 17, "unbalanced parenthesis"),
        ("S1 pain\nS2 S1 Limiters - Full Text", "ebsco-cinahl", 2, 18, "limiter 'Full Text'"),
        ("#1 TS=(pain)\n#2 #1 AND", "wos", 2, 10, "the line ends where a term was expected"),
        ("#3 pain\n#2 back", "cochrane", 2, 1, "out of order"),
        ("", "scopus", 1, 1, "empty"),
    ],
)
def test_syntax_errors_name_line_and_column(
    text: str, target: str, line: int, column: int, reason: str
) -> None:
    with pytest.raises(StrategySyntaxError) as caught:
        parse(text, target)
    error = caught.value
    assert isinstance(error, UserError)
    assert (error.line, error.column) == (line, column)
    assert error.message.startswith(f"line {line}, column {column}: ")
    assert reason in error.message


def test_unknown_target_lists_the_targets() -> None:
    with pytest.raises(UnknownPlugin) as caught:
        parse("pain", "medline")
    assert "ovid-medline" in str(caught.value)


def test_a_search_history_as_librarians_paste_it() -> None:
    # Ovid's own numbering style ("1.") and its or/1-3 and $ truncation, with blank lines
    text = """
1. exp Back Pain/
2. (back pain or backache).ti,ab.
3. low back pain.ti.

4. or/1-3
5. (self manag$ or selfcare).ti,ab.
6. 4 and 5
"""
    strategy = parse(text, "ovid-medline")
    ti_ab = frozenset({Field.TITLE, Field.ABSTRACT})
    assert [block.items for block in strategy.blocks] == [
        (
            Heading(Vocabulary.MESH, "Back Pain", explode=True),
            Term("back pain", fields=ti_ab),
            Term("backache", fields=ti_ab),
            Term("low back pain", fields=frozenset({Field.TITLE})),
        ),
        (Term("self manag*", fields=ti_ab), Term("selfcare", fields=ti_ab)),
    ]
    assert strategy.combine == And((BlockRef("back_pain"), BlockRef("self_manag")))


def test_one_expression_from_a_search_box() -> None:
    strategy = parse('(hip OR knee) AND "pain"[tiab] AND humans[mh] AND english[la]', "pubmed")
    assert [block.items for block in strategy.blocks] == [
        (Term("hip"), Term("knee")),
        (Term("pain", phrase=True, fields=frozenset({Field.TITLE, Field.ABSTRACT, Field.KEYWORDS})),),
    ]
    assert strategy.limits == Limits(languages=("English",), humans=True)


def test_cinahl_fields_of_the_same_terms_merge_back() -> None:
    strategy = parse('S1 TI ( "back pain" N3 chronic ) OR AB ( "back pain" N3 chronic )', "ebsco-cinahl")
    [block] = strategy.blocks
    assert block.items == (
        Near(
            (Term("back pain", phrase=True),),
            (Term("chronic"),),
            3,
            False,
            frozenset({Field.TITLE, Field.ABSTRACT}),
        ),
    )


def test_histories_copied_with_hits_and_columns() -> None:
    ovid = (
        "1\texp Back Pain/\t35123\n2     (back pain or backache).ti,ab. (20456)\n3\t1 or 2\t50000\n"
        "4     self manag*.ti. (812)\n5\t3 and 4\t90\n"
    )
    parsed = parse(ovid, "ovid-medline")
    assert [len(block.items) for block in parsed.blocks] == [3, 1]
    assert parsed.combine == And((BlockRef("back_pain"), BlockRef("self_manag")))
    cinahl = (
        'S1\t(MH "Back Pain+")\tSearch modes - Boolean/Phrase\tView Results (5,123)\n'
        "S2\tS1\tLimiters - Published Date: 19800101-20141231; Language: English "
        "Search modes - Boolean/Phrase\t\n"
    )
    parsed = parse(cinahl, "ebsco-cinahl")
    assert parsed.blocks[0].items == (Heading(Vocabulary.CINAHL, "Back Pain", explode=True),)
    assert parsed.limits == Limits(year_from=1980, year_to=2014, languages=("English",))
