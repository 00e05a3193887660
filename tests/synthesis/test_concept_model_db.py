"""The conceptual model through the services: links and outcomes by CLI-like calls, a model file
loaded all or nothing, the figure with each theme's count; on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from synthesist.errors import NotFound, UserError
from synthesist.services.cerqual.concept_model import (
    add_link,
    add_outcome,
    load_model,
    model_figure,
    model_view,
    remove_link,
    remove_outcome,
)
from synthesist.synthesis.concept_model import parse_model_file
from synthesist.workspace import Workspace
from tests.golden import read_golden
from tests.synthesis.golden_files import GOLDEN
from tests.synthesis.test_concept_model import MODEL_FILE
from tests.synthesis.workspace_builder import reference_workspace


@pytest.fixture
def reference(tmp_path: Path, database_url: str | None) -> Iterator[Workspace]:
    workspace = reference_workspace(tmp_path / "review")
    try:
        yield workspace
    finally:
        workspace.close()


def _model_events(workspace: Workspace) -> list[str]:
    with workspace.unit_of_work(write=False) as uow:
        return [event.type for event in uow.events.list() if event.type.startswith("model.")]


def test_links_and_outcomes_one_by_one(reference: Workspace) -> None:
    link = add_link(reference, "effective communication", "Mutual understanding", "is foundation of", "trust")
    assert (link.source, link.type, link.target) == (
        "Effective communication",
        "is foundation of",
        "Mutual understanding",
    )
    with pytest.raises(NotFound, match="add-outcome"):
        add_link(reference, "Mutual understanding", "Self-management", "leads to")
    add_outcome(reference, "Self-management", "Managing chronic back pain")
    second = add_link(reference, "Mutual understanding", "self-management", "leads-to")
    with pytest.raises(UserError, match="already"):
        add_link(reference, "Mutual understanding", "Self-management", "leads to")
    with pytest.raises(UserError, match="descriptive theme"):
        add_link(reference, "Patient involvement (as described)", "Self-management", "supports")
    with pytest.raises(UserError, match="links use outcome 'Self-management'"):
        remove_outcome(reference, "Self-management")
    remove_link(reference, second.id)
    remove_outcome(reference, "Self-management")
    view = model_view(reference)
    assert [(k.source, k.target) for k in view.links] == [("Effective communication", "Mutual understanding")]
    assert len(view.themes) == 7 and view.outcomes == ()
    assert _model_events(reference) == [
        "model.link_changed",
        "model.outcome_changed",
        "model.link_changed",
        "model.link_changed",
        "model.outcome_changed",
    ]


def test_a_model_file_replaces_the_model_and_draws_the_reference_figure(
    reference: Workspace, tmp_path: Path
) -> None:
    add_link(reference, "Healthcare service", "Patient involvement", "hinders")
    view = load_model(reference, MODEL_FILE)
    assert len(view.links) == 9 and [o.name for o in view.outcomes] == ["Partnership", "Self-management"]
    assert ("Healthcare service", "Patient involvement") not in [(k.source, k.target) for k in view.links]
    # the model written back reads as the same model
    again = parse_model_file(view.file_text(), "again.toml")
    original = parse_model_file(MODEL_FILE.read_text(encoding="utf-8"), "m.toml")
    assert [(k.source, k.target, k.type, k.label) for k in again.links] == [
        (k.source, k.target, k.type, k.label) for k in original.links
    ]
    # the DOT source from the database is the golden one of the hand-built snapshot
    dot = model_figure(reference, "dot").decode("utf-8")
    assert dot == read_golden(GOLDEN / "reference_model.dot")
    if shutil.which("dot"):
        assert b'xlink:href="#theme-effective-communication"' in model_figure(reference, "svg")


def test_a_bad_model_file_changes_nothing(reference: Workspace, tmp_path: Path) -> None:
    add_link(reference, "Healthcare service", "Patient involvement", "hinders")
    before = model_view(reference)
    bad = tmp_path / "model.toml"
    bad.write_text(
        '[[model.relationships]]\nfrom = "Effective communication"\nto = "Trust"\ntype = "leads to"\n',
        encoding="utf-8",
    )
    with pytest.raises(UserError, match=r"model.toml:1: 'Trust' is neither a theme nor an outcome"):
        load_model(reference, bad)
    assert model_view(reference) == before
