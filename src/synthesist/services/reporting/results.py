"""The report's Results: the PRISMA 2020 flow, the characteristics and appraisal of the included
studies, and what the synthesis produced (matrix, theme narratives with their quotes, conceptual
model, CERQual Summary of Qualitative Findings).

Each part is read through the service that owns it. A part whose data does not exist yet becomes
a "not done yet" paragraph, and a part that cannot be drawn (Graphviz missing, for example) a "not
available" one naming why: a half-finished review still gets a report.
"""

from __future__ import annotations

from synthesist.errors import UserError
from synthesist.reporting.appraisal_svg import render_traffic_light_svg
from synthesist.reporting.characteristics import CharacteristicsTable
from synthesist.reporting.prisma import PrismaCounts
from synthesist.reporting.prisma_svg import render_prisma_svg
from synthesist.reporting.report.model import BulletList, Figure, Heading, Paragraph, Quote, Section, Table
from synthesist.services.appraisal.views import appraisal_table
from synthesist.services.cerqual.concept_model import model_figure, model_view
from synthesist.services.cerqual.findings import finding_views
from synthesist.services.extraction.table import characteristics_table
from synthesist.services.reporting.methods import join_words
from synthesist.services.reporting.prisma import PrismaResult, prisma_counts
from synthesist.services.synthesis.outputs import synthesis_matrix, theme_evidence_views
from synthesist.synthesis.cerqual import soqf_table
from synthesist.synthesis.evidence import KIND_WORDS, theme_anchor
from synthesist.synthesis.matrix import matrix_table
from synthesist.wording import count_phrase, plural, verb_for
from synthesist.workspace import Workspace

__all__ = ["flow_paragraph", "results_section"]


def _table(table: CharacteristicsTable, anchor: str | None = None) -> Table:
    return Table(
        tuple(table.columns), tuple(tuple(row) for row in table.rows), table.title, tuple(table.notes), anchor
    )


def _not_available(what: str, why: str) -> Paragraph:
    return Paragraph(f"{what} is not available: {why}.", "missing")


def results_section(workspace: Workspace, flow: PrismaResult | None = None) -> Section:
    """``flow``: the PRISMA numbers when the caller has them already (the methods quote them too)."""
    flow = flow or prisma_counts(workspace)
    results = Section("results", "Results")
    results.children = [
        _selection(flow),
        _characteristics(workspace, flow.counts),
        _appraisal(workspace),
        _matrix(workspace),
        _themes(workspace),
        _model(workspace),
        _cerqual(workspace),
    ]
    return results


def flow_paragraph(counts: PrismaCounts) -> str:
    """The flow in words, as the reference review's Findings open."""
    text = (
        f"A total of {count_phrase(counts.database_records, 'record', verb=('was', 'were'))} "
        "identified from the database searches"
    )
    if counts.register_records:
        text += f" and {counts.register_records} from registers"
    if counts.other_records_screened:
        text += f", and {plural(counts.other_records_screened, 'record')} through other methods"
    text += (
        f". After {count_phrase(counts.duplicates_removed, 'duplicate', verb=('was', 'were'))} "
        f"removed, {count_phrase(counts.records_screened, 'record', verb=('was', 'were'))} "
        f"available for screening. Titles and abstracts of the {plural(counts.records_screened, 'record')} "
        "were screened against the inclusion criteria, and "
        f"{count_phrase(counts.records_excluded, 'record', verb=('was', 'were'))} excluded"
    )
    if counts.records_awaiting:
        text += f"; {_awaiting(counts.records_awaiting, 'record')}"
    text += f". {count_phrase(counts.reports_sought, 'report', verb=('was', 'were'))} sought in full text"
    if counts.reports_not_retrieved:
        text += f", {counts.reports_not_retrieved} of which could not be retrieved"
    text += (
        f"; {count_phrase(counts.reports_assessed, 'full-text report', verb=('was', 'were'))} "
        "assessed for eligibility"
    )
    excluded = sum(entry.n for entry in counts.reports_excluded)
    if counts.reports_excluded:
        reasons = join_words(f"{entry.name} ({entry.n})" for entry in counts.reports_excluded)
        text += f" and {excluded} {verb_for(excluded, 'was', 'were')} excluded: {reasons}"
    if counts.reports_awaiting:
        text += f"; {_awaiting(counts.reports_awaiting, 'report')}"
    text += (
        f". {plural(counts.studies_included, 'study', 'studies')} "
        f"({plural(counts.reports_included, 'report')}) "
        f"{verb_for(counts.studies_included, 'was', 'were')} included in the review."
    )
    return text


