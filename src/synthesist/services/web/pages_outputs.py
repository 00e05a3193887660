"""Read model of the outputs page: the PRISMA 2020 diagram and its numbers as a table, from one
reading of the counts (:func:`prisma_counts`), so the drawing and the table cannot disagree.

The table lists the boxes in the order :class:`~synthesist.reporting.prisma.PrismaCounts` declares
them (the diagram's order) with the diagram's own words (:func:`box_label`); nothing here restates
the PRISMA flow.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from synthesist.reporting.prisma import NAMED_FIELDS, NamedCount, PrismaCounts, box_label
from synthesist.reporting.prisma_svg import render_prisma_svg
from synthesist.services.reporting.prisma import prisma_counts
from synthesist.workspace import Workspace

__all__ = ["OutputsPage", "PrismaRow", "outputs_page", "prisma_rows"]

# The boxes every diagram has, listed even at zero; the others are listed only when not zero.
_ALWAYS_LISTED = frozenset(
    {
        "database_records",
        "duplicates_removed",
        "records_screened",
        "records_excluded",
        "reports_sought",
        "reports_not_retrieved",
        "reports_assessed",
        "reports_excluded",
        "studies_included",
        "reports_included",
    }
)
# Named lists shown under the total of the box before them, not as rows of their own.
_LISTED_UNDER_TOTAL = frozenset({"databases", "registers"})


@dataclass(frozen=True)
class PrismaRow:
    """One box of the diagram as a row: its label, its number, a line per named entry."""

    label: str
    n: int
    entries: tuple[tuple[str, int], ...] = ()
    manual: bool = False  # given by hand in prisma.toml


@dataclass(frozen=True)
class OutputsPage:
    svg: str  # the diagram, as render_prisma_svg draws it (every text in it escaped)
    rows: tuple[PrismaRow, ...]
    warnings: tuple[str, ...]  # why the diagram may not be final yet
    interim: str  # what still awaits a decision, in words ("" when the diagram is final)


def outputs_page(workspace: Workspace) -> OutputsPage:
    result = prisma_counts(workspace)
    counts = result.counts
    return OutputsPage(
        render_prisma_svg(counts),
        prisma_rows(counts),
        tuple(result.warnings),
        counts.awaiting_words() if counts.interim else "",
    )


def prisma_rows(counts: PrismaCounts) -> tuple[PrismaRow, ...]:
    """The diagram's boxes as rows of a table."""
    rows: list[PrismaRow] = []
    for box in fields(PrismaCounts):
        name = box.name
        if name == "manual":
            continue
        value = getattr(counts, name)
        if name in NAMED_FIELDS:
            entries: tuple[NamedCount, ...] = value
            if name in _LISTED_UNDER_TOTAL or not entries:
                if entries and rows:
                    last = rows[-1]
                    rows[-1] = PrismaRow(
                        last.label, last.n, tuple((e.name, e.n) for e in entries), last.manual
                    )
                continue
            rows.append(
                PrismaRow(
                    box_label(name),
                    sum(entry.n for entry in entries),
                    tuple((e.name or "no reason given", e.n) for e in entries),
                    counts.is_manual(name),
                )
            )
        elif value or name in _ALWAYS_LISTED:
            rows.append(PrismaRow(box_label(name), value, (), counts.is_manual(name)))
    return tuple(rows)
