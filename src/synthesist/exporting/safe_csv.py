"""The one CSV writer every CSV the project writes goes through: it neutralises formulas.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula (and a leading
tab or carriage return can hide one), so a title such as ``=HYPERLINK("http://…?x="&A1)`` in an
imported record, or a note a reviewer typed, would run on the machine of whoever opens the export.
OWASP's rule is applied: such a cell is written with a single quote in front, which a spreadsheet
shows as text and does not run.

A negative or signed number (``-1.5``, ``+2``, ``-3e-4``) also begins with ``-`` or ``+``; prefixing
it would turn a number into text in every sheet, so a cell that is a plain number and nothing else is
left as it is: a spreadsheet reads it as a number, never as a formula.

The prefix is also added to a value that already begins with quotes followed by a formula character
(``'=x`` is written ``''=x``), so :func:`restore_cell` undoes :func:`neutralise_cell` exactly and our
own exports re-import to the same values.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, Protocol

__all__ = ["FORMULA_PREFIXES", "SafeCsvWriter", "neutralise_cell", "restore_cell", "safe_writer"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


class _TextWriter(Protocol):
    def write(self, text: str, /) -> Any: ...


def _runs_as_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES) and _PLAIN_NUMBER.fullmatch(text) is None


def neutralise_cell(value: object) -> str:
    """``value`` as a CSV cell a spreadsheet will not run (``None`` is an empty cell)."""
    text = "" if value is None else str(value)
    return "'" + text if _runs_as_formula(text.lstrip("'")) else text


def restore_cell(cell: str) -> str:
    """The value :func:`neutralise_cell` was given, for re-importing our own exports."""
    if cell.startswith("'") and _runs_as_formula(cell[1:].lstrip("'")):
        return cell[1:]
    return cell


class SafeCsvWriter:
    """``csv.writer`` with every cell neutralised; same ``writerow``/``writerows`` as the module's."""

    def __init__(self, handle: _TextWriter, **format_options: Any) -> None:
        self._writer = csv.writer(handle, **format_options)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([neutralise_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_writer(handle: _TextWriter, **format_options: Any) -> SafeCsvWriter:
    """A formula-safe CSV writer on ``handle`` (options as for ``csv.writer``)."""
    return SafeCsvWriter(handle, **format_options)