def _awaiting(n: int, noun: str) -> str:
    """ "1 record awaits a decision" (PRISMA 2020: awaiting classification)."""
    return f"{count_phrase(n, noun, verb=('awaits', 'await'))} a decision"


def _selection(result: PrismaResult) -> Section:
    section = Section("results-selection", "Study selection")
    counts = result.counts
    if counts.database_records + counts.register_records + counts.other_records_screened == 0:
        return section.add(Paragraph("No records have been imported yet.", "missing"))
    section.add(Paragraph(flow_paragraph(counts)))
    for warning in result.warnings:
        section.add(Paragraph(f"The flow is not final: {warning}.", "note"))
    section.add(
        Figure(
            render_prisma_svg(counts),
            "Figure 1. PRISMA 2020 flow diagram of the search and selection of studies"
            + (" (interim)." if counts.interim else "."),
            "prisma.svg",
            "figure-prisma",
        )
    )
    return section


def _characteristics(workspace: Workspace, counts: PrismaCounts) -> Section:
    section = Section("results-characteristics", "Characteristics of the included studies")
    try:
        table = characteristics_table(workspace)
    except UserError as error:
        return section.add(_not_available("The table of characteristics", error.message))
    if counts.reports_awaiting:
        # the table lists the studies included so far, as the diagram counts them
        section.add(
            Paragraph(
                f"The table lists the {plural(counts.studies_included, 'study', 'studies')} included so far; "
                f"{_awaiting(counts.reports_awaiting, 'report')} at full text.",
                "note",
            )
        )
    if not table.rows:
        return section.add(Paragraph("No studies have been included yet.", "missing"))
    filled = any(cell for row in table.rows for cell in row[1:])
    if not filled:
        section.add(Paragraph("No study characteristics have been extracted yet.", "missing"))
    return section.add(_table(table, "table-characteristics"))


def _appraisal(workspace: Workspace) -> Section:
    section = Section("results-appraisal", "Critical appraisal of the included studies")
    try:
        table = appraisal_table(workspace)
    except UserError as error:
        return section.add(_not_available("The appraisal", error.message))
    if not table.rows:
        return section.add(Paragraph("No studies have been included yet.", "missing"))
    if not any(cell for row in table.rows for cell in row.cells):
        return section.add(Paragraph("No study has been appraised yet.", "missing"))
    counts = table.rating_counts()
    if table.rules is not None:
        words = join_words(
            f"{n} {verb_for(n, 'was', 'were')} rated {rating}" for rating, n in counts.items() if n
        )
        section.add(
            Paragraph(f"Of the {plural(len(table.rows), 'included study', 'included studies')}, {words}.")
        )
        section.add(
            Table(
                ("Rating", "Studies"),
                tuple((rating, str(n)) for rating, n in counts.items()),
                "Studies per overall rating",
                anchor="table-rating-counts",
            )
        )
    for index, group in enumerate(table.groups):
        header = ("Study", *(c.heading for c in group.columns), "Rating")
        rows = tuple(
            (row.study, *(table.cell(a) for a in row.cells), table.rating_cell(row)) for row in group.rows
        )
        questions = tuple(f"{c.heading}: {c.text}" for c in group.columns)
        notes = questions + tuple(table.notes()) if index == len(table.groups) - 1 else questions
        caption = table.title + (f" ({group.title})" if group.title else "")
        section.add(Table(header, rows, caption, notes, "table-appraisal" if index == 0 else None))
    section.add(
        Figure(
            render_traffic_light_svg(table),
            "Figure 2. Appraisal of each included study, question by question (traffic-light plot).",
            "appraisal-traffic-light.svg",
            "figure-appraisal",
        )
    )
    return section


