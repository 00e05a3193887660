"""A database typed another way than the protocol spells it is one database: stored, counted and
reported under the protocol's spelling; batches stored before names were matched are grouped too."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synthesist.review.project import PROTOCOL_FILE, find_project
from synthesist.review.source_names import normalised_source, protocol_spelling
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.records.reading import list_batches, project_status
from synthesist.services.reporting.prisma import prisma_counts
from synthesist.workspace import Workspace, open_workspace
from tests.helpers import ris_text

MEDLINE_OVID = '\n[[search.databases]]\nname = "MEDLINE (Ovid)"\n'


@contextmanager
def _opened(project_dir: Path) -> Iterator[Workspace]:
    workspace = open_workspace(find_project(project_dir))
    try:
        yield workspace
    finally:
        workspace.close()


@pytest.mark.parametrize(
    ("typed", "listed", "stored"),
    [
        ("Medline", ["MEDLINE"], "MEDLINE"),
        ("medline (ovid)", ["MEDLINE (Ovid)"], "MEDLINE (Ovid)"),
        ("Medline-Ovid", ["CINAHL", "MEDLINE (Ovid)"], "MEDLINE (Ovid)"),
        ("MEDLINE", ["MEDLINE (Ovid)"], "MEDLINE"),  # another interface: not the same name
        ("MEDLINE (Ovid)", ["MEDLINE"], "MEDLINE (Ovid)"),
        ("  Embase ", [], "Embase"),
    ],
)
def test_a_name_takes_the_protocols_spelling_only_when_it_is_the_same_name(
    typed: str, listed: list[str], stored: str
) -> None:
    assert protocol_spelling(typed, listed) == stored


@given(st.text(min_size=1, max_size=30), st.sampled_from(["upper", "lower", "title"]))
def test_case_spaces_and_punctuation_never_make_two_names(name: str, case: str) -> None:
    variant = getattr(name, case)()
    if normalised_source(variant) == normalised_source(name) and normalised_source(name):
        assert protocol_spelling(f" {variant}. ", [name]) == name


def test_batches_spelled_before_matching_are_grouped_under_the_protocols_name(
    project_dir: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.ris", tmp_path / "b.ris"
    first.write_text(ris_text(3), encoding="utf-8")
    second.write_text(ris_text(2, start=10), encoding="utf-8")
    with _opened(project_dir) as workspace:
        # the protocol lists no database yet: the name is kept as typed
        result = import_files(workspace, ImportRequest(paths=[first], source="medline ovid"))
        assert result.warnings == []
    protocol = project_dir / PROTOCOL_FILE
    protocol.write_text(protocol.read_text(encoding="utf-8") + MEDLINE_OVID, encoding="utf-8")
    with _opened(project_dir) as workspace:
        result = import_files(workspace, ImportRequest(paths=[second], source="Medline (OVID)"))
        assert result.warnings == [
            "source 'Medline (OVID)' is stored as 'MEDLINE (Ovid)', as review.toml spells it "
            "(names are matched ignoring case, spaces and punctuation)."
        ]
        assert [batch.source for batch in list_batches(workspace)] == ["medline ovid", "MEDLINE (Ovid)"]
        counts = prisma_counts(workspace).counts
        assert [(entry.name, entry.n) for entry in counts.databases] == [("MEDLINE (Ovid)", 5)]
        status = project_status(workspace)
        assert [(line.source, line.batches, line.records) for line in status.sources] == [
            ("MEDLINE (Ovid)", 2, 5)
        ]
