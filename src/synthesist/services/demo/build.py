"""The worked example (``synthesist demo``): a new project holding the reference review as far as its
published facts go, built from the data files of :mod:`synthesist.demo` through the same services a
team would use — imports, deduplication, screening, extraction, appraisal, coding, the conceptual
model and GRADE-CERQual — so every step is in the event log and the outputs are computed, not pasted.

Each step checks what it produced against the review's published numbers (757/62/81/738/708/30/20/10,
2 High / 7 Medium / 1 Low, the 7 × 10 theme matrix) and stops with a clear error if they differ:
a demo that silently drifted from the review would teach the wrong thing.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from synthesist.demo import data_text, illustrative_notes, load_data
from synthesist.demo.records import DUPLICATES, Publication, Role, SearchExport, search_exports
from synthesist.errors import UserError
from synthesist.screening.model import NewDecision, RecordState, Stage, Vote
from synthesist.search.strategy_file import SEARCH_FOLDER
from synthesist.services.appraisal.answers import answer_in, verify_study
from synthesist.services.appraisal.setup import appraisal_setup
from synthesist.services.dedup.runs import run_dedup
from synthesist.services.demo.synthesis import add_cerqual, add_coding, check_matrix
from synthesist.services.extraction.review import verify_study as verify_extraction
from synthesist.services.extraction.values import complete_study, set_value
from synthesist.services.fulltext.reports import list_studies
from synthesist.services.fulltext.study_refs import resolve_study
from synthesist.services.projects import init_project
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.reporting.prisma import prisma_counts
from synthesist.services.screening.decisions import decide_in, overview_in
from synthesist.services.synthesis.outputs import study_ratings
from synthesist.workspace import Workspace

__all__ = ["MARKER", "STEPS", "DemoResult", "build_demo"]

# A file that marks a folder as made by `synthesist demo`, so --force replaces only such a folder.
MARKER = ".synthesist-demo"
FIRST, SECOND = "Aoife Brennan", "Łukasz Nowak"  # illustrative reviewers, as in review.toml
ILLUSTRATIVE_COMMENT = "illustrative: the published review gives only the summary ratings"
STEPS = (
    "protocol",
    "search exports",
    "deduplication",
    "screening",
    "study characteristics",
    "appraisal",
    "coding",
    "model and CERQual",
)
Progress = Callable[[str], None]


@dataclass(frozen=True)
class DemoResult:
    folder: Path
    prisma: dict[str, int]
    ratings: dict[str, int]
    notes: list[str]


def build_demo(folder: Path, *, force: bool = False, progress: Progress | None = None) -> DemoResult:
    """Build the worked example in ``folder`` (new or empty; with ``force``, a previous demo folder
    is replaced). ``progress`` is called with each step's name as it starts."""
    folder = folder.resolve()
    _prepare(folder, force)
    say = progress or (lambda _step: None)
    studies = load_data("studies.toml")["studies"]
    say("protocol")
    # The marker first, so that a build stopped half-way can still be replaced with --force.
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("made by `synthesist demo`; `synthesist demo --force` may replace it\n")
    with tempfile.TemporaryDirectory() as scratch:
        protocol = Path(scratch) / "review.toml"
        protocol.write_text(data_text("review.toml"), encoding="utf-8")
        workspace = init_project(folder, None, FIRST, protocol_from=protocol)
    try:
        say("search exports")
        exports = _import_exports(workspace, folder, studies)
        say("deduplication")
        _deduplicate(workspace)
        say("screening")
        _screen(workspace, exports)
        say("study characteristics")
        _extract(workspace, studies)
        say("appraisal")
        ratings = _appraise(workspace, studies)
        say("coding")
        add_coding(workspace, studies)
        check_matrix(workspace, load_data("theme_assignments.toml"))
        say("model and CERQual")
        add_cerqual(workspace, folder)
        counts = _check_prisma(workspace)
    finally:
        workspace.close()
    notes = illustrative_notes()
    (folder / "ILLUSTRATIVE.md").write_text(_notes_markdown(notes), encoding="utf-8")
    return DemoResult(folder, counts, ratings, notes)


def _prepare(folder: Path, force: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder} is a file, not a folder", hint="Name a new folder for the demo.")
    if folder.is_dir() and any(folder.iterdir()):
        if not force:
            raise UserError(
                f"{folder} is not empty; the demo needs a new folder",
                hint="Name another folder, or add --force to replace a previous demo folder.",
            )
        if not (folder / MARKER).is_file():
            raise UserError(
                f"{folder} was not made by `synthesist demo`; --force replaces only a previous demo",
                hint="Name a new folder for the demo.",
            )
        shutil.rmtree(folder)


def _import_exports(workspace: Workspace, folder: Path, studies: list[dict[str, Any]]) -> list[SearchExport]:
    """Write each database's and other method's export to exports/ and import it, as a team would."""
    exports = search_exports(studies)
    # The strategy itself, as concept blocks: `synthesist search translate back_pain --all` in the demo
    # project prints it for every database.
    (folder / SEARCH_FOLDER).mkdir(exist_ok=True)
    (folder / SEARCH_FOLDER / "back_pain.toml").write_text(
        data_text("search/back_pain.toml"), encoding="utf-8"
    )
    directory = folder / "exports"
    directory.mkdir()
    searched = {db.name: db.searched_on for db in workspace.project.protocol.search.databases}
    # Illustrative strategies (the review's Table S1 is not in its text), recorded with each import
    # so that the report's appendix shows each database's search as run.
    strategies: dict[str, str] = load_data("strategies.toml")["strategies"]
    for export in exports:
        path = directory / export.file_name
        path.write_text(export.text(), encoding="utf-8")
        if export.other_method:
            request = ImportRequest(paths=[path], source=export.source, other_method=export.source)
        else:
            query = strategies.get(export.source)
            request = ImportRequest(
                paths=[path],
                source=export.source,
                searched_on=searched.get(export.source),
                query=query.strip() if query else None,
            )
        import_files(workspace, request)
    return exports


