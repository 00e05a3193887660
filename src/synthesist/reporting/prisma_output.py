"""The PRISMA flow diagram as a file: SVG as drawn, PNG and PDF converted from that SVG.

The conversion uses CairoSVG, a Python package on the system's cairo library (Debian's ``libcairo2``),
because it renders exactly the SVG we wrote (boxes, markers, rotated text) without a browser or an
external program, and picks up the same DejaVu Sans the text was measured for (``fonts-dejavu-core``).
It is imported only when PNG or PDF is asked for: it loads libcairo2 at import, which SVG output and
the rest of Synthesist do not need, and a missing library becomes a message instead of a crash.
"""

from __future__ import annotations

import importlib
from enum import StrEnum
from pathlib import Path
from typing import Any

from synthesist.errors import ConverterUnavailable, UserError
from synthesist.reporting.prisma import PrismaCounts
from synthesist.reporting.prisma_svg import render_prisma_svg

__all__ = ["DiagramFormat", "convert_svg", "diagram_format_for", "render_prisma"]

PNG_SCALE = 2  # twice the SVG's pixel size: sharp on screens and in documents


class DiagramFormat(StrEnum):
    SVG = "svg"
    PNG = "png"
    PDF = "pdf"


def render_prisma(counts: PrismaCounts, diagram_format: DiagramFormat | str = DiagramFormat.SVG) -> bytes:
    """The diagram as the bytes of an SVG, PNG or PDF file."""
    return convert_svg(render_prisma_svg(counts).encode("utf-8"), diagram_format)


def convert_svg(svg: bytes, diagram_format: DiagramFormat | str) -> bytes:
    """An SVG document as SVG (unchanged), PNG or PDF: every figure Synthesist draws goes through here."""
    kind = DiagramFormat(diagram_format)
    if kind is DiagramFormat.SVG:
        return svg
    converter = _cairosvg()
    if kind is DiagramFormat.PNG:
        return bytes(converter.svg2png(bytestring=svg, scale=PNG_SCALE))
    return bytes(converter.svg2pdf(bytestring=svg))


def diagram_format_for(path: Path, what: str = "diagram") -> DiagramFormat:
    """The format the file name's suffix names (``what``: the word the refusal uses for the file)."""
    try:
        return DiagramFormat(path.suffix.lower().lstrip("."))
    except ValueError:
        known = ", ".join(f".{kind.value}" for kind in DiagramFormat)
        raise UserError(
            f"{path.name}: cannot tell the {what} format from the file name",
            hint=f"End the file name with one of {known}.",
        ) from None


def _cairosvg() -> Any:
    try:
        return importlib.import_module("cairosvg")
    except (ImportError, OSError) as exc:  # OSError: cairocffi found no libcairo
        raise ConverterUnavailable(
            f"PNG and PDF output need CairoSVG and the cairo library ({exc})",
            hint="Install them (pip install cairosvg; apt-get install libcairo2), or write an .svg file.",
        ) from exc
