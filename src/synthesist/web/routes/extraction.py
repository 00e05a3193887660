"""Data extraction in the browser: the included studies and where each one's extraction stands, the
protocol's form for one study, checking (single-verified), consensus on discrepancies (dual) and
the table of characteristics with its downloads.

Blinding follows from the services' views: the form shows ``study_form``'s entries (in dual
extraction only the reviewer's own values), and the two reviewers' values appear only as
``discrepancies()``, which is empty until both extractions are complete. No route reads
another reviewer's values in any other way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from synthesist.errors import NotFound, UserError
from synthesist.extraction.values import display_value
from synthesist.reporting.characteristics import TABLE_FORMATS
from synthesist.review.extraction_settings import ExtractionField
from synthesist.services.extraction.table import characteristics_table, characteristics_table_bytes
from synthesist.services.extraction.values import extraction_form, extraction_status
from synthesist.services.web.forms import CountsInput, FieldInput
from synthesist.services.web.pages_extraction import (
    ExtractionStudyPage,
    check_study,
    extraction_study_page,
    record_consensus,
    resolve_flag,
    save_study_form,
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

Controls = dict[str, str | list[str]]  # by control name: what each of the form's controls shows

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


def _controls(fields: tuple[ExtractionField, ...], inputs: Mapping[str, FieldInput]) -> Controls:
    """What each control of the form shows for the fields' inputs (by field name)."""
    controls: Controls = {}
    for item in fields:
        if item.name not in inputs:
            continue
        name, given = _input_name(item), inputs[item.name]
        if isinstance(given, CountsInput):
            for index, typed in enumerate(given.groups):
                controls[f"{name}.g{index}"] = typed
            controls[f"{name}.total"] = given.total
        elif isinstance(given, tuple):
            controls[name] = list(given)
        else:
            controls[name] = given
    return controls


def _inputs_from_form(fields: tuple[ExtractionField, ...], data: FormData) -> dict[str, FieldInput]:
    """Each field the page showed, as submitted (a field it did not show, on a stale page, stays
    as it is)."""
    inputs: dict[str, FieldInput] = {}
    shown = set(data.getlist("shown"))
    for item in fields:
        name = _input_name(item)
        if item.name not in shown:
            continue
        if item.type == "multi_choice":
            inputs[item.name] = tuple(value for value in data.getlist(name) if isinstance(value, str))
        elif item.type == "participant_counts":
            groups = tuple(str(data.get(f"{name}.g{index}", "")).strip() for index in range(len(item.groups)))
            inputs[item.name] = CountsInput(groups, str(data.get(f"{name}.total", "")).strip())
        else:
            inputs[item.name] = str(data.get(name, ""))
    return inputs


def _study_page(
    request: Request, access: Access, shown: ExtractionStudyPage, *, status_code: int = 200
) -> Response:
    form = shown.form
    extraction = form.study.extraction
    response = page(
        request,
        access,
        "extraction_study.html",
        form=form,
        study=form.study,
        mode=extraction.mode,
        status=extraction.status,
        entries=form.entries,
        inputs=_controls(extraction.form, shown.inputs),
        errors=shown.errors,
        records=shown.records,
        editable=shown.editable,
        refusal=shown.refusal,
        completed_by_me=shown.completed_by_me,
        checkable=shown.checkable,
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
    name = f"{access.workspace.project.key}-characteristics.{fmt}"
    return Response(
        characteristics_table_bytes(access.workspace, fmt),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/extraction/{study_id}", response_class=HTMLResponse)
def extraction_study(request: Request, access: Member, study_id: str) -> Response:
    return _study_page(
        request, access, extraction_study_page(access.workspace, study_id, access.reviewer, access.role)
    )


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
    fields = extraction_form(access.workspace).form
    complete = action == "complete"
    outcome = save_study_form(
        access.workspace,
        study_id,
        access.reviewer,
        access.role,
        _inputs_from_form(fields, data),
        complete=complete,
    )
    if outcome.refused is not None:
        return _study_page(request, access, outcome.refused, status_code=422)
    return RedirectResponse(
        _study_url(access, outcome.ref, "completed" if complete else "saved"), status_code=303
    )


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
    if action not in ("verify", "flag"):
        raise UserError(f"{action!r} is not a check", hint="verify or flag")
    ref = check_study(
        access.workspace, study_id, "verify" if action == "verify" else "flag",
        field_name=field, note=note, suggest=suggest or None,
    )  # fmt: skip
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
    ref = resolve_flag(access.workspace, study_id, field, how, value=value, note=note)
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
    ref = record_consensus(access.workspace, study_id, field, value=value, take=take, note=note)
    return RedirectResponse(_study_url(access, ref, "resolved"), status_code=303)
