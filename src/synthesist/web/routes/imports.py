"""The import page: upload database exports as search batches, and the list of batches so far.

The upload is all-or-nothing, as on the command line: a malformed record (``file:line: what is
wrong``), an unreadable file or a file imported before stops the whole upload, nothing is written,
and the form comes back with the message and every choice the reviewer made still in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from synthesist.errors import AlreadyImported, UserError
from synthesist.importing.base import available_readers
from synthesist.services.records.imports import ImportRequest, ImportResult
from synthesist.services.records.reading import list_batches
from synthesist.services.records.uploads import MAX_UPLOAD_BYTES, Upload, import_uploads
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
def import_page(request: Request, access: Member) -> Response:
    return _import_page(request, access, choices=ImportChoices())


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
    try:
        import_request = ImportRequest(
            paths=[],
            source=choices.source.strip() or None,
            format=choices.format or "auto",
            searched_on=_parse_date(choices.searched_on),
            query=choices.query.strip() or None,
            other_method=choices.other_method.strip() or None,
            skip_invalid=choices.skip_invalid,
        )
        result = import_uploads(access.workspace, uploads, import_request)
    except AlreadyImported as refused:
        # the service's hint names the command line's --force, which the web form does not offer
        shown = AlreadyImported(
            refused.message,
            hint="Its records are already in the project; choose the export of another search.",
        )
        return _import_page(request, access, choices=choices, error=shown)
    except UserError as error:
        return _import_page(request, access, choices=choices, error=error)
    # the form comes back empty after a success; posting the same files again (a reload of this
    # answer) is refused by the service's re-import guard, so a search cannot be imported twice
    return _import_page(request, access, choices=ImportChoices(), result=result)
