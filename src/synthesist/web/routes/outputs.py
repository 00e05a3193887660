"""What the review produces, in the browser: the live theme × study matrix, the PRISMA 2020 flow
diagram with its numbers, and downloads of both and of the whole report.

Everything is computed from the data when asked for (nothing is cached), so a page or file is
always current. The PRISMA numbers and the report count *final* screening outcomes only; the
report's methods read the event log through ``read_log``, which hides votes still blind to the
person asking, so no download reveals a colleague's blind vote. Viewers may read and download.
"""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from synthesist.errors import NotFound
from synthesist.reporting.prisma import NamedCount, PrismaCounts, box_label
from synthesist.reporting.prisma_csv import prisma_csv_text
from synthesist.reporting.prisma_output import DiagramFormat, render_prisma
from synthesist.reporting.prisma_svg import render_prisma_svg
from synthesist.services.reporting.prisma import prisma_counts
from synthesist.services.reporting.report import REPORT_FORMATS, build_report, render_report
from synthesist.services.synthesis.outputs import parse_theme_level, write_synthesis_matrix
from synthesist.services.web.coding import counted_matrix
from synthesist.synthesis.matrix import MATRIX_FORMATS
from synthesist.synthesis.model import ThemeLevel
from synthesist.web.auth import Member
from synthesist.web.render import render
from synthesist.web.routes.projects import page

__all__ = ["router"]

router = APIRouter(prefix="/p/{key}")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
}
PRISMA_FORMATS = ("svg", "png", "pdf", "csv")
REFRESH_SECONDS = 5  # how often the matrix page asks for a fresh table

# the boxes every diagram has, in the order of the flow; the others are listed only when not zero
_CORE_BOXES = (
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
)
_FLOW_ORDER = (
    "database_records",
    "databases",
    "register_records",
    "registers",
    "duplicates_removed",
    "automation_removed",
    "other_removed",
    "other_sources",
    "other_records_screened",
    "records_screened",
    "records_excluded",
    "records_awaiting",
    "reports_sought",
    "reports_not_retrieved",
    "reports_assessed",
    "reports_excluded",
    "reports_awaiting",
    "other_reports_sought",
    "other_reports_not_retrieved",
    "other_reports_assessed",
    "other_reports_excluded",
    "studies_included",
    "reports_included",
)


def _download(content: bytes, fmt: str, file_name: str) -> Response:
    return Response(
        content,
        media_type=CONTENT_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{file_name}"'},
    )


def _level(text: str) -> ThemeLevel:
    return parse_theme_level(text or ThemeLevel.ANALYTICAL.value)


# -- the theme × study matrix --------------------------------------------------------------------


@router.get("/matrix", response_class=HTMLResponse)
def matrix_page(request: Request, access: Member, level: Annotated[str, Query()] = "") -> Response:
    chosen = _level(level)
    return page(
        request,
        access,
        "matrix.html",
        matrix=counted_matrix(access.workspace, chosen),
        levels=list(ThemeLevel),
        formats=MATRIX_FORMATS,
        refresh=REFRESH_SECONDS,
    )


@router.get("/matrix/fragment", response_class=HTMLResponse)
def matrix_fragment(request: Request, access: Member, level: Annotated[str, Query()] = "") -> Response:
    """The table alone, for ``matrix.js`` to swap in when it changed."""
    matrix = counted_matrix(access.workspace, _level(level))
    response = render(request, "matrix_table.html", matrix=matrix, project=access.workspace.project)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/matrix.{fmt}")
def matrix_download(access: Member, fmt: str, level: Annotated[str, Query()] = "") -> Response:
    if fmt not in MATRIX_FORMATS:
        raise NotFound(f"the matrix comes as {', '.join(MATRIX_FORMATS)}, not {fmt!r}")
    chosen = _level(level)
    buffer = io.BytesIO()
    write_synthesis_matrix(access.workspace, buffer, fmt, chosen)
    return _download(buffer.getvalue(), fmt, f"{access.workspace.project.key}-matrix-{chosen.value}.{fmt}")


# -- PRISMA and the report -----------------------------------------------------------------------


def _count_rows(counts: PrismaCounts) -> list[dict[str, object]]:
    """The diagram's boxes as rows of a table: a label, its number, and a line per named entry."""
    rows: list[dict[str, object]] = []
    for name in _FLOW_ORDER:
        value = getattr(counts, name)
        if isinstance(value, tuple):
            entries: tuple[NamedCount, ...] = value
            if name in ("databases", "registers") or not entries:
                # listed under the total of their box
                if entries and rows:
                    rows[-1]["entries"] = [(e.name, e.n) for e in entries]
                continue
            total = sum(entry.n for entry in entries)
            rows.append(
                {
                    "label": box_label(name),
                    "n": total,
                    "entries": [(e.name or "no reason given", e.n) for e in entries],
                    "manual": counts.is_manual(name),
                }
            )
        elif value or name in _CORE_BOXES:
            rows.append(
                {"label": box_label(name), "n": value, "entries": [], "manual": counts.is_manual(name)}
            )
    return rows


def _inline_svg(svg: str) -> Markup:
    """The diagram for the page: without the XML declaration, labelled by its title for screen readers
    (the table below gives every number as text too)."""
    body = svg.split("?>", 1)[1].strip() if svg.startswith("<?xml") else svg
    body = body.replace("<svg ", '<svg role="img" aria-labelledby="prisma-svg-title" ', 1)
    body = body.replace("<title>", '<title id="prisma-svg-title">', 1)
    # render_prisma_svg escapes every text it places, so the drawing is safe to insert as it is
    return Markup(body)


@router.get("/outputs", response_class=HTMLResponse)
def outputs_page(request: Request, access: Member) -> Response:
    result = prisma_counts(access.workspace)
    return page(
        request,
        access,
        "outputs.html",
        svg=_inline_svg(render_prisma_svg(result.counts)),
        rows=_count_rows(result.counts),
        warnings=result.warnings,
        interim=result.counts.awaiting_words() if result.counts.interim else "",
        prisma_formats=PRISMA_FORMATS,
        report_formats=REPORT_FORMATS,
        matrix_formats=MATRIX_FORMATS,
    )


@router.get("/prisma.{fmt}")
def prisma_download(access: Member, fmt: str) -> Response:
    if fmt not in PRISMA_FORMATS:
        raise NotFound(f"the PRISMA diagram comes as {', '.join(PRISMA_FORMATS)}, not {fmt!r}")
    counts = prisma_counts(access.workspace).counts
    content = (
        prisma_csv_text(counts).encode("utf-8") if fmt == "csv" else render_prisma(counts, DiagramFormat(fmt))
    )
    return _download(content, fmt, f"{access.workspace.project.key}-prisma.{fmt}")


@router.get("/report.{fmt}")
def report_download(access: Member, fmt: str) -> Response:
    if fmt not in REPORT_FORMATS:
        raise NotFound(f"the report comes as {', '.join(REPORT_FORMATS)}, not {fmt!r}")
    # built as the person asking: the methods' counts of decisions leave out votes still blind to them
    report = build_report(access.workspace)
    return _download(render_report(report, fmt), fmt, f"{access.workspace.project.key}-report.{fmt}")
