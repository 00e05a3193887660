"""The codebook in review.toml or a file: loading creates and updates themes and codes, is
idempotent, never deletes, and names mistakes by file and line with nothing written."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from synthesist.errors import ProtocolError
from synthesist.review.protocol import CodebookSection
from synthesist.services.synthesis.codebook import load_codebook
from synthesist.services.synthesis.codes import create_code, define_code
from synthesist.services.synthesis.snapshot import coding_snapshot
from synthesist.synthesis.model import ThemeLevel
from synthesist.synthesis.themes import theme_order
from synthesist.workspace import Workspace

CODEBOOK = """
[[themes]]
name = "Effective communication"
definition = "How patients and professionals talk and listen."
key_terms = ["communicate", "talking", "listening", "face-to-face", "telephone contact", "language"]

[[themes]]
name = "Mutual understanding"
key_terms = ["feeling understood", "attitudes", "beliefs", "trust"]

[[themes]]
name = "Being listened to"
parent = "Effective communication"
codes = ["listened to", "not believed"]

[[codes]]
name = "listened to"
definition = "The patient says the professional listened."
key_terms = ["listen", "heard"]
themes = ["Mutual understanding"]
"""


def with_codebook(ws: Workspace, **section: object) -> Workspace:
    codebook = CodebookSection.model_validate(section)
    protocol = ws.project.protocol.model_copy(update={"codebook": codebook})
    ws.project = dataclasses.replace(ws.project, protocol=protocol)
    return ws


def test_a_codebook_file_creates_themes_and_codes_once(workspace: Workspace) -> None:
    (workspace.project.root / "codebook.toml").write_text(CODEBOOK, encoding="utf-8")
    with_codebook(workspace, file="codebook.toml")
    changes = load_codebook(workspace)
    assert changes.created == [
        "theme Effective communication",
        "theme Mutual understanding",
        "theme Being listened to",
        "code listened to",
        "code not believed",
    ]
    assert changes.assigned == [
        "code listened to under Being listened to",
        "code listened to under Mutual understanding",
        "code not believed under Being listened to",
    ]
    snapshot = coding_snapshot(workspace)
    order = [(t.name, t.level) for t in theme_order(list(snapshot.themes))]
    assert order == [
        ("Effective communication", ThemeLevel.ANALYTICAL),
        ("Being listened to", ThemeLevel.DESCRIPTIVE),
        ("Mutual understanding", ThemeLevel.ANALYTICAL),
    ]
    listened = next(code for code in snapshot.codes if code.name == "listened to")
    assert listened.key_terms == ("listen", "heard") and len(listened.theme_ids) == 2
    with workspace.unit_of_work(write=False) as uow:
        events = len(uow.events.list())
    again = load_codebook(workspace)
    assert not again.changed
    with workspace.unit_of_work(write=False) as uow:
        assert len(uow.events.list()) == events, "loading an unchanged codebook logs nothing"


def test_loading_updates_what_differs_and_never_deletes(workspace: Workspace) -> None:
    (workspace.project.root / "codebook.toml").write_text(CODEBOOK, encoding="utf-8")
    with_codebook(workspace, file="codebook.toml")
    load_codebook(workspace)
    create_code(workspace, "my own code")
    define_code(workspace, "listened to", "A better definition")
    changed = CODEBOOK.replace(
        'key_terms = ["feeling understood"', 'level = "analytical"\nkey_terms = ["trust"'
    )
    (workspace.project.root / "codebook.toml").write_text(changed, encoding="utf-8")
    dry = load_codebook(workspace, dry_run=True)
    assert dry.updated == ["theme Mutual understanding: key_terms", "code listened to: definition"]
    assert "code my own code" in dry.not_in_codebook
    mutual = next(t for t in coding_snapshot(workspace).themes if t.name == "Mutual understanding")
    assert mutual.key_terms == ("feeling understood", "attitudes", "beliefs", "trust"), (
        "a dry run writes nothing"
    )
    changes = load_codebook(workspace)
    assert changes.updated == dry.updated and changes.created == []
    assert "my own code" in {code.name for code in coding_snapshot(workspace).codes}


def test_the_review_toml_section_is_a_codebook_too(workspace: Workspace) -> None:
    with_codebook(
        workspace,
        themes=[
            {
                "name": "Patient involvement",
                "key_terms": ["participation", "empowerment"],
                "codes": ["sharing"],
            }
        ],
    )
    changes = load_codebook(workspace)
    assert changes.source == "review.toml [codebook]"
    assert changes.created == ["theme Patient involvement", "code sharing"]


def test_a_mistake_in_the_codebook_file_is_named_by_line_and_nothing_is_written(workspace: Workspace) -> None:
    path = workspace.project.root / "codebook.toml"
    path.write_text(
        CODEBOOK.replace('parent = "Effective communication"', 'parent = "Nowhere"'), encoding="utf-8"
    )
    with_codebook(workspace, file="codebook.toml")
    with pytest.raises(
        ProtocolError, match=r"codebook.toml:\d+: .*names a theme that is not in the codebook: 'Nowhere'"
    ):
        load_codebook(workspace)
    path.write_text(
        CODEBOOK.replace('themes = ["Mutual understanding"]', 'themes = ["Mutual"]'), encoding="utf-8"
    )
    with pytest.raises(ProtocolError, match="puts code 'listened to' under theme 'Mutual', which is neither"):
        load_codebook(workspace)
    path.write_text(CODEBOOK + '\n[[codes]]\nname = "x"\ncolour = "red"\n', encoding="utf-8")
    with pytest.raises(ProtocolError, match=r"codebook.toml:\d+"):
        load_codebook(workspace)
    assert coding_snapshot(workspace).themes == ()


def test_a_yaml_codebook_needs_pyyaml_or_says_so(workspace: Workspace) -> None:
    path: Path = workspace.project.root / "codebook.yaml"
    path.write_text("themes:\n  - name: Trust\n    key_terms: [trust]\n", encoding="utf-8")
    with_codebook(workspace, file="codebook.yaml")
    try:
        import yaml  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        with pytest.raises(Exception, match="needs PyYAML"):
            load_codebook(workspace)
        return
    assert load_codebook(workspace).created == ["theme Trust"]
