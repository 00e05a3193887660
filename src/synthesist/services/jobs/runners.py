"""The built-in jobs: each calls the service the command line calls, reporting its progress to the
job and returning what the job's page shows. Registered when this module is imported (a worker does
so the first time it meets one of these kinds)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

from synthesist.errors import UserError
from synthesist.services.jobs.context import JobContext, register_runner
from synthesist.wording import plural
from synthesist.workspace import Workspace

__all__ = ["MAX_REJECTS_SHOWN", "REPORTS_FOLDER", "report_download", "report_folder"]

REPORTS_FOLDER = Path("reports") / "jobs"
MAX_REJECTS_SHOWN = 200  # report.build writes reports/jobs/<job id>/ in the review


def _text(params: dict[str, Any], name: str) -> str | None:
    value = params.get(name)
    return str(value).strip() or None if value is not None else None


def _inside(root: Path, relative: str) -> Path:
    """``relative`` under ``root``, refusing a path that would leave it (params come from the row)."""
    path = (root / relative).resolve()
    if not path.is_relative_to(root.resolve()):
        raise UserError(f"{relative!r} is not inside the review's folder")
    return path


def import_records(workspace: Workspace, params: dict[str, Any], context: JobContext) -> dict[str, Any]:
    """``records.import``: files already saved in an upload folder (see ``save_uploads``); params
    ``folder`` (relative to the review), ``files``, and the import form's choices. On failure the
    folder goes, as for an import run in the request."""
    from synthesist.services.records.imports import ImportRequest, import_files

    root = workspace.project.root
    folder = _inside(root, str(params["folder"]))
    paths = [_inside(root, str(Path(params["folder"]) / name)) for name in params["files"]]
    searched_on = _text(params, "searched_on")
    request = ImportRequest(
        paths=paths,
        source=_text(params, "source"),
        format=_text(params, "format") or "auto",
        searched_on=date.fromisoformat(searched_on) if searched_on else None,
        query=_text(params, "query"),
        other_method=_text(params, "other_method"),
        skip_invalid=bool(params.get("skip_invalid")),
    )
    read: dict[str, int] = {}

    def progress(file_name: str, count: int) -> None:
        read[file_name] = count
        context.progress(sum(read.values()), None, f"{file_name}: {plural(count, 'record')} read")

    try:
        result = import_files(workspace, request, progress)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return {
        "summary": f"{plural(result.records, 'record')} imported"
        + (f", {plural(result.rejects, 'record')} skipped" if result.rejects else ""),
        "records": result.records,
        "rejects": result.rejects,
        "batches": [item.batch_id for item in result.files],
        "files": [
            {
                "name": item.path.name,
                "batch": item.batch_id,
                "source": item.source,
                "format": item.format,
                "encoding": item.encoding,
                "records": item.records,
                "reject_count": len(item.rejects),
                # the page lists the first ones; the reject report in the folder has them all
                "rejects": [
                    {"line": r.line, "reason": r.reason, "excerpt": r.excerpt}
                    for r in item.rejects[:MAX_REJECTS_SHOWN]
                ],
                "reject_report": str(item.reject_report.relative_to(root)) if item.reject_report else None,
            }
            for item in result.files
        ],
        "warnings": list(result.warnings),
    }


def run_deduplication(workspace: Workspace, params: dict[str, Any], context: JobContext) -> dict[str, Any]:
    """``dedup.run``: params ``scope`` (new or all)."""
    from synthesist.services.dedup.runs import run_dedup

    scope = str(params.get("scope") or "new")
    outcome = run_dedup(
        workspace,
        scope=scope,  # type: ignore[arg-type]  # run_dedup refuses anything but "new" or "all"
        progress=lambda phase, done, total: context.progress(done, total, phase),
    )
    run = outcome.run
    if run is None:
        summary = (
            "No records were imported since the last deduplication run, so there was nothing new to "
            "compare; choose “compare all records again” to run over every record"
        )
    else:
        summary = (
            f"Deduplication run {run.id}: compared {plural(run.candidate_pairs, 'likely pair')} among "
            f"{plural(run.records_checked, 'record')} in {run.seconds:.1f} s; "
            f"{plural(run.groups_created, 'new duplicate group')}, {run.groups_grown} grown, "
            f"{plural(run.possible_pairs, 'possible duplicate')} to review"
        )
    return {
        "summary": summary,
        "run_id": outcome.run.id if outcome.run is not None else None,
        "duplicates": outcome.duplicates_total,
        "groups": outcome.groups_total,
        "pending": outcome.pending_total,
        "remaining": outcome.remaining,
    }


def _search_progress(context: JobContext) -> Any:
    def progress(fetched: int, expected: int | None) -> None:
        context.progress(fetched, expected, f"{plural(fetched, 'record')} fetched")

    return progress


def _runs_result(runs: list[Any], notes: list[str]) -> dict[str, Any]:
    imported = sum(run.imported for run in runs)
    return {
        "summary": f"{plural(len(runs), 'run')}, {plural(imported, 'record')} imported",
        "runs": [run.id for run in runs],
        "imported": imported,
        "batches": [run.batch_id for run in runs if run.batch_id is not None],
        "notes": notes,
    }


def run_search(workspace: Workspace, params: dict[str, Any], context: JobContext) -> dict[str, Any]:
    """``search.run``: params ``strategy``, ``source``, optional ``query`` and ``max_records``. The
    run's id is the job's cursor: a job restarted after a crash resumes that run's pages."""
    from synthesist.search.runs import RunStatus
    from synthesist.services.search.runs import list_runs, resume_run, start_run

    progress = _search_progress(context)
    resumed = (context.cursor or {}).get("run_id")
    if resumed is not None:
        run = next((r for r in list_runs(workspace) if r.id == resumed), None)
        if run is not None and run.status is RunStatus.COMPLETED:
            return _runs_result([run], [])
        if run is not None:
            return _runs_result([resume_run(workspace, int(resumed), progress=progress).run], [])
    before = max((run.id for run in list_runs(workspace)), default=0)

    def progress_saving_run(fetched: int, expected: int | None) -> None:
        if context.cursor is None:  # the run's row exists by its first progress report
            newest = max((run.id for run in list_runs(workspace)), default=0)
            if newest > before:
                context.save_cursor({"run_id": newest})
        progress(fetched, expected)

    max_records = params.get("max_records")
    outcome = start_run(
        workspace,
        str(params["strategy"]),
        str(params["source"]),
        query=_text(params, "query"),
        max_records=int(max_records) if max_records else None,
        progress=progress_saving_run,
    )
    return _runs_result([outcome.run], list(outcome.notes))


