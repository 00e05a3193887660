"""Every output tells the same numbers: ``status``, the PRISMA counts, diagram and CSV, the report's
text and the table of characteristics, at every step of a small review built from scratch.

The review: 7 records imported as "Medline" (the protocol spells it "MEDLINE", searched on
2024-03-02) and 2 more, duplicates of two of them, imported as "MEDLINE" on 2024-03-05. It is walked
through each intermediate state; at each one the expected numbers are written out, and every output
must show them. "Interim" must appear exactly while a record or report awaits a decision.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from synthesist.reporting.prisma import PrismaCounts
from synthesist.reporting.prisma_csv import parse_prisma_csv, prisma_csv_text
from synthesist.reporting.prisma_svg import render_prisma_svg
from synthesist.reporting.report.docx import render_docx
from synthesist.reporting.report.html import render_html
from synthesist.reporting.report.markdown import render_markdown
from synthesist.reporting.report.model import Report
from synthesist.review.project import PROTOCOL_FILE, find_project
from synthesist.screening.model import RecordState, Stage, Vote
from synthesist.services.dedup.runs import run_dedup
from synthesist.services.extraction.table import characteristics_table
from synthesist.services.extraction.values import set_value
from synthesist.services.fulltext.reports import group_study, mark_not_retrieved
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.records.reading import list_records, project_status
from synthesist.services.reporting.prisma import prisma_counts
from synthesist.services.reporting.report import build_report
from synthesist.services.screening.decisions import decide, overview
from synthesist.wording import count_phrase, plural
from synthesist.workspace import Workspace, open_workspace
from tests.helpers import ris_text

REASON = "Not chronic back pain"
PROTOCOL_ADDITIONS = """
[[search.databases]]
name = "MEDLINE"
platform = "Ovid"
searched_on = 2024-03-02
"""


@dataclass(frozen=True)
class Expected:
    """The numbers every output must show in one state of the review."""

    identified: int = 9
    duplicates: int = 0
    screened: int = 9
    excluded: int = 0
    records_awaiting: int = 9
    sought: int = 0
    not_retrieved: int = 0
    assessed: int = 0
    reports_excluded: int = 0
    reports_awaiting: int = 0
    studies: int = 0
    reports: int = 0

    @property
    def interim(self) -> bool:
        return bool(self.records_awaiting or self.reports_awaiting)


@pytest.fixture
def review(project_dir: Path) -> Iterator[Workspace]:
    protocol = project_dir / PROTOCOL_FILE
    text = protocol.read_text(encoding="utf-8").replace(
        "exclusion_reasons = []", f'exclusion_reasons = ["{REASON}"]', 1
    )
    protocol.write_text(text + PROTOCOL_ADDITIONS, encoding="utf-8")
    workspace = open_workspace(find_project(project_dir), "aoife")
    try:
        yield workspace
    finally:
        workspace.close()


def _import(workspace: Workspace, tmp_path: Path) -> list[str]:
    first, second = tmp_path / "medline-1.ris", tmp_path / "medline-2.ris"
    first.write_text(ris_text(7), encoding="utf-8")
    second.write_text(ris_text(2, start=6), encoding="utf-8")  # the same records as 6 and 7
    warnings = import_files(workspace, ImportRequest(paths=[first], source="Medline")).warnings
    import_files(workspace, ImportRequest(paths=[second], source="MEDLINE", searched_on=date(2024, 3, 5)))
    return warnings


def _screened_ids(workspace: Workspace) -> list[int]:
    """The records left after deduplication, in import order."""
    states = overview(workspace).records
    records, _ = list_records(workspace)
    return [r.id for r in records if states[r.id].state is not RecordState.DUPLICATE]


def _check_status(workspace: Workspace, want: Expected) -> None:
    status = project_status(workspace)
    stages = status.stages
    assert status.from_databases == want.identified
    assert [line.source for line in status.sources] == ["MEDLINE"]  # one line, the protocol's spelling
    assert status.duplicates == want.duplicates
    assert stages["records screened"] == want.screened
    assert stages["title/abstract: excluded"] == want.excluded
    assert stages["title/abstract: awaiting decision"] == want.records_awaiting
    assert stages["full text: sought"] == want.sought
    assert stages["full text: not retrieved"] == want.not_retrieved
    assert stages["full text: assessed"] == want.assessed
    assert stages["full text: excluded"] == want.reports_excluded
    assert stages["full text: awaiting decision"] == want.reports_awaiting
    assert stages["studies included"] == want.studies
    assert stages["reports of included studies"] == want.reports
    assert status.interim is want.interim


def _check_counts(counts: PrismaCounts, want: Expected) -> None:
    assert [(entry.name, entry.n) for entry in counts.databases] == [("MEDLINE", want.identified)]
    found = (
        counts.database_records,
        counts.duplicates_removed,
        counts.records_screened,
        counts.records_excluded,
        counts.records_awaiting,
        counts.reports_sought,
        counts.reports_not_retrieved,
        counts.reports_assessed,
        counts.reports_excluded_total,
        counts.reports_awaiting,
        counts.studies_included,
        counts.reports_included,
    )
    assert found == (
        want.identified,
        want.duplicates,
        want.screened,
        want.excluded,
        want.records_awaiting,
        want.sought,
        want.not_retrieved,
        want.assessed,
        want.reports_excluded,
        want.reports_awaiting,
        want.studies,
        want.reports,
    )
    assert counts.interim is want.interim


def _check_csv(counts: PrismaCounts, want: Expected) -> None:
    text = prisma_csv_text(counts)
    cells = {row["data"]: row["n"] for row in csv.DictReader(io.StringIO(text))}
    assert cells["database_results"] == str(want.identified)
    assert cells["database_specific_results"] == f"MEDLINE, {want.identified}"
    assert cells["duplicates"] == str(want.duplicates)
    assert cells["records_screened"] == str(want.screened)
    assert cells["records_excluded"] == str(want.excluded)
    assert cells["dbr_sought_reports"] == str(want.sought)
    assert cells["dbr_notretrieved_reports"] == str(want.not_retrieved)
    assert cells["dbr_assessed"] == str(want.assessed)
    excluded = f"{REASON}, {want.reports_excluded}" if want.reports_excluded else "0"
    assert cells["dbr_excluded"] == excluded
    assert cells["new_studies"] == str(want.studies)
    assert cells["new_reports"] == str(want.reports)
    # the rows beyond the template are there exactly while something awaits a decision
    assert cells.get("records_awaiting") == (str(want.records_awaiting) if want.records_awaiting else None)
    assert cells.get("reports_awaiting") == (str(want.reports_awaiting) if want.reports_awaiting else None)
    assert parse_prisma_csv(text) == counts  # and the CSV reads back as the same counts


def _check_diagram(counts: PrismaCounts, want: Expected) -> None:
    svg = render_prisma_svg(counts)
    assert (">Interim: " in svg) is want.interim
    assert ("(interim)" in svg) is want.interim
    for words, n in (
        ("Records screened", want.screened),
        ("Records excluded", want.excluded),
        ("Reports sought for retrieval", want.sought),
        ("Reports not retrieved", want.not_retrieved),
        ("Reports assessed for eligibility", want.assessed),
        ("Studies included in review", want.studies),
        ("Reports of included studies", want.reports),
    ):
        assert f">{words} (n = {n})<" in svg
    assert (f">Records awaiting a decision (n = {want.records_awaiting})<" in svg) is bool(
        want.records_awaiting
    )
    assert (f">Reports awaiting a decision (n = {want.reports_awaiting})<" in svg) is bool(
        want.reports_awaiting
    )


def _docx_text(report: Report) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(io.BytesIO(render_docx(report))).paragraphs)


def _check_report(workspace: Workspace, want: Expected, *, word: bool = False) -> None:
    report = build_report(workspace, today=date(2026, 1, 1))
    markdown = render_markdown(report)
    assert ('<p class="interim"><strong>Interim report.</strong>' in render_html(report)) is want.interim
    if word:  # slower (figures become PNG): checked at the states that matter
        assert ("Interim report. " in _docx_text(report)) is want.interim
    flow = next(line for line in markdown.splitlines() if line.startswith("A total of "))

    def said(n: int, noun: str, verb: tuple[str, str] = ("was", "were")) -> str:
        return count_phrase(n, noun, verb=verb)

    assert flow.startswith(f"A total of {said(want.identified, 'record')} identified")
    assert f"removed, {said(want.screened, 'record')} available for screening" in flow
    assert f"{said(want.excluded, 'record')} excluded" in flow
    awaiting_records = f"{said(want.records_awaiting, 'record', ('awaits', 'await'))} a decision"
    assert (awaiting_records in flow) is bool(want.records_awaiting)
    assert f"{said(want.sought, 'report')} sought in full text" in flow
    assert (f"{want.not_retrieved} of which could not be retrieved" in flow) is bool(want.not_retrieved)
    assert f"{said(want.assessed, 'full-text report')} assessed" in flow
    if want.reports_excluded:
        assert f"{want.reports_excluded} was excluded: {REASON} ({want.reports_excluded})" in flow
    awaiting_reports = f"{said(want.reports_awaiting, 'report', ('awaits', 'await'))} a decision"
    assert (awaiting_reports in flow) is bool(want.reports_awaiting)
    studies = f"{plural(want.studies, 'study', 'studies')} ({plural(want.reports, 'report')})"
    assert f"{studies} {'was' if want.studies == 1 else 'were'} included" in flow
    # "interim" is said exactly while something awaits a decision: a note at the top, the figure
    assert ("> **Interim report.**" in markdown) is want.interim
    assert ("interim" in markdown.casefold()) is want.interim
    # the search: the database under the protocol's name, the same last date in the methods and Table S1
    assert "MEDLINE (last searched on 2024-03-05; 9 records)" in markdown
    table_dates = re.findall(r"^\| MEDLINE \| (\S+) \|", markdown, re.MULTILINE)
    assert sorted(table_dates) == ["2024-03-02", "2024-03-05"] and max(table_dates) == "2024-03-05"
    assert "Medline" not in markdown
    if want.sought:
        assert "### Full-text retrieval\n\n> **Not done yet.**" not in markdown
        assert f"The full texts of {want.sought} report" in markdown


def _check_characteristics(workspace: Workspace, want: Expected) -> None:
    table = characteristics_table(workspace)
    assert len(table.rows) == want.studies


def _check_all(workspace: Workspace, want: Expected, *, word: bool = False) -> None:
    result = prisma_counts(workspace)
    _check_counts(result.counts, want)
    assert bool(result.warnings) is want.interim
    _check_status(workspace, want)
    _check_csv(result.counts, want)
    _check_diagram(result.counts, want)
    _check_report(workspace, want, word=word)
    _check_characteristics(workspace, want)


def test_every_output_shows_the_same_numbers_at_every_step(review: Workspace, tmp_path: Path) -> None:
    warnings = _import(review, tmp_path)
    assert warnings == [
        "source 'Medline' is stored as 'MEDLINE', as review.toml spells it "
        "(names are matched ignoring case, spaces and punctuation)."
    ]
    _check_all(review, Expected())  # imported only: every record awaits its title/abstract decision

    run_dedup(review)
    after_dedup = Expected(duplicates=2, screened=7, records_awaiting=7)
    _check_all(review, after_dedup)
    r = _screened_ids(review)
    assert len(r) == 7

    def screen(index: int, vote: Vote, stage: Stage = Stage.TITLE_ABSTRACT) -> None:
        reason = REASON if vote is Vote.EXCLUDE and stage is Stage.FULL_TEXT else None
        decide(review, r[index], stage, vote, reviewer="aoife", reason=reason)

    screen(0, Vote.EXCLUDE)
    screen(1, Vote.INCLUDE)
    some_decided = Expected(
        duplicates=2, screened=7, excluded=1, records_awaiting=5, sought=1, assessed=1, reports_awaiting=1
    )
    _check_all(review, some_decided)

    for index in range(2, 7):
        screen(index, Vote.INCLUDE)
    all_screened = Expected(
        duplicates=2, screened=7, excluded=1, records_awaiting=0, sought=6, assessed=6, reports_awaiting=6
    )
    _check_all(review, all_screened)

    for index, vote in ((1, Vote.INCLUDE), (2, Vote.EXCLUDE), (3, Vote.INCLUDE), (4, Vote.INCLUDE)):
        screen(index, vote, Stage.FULL_TEXT)
    full_text_open = Expected(
        duplicates=2,
        screened=7,
        excluded=1,
        records_awaiting=0,
        sought=6,
        assessed=6,
        reports_excluded=1,
        reports_awaiting=2,
        studies=3,
        reports=3,
    )
    _check_all(review, full_text_open, word=True)

    mark_not_retrieved(review, r[6], "Not held by the library")
    one_not_retrieved = Expected(
        duplicates=2,
        screened=7,
        excluded=1,
        records_awaiting=0,
        sought=6,
        not_retrieved=1,
        assessed=5,
        reports_excluded=1,
        reports_awaiting=1,
        studies=3,
        reports=3,
    )
    _check_all(review, one_not_retrieved)

    screen(5, Vote.INCLUDE, Stage.FULL_TEXT)
    group_study(review, [r[4], r[5]])  # two reports of one study
    all_decided = Expected(
        duplicates=2,
        screened=7,
        excluded=1,
        records_awaiting=0,
        sought=6,
        not_retrieved=1,
        assessed=5,
        reports_excluded=1,
        reports_awaiting=0,
        studies=3,
        reports=4,
    )
    _check_all(review, all_decided, word=True)

    label = characteristics_table(review).rows[0][0]
    set_value(review, label, "country", "United Kingdom")
    _check_all(review, all_decided)  # extraction present: the same numbers
    assert characteristics_table(review).rows[0][1:].count("United Kingdom") == 1
