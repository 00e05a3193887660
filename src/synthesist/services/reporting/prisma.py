"""The PRISMA 2020 flow diagram's numbers, derived from the project's records and decisions.

Identification comes from the import batches (records per database; records from other methods per
method), removal from deduplication, screening from the final decisions at each stage. Synthesist
screens records from every source together, so records from other methods join the database records
at screening (the diagram draws that arrow). Numbers for steps done outside Synthesist are given in
``prisma.toml`` beside ``review.toml`` and override the computed ones, marked as such in the diagram.

Each record included at title/abstract counts as one report sought (its attached files, a paper and
its supplement, are one report); included records grouped with ``fulltext study`` count as one study.

These are the project's numbers everywhere: ``status``, the report's text and tables and the web
outputs page read them from :func:`prisma_counts`, so no two outputs can disagree. A record without a
final decision is counted as awaiting one (PRISMA 2020's "awaiting classification"), never as
excluded or included, and the counts are interim (``PrismaCounts.interim``) until none is left.
Databases are grouped under the protocol's spelling of their names (``Medline`` is ``MEDLINE``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from synthesist.reporting.prisma import MANUAL_FILE_NAME, NamedCount, PrismaCounts
from synthesist.reporting.prisma_manual import apply_manual_counts, load_manual_counts
from synthesist.review.source_names import protocol_spelling
from synthesist.screening.model import RecordState, Stage
from synthesist.services.fulltext.reports import included_totals, list_studies
from synthesist.services.screening.decisions import overview_in
from synthesist.workspace import Workspace

__all__ = ["PrismaResult", "prisma_counts", "prisma_document", "prisma_document_from_csv", "prisma_format"]

# A source searched as a trials register (PRISMA 2020 counts registers apart from databases).
_REGISTER = re.compile(
    r"clinicaltrials|ictrp|isrctn|anzctr|chictr|euctr|eu clinical trials|ctri\b|drks|\bregist(?:er|ry)", re.I
)

_PAST_TITLE_ABSTRACT = (
    RecordState.SOUGHT,
    RecordState.NOT_RETRIEVED,
    RecordState.FULL_TEXT,
    RecordState.EXCLUDED_FULL_TEXT,
    RecordState.INCLUDED,
)


@dataclass(frozen=True)
class PrismaResult:
    counts: PrismaCounts
    warnings: list[str] = field(default_factory=list)  # why the diagram may not be final yet


def prisma_counts(workspace: Workspace) -> PrismaResult:
    with workspace.unit_of_work(write=False) as uow:
        batches = uow.batches.list()
        _, duplicates = uow.dedup.counts()
        view = overview_in(uow, workspace)
    states = view.states()
    # Databases in the order review.toml lists them (then any other, in the order first imported);
    # other methods in the order first imported.
    spellings = [db.name for db in workspace.project.protocol.search.databases]
    listed = [name.casefold() for name in spellings]
    per_database: dict[str, int] = {}
    per_register: dict[str, int] = {}
    others: dict[str, int] = {}
    for batch in batches:
        if batch.other_method is not None:
            into, name = others, batch.other_method
        else:
            # batches stored before names were matched may spell a database as the protocol does not
            name = protocol_spelling(batch.source, spellings)
            into = per_register if _REGISTER.search(name) else per_database
        into[name] = into.get(name, 0) + batch.record_count

    def protocol_order(name: str) -> int:
        return listed.index(name.casefold()) if name.casefold() in listed else len(listed)

    databases = tuple(
        NamedCount(name, n)
        for name, n in sorted(per_database.items(), key=lambda item: protocol_order(item[0]))
    )
    registers = tuple(NamedCount(name, n) for name, n in per_register.items())
    database_records = sum(entry.n for entry in databases)
    register_records = sum(entry.n for entry in registers)
    other_records = sum(others.values())
    sought = sum(states[state] for state in _PAST_TITLE_ABSTRACT)
    not_retrieved = states[RecordState.NOT_RETRIEVED]
    reasons = view.exclusion_reasons(Stage.FULL_TEXT)
    # Reasons in the protocol's order (then any other), as reviewers will read them in the report.
    protocol_reasons = workspace.project.protocol.screening.exclusion_reasons
    ordered_reasons = sorted(
        reasons.items(),
        key=lambda item: (
            protocol_reasons.index(item[0]) if item[0] in protocol_reasons else len(protocol_reasons)
        ),
    )
    warnings = _warnings(states)
    studies, _ = included_totals(list_studies(workspace, included_only=True))
    # open at full text: sought and not marked not retrieved, or assessed, without a final decision
    reports_awaiting = states[RecordState.SOUGHT] + states[RecordState.FULL_TEXT]
    computed = PrismaCounts(
        database_records=database_records,
        databases=databases,
        register_records=register_records,
        registers=registers,
        duplicates_removed=duplicates,
        other_sources=tuple(NamedCount(name, n) for name, n in others.items()),
        other_records_screened=other_records,
        records_screened=database_records + register_records + other_records - duplicates,
        records_excluded=states[RecordState.EXCLUDED_TITLE_ABSTRACT],
        records_awaiting=states[RecordState.TITLE_ABSTRACT],
        reports_sought=sought,
        reports_not_retrieved=not_retrieved,
        reports_assessed=sought - not_retrieved,
        reports_excluded=tuple(NamedCount(reason, n) for reason, n in ordered_reasons),
        reports_awaiting=reports_awaiting,
        # only records included at full text make studies: one still open awaits its decision
        studies_included=studies,
        reports_included=sought - not_retrieved - sum(reasons.values()) - reports_awaiting,
    )
    manual = load_manual_counts(workspace.project.root / MANUAL_FILE_NAME)
    return PrismaResult(apply_manual_counts(computed, manual) if manual else computed, warnings)


def _warnings(states: dict[RecordState, int]) -> list[str]:
    warnings = []
    if states.get(RecordState.TITLE_ABSTRACT):
        warnings.append(
            f"{_records(states[RecordState.TITLE_ABSTRACT])} no final title/abstract decision yet; "
            f"{_they(states[RecordState.TITLE_ABSTRACT])} as screened and awaiting a decision, "
            "not as excluded"
        )
    open_full_text = states.get(RecordState.SOUGHT, 0) + states.get(RecordState.FULL_TEXT, 0)
    if open_full_text:
        warnings.append(
            f"{_records(open_full_text)} no final full-text decision yet; "
            f"{_they(open_full_text)} as {'a report' if open_full_text == 1 else 'reports'} awaiting a "
            "decision, neither excluded nor included"
        )
    return warnings


def _records(n: int) -> str:
    return "1 record has" if n == 1 else f"{n:,} records have"


def _they(n: int) -> str:
    return "it counts" if n == 1 else "they count"


def prisma_format(path: Path) -> str:
    """The format the output file's name asks for: ``csv`` for the PRISMA2020 package's CSV, else
    the diagram's (``svg``, ``png``, ``pdf``)."""
    from synthesist.reporting.prisma_output import diagram_format_for

    return "csv" if path.suffix.lower() == ".csv" else diagram_format_for(path).value


def prisma_document(workspace: Workspace, format_name: str) -> tuple[bytes, PrismaResult]:
    """The diagram (``svg``, ``png``, ``pdf``) or the PRISMA2020 package's CSV (``csv``) as a file's
    content, with the counts it shows; the caller decides where it goes."""
    result = prisma_counts(workspace)
    return _document(result.counts, format_name), result


def prisma_document_from_csv(source: Path, format_name: str) -> bytes:
    """The diagram (or the CSV again) drawn from a PRISMA2020 package/Shiny app CSV: no project needed."""
    from synthesist.reporting.prisma_csv import read_prisma_csv

    return _document(read_prisma_csv(source), format_name)


def _document(counts: PrismaCounts, format_name: str) -> bytes:
    # the renderers are imported when asked for: `status` reads the counts and should start quickly
    from synthesist.reporting.prisma_csv import prisma_csv_text
    from synthesist.reporting.prisma_output import render_prisma

    if format_name == "csv":
        return prisma_csv_text(counts).encode("utf-8")
    return render_prisma(counts, format_name)
