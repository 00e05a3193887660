"""Full texts beside the screening page: a report's file and its text by page, attaching a report
and marking a record "not retrieved".

The file route is the one response of the app that may be framed, and only by the app itself
(``frame-ancestors 'self'``), so the full-text screening page can show the PDF next to the decision
form; every other page keeps the app's "no framing" headers. Reports are read through the services,
which only see the current project's reports, so a report of another project is 404 like anything
else that is not the member's.

An upload or a "not retrieved" mark refused for its own input (the error's ``field``: a file that
cannot be read, is too large or is attached already; no reason) shows the full-text screening page
again for the same record, the message beside the file field or the reason field and the reason kept
(a browser never keeps a chosen file, so the message asks for it again).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from synthesist.errors import NotFound, UserError
from synthesist.fulltext.model import Report
from synthesist.records.stored import StoredRecord
from synthesist.screening.model import Stage
from synthesist.services.fulltext.reports import attach_report, list_reports, mark_not_retrieved, report_text
from synthesist.services.records.uploads import TEMPORARY_UPLOAD_PREFIX
from synthesist.web.auth import Member, Reviewer
from synthesist.web.refusals import said
from synthesist.web.routes.projects import page

# the screening page's own context, so that a refused form shows that page again for its record
from synthesist.web.routes.screening import screen_context, skipped_ids
from synthesist.workspace import Workspace

__all__ = ["FRAMEABLE_HEADERS", "router"]

router = APIRouter(prefix="/p/{key}")

# Set on the file response before the app's middleware adds its defaults (it uses setdefault): the
# report may be shown in a frame of our own pages, never of another site's.
FRAMEABLE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'self'; form-action 'self'; "
    "base-uri 'none'",
    "X-Frame-Options": "SAMEORIGIN",
}

# Uploads are read in chunks into a temporary file, refused past this size (a full text with
# scanned figures is a few tens of megabytes; a gigabyte is a mistake).
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
_CHUNK = 1024 * 1024


def _report(workspace: Workspace, report_id: int) -> Report:
    found = next((report for report in list_reports(workspace) if report.id == report_id), None)
    if found is None:
        raise NotFound("there is no such page")
    return found


def _stored_file(workspace: Workspace, report: Report) -> Path:
    root = workspace.project.root.resolve()
    path = (root / report.stored_path).resolve()
    # the stored path comes from our own database, but a file outside the project is never served
    if not path.is_relative_to(root) or not path.is_file():
        raise NotFound(
            f"the file of report {report.id} ({report.stored_path}) is missing from the project folder",
            hint="Attach the report again, or restore the folder fulltext/ from a backup.",
        )
    return path


@router.get("/reports/{report_id}/file")
def report_file(access: Member, report_id: int) -> Response:
    """The stored file, shown inline (a PDF opens in the browser's viewer)."""
    report = _report(access.workspace, report_id)
    path = _stored_file(access.workspace, report)
    disposition = f"inline; filename*=UTF-8''{quote(report.file_name)}"
    headers = {**FRAMEABLE_HEADERS, "Content-Disposition": disposition}
    return FileResponse(path, media_type=report.media_type, headers=headers)


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def report_page(
    request: Request,
    access: Member,
    report_id: int,
    page_number: Annotated[int | None, Query(alias="page")] = None,
) -> Response:
    """The report's extracted text, page by page (or the one page asked for)."""
    text = report_text(access.workspace, report_id, page_number)
    return page(
        request, access, "fulltext_report.html", report=text.report, pages=text.pages, one=page_number
    )


def _back(access: Reviewer, skip: str) -> RedirectResponse:
    target = f"/p/{access.workspace.project.key}/screen/full-text"
    return RedirectResponse(f"{target}?skip={skip}" if skip else target, status_code=303)


# Most file systems take at most 255 bytes in one file name.
_MAX_NAME_BYTES = 255


def _upload_name(sent: str | None) -> str:
    """The file name the browser sent, as a name that can be written in a folder of its own, or a
    400 saying what is wrong with it: the name is the reviewer's, so it is refused, not rewritten."""
    name = re.split(r"[\\/]", sent or "")[-1].strip()
    if not name:
        raise UserError(
            "choose a file to attach", field="file", hint="A PDF, Word (.docx) or plain text (.txt) file."
        )
    rename = "Rename the file (e.g. smith-2019.pdf) and attach it again."
    if name in (".", ".."):
        raise UserError(f"{name!r} is not a file name", field="file", hint=rename)
    if any(unicodedata.category(char) == "Cc" for char in name):
        raise UserError("the file name contains control characters", field="file", hint=rename)
    if len(name.encode("utf-8", "surrogatepass")) > _MAX_NAME_BYTES:
        raise UserError(f"the file name is too long ({len(name)} characters)", field="file", hint=rename)
    return name


def _save_upload(upload: UploadFile, folder: Path) -> Path:
    name = _upload_name(upload.filename)
    target = folder / name
    size = 0
    with target.open("wb") as out:
        while chunk := upload.file.read(_CHUNK):
            size += len(chunk)
            if size > MAX_UPLOAD_BYTES:
                raise UserError(
                    f"{name} is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB",
                    field="file",
                    hint="Attach it from the command line: synthesist fulltext attach RECORD FILE",
                )
            out.write(chunk)
    return target


@dataclass(frozen=True)
class PanelKept:
    """What a refused form of the full-text panel held: ``field`` is "file" (the upload) or
    "reason" (not retrieved), ``error`` the words shown beside it."""

    field: str
    error: str
    reason: str = ""


# The reason's one refusal is its absence, said beside the field in the page's words (the service's
# hint names the command line's --reason)
_NO_REASON = (
    "Say why the full text could not be retrieved, e.g. not available from the library or the authors."
)
_FILE_AGAIN = "Nothing was attached: choose the file again, or another one."


def _refused(
    request: Request, access: Reviewer, record_id: int, skip: str, refused: UserError, kept: PanelKept
) -> Response:
    """The full-text screening page again for the same record, the field marked and its input kept.
    Were another record chosen meanwhile (a colleague decided this one), the form would belong to no
    record on the page: the refusal is then said on a page of its own."""
    context = screen_context(request, access, Stage.FULL_TEXT, skipped_ids(skip), None)
    shown = context.get("stored")
    if not isinstance(shown, StoredRecord) or shown.id != record_id or "fulltext" not in context:
        raise refused
    response = page(request, access, "screen.html", **context, panel_kept=kept)
    response.status_code = refused.http_status
    return response


@router.post("/records/{record_id}/reports")
def attach(
    request: Request,
    access: Reviewer,
    record_id: int,
    report: Annotated[UploadFile, File()],
    skip: Annotated[str, Form()] = "",
) -> Response:
    """Attach an uploaded full text to the record, then back to the full-text screening page. A sync
    route, so FastAPI runs it in its thread pool: extracting a long PDF's text takes seconds."""
    folder = Path(tempfile.mkdtemp(prefix=TEMPORARY_UPLOAD_PREFIX))
    try:
        saved = _save_upload(report, folder)
        attach_report(access.workspace, record_id, saved, file_name=saved.name)
    except UserError as refused:
        if refused.field != "file":  # not the form's fault (the record's state): the error page says it
            raise
        kept = PanelKept("file", f"{said(refused)} {_FILE_AGAIN}")
        return _refused(request, access, record_id, skip, refused, kept)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return _back(access, skip)


@router.post("/records/{record_id}/not-retrieved")
def not_retrieved(
    request: Request,
    access: Reviewer,
    record_id: int,
    reason: Annotated[str, Form()] = "",
    skip: Annotated[str, Form()] = "",
) -> Response:
    """Mark the record's full text as not retrieved, with the reason (PRISMA: reports not retrieved)."""
    try:
        mark_not_retrieved(access.workspace, record_id, reason)
    except UserError as refused:
        if refused.field != "reason":
            raise
        return _refused(request, access, record_id, skip, refused, PanelKept("reason", _NO_REASON, reason))
    return _back(access, skip)
