"""The conceptual model: its file, its DOT source (golden) and the drawn SVG (when dot is there)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from synthesist.errors import UserError
from synthesist.synthesis.concept_model import (
    Link,
    NodeRef,
    Outcome,
    build_model,
    model_dot,
    model_file_text,
    parse_model_file,
    relation_type,
    render_model,
    resolve_names,
)
from synthesist.synthesis.matrix import theme_matrix
from synthesist.synthesis.model import Theme
from tests.golden import assert_golden
from tests.synthesis.golden_files import GOLDEN
from tests.synthesis.reference import reference_snapshot

MODEL_FILE = Path(__file__).resolve().parents[1] / "data" / "reference_model.toml"


def reference_model() -> str:
    snapshot, studies = reference_snapshot()
    model = parse_model_file(MODEL_FILE.read_text(encoding="utf-8"), "reference_model.toml")
    resolved = resolve_names(model, snapshot.themes, "reference_model.toml")
    outcomes = [Outcome(i, o.name, o.description) for i, o in enumerate(model.outcomes, start=1)]
    outcome_ids = {o.name: o.id for o in outcomes}

    def ref(end: Theme | str) -> NodeRef:
        return NodeRef(theme_id=end.id) if isinstance(end, Theme) else NodeRef(outcome_id=outcome_ids[end])

    links = [Link(i, ref(s), ref(t), link.type.id, link.label) for i, (link, s, t) in enumerate(resolved, 1)]
    matrix = theme_matrix(snapshot, studies)
    counts = {c.theme.id: f"{matrix.count_text(c)} studies" for c in matrix.columns}
    return model_dot(build_model(snapshot.themes, outcomes, links, counts))


def test_dot_source_golden() -> None:
    dot = reference_model()
    assert 'URL="#theme-effective-communication"' in dot
    assert 'tooltip="Effective communication: 8 of 10 studies"' in dot
    assert dot == reference_model()  # byte-stable
    assert_golden(GOLDEN / "reference_model.dot", dot)


@pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz's dot is not installed (apt-get install graphviz)"
)
def test_svg_renders_with_links_to_the_evidence() -> None:
    svg = render_model(reference_model(), "svg").decode("utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert 'xlink:href="#theme-mutual-understanding"' in svg
    assert "10 of 10 studies" in svg
    png = render_model(reference_model(), "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_model_file_round_trip() -> None:
    model = parse_model_file(MODEL_FILE.read_text(encoding="utf-8"), "m.toml")
    outcomes = [Outcome(i, o.name, o.description) for i, o in enumerate(model.outcomes)]
    text = model_file_text(outcomes, [(k.source, k.target, k.type.id, k.label) for k in model.links])
    again = parse_model_file(text, "again.toml")
    assert [(o.name, o.description) for o in again.outcomes] == [
        (o.name, o.description) for o in model.outcomes
    ]
    assert [(k.source, k.target, k.type, k.label) for k in again.links] == [
        (k.source, k.target, k.type, k.label) for k in model.links
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[model.relationships]]\nfrom = "A"\nto = "B"\ntype = "causes"\n',
            "m.toml:4: 'causes' is not a type",
        ),
        ('[[model.relationships]]\nfrom = "A"\ntype = "leads to"\n', "m.toml:1: to is missing"),
        (
            '[[model.relationships]]\nfrom = "A"\nto = "B"\ntype = "leads to"\nweight = 2\n',
            "m.toml:5: unknown key",
        ),
        ("[model]\nlinks = []\n", "m.toml:2: unknown key model.links"),
        ("[[model.outcomes]]\nname = 3\n", "m.toml:2: name must be text"),
        ("model = [", "m.toml: not valid TOML"),
    ],
)
def test_model_file_mistakes_name_the_line(text: str, message: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_model_file(text, "m.toml")
    assert caught.value.message.startswith(message)


def test_names_are_resolved_with_lines() -> None:
    snapshot, _ = reference_snapshot()
    link = '[[model.relationships]]\nfrom = "{}"\nto = "{}"\ntype = "supports"\n'
    text = link.format("effective COMMUNICATION", "Mutual understandin")
    with pytest.raises(UserError, match=r"m.toml:1: 'Mutual understandin' is neither .*did you mean 'Mutual"):
        resolve_names(parse_model_file(text, "m.toml"), snapshot.themes, "m.toml")
    descriptive = link.format("Effective communication (as described)", "Mutual understanding")
    with pytest.raises(UserError, match="descriptive theme"):
        resolve_names(parse_model_file(descriptive, "m.toml"), snapshot.themes, "m.toml")
    loop = link.format("Mutual understanding", "mutual understanding")
    with pytest.raises(UserError, match="to itself"):
        resolve_names(parse_model_file(loop, "m.toml"), snapshot.themes, "m.toml")


def test_relation_types() -> None:
    assert relation_type("Is_Foundation-of").words == "is foundation of"
    with pytest.raises(UserError) as caught:
        relation_type("causes")
    assert caught.value.hint and '"leads to"' in caught.value.hint
