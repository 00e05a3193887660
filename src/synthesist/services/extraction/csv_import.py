"""Importing extracted values from a CSV file, all or nothing.

Two layouts are read, told apart by the header:

* **wide**: one row per study, a ``study`` column (its label, a record id, or S + its id; or a
  ``study_id`` column) and one column per field, headed by the field's name or label. The file
  ``synthesist extract export`` writes is one: its ``records`` and ``appraisal_rating`` columns
  are read past.
* **long**: one row per value, with the columns ``study``, ``field`` and ``value``.

An empty cell leaves the field as it is (so a sheet that covers some fields does not erase the
others). The values become the acting reviewer's, as if typed one by one, under the same rules of
the extraction mode. Every problem in the file is collected and reported with its line and column
before anything is written; then all values are written in one transaction with one event.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from synthesist.errors import ImportFileError, UserError
from synthesist.events import ExtractionImported
from synthesist.exporting.safe_csv import restore_cell
from synthesist.extraction.model import ValueSource
from synthesist.extraction.values import ValueProblem, parse_value
from synthesist.review.extraction_settings import ExtractionField, ExtractionSection
from synthesist.services.extraction.values import (
    check_reviewer,
    extraction_form,
    find_field,
    may_extract,
    stored_extraction,
    stored_id,
)
from synthesist.services.fulltext.reports import StudyView, list_studies
from synthesist.services.fulltext.study_refs import resolve_study
from synthesist.workspace import Workspace

__all__ = ["ExtractionImport", "import_values"]

_MAX_SHOWN = 20  # problems listed; a file with more is probably the wrong file
_STUDY_COLUMNS = ("study_id", "study")
_READ_PAST = frozenset({"records", "appraisal_rating"})


@dataclass(frozen=True)
class ExtractionImport:
    file_name: str
    layout: str
    studies: int
    values: int
    changed: int


@dataclass(frozen=True)
class _Cell:
    line: int
    column: int
    view: StudyView
    field: ExtractionField
    value: str


def import_values(workspace: Workspace, path: Path) -> ExtractionImport:
    """Read every value in ``path`` for the acting reviewer; refuse the whole file, listing each
    problem by line and column, if any value does not fit."""
    raw = _read(path)
    settings = extraction_form(workspace)
    reviewer = workspace.actor
    check_reviewer(settings, reviewer)
    views = list_studies(workspace, included_only=True)
    rows = _rows(raw, path.name)
    header = [cell.strip() for cell in rows[0][1]]
    problems: list[str] = []
    lowered = [name.casefold() for name in header]
    if {"study", "field", "value"} <= set(lowered):
        layout, cells = "long", _long(rows, lowered, settings, views, path.name, problems)
    else:
        layout, cells = "wide", _wide(rows, header, settings, views, path.name, problems)
    if problems:
        shown = problems[:_MAX_SHOWN]
        more = f"\n… and {len(problems) - _MAX_SHOWN} more" if len(problems) > _MAX_SHOWN else ""
        raise ImportFileError(
            f"{path.name}: nothing was imported; {len(problems)} problem(s):\n" + "\n".join(shown) + more,
            hint="Correct the file and import it again.",
        )
    if not cells:
        raise ImportFileError(f"{path.name}: there is no value to import (every cell is empty)")
    return _write(workspace, settings, path.name, hashlib.sha256(raw).hexdigest(), layout, cells)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"cannot read {path}: {exc.strerror or exc}") from None


def _rows(raw: bytes, name: str) -> list[tuple[int, list[str]]]:
    """``(line, cells)`` for each non-blank row: the header first."""
    try:
        text = raw.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte-order mark
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            f"{name}:{line}: not UTF-8 text", hint='Save the sheet as "CSV UTF-8 (comma delimited)".'
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)  # the one the header uses (Excel in Europe writes ;)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                # `extract export` quotes formula-like values; a spreadsheet never saves that quote
                rows.append((line, [restore_cell(cell) for cell in cells]))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(f"{name}:{reader.line_num}: not valid CSV: {exc}") from None
    if not rows:
        raise ImportFileError(f"{name}: the file is empty")
    if len(rows) == 1:
        raise ImportFileError(f"{name}: there is a header but no row of values")
    return rows


def _study(
    views: list[StudyView], reference: str, where: str, problems: list[str], seen: dict[int, int], line: int
) -> StudyView | None:
    try:
        view = resolve_study(views, reference)
    except UserError as error:
        problems.append(f"{where}: {error.message}")
        return None
    key = view.study.record_ids[0]
    if key in seen and seen[key] != line:
        problems.append(f"{where}: study {view.study.label!r} is also on line {seen[key]}")
        return None
    seen[key] = line
    return view


def _wide(
    rows: list[tuple[int, list[str]]],
    header: list[str],
    settings: ExtractionSection,
    views: list[StudyView],
    name: str,
    problems: list[str],
) -> list[_Cell]:
    lowered = [cell.casefold() for cell in header]
    study_columns = [lowered.index(c) for c in _STUDY_COLUMNS if c in lowered]
    if not study_columns:
        raise ImportFileError(
            f"{name}:1: no study column; the header needs a column 'study' (or 'study_id')",
            hint="Wide layout: study, then one column per field; long layout: study, field, value.",
        )
    fields: dict[int, ExtractionField] = {}
    for column, title in enumerate(header):
        if lowered[column] in _STUDY_COLUMNS or lowered[column] in _READ_PAST:
            continue
        try:
            fields[column] = find_field(settings, title)
        except UserError as error:
            problems.append(f"{name}:1: column {column + 1} ({title!r}): {error.message}")
    cells: list[_Cell] = []
    seen: dict[int, int] = {}
    for line, row in rows[1:]:
        if len(row) > len(header):
            problems.append(f"{name}:{line}: {len(row)} cells but the header has {len(header)} columns")
            continue
        # study_id (S3, as exported) when given, else the study's label or a record id
        column = next((at for at in study_columns if _cell(row, at).strip()), study_columns[-1])
        where = f"{name}:{line}: column {column + 1} ({header[column]})"
        view = _study(views, _cell(row, column), where, problems, seen, line)
        if view is None:
            continue
        for column, field in fields.items():
            text = row[column] if column < len(row) else ""
            if text.strip():
                cells.append(_Cell(line, column + 1, view, field, text))
    return _parsed(cells, name, problems)


def _long(
    rows: list[tuple[int, list[str]]],
    lowered: list[str],
    settings: ExtractionSection,
    views: list[StudyView],
    name: str,
    problems: list[str],
) -> list[_Cell]:
    study_at, field_at, value_at = (lowered.index(key) for key in ("study", "field", "value"))
    cells: list[_Cell] = []
    seen: dict[tuple[int, str], int] = {}
    for line, row in rows[1:]:
        if len(row) > len(lowered):
            problems.append(f"{name}:{line}: {len(row)} cells but the header has {len(lowered)} columns")
            continue
        view = _study(
            views, _cell(row, study_at), f"{name}:{line}: column {study_at + 1} (study)", problems, {}, line
        )
        try:
            field = find_field(settings, _cell(row, field_at))
        except UserError as error:
            problems.append(f"{name}:{line}: column {field_at + 1} (field): {error.message}")
            continue
        if view is None or not _cell(row, value_at).strip():
            continue
        key = (view.study.record_ids[0], field.name)
        if key in seen:
            problems.append(
                f"{name}:{line}: {field.name} of study {view.study.label!r} is also on line {seen[key]}"
            )
            continue
        seen[key] = line
        cells.append(_Cell(line, value_at + 1, view, field, _cell(row, value_at)))
    return _parsed(cells, name, problems)


def _cell(row: list[str], at: int) -> str:
    return row[at] if at < len(row) else ""  # a short row: the missing cells are empty


def _parsed(cells: list[_Cell], name: str, problems: list[str]) -> list[_Cell]:
    """The cells with their values in canonical form; a misfit becomes a problem with its place."""
    parsed = []
    for cell in cells:
        try:
            value = parse_value(cell.field, cell.value)
        except ValueProblem as problem:
            problems.append(
                f"{name}:{cell.line}: column {cell.column} ({cell.field.name}), study "
                f"{cell.view.study.label!r}: {problem}"
            )
            continue
        if value is not None:
            parsed.append(_Cell(cell.line, cell.column, cell.view, cell.field, value))
    return parsed


def _write(
    workspace: Workspace,
    settings: ExtractionSection,
    file_name: str,
    sha256: str,
    layout: str,
    cells: list[_Cell],
) -> ExtractionImport:
    reviewer = workspace.actor
    shared = settings.mode != "dual"
    by_study: dict[int, list[_Cell]] = {}
    for cell in cells:
        by_study.setdefault(cell.view.study.record_ids[0], []).append(cell)
    changed = 0
    logged = []
    refused: list[str] = []
    with workspace.unit_of_work() as uow:
        for group in by_study.values():
            study = stored_extraction(uow, workspace, settings, group[0].view)
            try:
                may_extract(study, reviewer)
            except UserError as error:
                refused.append(f"{file_name}:{group[0].line}: {error.message}")
                continue
            sid = stored_id(study)
            extraction = study.extraction
            rows = []
            for cell in group:
                before = (
                    extraction.own_value(reviewer, cell.field.name)
                    if not shared
                    else extraction.latest_value(cell.field.name)
                )
                changed += before != cell.value
                rows.append((sid, cell.field.name, reviewer, cell.value))
                logged.append(
                    {"study_id": sid, "study": study.label, "field": cell.field.name, "value": cell.value}
                )
            uow.extraction.set_values(rows, source=ValueSource.IMPORTED, shared=shared)
        if refused:  # the transaction is rolled back: nothing of the file is kept
            raise ImportFileError(
                f"{file_name}: nothing was imported; {reviewer} may not enter values here:\n"
                + "\n".join(refused)
            )
        event = ExtractionImported(file_name, sha256, reviewer, layout, len(by_study), logged)
        uow.events.append(event, reviewer)
        uow.commit()
    return ExtractionImport(file_name, layout, len(by_study), len(cells), changed)
