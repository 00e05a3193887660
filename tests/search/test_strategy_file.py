"""search/NAME.toml: the demo's strategy loads, defaults come from review.toml, mistakes name the
file, line and key, and a strategy written back reads the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthesist.demo import data_text
from synthesist.errors import NotFound, ProtocolError
from synthesist.review.project import new_project_files
from synthesist.search.model import (
    And,
    BlockRef,
    Field,
    Heading,
    Limits,
    Near,
    Not,
    Or,
    Strategy,
    Term,
    Vocabulary,
)
from synthesist.search.strategy_file import (
    dump_strategy,
    load_strategies,
    load_strategy,
    save_strategy,
    strategy_from_toml,
)
from synthesist.search.translate import parse, translate

DEMO = data_text("search/back_pain.toml")
TAK = frozenset({Field.TITLE, Field.ABSTRACT, Field.KEYWORDS})


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "review"
    folder.mkdir()
    (folder / "review.toml").write_text(data_text("review.toml"), encoding="utf-8")
    return folder


def test_the_demo_strategy_reads_as_three_concepts() -> None:
    strategy = strategy_from_toml(DEMO, "back_pain.toml", "back_pain")
    assert [block.name for block in strategy.blocks] == ["partnership", "back_pain", "self_management"]
    assert strategy.combine == And(
        tuple(BlockRef(name) for name in ("partnership", "back_pain", "self_management"))
    )
    assert strategy.limits == Limits(year_from=1980, year_to=2014, languages=("English",))
    pain = strategy.block("back_pain")
    assert pain.title == "Chronic back pain"
    assert pain.items[0] == Heading(Vocabulary.MESH, "Back Pain", explode=True)
    assert Term("back pain", phrase=True, fields=TAK) in pain.items
    assert {item.vocabulary for item in pain.items if isinstance(item, Heading)} == set(Vocabulary)
    partnership = strategy.block("partnership")
    assert any(
        isinstance(item, Near) and item.distance == 3 and item.fields == TAK for item in partnership.items
    )


def test_written_back_it_reads_the_same() -> None:
    strategy = strategy_from_toml(DEMO, "back_pain.toml", "back_pain")
    assert strategy_from_toml(dump_strategy(strategy), "copy.toml", "copy") == strategy


def test_writer_keeps_per_term_fields_nested_combinations_and_limits() -> None:
    strategy = Strategy(
        "mixed",
        (
            strategy_from_toml(DEMO, "x", "x").blocks[1],
            strategy_from_toml(DEMO, "x", "x").blocks[2],
            strategy_from_toml(
                '[[blocks]]\nname = "kids"\nterms = [{ text = "child*", fields = ["ti"] }, "infant"]',
                "x",
                "x",
            ).blocks[0],
        ),
        Not(
            And((BlockRef("back_pain"), Or((BlockRef("self_management"), BlockRef("kids"))))),
            BlockRef("kids"),
        ),
        Limits(1990, 2000, ("English", "French"), ("Journal Article",), humans=True),
    )
    assert strategy_from_toml(dump_strategy(strategy), "copy.toml", "copy") == strategy


def test_a_parsed_strategy_saves_and_loads(project: Path) -> None:
    pasted = parse(
        translate(strategy_from_toml(DEMO, "x", "x"), "ovid-medline").text, "ovid-medline", name="medline"
    )
    path = save_strategy(project, pasted)
    assert path == project / "search" / "medline.toml"
    assert load_strategy(project, "medline").blocks == tuple(
        block for block in strategy_from_toml(dump_strategy(pasted), "x", "x").blocks
    )
    with pytest.raises(ProtocolError, match="exists already"):
        save_strategy(project, pasted)
    save_strategy(project, pasted, replace=True)


def test_limits_default_to_the_protocols_search_section(project: Path) -> None:
    (project / "search").mkdir()
    (project / "search" / "plain.toml").write_text(
        '[[blocks]]\nname = "pain"\nterms = ["pain"]\n', encoding="utf-8"
    )
    [strategy] = load_strategies(project)
    assert strategy.name == "plain"
    assert strategy.combine == BlockRef("pain")
    assert strategy.limits == Limits(year_from=1980, year_to=2014, languages=("English",))


def test_unknown_strategy_lists_the_available_ones(project: Path) -> None:
    (project / "search").mkdir()
    (project / "search" / "back_pain.toml").write_text(DEMO, encoding="utf-8")
    with pytest.raises(NotFound) as caught:
        load_strategy(project, "main")
    assert "back_pain" in caught.value.message


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ('combine = "a AND c"\n\n[[blocks]]\nname = "a"\nterms = ["x"]\n', 1, "no block is named 'c'"),
        ('combine = "a AND (a"\n[[blocks]]\nname = "a"\nterms = ["x"]\n', 1, "unbalanced parenthesis"),
        (
            '[[blocks]]\nname = "a"\nterms = ["x"]\n\n'
            '[[blocks.headings]]\nvocabulary = "meshy"\nlabel = "X"\n',
            6,
            "vocabulary",
        ),
        ('[[blocks]]\nname = "a"\nfields = ["ti", "title"]\nterms = ["x"]\n', 3, '"title" is not a field'),
        ('[[blocks]]\nname = "a"\nterms = ["x"]\ncolour = "red"\n', 4, "blocks[0].colour is not a setting"),
        ('[[blocks]]\nname = "a b"\nterms = ["x"]\n', 2, "must start with a letter"),
        ('[[blocks]]\nname = "a"\n', 1, "has no terms"),
        ('[[blocks]]\nname = "a"\nterms = [\n  "x",\n  "back (lower)",\n]\n', 5, "holds brackets"),
        ('[[blocks]]\nname = "a"\nterms = ["pain or ache"]\n', 3, "AND/OR/NOT"),
        ('[limits]\nyears = [2014, 1980]\n[[blocks]]\nname = "a"\nterms = ["x"]\n', 2, "must run forwards"),
        (
            '[[blocks]]\nname = "a"\nterms = ["x"]\n'
            '[[blocks.near]]\nleft = ["a"]\nright = ["b"]\ndistance = "3"\n',
            7,
            "whole number",
        ),
        ('[[blocks]]\nname = "a"\nterms = ["x"\n', 3, "not valid TOML"),
    ],
)
def test_mistakes_name_file_line_and_key(text: str, line: int, fragment: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        strategy_from_toml(text, "search/bad.toml", "bad")
    assert caught.value.location == f"search/bad.toml:{line}"
    assert fragment in caught.value.message


def test_a_bad_file_in_the_project_names_itself(project: Path) -> None:
    (project / "search").mkdir()
    (project / "search" / "broken.toml").write_text('[[blocks]]\nname = "a"\nterms = [1]\n', encoding="utf-8")
    with pytest.raises(ProtocolError) as caught:
        load_strategies(project)
    assert caught.value.location == "search/broken.toml:3"


def test_no_search_folder_means_no_strategies(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    new_project_files(folder, "A review")
    assert load_strategies(folder) == []


REVIEW_STRATEGY = """
[[search.strategies]]
name = "main"
combine = "pain NOT kids"