def update_searches(workspace: Workspace, params: dict[str, Any], context: JobContext) -> dict[str, Any]:
    """``search.update`` (a living update): optional ``strategy`` and ``source``."""
    from synthesist.services.search.runs import rerun

    outcomes = rerun(
        workspace, _text(params, "strategy"), _text(params, "source"), progress=_search_progress(context)
    )
    return _runs_result([o.run for o in outcomes], [note for o in outcomes for note in o.notes])


def search_citations(workspace: Workspace, params: dict[str, Any], context: JobContext) -> dict[str, Any]:
    """``search.citations``: ``direction`` (backward, forward, both) and optional ``study``."""
    from synthesist.services.search.citations import search_citations as search

    found = search(
        workspace,
        direction=str(params.get("direction") or "both"),  # type: ignore[arg-type]  # checked by the service
        study=_text(params, "study"),
        progress=_search_progress(context),
    )
    result = _runs_result([o.run for o in found.runs], list(found.skipped))
    result["not_found"] = found.not_found
    return result


def report_folder(workspace: Workspace, job_id: int) -> Path:
    return workspace.project.root / REPORTS_FOLDER / str(job_id)


def build_report(workspace: Workspace, params: dict[str, Any], context: JobContext) -> dict[str, Any]:
    """``report.build``: ``formats`` (md, html, docx; default all), written to
    ``reports/jobs/<job id>/`` in the review's folder (a temporary folder first, renamed when whole)."""
    from synthesist.services.reporting.report import REPORT_FORMATS, parse_formats, report_files
    from synthesist.services.reporting.report import build_report as build

    formats = parse_formats(params.get("formats") or REPORT_FORMATS)
    context.progress(0, 2, "reading the review")
    report = build(workspace)
    context.progress(1, 2, "writing " + ", ".join(formats))
    files = report_files(report, formats)
    target = report_folder(workspace, context.job_id)
    partial = target.with_name(f".{target.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    for name, body in files.items():
        path = partial / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    context.check()
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    written = {name.rpartition(".")[2]: name for name in files if "/" not in name}
    return {
        "summary": f"report written ({', '.join(sorted(written))})",
        "folder": str(target.relative_to(workspace.project.root)),
        "files": written,
    }


register_runner("records.import", import_records)
register_runner("dedup.run", run_deduplication)
register_runner("search.run", run_search)
register_runner("search.update", update_searches)
register_runner("search.citations", search_citations)
register_runner("report.build", build_report)


def report_download(workspace: Workspace, job_id: int, format_name: str) -> tuple[str, bytes]:
    """The file name and content of a built report (a ``report.build`` job done)."""
    from synthesist.errors import NotFound
    from synthesist.services.jobs.service import job_status

    job = job_status(workspace, job_id)
    files = (job.result or {}).get("files") if job.kind == "report.build" else None
    name = files.get(format_name) if isinstance(files, dict) else None
    path = report_folder(workspace, job_id) / str(name) if name else None
    if path is None or not path.is_file():
        raise NotFound(
            f"job {job_id} has no {format_name} report to download",
            hint="Build the report again from the PRISMA and report page.",
        )
    return path.name, path.read_bytes()
