"""Importing appraisal answers from a CSV file (e.g. a sheet the team filled in), all or nothing.

Columns: ``study`` (label, record id or S + study id), ``question`` (id, e.g. ``3`` or ``Q3``),
``answer`` (id, label, abbreviation or key: ``cant_tell``, ``Can't tell``, ``CT``, ``c``), and
optionally ``comment``, ``quote``, ``page`` and ``reviewer`` (default: the person importing). The
whole file is one transaction: the first bad line stops the import with ``file:line: what is
wrong``, naming the study and the question, and nothing is written.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from synthesist.errors import ImportFileError, InvalidRecordError, UserError
from synthesist.services.appraisal.answers import AnswerResult, answer_in
from synthesist.services.appraisal.setup import appraisal_setup
from synthesist.services.fulltext.reports import list_studies
from synthesist.services.fulltext.study_refs import resolve_study
from synthesist.workspace import Workspace

__all__ = ["IMPORT_COLUMNS", "ImportResult", "import_answers"]

IMPORT_COLUMNS = ("study", "question", "answer", "comment", "quote", "page", "reviewer")
_REQUIRED = ("study", "question", "answer")


@dataclass(frozen=True)
class ImportResult:
    file_name: str
    answers: list[AnswerResult] = field(default_factory=list)

    @property
    def studies(self) -> list[str]:
        return list(dict.fromkeys(result.study for result in self.answers))


@dataclass(frozen=True)
class _Row:
    line: int
    values: dict[str, str]


def import_answers(workspace: Workspace, path: Path, *, reviewer: str) -> ImportResult:
    """Import answers from a CSV file (columns: study, question, answer, and optionally comment, quote,
    page, reviewer; ``reviewer`` defaults to the one given). All or nothing: the first bad line stops
    the import with ``file:line: what is wrong`` and nothing is written."""
    rows = _read_rows(path)
    setup = appraisal_setup(workspace)
    views = list_studies(workspace, included_only=True)
    result = ImportResult(path.name)
    seen: dict[tuple[str, str, str], int] = {}
    with workspace.unit_of_work() as uow:
        for row in rows:
            values = row.values
            who = values.get("reviewer") or reviewer
            try:
                view = resolve_study(views, values["study"])
                page = _page(values.get("page", ""))
                question = setup.checklist.question(values["question"]).id
                key = (view.study.label, question, who)
                if key in seen:
                    raise UserError(
                        f"study {view.study.label!r}, question {question} is answered twice for {who} "
                        f"(also on line {seen[key]})"
                    )
                seen[key] = row.line
                answered = answer_in(
                    uow,
                    workspace,
                    setup,
                    view,
                    values["question"],
                    values["answer"],
                    reviewer=who,
                    comment=values.get("comment"),
                    quote=values.get("quote"),
                    page=page,
                    imported_from=path.name,
                )
            except UserError as error:
                raise InvalidRecordError(path.name, row.line, error.message, hint=error.hint) from None
            result.answers.append(answered)
        uow.commit()
    return result


def _page(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise UserError(f"page {text!r} is not a page number (1, 2, ...)")
    return int(text)


def _read_rows(path: Path) -> list[_Row]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ImportFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ImportFileError(f"{path.name} is not UTF-8 text", hint="Save the sheet as CSV UTF-8.") from None
    reader = csv.reader(text.splitlines(keepends=True))
    header = [name.strip().lower() for name in next(reader, [])]
    if not any(header):
        raise ImportFileError(
            f"{path.name} is empty", hint=f"Its first line names the columns: {', '.join(IMPORT_COLUMNS)}."
        )
    unknown = [name for name in header if name not in IMPORT_COLUMNS]
    missing = [name for name in _REQUIRED if name not in header]
    if unknown or missing:
        problem = f"unknown column {unknown[0]!r}" if unknown else f"no {missing[0]!r} column"
        raise InvalidRecordError(
            path.name,
            1,
            problem,
            hint=f"Columns: {', '.join(IMPORT_COLUMNS)} (the first three are required).",
        )
    rows: list[_Row] = []
    line = reader.line_num + 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}
            for name in _REQUIRED:
                if not values[name]:
                    raise InvalidRecordError(path.name, line, f"the {name} is empty")
            rows.append(_Row(line, values))
        line = reader.line_num + 1
    if not rows:
        raise ImportFileError(f"{path.name} has a header but no answers")
    return rows
