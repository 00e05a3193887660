"""The outputs of data extraction: the table of characteristics of included studies, and the CSV
of included studies with their records and extracted values (which ``extract import`` reads back).

Both show the value of each field that counts (see :mod:`synthesist.extraction.status`): in dual
extraction only what both reviewers agreed on or the consensus, so nothing blind leaks out. A study
whose extraction is not final yet is still listed, and named in the notes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from synthesist.errors import ProtocolError, UnknownPlugin, UserError
from synthesist.exporting.safe_csv import safe_writer
from synthesist.extraction.values import display_value, export_text
from synthesist.reporting.characteristics import TABLE_FORMATS, CharacteristicsTable, write_table
from synthesist.services.appraisal.views import appraisal_overview
from synthesist.services.extraction.values import IncludedStudy, extraction_form, included_extractions
from synthesist.wording import plural
from synthesist.workspace import Workspace

__all__ = [
    "INCLUDED_STUDY_COLUMNS",
    "TableOutput",
    "characteristics_table",
    "characteristics_table_bytes",
    "characteristics_table_output",
    "export_included_studies",
    "included_study_rows",
    "table_format_for",
]

# The columns before the fields' own in the CSV of included studies.
INCLUDED_STUDY_COLUMNS = ("study_id", "study", "records", "appraisal_rating")


def _not_final_note(studies: Sequence[IncludedStudy]) -> list[str]:
    pending = [
        f"{study.label} ({study.extraction.status.value})" for study in studies if not study.extraction.final
    ]
    if not pending:
        return []
    of_studies = plural(len(studies), "study", "studies")
    return [f"Extraction not final for {len(pending)} of {of_studies}: {'; '.join(pending)}."]


def characteristics_table(workspace: Workspace) -> CharacteristicsTable:
    """One row per included study (in record order), one column per field of the form."""
    form = extraction_form(workspace).form
    studies = included_extractions(workspace)
    rows = [
        [study.label] + [display_value(field, study.extraction.final_value(field.name)) for field in form]
        for study in studies
    ]
    return CharacteristicsTable(
        title="Characteristics of the included studies",
        columns=["Study", *(field.display_label for field in form)],
        rows=rows,
        notes=_not_final_note(studies),
    )


def table_format_for(path: Path | None, chosen: str | None) -> str:
    """The format asked for, else the one the file name's extension says, else Markdown."""
    if chosen is not None:
        name = chosen.lower().lstrip(".")
        name = {"markdown": "md", "htm": "html"}.get(name, name)
        if name not in TABLE_FORMATS:
            raise UnknownPlugin(
                f"unknown table format {chosen!r}", hint=f"Available: {', '.join(TABLE_FORMATS)}."
            )
        return name
    if path is None:
        return "md"
    suffix = path.suffix.lower().lstrip(".")
    suffix = {"markdown": "md", "htm": "html"}.get(suffix, suffix)
    if suffix not in TABLE_FORMATS:
        raise UnknownPlugin(
            f"cannot tell the table format from {path.name!r}",
            hint=f"Pass --format ({', '.join(TABLE_FORMATS)}) or name the file .csv, .md, .html or .docx.",
        )
    return suffix


@dataclass(frozen=True)
class TableOutput:
    """The table (its rows and notes, for what the caller says about it) and its file's content."""

    table: CharacteristicsTable
    content: bytes


def characteristics_table_output(workspace: Workspace, format_name: str) -> TableOutput:
    """The table of characteristics and its content in ``csv``, ``md``, ``html`` or ``docx``."""
    table = characteristics_table(workspace)
    buffer = io.BytesIO()
    write_table(table, format_name, buffer)
    return TableOutput(table, buffer.getvalue())


def characteristics_table_bytes(workspace: Workspace, format_name: str) -> bytes:
    """The table of characteristics as a file's content (``csv``, ``md``, ``html`` or ``docx``)."""
    return characteristics_table_output(workspace, format_name).content


def included_study_rows(workspace: Workspace) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the CSV of included studies: study id, label, records, then each
    field's value as CSV files carry it."""
    form = extraction_form(workspace).form
    header = [*INCLUDED_STUDY_COLUMNS, *(field.name for field in form)]
    ratings = _appraisal_ratings(workspace)
    rows = []
    for study in included_extractions(workspace):
        values = [study.extraction.final_value(field.name) for field in form]
        records = "; ".join(str(record_id) for record_id in study.view.study.record_ids)
        rows.append(
            [
                study.ref,
                study.label,
                records,
                ratings.get(study.view.study.id, "") if study.view.study.id is not None else "",
                *(
                    export_text(field, value) if value is not None else ""
                    for field, value in zip(form, values, strict=True)
                ),
            ]
        )
    return header, rows


def _appraisal_ratings(workspace: Workspace) -> dict[int, str]:
    """Each appraised study's overall rating; empty when the protocol names no checklist or its
    rating rules have problems (``appraise rules --check`` says which), or a study is not rated yet."""
    try:
        overview = appraisal_overview(workspace)
    except ProtocolError:
        return {}
    return {
        study.study_id: study.rating.rating
        for study in overview.studies
        if study.study_id is not None and study.rating is not None
    }


def export_included_studies(workspace: Workspace, handle: TextIO) -> int:
    """Write the CSV of included studies; returns how many studies it lists."""
    header, rows = included_study_rows(workspace)
    if not rows:
        raise UserError(
            "there is no included study to export",
            hint="A study is included at full text: synthesist screen decide ID include --stage full-text",
        )
    writer = safe_writer(handle, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return len(rows)
