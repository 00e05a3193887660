"""Appraisal outputs as files' content: the study × question table (Markdown, CSV, HTML, Word) and
the traffic-light and summary plots (SVG, PNG, PDF); and the checklists a project can use.

The format comes from the file name unless given (``table_format``, ``plot_format``); the caller
writes the bytes where it wants them.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from synthesist.appraisal.checklist import LoadedChecklist, load_checklists
from synthesist.errors import ProjectNotFound, UserError
from synthesist.reporting.appraisal_svg import render_summary_svg, render_traffic_light_svg
from synthesist.reporting.appraisal_table import TABLE_FORMATS, render_table
from synthesist.reporting.prisma_output import DiagramFormat, convert_svg, diagram_format_for
from synthesist.review.project import find_project
from synthesist.services.appraisal.views import appraisal_table
from synthesist.workspace import Workspace

__all__ = [
    "PlotKind",
    "available_checklists",
    "plot_format",
    "render_appraisal_plot",
    "render_appraisal_table",
    "table_format",
]


class PlotKind(StrEnum):
    TRAFFIC_LIGHT = "traffic-light"
    SUMMARY = "summary"


def table_format(path: Path | None, format_name: str | None) -> str:
    """The table format asked for, or the one the file name ends with (Markdown by default)."""
    chosen = format_name or (path.suffix.lower().lstrip(".") if path is not None else "md")
    chosen = {"markdown": "md", "htm": "html"}.get(chosen, chosen)
    if chosen not in TABLE_FORMATS:
        where = f"{path.name}: " if path is not None and format_name is None else ""
        raise UserError(
            f"{where}{chosen!r} is not a table format",
            hint=f"Use one of {', '.join(TABLE_FORMATS)} (--format, or the file's ending).",
        )
    return chosen


def render_appraisal_table(workspace: Workspace, format_name: str = "md") -> bytes:
    return render_table(appraisal_table(workspace), table_format(None, format_name))


def plot_format(path: Path) -> DiagramFormat:
    """The figure format the file name ends with."""
    return diagram_format_for(path, "figure")


def render_appraisal_plot(
    workspace: Workspace,
    kind: PlotKind = PlotKind.TRAFFIC_LIGHT,
    diagram_format: DiagramFormat = DiagramFormat.SVG,
) -> bytes:
    table = appraisal_table(workspace)
    svg = render_traffic_light_svg(table) if kind is PlotKind.TRAFFIC_LIGHT else render_summary_svg(table)
    return convert_svg(svg.encode("utf-8"), diagram_format)


def available_checklists(project_dir: Path | None = None) -> list[LoadedChecklist]:
    """The built-in checklists and, inside a project (or with ``project_dir``), the project's own."""
    try:
        project = find_project(project_dir)
    except ProjectNotFound:
        if project_dir is not None:
            raise
        return load_checklists()
    return load_checklists(project.root, project.protocol.appraisal.checklists)
