"""What the review produces, in the browser: the live theme × study matrix, the PRISMA 2020 flow
diagram with its numbers, and downloads of both and of the whole report.

Everything is computed from the data when asked for (nothing is cached), so a page or file is
always current. The PRISMA numbers and the report count *final* screening outcomes only; the
report's methods read the event log through ``read_log``, which hides votes still blind to the
person asking, so no download reveals a colleague's blind vote. Viewers may read and download.
Reviewers may also build the report as a background job (``report.build``, started by the jobs
page's route): a large review's report then does not hold a request, and the job's page offers the
files to the person who asked. The direct downloads stay, for a small review and for viewers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from synthesist.errors import NotFound
from synthesist.review.jobs import JobView
from synthesist.services.jobs import list_jobs
from synthesist.services.reporting.prisma import prisma_document
from synthesist.services.reporting.report import REPORT_FORMATS, report_document
from synthesist.services.synthesis.outputs import parse_theme_level, synthesis_matrix_document
from synthesist.services.web.coding import counted_matrix
from synthesist.services.web.pages_outputs import outputs_page as outputs_page_view
from synthesist.synthesis.matrix import MATRIX_FORMATS
from synthesist.synthesis.model import ThemeLevel
from synthesist.web.auth import Access, Member
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
    content = synthesis_matrix_document(access.workspace, fmt, chosen)
    return _download(content, fmt, f"{access.workspace.project.key}-matrix-{chosen.value}.{fmt}")


# -- PRISMA and the report -----------------------------------------------------------------------


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
    shown = outputs_page_view(access.workspace)
    return page(
        request,
        access,
        "outputs.html",
        svg=_inline_svg(shown.svg),
        rows=shown.rows,
        warnings=shown.warnings,
        interim=shown.interim,
        prisma_formats=PRISMA_FORMATS,
        report_formats=REPORT_FORMATS,
        matrix_formats=MATRIX_FORMATS,
        last_report=_last_report(access),
    )


def _last_report(access: Access) -> JobView | None:
    """The newest report job the person asked for (a report shows what its requester may see)."""
    if not access.role.can_screen():
        return None
    jobs = list_jobs(access.workspace, limit=200)
    return next((j for j in jobs if j.kind == "report.build" and j.requested_by == access.user), None)


@router.get("/prisma.{fmt}")
def prisma_download(access: Member, fmt: str) -> Response:
    if fmt not in PRISMA_FORMATS:
        raise NotFound(f"the PRISMA diagram comes as {', '.join(PRISMA_FORMATS)}, not {fmt!r}")
    content, _ = prisma_document(access.workspace, fmt)
    return _download(content, fmt, f"{access.workspace.project.key}-prisma.{fmt}")


@router.get("/report.{fmt}")
def report_download(access: Member, fmt: str) -> Response:
    if fmt not in REPORT_FORMATS:
        raise NotFound(f"the report comes as {', '.join(REPORT_FORMATS)}, not {fmt!r}")
    # built as the person asking: the methods' counts of decisions leave out votes still blind to them
    content = report_document(access.workspace, fmt)
    return _download(content, fmt, f"{access.workspace.project.key}-report.{fmt}")
