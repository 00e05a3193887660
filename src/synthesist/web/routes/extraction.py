"""Data extraction in the browser: the included studies and where each one's extraction stands, the
protocol's form for one study, checking (single-verified), consensus on discrepancies (dual) and
the table of characteristics with its downloads.

Blinding follows from the services' views: the form shows ``study_form``'s entries (in dual
extraction only the reviewer's own values), and the two reviewers' values appear only as
``discrepancies()``, which is empty until both extractions are complete. No route reads
another reviewer's values in any other way.
"""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from synthesist.errors import NotFound, UserError
from synthesist.extraction.model import Role
from synthesist.extraction.status import ExtractionStatus
from synthesist.extraction.values import display_value
from synthesist.records.stored import StoredRecord
from synthesist.reporting.characteristics import TABLE_FORMATS, write_table
from synthesist.review.extraction_settings import ExtractionField
from synthesist.services.extraction.review import flag_field, resolve, verify_study
from synthesist.services.extraction.table import characteristics_table
from synthesist.services.extraction.values import FieldEntry, StudyForm, extraction_status, study_form
from synthesist.services.records.reading import get_record
from synthesist.services.web.forms import (
    CheckedExtraction,
    check_extraction,
    count_parts,
    extraction_refusal,
    save_extraction,
    selected_choices,
)
from synthesist.web.auth import Access, Member, Owner, Reviewer
from synthesist.web.routes.projects import page

__all__ = ["router"]

router = APIRouter(prefix="/p/{key}")

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

Inputs = dict[str, str | list[str]]

# what the page says after a POST redirected back to it (the ?done= of the redirect)
DONE = {
    "saved": "Your values are saved.",
    "completed": "Your values are saved and your extraction is marked complete.",
    "checked": "Your check is recorded.",
    "flagged": "The field is flagged; the extractor resolves the flag.",
    "resolved": "Resolved.",
}


async def _posted(request: Request) -> FormData:
    """The submitted form (already read by the CSRF check, so this costs nothing)."""
    return await request.form()


Posted = Annotated[FormData, Depends(_posted)]


def _input_name(item: ExtractionField) -> str:
    return f"v.{item.name}"


def _inputs_from_entries(entries: list[FieldEntry]) -> Inputs:
    """What each control of the form shows for the stored values."""
    inputs: Inputs = {}
    for entry in entries:
        name = _input_name(entry.field)
        if entry.field.type == "multi_choice":
            inputs[name] = selected_choices(entry.value)
        elif entry.field.type == "participant_counts":
            counts = count_parts(entry.value)
            for index, group in enumerate(entry.field.groups):
                inputs[f"{name}.g{index}"] = counts.get(group, "")
            inputs[f"{name}.total"] = counts.get("total", "")
        else:
            inputs[name] = entry.value or ""
    return inputs


def _inputs_from_form(fields: tuple[ExtractionField, ...], data: FormData) -> tuple[Inputs, dict[str, str]]:
    """The controls as submitted (to show back) and each field's text as the services parse it."""
    inputs: Inputs = {}
    texts: dict[str, str] = {}
    shown = set(data.getlist("shown"))  # a field the page did not show (a stale page) stays as it is
    for item in fields:
        name = _input_name(item)
        if item.name not in shown:
            continue
        if item.type == "multi_choice":
            picked = [value for value in data.getlist(name) if isinstance(value, str)]
            inputs[name] = picked
            texts[item.name] = "; ".join(picked)
        elif item.type == "participant_counts":
            parts = []
            for index, group in enumerate(item.groups):
                typed = str(data.get(f"{name}.g{index}", "")).strip()
                inputs[f"{name}.g{index}"] = typed
                if typed:
                    parts.append(f"{group}={typed}")
            total = str(data.get(f"{name}.total", "")).strip()
            inputs[f"{name}.total"] = total
            if total:
                parts.append(f"total={total}")
            texts[item.name] = ", ".join(parts)
        else:
            typed = str(data.get(name, ""))
            inputs[name] = typed
            texts[item.name] = typed
    return inputs, texts


def _records(form: StudyForm, access: Access) -> list[StoredRecord]:
    return [get_record(access.workspace, record_id) for record_id in form.study.view.study.record_ids]


