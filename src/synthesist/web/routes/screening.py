"""The screening page (one record at a time, keyboard first), undo, and conflicts with consensus.

The decision form posts the letter of its shortcut as ``shortcut`` (``i``, ``e``, ``m``, ``u``,
``n``), whether the reviewer pressed the key or clicked the button, so one handler serves both and
the page works without JavaScript. At full text, the record's report is shown beside the record and
the form (``routes/fulltext.py`` serves it and takes uploads and "not retrieved" marks).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from synthesist.errors import NotFound, UserError
from synthesist.screening.model import Stage, StageStatus, Vote
from synthesist.services.fulltext.reports import list_reports, not_retrieved_marks, report_text
from synthesist.services.records.reading import get_record
from synthesist.services.screening.decisions import (
    ScreeningOverview,
    decide,
    overview,
    resolve_conflict,
    undo_decision,
)
from synthesist.services.screening.views import stop_check, visible_decisions
from synthesist.web.auth import Member, Owner, Reviewer, web_state
from synthesist.web.render import highlight
from synthesist.web.routes.projects import page
from synthesist.workspace import Workspace

__all__ = ["router"]

router = APIRouter(prefix="/p/{key}")

KEYS = {"i": Vote.INCLUDE, "e": Vote.EXCLUDE, "m": Vote.MAYBE}


def _stage(text: str) -> Stage:
    try:
        return Stage(text)
    except ValueError:
        raise NotFound("there is no such page") from None


def _skipped(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip().isdigit()]


@router.get("/screen/{stage}", response_class=HTMLResponse)
def screen_page(
    request: Request,
    access: Reviewer,
    stage: str,
    skip: Annotated[str, Query()] = "",
    report: Annotated[int | None, Query()] = None,
) -> Response:
    chosen = _stage(stage)
    skipped = _skipped(skip)
    # progress comes from the overview the queue chose the record from, so the page does not read
    # every record and decision again for it (benchmarks/web_load.py: the main cost under load)
    item, view = web_state(request).next_with_overview(access.workspace, access.user, chosen, skipped)
    protocol = access.workspace.project.protocol
    screening = protocol.screening
    done = sum(1 for progress in view.records.values() if progress.at(chosen).final)
    open_count = sum(
        1 for progress in view.records.values() if progress.at(chosen) is not StageStatus.NOT_OPEN
    )
    context: dict[str, object] = {
        "stage": chosen,
        "item": item,
        "skip": ",".join(str(i) for i in skipped),
        "criteria": protocol.criteria,
        "reasons": screening.exclusion_reasons if chosen is Stage.FULL_TEXT else [],
        "progress": {"done": done, "open": open_count},
        "stopping": _stopping(access.workspace, access.user, view)
        if chosen is Stage.TITLE_ABSTRACT
        else None,
    }
    if item is not None:
        stored = get_record(access.workspace, item.record_id)
        include, exclude = screening.highlight_include, screening.highlight_exclude
        context |= {
            "stored": stored,
            "title": highlight(stored.record.title, include, exclude),
            "abstract": highlight(stored.record.abstract, include, exclude),
            "mine": [
                d
                for d in visible_decisions(access.workspace, item.record_id, access.user)
                if d.reviewer == access.user and d.stage is chosen and d.active
            ],
            "next_skip": ",".join(str(i) for i in [*skipped, item.record_id]),
        }
        if chosen is Stage.FULL_TEXT:
            context["fulltext"] = _fulltext(access.workspace, item.record_id, report)
    return page(request, access, "screen.html", **context)


def _fulltext(workspace: Workspace, record_id: int, chosen: int | None) -> dict[str, object]:
    """The record's reports, the one shown beside the form (the chosen one, else the first PDF, else
    the first), its pages when it is not a PDF (a browser shows no Word file in a frame), and the
    record's "not retrieved" mark."""
    reports = list_reports(workspace, record_id)
    pdfs = [r for r in reports if r.media_type == "application/pdf"]
    shown = next((r for r in reports if r.id == chosen), None) or next(iter(pdfs or reports), None)
    pages = report_text(workspace, shown.id).pages if shown and shown.media_type != "application/pdf" else []
    mark = (
        None
        if reports
        else next((m for m in not_retrieved_marks(workspace) if m.record_id == record_id), None)
    )
    return {"reports": reports, "shown": shown, "pages": pages, "not_retrieved": mark}


