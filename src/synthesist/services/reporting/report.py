"""``synthesist report``: the whole review as one standalone document (Markdown, HTML, DOCX).

The report is built once as a format-neutral model (:mod:`synthesist.reporting.report.model`) from
the services that own each part: Methods from the protocol and the event log
(:mod:`.report_methods`), Results from the PRISMA, extraction, appraisal and synthesis services
(:mod:`.report_results`), and appendices (search strategies, the PRISMA 2020 and ENTREQ checklists
filled in from what the report covers). Renderers then only lay it out; figures are also written
as SVG files under ``figures/`` so they can go into a manuscript as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from synthesist import __version__
from synthesist.errors import UserError
from synthesist.reporting.report.checklists import fill_checklist
from synthesist.reporting.report.docx import render_docx
from synthesist.reporting.report.html import render_html
from synthesist.reporting.report.markdown import render_markdown
from synthesist.reporting.report.model import BulletList, Notice, Paragraph, Report, Section, Table
from synthesist.services.reporting.methods import MethodsFacts, methods_facts, methods_section
from synthesist.services.reporting.results import results_section
from synthesist.services.reporting.search_sources import database_name, search_date
from synthesist.services.synthesis.snapshot import coding_snapshot
from synthesist.workspace import Workspace

__all__ = [
    "ILLUSTRATIVE_FILE",
    "REPORT_FORMATS",
    "ReportStep",
    "build_report",
    "parse_formats",
    "render_report",
    "report_document",
    "report_files",
    "report_steps",
]

REPORT_FORMATS = ("md", "html", "docx")
ILLUSTRATIVE_FILE = "ILLUSTRATIVE.md"  # written by `synthesist demo` beside review.toml
REPORT_NAME = "report"
FIGURES_FOLDER = "figures"
_NUMBERED = re.compile(r"^\s*(?:#|S)?\d+[.):]?\s")


def parse_formats(chosen: Iterable[str]) -> tuple[str, ...]:
    """``--format`` values (repeatable, or "all"; none means all) in the canonical order."""
    wanted: set[str] = set()
    for value in chosen:
        for name in value.split(","):
            name = {"markdown": "md", "htm": "html", "word": "docx"}.get(
                name.strip().lower(), name.strip().lower()
            )
            if name == "all":
                wanted.update(REPORT_FORMATS)
            elif name in REPORT_FORMATS:
                wanted.add(name)
            else:
                raise UserError(f"no report format {name!r}", hint="Formats: md, html, docx, or all.")
    return tuple(f for f in REPORT_FORMATS if f in wanted) or REPORT_FORMATS


def illustrative_notes(root: Path) -> Notice | None:
    """The worked example's list of illustrative values, from its ILLUSTRATIVE.md (a file, not an
    import of the demo package, so any project can carry such a note): the heading, the paragraphs
    before the list, and each item of the list (wrapped lines joined)."""
    path = root / ILLUSTRATIVE_FILE
    if not path.is_file():
        return None
    title = "Some values in this report are illustrative"
    intro: list[str] = []
    items: list[str] = []
    current: list[str] | None = None  # the list whose last entry a wrapped line continues
    for raw in path.read_text(encoding="utf-8").splitlines():
        text = raw.strip()
        if not text:
            current = None
        elif text.startswith("#"):
            if not intro and not items:
                title = text.lstrip("#").strip()
            current = None
        elif text[:2] in ("- ", "* "):
            items.append(text[2:].strip())
            current = items
        elif current is not None and current:
            current[-1] += " " + text
        else:
            current = items if items else intro
            current.append(text)
    return Notice(title, tuple(intro), tuple(items))


@dataclass(frozen=True)
class ReportStep:
    name: str  # shown in the progress bar
    run: Callable[[], None]


@dataclass
class _Parts:
    """What one step hands the next."""

    facts: MethodsFacts | None = None


def report_steps(workspace: Workspace, report: Report) -> list[ReportStep]:
    """The steps that fill ``report`` in, so the CLI can show progress over them."""
    parts = _Parts()
    sections: dict[str, Section] = {}

    def read_log() -> None:
        parts.facts = methods_facts(workspace)

    def methods() -> None:
        assert parts.facts is not None
        try:
            snapshot = coding_snapshot(workspace)
        except UserError:
            snapshot = None
        sections["methods"] = methods = methods_section(workspace, parts.facts, snapshot)
        if report.notice:  # the worked example says in its methods, too, what is illustrative
            methods.blocks[:0] = [
                Paragraph(f"{report.notice.title}. {' '.join(report.notice.intro)}".strip(), "note"),
                BulletList(report.notice.items),
            ]

    def results() -> None:
        assert parts.facts is not None
        flow = parts.facts.flow
        sections["results"] = results_section(workspace, flow)
        if flow is not None and flow.counts.interim:
            report.interim = f"{flow.counts.awaiting_words()}, so the numbers in it will change"

    def appendices() -> None:
        assert parts.facts is not None
        report.sections = [*_front(workspace, report), sections["methods"], sections["results"]]
        appendix = Section("appendices", "Appendices", supplementary=True)
        appendix.children.append(_search_strategies(parts.facts))
        report.sections.append(appendix)
        # the checklists point into the report, so they are filled in once everything else is there
        checklists = (
            ("prisma2020", "PRISMA 2020 checklist", "appendix-prisma"),
            ("entreq", "ENTREQ checklist", "appendix-entreq"),
        )
        for name, title, anchor in checklists:
            appendix.children.append(
                Section(anchor, title, [fill_checklist(name, report, anchor + "-table")])
            )
        report.number_tables()  # last: every table is in place, in its final order

    return [
        ReportStep("Reading the protocol and the event log", read_log),
        ReportStep("Writing the methods", methods),
        ReportStep("Gathering the results", results),
        ReportStep("Appendices and reporting checklists", appendices),
    ]


def build_report(workspace: Workspace, *, today: date | None = None) -> Report:
    report = new_report(workspace, today)
    for step in report_steps(workspace, report):
        step.run()
    return report


def new_report(workspace: Workspace, today: date | None = None) -> Report:
    protocol = workspace.project.protocol
    day = (today or date.today()).isoformat()
    return Report(
        title=protocol.review.title,
        subtitle=f"Review report generated by Synthesist {__version__} on {day} "
        f"from project {protocol.project_id}.",
        notice=illustrative_notes(workspace.project.root),
    )


def _front(workspace: Workspace, report: Report) -> list[Section]:
    review = workspace.project.protocol.review
    front: list[Section] = []
    about = Section("review", "About this review")
    about.add(
        Paragraph(f"A {review.type}" + (f" by {', '.join(review.authors)}." if review.authors else "."))
    )
    if report.notice:
        about.add(
            Paragraph(
                "This report is of the worked example: the values listed in the box above are illustrative.",
                "note",
            )
        )
    about.add(
        Paragraph(
            "Everything below is generated from the project's protocol and records. Paragraphs marked "
            "“Not done yet” are steps with no data so far; the checklists in the appendices list what the "
            "authors still have to write (introduction, discussion, funding...).",
            "note",
        )
    )
    if review.question:
        about.children.append(Section("review-question", "Review question", [Paragraph(review.question)]))
    if review.registration:
        about.children.append(
            Section(
                "review-registration",
                "Registration",
                [Paragraph(f"The review was registered: {review.registration}.")],
            )
        )
    front.append(about)
    return front


def _search_strategies(facts: MethodsFacts) -> Section:
    section = Section("appendix-search", "Search strategies")
    # review.toml's [search] databases carry no strategy, so the strategy is the one stored with each
    # import batch (import --query-file): the search as it was actually run. A live search
    # (`synthesist search run`) stores its query as sent to the source, and its event the hits the
    # source reported (PRISMA-S: the strategy exactly as run, its date and hits).
    runs = [event.payload for event in facts.of("search.run_completed")]
    searches = {run["batch_id"]: run for run in runs if run["kind"] == "search" and run["batch_id"]}
    updates = {run["batch_id"] for run in runs if run["kind"] == "update" and run["batch_id"]}
    rows = []
    for batch in facts.batches:
        if batch.other_method is not None or batch.id in updates:
            continue
        # the same date the methods give (a batch without one takes the protocol's date)
        searched = search_date(batch, facts.protocol)
        when = searched.isoformat() if searched else "not recorded"
        source = database_name(batch, facts.protocol)
        run = searches.get(batch.id)
        if run is not None:
            rows.append((source, when, run["query"].strip(), _run_hits(run)))
            continue
        if batch.query:
            lines = [line for line in batch.query.strip().splitlines() if line.strip()]
            # number the lines as Table S1 does, unless the strategy as run numbers them already
            numbered = all(_NUMBERED.match(line) for line in lines)
            strategy = "\n".join(
                line.strip() if numbered else f"{n}. {line.strip()}" for n, line in enumerate(lines, start=1)
            )
        else:
            strategy = "not recorded (give it with synthesist import --query-file)"
        rows.append((source, when, strategy, str(batch.record_count)))
    # a live search that found nothing imported no batch, but was run all the same
    for run in runs:
        if run["kind"] == "search" and not run["batch_id"]:
            rows.append((run["source"], run["searched_on"], run["query"].strip(), _run_hits(run)))
    if not rows:
        section.add(Paragraph("No database search results have been imported.", "missing"))
    else:
        notes = ["One row per file of search results imported."]
        if searches or any(run["kind"] == "search" for run in runs):
            notes.append(
                "A search run by Synthesist on a free source is one row, with its query exactly as "
                "sent to the source and the hits the source reported."
            )
        section.add(
            Table(
                ("Database", "Date searched", "Search strategy", "Hits"),
                tuple(rows),
                "Search strategy of each database, as run",
                tuple(notes),
                "table-search",
            )
        )
        if all(row[2].startswith("not recorded") for row in rows):
            section.add(Paragraph("The search strategies were not stored with the imports.", "missing"))
    living = [run for run in runs if run["kind"] == "update"]
    if living:
        section.add(
            Table(
                ("Date", "Source", "Strategy", "Added since", "Hits", "Already in the review", "New records"),
                tuple(
                    (
                        run["searched_on"],
                        run["source"],
                        run["strategy"],
                        run.get("since") or "",
                        "" if run["total"] is None else str(run["total"]),
                        str(run["already_present"]),
                        str(run["imported"]),
                    )
                    for run in living
                ),
                "Updates of the searches (living review)",
                (
                    "Each update ran the search again for the records the source added since the previous "
                    "run; only records not already in the review were imported and screened.",
                ),
                "table-search-updates",
            )
        )
    return section


def _run_hits(run: dict[str, object]) -> str:
    total, imported = run["total"], run["imported"]
    if total is None:
        return str(imported)
    return str(total) if total == imported else f"{total} ({imported} imported)"


def render_report(report: Report, format_name: str) -> bytes:
    if format_name == "md":
        return render_markdown(report).encode("utf-8")
    if format_name == "html":
        return render_html(report).encode("utf-8")
    return render_docx(report)


def report_document(workspace: Workspace, format_name: str) -> bytes:
    """The whole report as one file's content, built as the workspace's actor may see the project
    (the methods' counts of decisions leave out votes still blind to them)."""
    return render_report(build_report(workspace), format_name)


def report_files(report: Report, formats: Sequence[str] = REPORT_FORMATS) -> dict[str, bytes]:
    """Every file of the report by its name relative to the report's folder: each figure as
    ``figures/<name>.svg``, then ``report.<format>`` for each format. The caller writes them."""
    files = {
        f"{FIGURES_FOLDER}/{figure.file_name}": figure.svg.encode("utf-8") for figure in report.figures()
    }
    for format_name in formats:
        files[f"{REPORT_NAME}.{format_name}"] = render_report(report, format_name)
    return files
