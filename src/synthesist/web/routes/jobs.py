"""Background jobs in the browser: a review's jobs, one job's page (its progress bar follows the job
through ``jobs.js`` polling the ``.json``; without the script, a Reload link), cancelling, the
download of a report a job built, and the administrators' list of every review's jobs.

Members see their review's jobs; a reviewer may cancel the jobs they asked for, an owner any. A
built report is downloaded by the person who asked for it only: it is built as them, so it shows
what they may see (their own votes still blind to colleagues included).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from synthesist.errors import Forbidden
from synthesist.review.jobs import JobStatus, JobView
from synthesist.services.jobs import cancel_job, job_status, list_jobs
from synthesist.web.admin_auth import SiteAdmin
from synthesist.web.auth import Access, Member, Reviewer, web_state
from synthesist.web.render import render
from synthesist.web.routes.projects import page

__all__ = ["KIND_NAMES", "result_links", "router"]

router = APIRouter()

# What each kind of job is called on the pages.
KIND_NAMES = {
    "records.import": "Import",
    "dedup.run": "Deduplication",
    "search.run": "Live search",
    "search.update": "Living update",
    "search.citations": "Citation search",
    "report.build": "Report",
    "screening.rank": "Screening ranking",
}
_MEDIA = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Link:
    href: str
    text: str


def result_links(key: str, job: JobView, viewer: str | None = None) -> list[Link]:
    """Where a finished job's result is seen (by ``viewer``: a report's downloads are its requester's)."""
    base = f"/p/{key}"
    if job.kind == "records.import":
        links = [Link(f"{base}/import", "The searches imported")]
        if job.status.value == "done":
            links.append(Link(f"{base}/duplicates", "Look for duplicates among the records"))
        else:
            links.insert(0, Link(f"{base}/import?job={job.id}", "Back to the import form, with your choices"))
        return links
    if job.kind == "dedup.run":
        return [Link(f"{base}/duplicates", "Review the possible duplicates")]
    if job.kind == "report.build" and job.status.value == "done":
        if viewer is not None and viewer != job.requested_by:
            return [Link(f"{base}/outputs", "Build your own report")]
        files = (job.result or {}).get("files") or {}
        return [
            Link(f"{base}/jobs/{job.id}/download/{fmt}", f"Download the report ({fmt})")
            for fmt in sorted(files)
        ]
    if job.kind == "screening.rank":
        return [Link(f"{base}/screen/title-abstract", "Screen title and abstract")]
    if job.kind.startswith("search."):
        return [Link(f"{base}/searches", "The search runs"), Link(f"{base}/import", "The searches imported")]
    return []


def _may_cancel(access: Access, job: JobView) -> bool:
    return (
        not job.finished
        and access.role.can_screen()
        and (access.role.can_manage() or job.requested_by == access.user)
    )


@router.get("/p/{key}/jobs", response_class=HTMLResponse)
def jobs_page(request: Request, access: Member) -> Response:
    jobs = list_jobs(access.workspace, limit=200)
    return page(request, access, "jobs.html", jobs=jobs, kinds=KIND_NAMES)


@router.post("/p/{key}/jobs/report")
def build_report(access: Reviewer) -> Response:
    """Build the review's report (Markdown, HTML and Word) as a job; its page offers the downloads."""
    from synthesist.services.jobs import submit_job

    job_id = submit_job(access.workspace, "report.build", {"formats": ["md", "html", "docx"]})
    return RedirectResponse(f"/p/{access.workspace.project.key}/jobs/{job_id}", status_code=303)


@router.get("/p/{key}/jobs/{job_id}.json")
def job_json(access: Member, job_id: int) -> Response:
    job = job_status(access.workspace, job_id)
    return JSONResponse({**job.as_json(), "may_cancel": _may_cancel(access, job)})


def _cancel_confirmation(job: JobView) -> str | None:
    """What the page says after a cancel redirected back to it (``?done=cancel``), if the job bears it out."""
    if job.status is JobStatus.CANCELLED:
        return "Job cancelled."
    if job.cancel_requested and not job.finished:
        return "Cancel asked for: the job stops at its next step and writes nothing."
    return None


@router.get("/p/{key}/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, access: Member, job_id: int, done: Annotated[str, Query()] = "") -> Response:
    job = job_status(access.workspace, job_id)
    return page(
        request,
        access,
        "job.html",
        job=job,
        confirmed=_cancel_confirmation(job) if done == "cancel" else None,
        kind_name=KIND_NAMES.get(job.kind, job.kind),
        links=result_links(access.workspace.project.key, job, access.user),
        may_cancel=_may_cancel(access, job),
    )


@router.post("/p/{key}/jobs/{job_id}/cancel")
def cancel(access: Reviewer, job_id: int) -> Response:
    job = job_status(access.workspace, job_id)
    if not access.role.can_manage() and job.requested_by != access.user:
        raise Forbidden(
            f"job {job_id} was asked for by {job.requested_by}; only they or an owner can cancel it",
            hint="Ask them, or an owner of the review.",
        )
    cancel_job(access.workspace, job_id)
    return RedirectResponse(f"/p/{access.workspace.project.key}/jobs/{job_id}?done=cancel", status_code=303)


@router.get("/p/{key}/jobs/{job_id}/download/{fmt}")
async def download(access: Member, job_id: int, fmt: str) -> Response:
    from synthesist.services.jobs.runners import report_download

    job = job_status(access.workspace, job_id)
    if job.requested_by != access.user:
        # built as its requester: its methods count votes still blind to everyone else
        raise Forbidden(
            f"this report was built for {job.requested_by} and shows what they may see",
            hint="Build your own from the PRISMA and report page.",
        )
    name, body = await run_in_threadpool(report_download, access.workspace, job_id, fmt)
    return Response(
        body,
        media_type=_MEDIA.get(fmt, "application/octet-stream"),
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/admin/jobs", response_class=HTMLResponse)
def admin_jobs(request: Request, admin: SiteAdmin) -> Response:
    jobs = list_jobs(web_state(request).accounts, limit=500)
    return render(
        request, "admin_jobs.html", user=admin.user, csrf_token=admin.csrf_token, jobs=jobs, kinds=KIND_NAMES
    )