[[search.strategies.blocks]]
name = "pain"
terms = ['"back pain"']

[[search.strategies.blocks]]
name = "kids"
fields = ["ti"]
terms = ["child*"]
"""


def _with_review_strategy(project: Path, extra: str) -> None:
    text = (project / "review.toml").read_text(encoding="utf-8")
    (project / "review.toml").write_text(text + extra, encoding="utf-8")


def test_strategies_in_review_toml(project: Path) -> None:
    _with_review_strategy(project, REVIEW_STRATEGY)
    (project / "search").mkdir()
    (project / "search" / "back_pain.toml").write_text(DEMO, encoding="utf-8")
    main, back_pain = load_strategies(project)
    assert main.name == "main"
    assert main.combine == Not(BlockRef("pain"), BlockRef("kids"))
    assert main.limits == Limits(year_from=1980, year_to=2014, languages=("English",))
    assert back_pain.name == "back_pain"
    assert load_strategy(project, "main") == main


def test_mistakes_in_review_toml_strategies_point_into_review_toml(project: Path) -> None:
    _with_review_strategy(
        project, REVIEW_STRATEGY.replace('terms = ["child*"]', 'terms = ["child*"]\nlimit = 3')
    )
    line = (project / "review.toml").read_text(encoding="utf-8").splitlines().index("limit = 3") + 1
    with pytest.raises(ProtocolError) as caught:
        load_strategies(project)
    assert caught.value.location == f"review.toml:{line}"
    assert "search.strategies[0].blocks[1].limit is not a setting" in caught.value.message


def test_a_file_may_not_reuse_a_review_toml_strategy_name(project: Path) -> None:
    _with_review_strategy(project, REVIEW_STRATEGY)
    (project / "search").mkdir()
    (project / "search" / "main.toml").write_text(
        DEMO.replace('name = "back_pain"\n', 'name = "main"\n', 1), encoding="utf-8"
    )
    with pytest.raises(ProtocolError, match=r"also in review\.toml"):
        load_strategies(project)
