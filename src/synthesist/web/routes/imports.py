"""The import page: upload database exports as search batches, and the list of batches so far.

The files are saved, then imported by a background job (``records.import``): the form answers at
once with the job's page, whose progress bar follows the import. The import is all-or-nothing, as
on the command line: a malformed record (``file:line: what is wrong``), an unreadable file or a file
imported before stops the whole upload and nothing is written; the job's page then links back to
this form with the message and every choice the reviewer made still in it (``?job=ID``). What can be
checked before queuing (no file, an empty or oversized file, a wrong date, no source) comes back on
the form at once.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from synthesist.errors import AlreadyImported, UserError
from synthesist.importing.base import available_readers, get_reader
from synthesist.services.records.imports import ImportResult
from synthesist.services.records.reading import list_batches
from synthesist.services.records.uploads import MAX_UPLOAD_BYTES, Upload, save_uploads
from synthesist.web.auth import Access, Member, Reviewer
from synthesist.web.routes.projects import page

__all__ = ["router"]

router = APIRouter(prefix="/p/{key}")


@dataclass(frozen=True)
class ImportChoices:
    """What the reviewer filled in, to show the form again as they left it."""

    source: str = ""
    searched_on: str = ""
    format: str = "auto"
    query: str = ""
    other_method: str = ""
    skip_invalid: bool = False


def _databases(access: Access) -> list[str]:
    """The protocol's databases as a source is usually written: ``MEDLINE (Ovid)``."""
    return [
        f"{db.name} ({db.platform})" if db.platform else db.name
        for db in access.workspace.project.protocol.search.databases
    ]


def _import_page(
    request: Request,
    access: Access,
    *,
    choices: ImportChoices,
    result: ImportResult | None = None,
    error: UserError | None = None,
) -> HTMLResponse:
    response = page(
        request,
        access,
        "import.html",
        choices=choices,
        result=result,
        error=error,
        can_import=access.role.can_screen(),
        databases=_databases(access),
        formats={name: reader.description for name, reader in available_readers().items()},
        batches=list_batches(access.workspace),
        limit_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
    )
    if error is not None:
        response.status_code = error.http_status
    return response


@router.get("/import", response_class=HTMLResponse)
def import_page(request: Request, access: Member, job: int | None = None) -> Response:
    if job is not None:  # back from a failed import job: its message, and the choices made
        from synthesist.services.jobs import job_status

        failed = job_status(access.workspace, job)
        if failed.kind == "records.import" and failed.status.value == "failed":
            params = failed.params
            text = {
                name: str(params.get(name) or "")
                for name in ("source", "searched_on", "query", "other_method")
            }
            choices = ImportChoices(
                **text,
                format=str(params.get("format") or "auto"),
                skip_invalid=bool(params.get("skip_invalid")),
            )
            message, _, hint = (failed.error or "").partition("\n")
            error = AlreadyImported(message, hint=_AGAIN_HINT) if "already imported" in message else None
            response = _import_page(
                request, access, choices=choices, error=error or UserError(message, hint=hint or None)
            )
            response.status_code = 200  # the page itself is fine: it shows a job's outcome
            return response
    return _import_page(request, access, choices=ImportChoices())


# the service's hint names the command line's --force, which the web form does not offer
_AGAIN_HINT = "Its records are already in the project; choose the export of another search."


def _parse_date(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(
            f"date searched: {text!r} is not a date", hint="Write it as YYYY-MM-DD, e.g. 2014-06-30."
        ) from None


@router.post("/import", response_class=HTMLResponse)
async def import_upload(
    request: Request,
    access: Reviewer,
    source: Annotated[str, Form()] = "",
    searched_on: Annotated[str, Form()] = "",
    format: Annotated[str, Form()] = "auto",
    query: Annotated[str, Form()] = "",
    other_method: Annotated[str, Form()] = "",
    skip_invalid: Annotated[bool, Form()] = False,
) -> Response:
    choices = ImportChoices(source, searched_on, format, query, other_method, skip_invalid)
    # Read from the parsed form rather than a File() parameter: a browser sends an empty part with
    # no file name when no file was chosen, which the multipart parser turns into a plain string.
    uploads = [
        Upload(item.filename, item.file)
        for item in (await request.form()).getlist("files")
        if isinstance(item, UploadFile) and item.filename
    ]
    # the import reads files and writes the database: off the event loop
    return await run_in_threadpool(_import, request, access, uploads, choices)


def _import(request: Request, access: Access, uploads: list[Upload], choices: ImportChoices) -> Response:
    from synthesist.services.jobs import submit_job

    try:
        searched_on = _parse_date(choices.searched_on)
        if not (choices.source.strip() or choices.other_method.strip()):
            raise UserError(
                'source: say where the records come from (e.g. "MEDLINE (Ovid)")',
                hint='For records found by other methods fill in "other method" instead.',
            )
        if choices.format and choices.format != "auto":
            get_reader(choices.format)  # an unknown format is refused before anything is queued
        paths = save_uploads(access.workspace, uploads)
    except UserError as error:
        return _import_page(request, access, choices=choices, error=error)
    folder = paths[0].parent
    params = {
        "folder": str(folder.relative_to(access.workspace.project.root)),
        "files": [path.name for path in paths],
        "source": choices.source.strip() or None,
        "format": choices.format or "auto",
        "searched_on": searched_on.isoformat() if searched_on else None,
        "query": choices.query.strip() or None,
        "other_method": choices.other_method.strip() or None,
        "skip_invalid": choices.skip_invalid,
    }
    try:
        job_id = submit_job(access.workspace, "records.import", params)
    except UserError as error:  # the queue cannot be reached: nothing will import these files
        shutil.rmtree(folder, ignore_errors=True)
        return _import_page(request, access, choices=choices, error=error)
    return RedirectResponse(f"/p/{access.workspace.project.key}/jobs/{job_id}", status_code=303)