def _matrix(workspace: Workspace) -> Section:
    section = Section("results-matrix", "Themes across the studies")
    try:
        matrix = synthesis_matrix(workspace)
    except UserError as error:
        return section.add(_not_available("The theme × study matrix", error.message))
    if not matrix.columns:
        return section.add(Paragraph("No analytical themes have been created yet.", "missing"))
    counts = join_words(f"{column.theme.name} ({matrix.count_text(column)})" for column in matrix.columns)
    section.add(
        Paragraph(
            f"{len(matrix.columns)} analytical themes were identified across the {matrix.total} "
            f"included studies: {counts}."
        )
    )
    return section.add(_table(matrix_table(matrix), "table-matrix"))


def _cite(study: str, page: int | None, kinds: tuple[object, ...]) -> str:
    where = f"{study}, p. {page}" if page is not None else f"{study}, page not recorded"
    kind = " and ".join(KIND_WORDS[k] for k in kinds)  # type: ignore[index]
    return f"{where} ({kind})"


def _themes(workspace: Workspace) -> Section:
    section = Section("results-themes", "The themes")
    try:
        views = theme_evidence_views(workspace)
    except UserError as error:
        return section.add(Paragraph(f"No theme narratives yet: {error.message}.", "missing"))
    section.add(
        Paragraph(
            "A scaffold for each theme's narrative: its definition, the studies it rests on and the coded "
            "excerpts, to be written up by the authors.",
            "note",
        )
    )
    for view in views:
        theme = view.theme
        child = Section(theme_anchor(theme), theme.name)
        about = f"Present in {view.count_text}"
        if theme.key_terms:
            about += f"; key terms: {', '.join(theme.key_terms)}"
        child.add(Paragraph(about + "."))
        if theme.definition:
            child.add(Paragraph(theme.definition))
        if view.below:
            child.add(Paragraph("Themes under it: " + ", ".join(t.name for t in view.below) + "."))
        if not view.studies:
            child.add(Paragraph("No coded findings support this theme yet.", "missing"))
        else:
            child.add(
                Paragraph(
                    "Contributing studies: "
                    + join_words(f"{s.study.label} ({s.rating or 'not rated'})" for s in view.studies)
                    + "."
                )
            )
        for study in view.studies:
            child.add(Heading(study.study.label))
            for excerpt in study.excerpts:
                child.add(Quote(excerpt.text, _cite(study.study.label, excerpt.page, excerpt.kinds)))
        section.children.append(child)
    return section


def _model(workspace: Workspace) -> Section:
    section = Section("results-model", "Conceptual model")
    try:
        view = model_view(workspace)
    except UserError as error:
        return section.add(_not_available("The conceptual model", error.message))
    if not view.links:
        return section.add(
            Paragraph("No links between themes have been drawn yet (synthesis model).", "missing")
        )
    try:
        svg = model_figure(workspace, "svg").decode("utf-8")
    except UserError as error:
        return section.add(_not_available("The conceptual model figure", error.message))
    section.add(
        Paragraph("The model links the analytical themes (and the outcomes they lead to):"),
        BulletList(tuple(f"{link.source} — {link.type} → {link.target}" for link in view.links)),
    )
    return section.add(
        Figure(
            svg, "Figure 3. Conceptual model: how the themes relate.", "conceptual-model.svg", "figure-model"
        )
    )


def _cerqual(workspace: Workspace) -> Section:
    section = Section("results-cerqual", "Confidence in the review findings (GRADE-CERQual)")
    try:
        views = finding_views(workspace)
    except UserError as error:
        return section.add(_not_available("The Summary of Qualitative Findings", error.message))
    if not views:
        return section.add(
            Paragraph("No review findings have been assessed with GRADE-CERQual yet.", "missing")
        )
    return section.add(_table(soqf_table(views), "table-soqf"))