def _deduplicate(workspace: Workspace) -> None:
    result = run_dedup(workspace)
    if result.duplicates_total != DUPLICATES:
        raise UserError(
            f"demo: deduplication marked {result.duplicates_total} duplicates, expected {DUPLICATES}"
        )


def _screen(workspace: Workspace, exports: list[SearchExport]) -> None:
    """Title/abstract then full text: the first reviewer decides, the second checks every decision
    (single-verified with every decision checked, as the review describes). One transaction per stage."""
    by_key: dict[str, Publication] = {p.key: p for export in exports for p in export.publications}
    with workspace.unit_of_work(write=False) as uow:
        view = overview_in(uow, workspace)
        remaining = [rid for rid, p in view.records.items() if p.state is not RecordState.DUPLICATE]
        stored = uow.records.get_many(remaining, with_raw=False)
    publication = {rid: by_key[str(stored[rid].record.source_record_id)] for rid in remaining}
    passed = [rid for rid in remaining if publication[rid].role is not Role.TITLE_ABSTRACT_EXCLUDED]
    with workspace.unit_of_work() as uow:
        for rid in sorted(remaining):
            vote = Vote.INCLUDE if rid in passed else Vote.EXCLUDE
            for reviewer in (FIRST, SECOND):
                decide_in(uow, workspace, NewDecision(rid, Stage.TITLE_ABSTRACT, reviewer, vote))
        uow.commit()
    with workspace.unit_of_work() as uow:
        for rid in sorted(passed):
            item = publication[rid]
            vote = Vote.INCLUDE if item.role is Role.INCLUDED else Vote.EXCLUDE
            for reviewer in (FIRST, SECOND):
                decide_in(
                    uow, workspace, NewDecision(rid, Stage.FULL_TEXT, reviewer, vote, reason=item.reason)
                )
        uow.commit()


def _extract(workspace: Workspace, studies: list[dict[str, Any]]) -> None:
    """The characteristics the review states, and the themes each study contributes to (Table 2)."""
    themes: dict[str, list[str]] = {}
    for theme in load_data("theme_assignments.toml")["themes"]:
        for label in theme["studies"]:
            themes.setdefault(label, []).append(theme["name"].lower())
    for study in studies:
        label = study["label"]
        for name, text in study["extraction"].items():
            set_value(workspace, label, name, text)
        # "its Table 2": the published review's, not this report's Table 2
        findings = "Contributes to the review's themes (its Table 2): " + ", ".join(themes[label]) + "."
        set_value(workspace, label, "main_findings", findings)
        complete_study(workspace, label)
        # single-verified: the second reviewer checks the extraction (the same project, acting as them)
        verify_extraction(replace(workspace, actor=SECOND), label)


def _appraise(workspace: Workspace, studies: list[dict[str, Any]]) -> dict[str, int]:
    """Illustrative CASP answers by the first reviewer, checked by the second; the 2/7/1 ratings checked."""
    setup = appraisal_setup(workspace)
    views = list_studies(workspace, included_only=True)
    questions = [question.id for question in setup.checklist.questions]
    for study in studies:
        view = resolve_study(views, study["label"])
        answers = study["casp"]
        with workspace.unit_of_work() as uow:
            for question in questions:
                answer = answers.get(question, answers["*"])
                answer_in(
                    uow,
                    workspace,
                    setup,
                    view,
                    question,
                    answer,
                    reviewer=FIRST,
                    comment=ILLUSTRATIVE_COMMENT,
                )
            uow.commit()
        verify_study(workspace, study["label"], reviewer=SECOND)
    counts = {"High": 0, "Medium": 0, "Low": 0}  # Table 1's order, best first
    for rating in study_ratings(workspace).by_study.values():
        counts[str(rating)] = counts.get(str(rating), 0) + 1
    if counts != {"High": 2, "Medium": 7, "Low": 1}:
        raise UserError(f"demo: the appraisal ratings came out {counts}, expected High 2, Medium 7, Low 1")
    return counts


def _check_prisma(workspace: Workspace) -> dict[str, int]:
    counts = prisma_counts(workspace).counts
    found = {
        "database_records": counts.database_records,
        "other_records": counts.other_records_screened,
        "duplicates_removed": counts.duplicates_removed,
        "records_screened": counts.records_screened,
        "records_excluded": counts.records_excluded,
        "reports_assessed": counts.reports_assessed,
        "reports_excluded": sum(entry.n for entry in counts.reports_excluded),
        "studies_included": counts.studies_included,
    }
    expected = dict(zip(found, (757, 62, 81, 738, 708, 30, 20, 10), strict=True))
    if found != expected:
        raise UserError(f"demo: the PRISMA counts came out {found}, expected {expected}")
    return found


def _notes_markdown(notes: list[str]) -> str:
    lines = [
        "# What in this worked example is illustrative",
        "",
        "This project reproduces the reference review (patient–professional partnerships and chronic back",
        "pain self-management) as far as its published facts go. These values are not published and were",
        "filled in for illustration:",
        "",
    ]
    lines += [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"
