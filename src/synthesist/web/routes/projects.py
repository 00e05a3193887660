"""A project's overview, one record with the decisions its viewer may see, agreement and the log.

Whatever shows a screening decision goes through the blind-aware service functions
(``visible_decisions``, ``read_log``, which redacts blind votes): no route reads decisions itself.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from synthesist.screening.model import Stage
from synthesist.services.records.reading import actor_names, read_log
from synthesist.services.screening.decisions import overview
from synthesist.services.screening.views import agreement_by_pair, decision_json, visible_decisions
from synthesist.services.web.pages_screening import record_page as record_page_view
from synthesist.web.auth import Member
from synthesist.web.render import render

__all__ = ["router"]

router = APIRouter(prefix="/p/{key}")


def page(request: Request, access: Member, template: str, **context: Any) -> HTMLResponse:
    return render(
        request,
        template,
        user=access.user,
        reviewer=access.reviewer,
        csrf_token=access.csrf_token,
        role=access.role,  # a Role: templates ask it (role.can_screen()), never compare its name
        project=access.workspace.project,
        **context,
    )


@router.get("", response_class=HTMLResponse)
def project_overview(request: Request, access: Member) -> Response:
    view = overview(access.workspace)
    counts = {
        stage: [(status.value, count) for status, count in sorted(view.statuses(stage).items()) if count]
        for stage in Stage
    }
    return page(request, access, "overview.html", total=len(view.records), counts=counts, stages=list(Stage))


@router.get("/records/{record_id}", response_class=HTMLResponse)
def record_page(request: Request, access: Member, record_id: int) -> Response:
    shown = record_page_view(access.workspace, access.reviewer, record_id)
    return page(request, access, "record.html", stored=shown.stored, decisions=shown.decisions)


@router.get("/records/{record_id}/decisions.json")
def record_decisions_json(access: Member, record_id: int) -> Response:
    """The decisions on a record its viewer may see (for scripts and progressive enhancement)."""
    decisions = visible_decisions(access.workspace, record_id, access.reviewer)
    return JSONResponse([decision_json(d) for d in decisions])


@router.get("/agreement", response_class=HTMLResponse)
def agreement_page(request: Request, access: Member) -> Response:
    pairs = {stage: agreement_by_pair(access.workspace, stage) for stage in Stage}
    return page(request, access, "agreement.html", pairs=pairs)


@router.get("/log", response_class=HTMLResponse)
def log_page(request: Request, access: Member) -> Response:
    events = read_log(access.workspace)  # blind votes of others come back redacted
    names = actor_names(access.workspace)
    return page(request, access, "log.html", events=list(reversed(events))[:500], names=names)
