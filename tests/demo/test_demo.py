"""The worked example (``synthesist demo``): built once per database, then checked against the
reference review's published facts — the PRISMA counts, the ten included studies, the 2/7/1 ratings
and the 7 × 10 theme matrix — and against what it says is illustrative."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from synthesist.cli.main import app
from synthesist.demo import illustrative_notes, load_data
from synthesist.errors import UserError
from synthesist.review.project import find_project
from synthesist.services.appraisal.views import appraisal_overview
from synthesist.services.cerqual.concept_model import model_view
from synthesist.services.cerqual.findings import finding_views
from synthesist.services.demo.build import MARKER, DemoResult, build_demo
from synthesist.services.fulltext.reports import list_studies
from synthesist.services.reporting.prisma import prisma_counts
from synthesist.services.synthesis.outputs import study_ratings, synthesis_matrix
from synthesist.workspace import Workspace, open_workspace
from tests.demo_copies import demo_copy

# Both modules use the worked example built once per database per run: on one worker they queue
# behind the build instead of leaving the other worker idle while it waits for the same build.
pytestmark = pytest.mark.xdist_group("worked-example")

MATRIX = {
    "Effective communication": 8,
    "Mutual understanding": 10,
    "Roles of health professionals": 7,
    "Information delivery": 6,
    "Patient involvement": 5,
    "Individualised care": 6,
    "Healthcare service": 7,
}
INCLUDED = {
    "Jeffrey 2012", "Matthias 2010", "Matthias 2012", "Cooper 2008", "Cooper 2009", "Östlund 2001",
    "Slade 2009", "May 2001", "MacKichan 2013", "May 2007",
}  # fmt: skip


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[DemoResult, Workspace]]:
    """The demo built once per database per run (a copy of it here); the workspace stays open
    (bound to its database) for the tests."""
    with demo_copy(tmp_path_factory, request.param) as result:
        workspace = open_workspace(find_project(result.folder), "tester")
        try:
            yield result, workspace
        finally:
            workspace.close()


def test_prisma_counts_come_from_the_data(built: tuple[DemoResult, Workspace]) -> None:
    result, workspace = built
    counts = prisma_counts(workspace).counts
    assert counts.database_records == 757
    assert {entry.name for entry in counts.databases} == {
        "Cochrane Library",
        "CINAHL",
        "MEDLINE",
        "EMBASE",
        "PsycINFO",
    }
    assert counts.other_records_screened == 62
    assert counts.duplicates_removed == 81
    assert counts.records_screened == 738
    assert counts.records_excluded == 708
    assert counts.reports_assessed == 30
    assert {entry.name: entry.n for entry in counts.reports_excluded} == {
        "Not chronic back pain": 9,
        "Cancer pain management": 3,
        "No focus on patient–professional partnership or self-management": 8,
    }
    assert counts.studies_included == 10
    assert result.prisma["studies_included"] == 10


def test_the_exports_are_written_and_imported(built: tuple[DemoResult, Workspace]) -> None:
    result, _ = built
    exports = sorted(path.name for path in (result.folder / "exports").glob("*.ris"))
    assert len(exports) == 8
    medline = (result.folder / "exports" / "medline.ris").read_text(encoding="utf-8")
    assert medline.count("ER  - ") == 243
    assert "DO  - 10.1016/j.physio.2007.10.006" in medline  # Cooper 2008, a real included study


def test_ten_included_studies_with_their_real_details(built: tuple[DemoResult, Workspace]) -> None:
    _, workspace = built
    studies = list_studies(workspace, included_only=True)
    assert {view.study.label for view in studies} == INCLUDED


def test_ratings_are_two_high_seven_medium_one_low(built: tuple[DemoResult, Workspace]) -> None:
    result, workspace = built
    ratings = sorted(str(r) for r in study_ratings(workspace).by_study.values())
    assert ratings == ["High"] * 2 + ["Low"] + ["Medium"] * 7
    assert result.ratings == {"High": 2, "Medium": 7, "Low": 1}


def test_every_casp_answer_is_labelled_illustrative(built: tuple[DemoResult, Workspace]) -> None:
    _, workspace = built
    overview = appraisal_overview(workspace)
    assert overview.rating_counts() == {"High": 2, "Medium": 7, "Low": 1}
    assert len(overview.studies) == 10
    for study in overview.studies:
        assert len(study.appraisal.answers) == 20  # ten answers, each checked by a second reviewer
        comments = {answer.comment for answer in study.appraisal.answers if answer.kind.value == "appraise"}
        assert comments == {"illustrative: the published review gives only the summary ratings"}


def test_theme_matrix_reproduces_table_2(built: tuple[DemoResult, Workspace]) -> None:
    _, workspace = built
    matrix = synthesis_matrix(workspace)
    labels = {study.id: study.label for study in matrix.studies}
    assert matrix.total == 10
    assert {column.theme.name: len(column.studies) for column in matrix.columns} == MATRIX
    assert [column.theme.name for column in matrix.columns] == list(MATRIX)
    expected = {t["name"]: set(t["studies"]) for t in load_data("theme_assignments.toml")["themes"]}
    assert {c.theme.name: {labels[i] for i in c.studies} for c in matrix.columns} == expected


def test_model_and_cerqual(built: tuple[DemoResult, Workspace]) -> None:
    _, workspace = built
    model = model_view(workspace)
    assert [outcome.name for outcome in model.outcomes] == ["Self-management"]
    assert len(model.links) == 11
    findings = finding_views(workspace)
    assert len(findings) == 7
    assert [len(view.studies) for view in findings] == list(MATRIX.values())


def test_illustrative_notes(built: tuple[DemoResult, Workspace]) -> None:
    result, _ = built
    notes = illustrative_notes()
    assert any("CASP" in note and "2 high, 7 medium, 1 low" in note for note in notes)
    assert result.notes == notes
    written = (result.folder / "ILLUSTRATIVE.md").read_text(encoding="utf-8")
    assert all(f"- {note}" in written for note in notes)


def test_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(UserError, match="not empty"):
        build_demo(tmp_path)
    with pytest.raises(UserError, match="was not made by `synthesist demo`"):
        build_demo(tmp_path, force=True)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_cli_refuses_without_force_and_names_the_next_command(tmp_path: Path, runner: CliRunner) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / MARKER).write_text("x")
    refused = runner.invoke(app, ["demo", str(folder)])
    assert refused.exit_code != 0
    assert "--force" in refused.output
    help_text = runner.invoke(app, ["demo", "--help"]).output
    assert re.search(r"Example: synthesist demo", help_text)