def _stopping(workspace: Workspace, viewer: str, view: ScreeningOverview) -> dict[str, object]:
    """The stopping rules' verdicts on title/abstract screening, counted as ``viewer`` may see it
    (a colleague's votes still blind to them left out), from the overview the page already has."""
    check = stop_check(workspace, viewer=viewer, view=view)
    recall = next((v.estimated_recall for v in check.verdicts if v.estimated_recall is not None), None)
    return {
        "screened": check.screened,
        "pool": check.pool,
        "relevant_found": check.relevant_found,
        "recall": recall,
        "stop_by": [verdict.rule for verdict in check.verdicts if verdict.stop],
    }


@router.post("/screen/{stage}")
def screen_action(
    access: Reviewer,
    stage: str,
    shortcut: Annotated[str, Form()],
    record_id: Annotated[int | None, Form()] = None,
    reason: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    skip: Annotated[str, Form()] = "",
) -> Response:
    """``shortcut``: i, e, m decide the record; u undoes the reviewer's latest decision; n skips it."""
    chosen = _stage(stage)
    base = f"/p/{access.workspace.project.key}/screen/{chosen.value}"
    skipped = _skipped(skip)
    if shortcut in KEYS:
        if record_id is None:
            raise UserError("the form names no record; reload the page")
        decide(
            access.workspace,
            record_id,
            chosen,
            KEYS[shortcut],
            reviewer=access.user,
            reason=reason or None,
            note=note or None,
        )
    elif shortcut == "u":
        undone = undo_decision(access.workspace, reviewer=access.user, stage=chosen)
        skipped = [i for i in skipped if i != undone.record_id]
    elif shortcut == "n":
        if record_id is not None:
            skipped.append(record_id)
    else:
        raise UserError(f"{shortcut!r} is not a screening key", hint="Use i, e, m, u or n.")
    target = f"{base}?skip={','.join(str(i) for i in skipped)}" if skipped else base
    return RedirectResponse(target, status_code=303)


@router.get("/conflicts/{stage}", response_class=HTMLResponse)
def conflicts_page(request: Request, access: Member, stage: str) -> Response:
    chosen = _stage(stage)
    view = overview(access.workspace)
    conflicts = []
    for record_id, progress in view.records.items():
        if progress.at(chosen) is StageStatus.CONFLICT:
            conflicts.append(
                {
                    "stored": get_record(access.workspace, record_id),
                    # a conflict is past the blind phase; still asked through the blind-aware view
                    "decisions": [
                        d
                        for d in visible_decisions(access.workspace, record_id, access.user)
                        if d.stage is chosen and d.active
                    ],
                }
            )
    reasons = (
        access.workspace.project.protocol.screening.exclusion_reasons if chosen is Stage.FULL_TEXT else []
    )
    return page(
        request,
        access,
        "conflicts.html",
        stage=chosen,
        conflicts=conflicts,
        reasons=reasons,
        can_resolve=access.role.can_resolve(),
    )


@router.post("/conflicts/{stage}/{record_id}")
def resolve(
    access: Owner,
    stage: str,
    record_id: int,
    vote: Annotated[str, Form()],
    participants: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    chosen = _stage(stage)
    try:
        chosen_vote = Vote(vote)
    except ValueError:
        raise UserError(f"{vote!r} is not a vote", hint="include, exclude or maybe") from None
    people = [name.strip() for name in participants.split(",")]
    resolve_conflict(
        access.workspace,
        record_id,
        chosen,
        chosen_vote,
        participants=people,
        reason=reason or None,
        note=note or None,
    )
    return RedirectResponse(f"/p/{access.workspace.project.key}/conflicts/{chosen.value}", status_code=303)