def _study_page(
    request: Request,
    access: Access,
    form: StudyForm,
    *,
    inputs: Inputs | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    study, user = form.study, access.user
    extraction = study.extraction
    refusal = extraction_refusal(study, user) if access.role.can_screen() else None
    checkable = (
        extraction.mode == "single-verified"
        and access.role.can_screen()
        and user not in extraction.extractors
        and user not in extraction.completed_by(Role.VERIFIER)
        and extraction.status in (ExtractionStatus.COMPLETE, ExtractionStatus.FLAGGED)
    )
    response = page(
        request,
        access,
        "extraction_study.html",
        form=form,
        study=study,
        mode=extraction.mode,
        status=extraction.status,
        entries=form.entries,
        inputs=inputs if inputs is not None else _inputs_from_entries(form.entries),
        errors=errors or {},
        records=_records(form, access),
        editable=access.role.can_screen() and refusal is None,
        refusal=refusal,
        completed_by_me=user in extraction.completed_by(Role.EXTRACTOR),
        checkable=checkable,
        open_flags=extraction.open_flags,
        fields={item.name: item for item in extraction.form},
        # empty until both extractions are complete: the only place the other's values appear
        discrepancies=extraction.discrepancies(),
        consensus=extraction.consensus,
        compared=extraction.compared,
        can_resolve=access.role.can_resolve(),
        display_value=display_value,
        done=DONE.get(request.query_params.get("done", ""), ""),
    )
    response.status_code = status_code
    return response


@router.get("/extraction", response_class=HTMLResponse)
def extraction_overview(request: Request, access: Member) -> Response:
    progress = extraction_status(access.workspace)  # counts and names, never another's values
    settings = access.workspace.project.protocol.extraction
    return page(
        request,
        access,
        "extraction.html",
        progress=progress,
        mode=settings.mode,
        fields=settings.form,
        formats=TABLE_FORMATS,
    )


# the table's routes come before /extraction/{study_id}, which would otherwise take "table"
@router.get("/extraction/table", response_class=HTMLResponse)
def extraction_table_page(request: Request, access: Member) -> Response:
    return page(
        request,
        access,
        "extraction_table.html",
        table=characteristics_table(access.workspace),
        formats=TABLE_FORMATS,
    )


@router.get("/extraction/table.{fmt}")
def extraction_table_download(access: Member, fmt: str) -> Response:
    if fmt not in TABLE_FORMATS:
        raise NotFound(f"there is no table as .{fmt}", hint=f"Download it as {', '.join(TABLE_FORMATS)}.")
    buffer = io.BytesIO()
    write_table(characteristics_table(access.workspace), fmt, buffer)
    name = f"{access.workspace.project.key}-characteristics.{fmt}"
    return Response(
        buffer.getvalue(),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/extraction/{study_id}", response_class=HTMLResponse)
def extraction_study(request: Request, access: Member, study_id: str) -> Response:
    return _study_page(request, access, study_form(access.workspace, study_id))


@router.post("/extraction/{study_id}")
def extraction_save(
    request: Request,
    access: Reviewer,
    study_id: str,
    data: Posted,
    action: Annotated[str, Form()] = "save",
) -> Response:
    """``action``: ``save`` keeps the values (required fields may still be empty); ``complete``
    saves them and marks the reviewer's extraction complete. The whole form is checked first: a
    mistake anywhere shows the form again with the values as typed, and nothing is written."""
    form = study_form(access.workspace, study_id)
    inputs, texts = _inputs_from_form(form.study.extraction.form, data)
    checked: CheckedExtraction = check_extraction(
        form.study.extraction.form, texts, completing=action == "complete"
    )
    if not checked.ok:
        return _study_page(request, access, form, inputs=inputs, errors=checked.errors, status_code=422)
    save_extraction(access.workspace, form.study.ref, checked, form.entries, complete=action == "complete")
    saved = "completed" if action == "complete" else "saved"
    return RedirectResponse(_study_url(access, form.study.ref, saved), status_code=303)


def _study_url(access: Access, ref: str, done: str = "") -> str:
    url = f"/p/{access.workspace.project.key}/extraction/{ref}"
    return f"{url}?done={done}" if done else url


@router.post("/extraction/{study_id}/check")
def extraction_check(
    access: Reviewer,
    study_id: str,
    action: Annotated[str, Form()],
    field: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    suggest: Annotated[str, Form()] = "",
) -> Response:
    """Single-verified: ``verify`` records the check; ``flag`` queries one field with a note."""
    form = study_form(access.workspace, study_id)
    ref = form.study.ref
    if action == "verify":
        verify_study(access.workspace, ref)
    elif action == "flag":
        flag_field(access.workspace, ref, field, note, suggest=suggest or None)
    else:
        raise UserError(f"{action!r} is not a check", hint="verify or flag")
    return RedirectResponse(
        _study_url(access, ref, "checked" if action == "verify" else "flagged"), status_code=303
    )


@router.post("/extraction/{study_id}/flags")
def extraction_resolve_flag(
    access: Reviewer,
    study_id: str,
    field: Annotated[str, Form()],
    how: Annotated[str, Form()],
    value: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    """The extractor answers a verifier's flag: ``correct`` (the typed value), ``take`` (the
    suggested value) or ``keep`` (the value stands; the note says why)."""
    form = study_form(access.workspace, study_id)
    ref = form.study.ref
    flag = next((f for f in form.study.extraction.open_flags if f.field == field), None)
    if flag is None:
        raise NotFound(f"no open flag on {field!r} of study {form.study.label!r}")
    if how == "correct":
        resolve(access.workspace, ref, field, value, note=note)
    elif how == "take":
        resolve(access.workspace, ref, field, take=flag.flagged_by, note=note)
    elif how == "keep":
        resolve(access.workspace, ref, field, keep=True, note=note)
    else:
        raise UserError(f"{how!r} is not a way to resolve a flag", hint="correct, take or keep")
    return RedirectResponse(_study_url(access, ref, "resolved"), status_code=303)


@router.post("/extraction/{study_id}/consensus")
def extraction_consensus(
    access: Owner,
    study_id: str,
    field: Annotated[str, Form()],
    value: Annotated[str, Form()] = "",
    take: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    """Dual: an owner records the agreed value of a field the two extractions differ on (typed, or
    one reviewer's taken over)."""
    form = study_form(access.workspace, study_id)
    ref = form.study.ref
    if take:
        resolve(access.workspace, ref, field, take=take, note=note)
    else:
        resolve(access.workspace, ref, field, value, note=note)
    return RedirectResponse(_study_url(access, ref, "resolved"), status_code=303)
