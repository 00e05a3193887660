"""A project's overview, its records (a search), one record with the decisions its viewer may see,
agreement and the log.

Whatever shows a screening decision goes through the blind-aware service functions
(``visible_decisions``, ``read_log_page``, which redacts blind votes): no route reads decisions itself.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from synthesist.events.query import EventQuery
from synthesist.screening.model import Stage
from synthesist.services.records.log_page import LOG_PAGE_SIZE, read_log_page
from synthesist.services.records.reading import SEARCH_FIELDS, actor_names, search_records
from synthesist.services.screening.views import agreement_by_pair, decision_json, visible_decisions
from synthesist.services.web.pages_dashboard import dashboard_page
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
    shown = dashboard_page(access.workspace, access.reviewer, access.role)
    return page(request, access, "overview.html", dashboard=shown)


RECORDS_PER_PAGE = 50


@router.get("/records", response_class=HTMLResponse)
def records_page(
    request: Request,
    access: Member,
    q: str = "",
    field: Annotated[str, Query(alias="in")] = "title",
    page_number: Annotated[int, Query(alias="page", ge=1)] = 1,
) -> Response:
    """The records, 50 a page; with ``q``, those whose title, authors or DOI (``in``) hold its words."""
    field = field if field in SEARCH_FIELDS else "title"
    found, total = search_records(
        access.workspace, q, field, limit=RECORDS_PER_PAGE, offset=(page_number - 1) * RECORDS_PER_PAGE
    )
    pages = max(1, -(-total // RECORDS_PER_PAGE))
    if page_number > pages:  # past the last page (the records changed, or a typed address): show it
        page_number = pages
        found, total = search_records(
            access.workspace, q, field, limit=RECORDS_PER_PAGE, offset=(pages - 1) * RECORDS_PER_PAGE
        )
    kept = {name: value for name, value in {"q": q.strip(), "in": field}.items() if value}
    return page(
        request,
        access,
        "records.html",
        q=q.strip(),
        field=field,
        fields=SEARCH_FIELDS,
        found=found,
        total=total,
        first=(page_number - 1) * RECORDS_PER_PAGE + 1,
        previous_link="?" + urlencode({**kept, "page": page_number - 1}) if page_number > 1 else None,
        next_link="?" + urlencode({**kept, "page": page_number + 1}) if page_number < pages else None,
    )


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
def log_page(
    request: Request,
    access: Member,
    person: str = "",
    event_type: Annotated[str, Query(alias="type")] = "",
    since: Annotated[str, Query(alias="from")] = "",
    until: Annotated[str, Query(alias="to")] = "",
    before: int | None = None,
    after: int | None = None,
) -> Response:
    """The log, newest first, a page at a time; filtered by person, event type and dates (a GET
    form: the filters stay in the address, so the paging links and a bookmark keep them)."""
    problems: list[str] = []
    query = EventQuery(
        actor=person.strip() or None,
        event_type=event_type.strip() or None,
        since=_day(since, "From", problems),
        until=_day(until, "To", problems),
    )
    shown = read_log_page(access.workspace, query, before=before, after=after)  # blind votes redacted
    names = actor_names(access.workspace)
    filters = {"person": person, "type": event_type, "from": since, "to": until}
    kept = {name: value for name, value in filters.items() if value}
    return page(
        request,
        access,
        "log.html",
        log=shown,
        events=shown.events,
        names=names,
        people=sorted(shown.actors, key=lambda actor: str(names.get(actor) or actor).casefold()),
        type_groups=_type_groups(shown.types),
        filters=filters,
        problems=problems,
        newer_link=_log_link(kept, after=shown.events[0].id) if shown.newer else None,
        older_link=_log_link(kept, before=shown.events[-1].id) if shown.older else None,
        newest_link=_log_link(kept) if shown.first > LOG_PAGE_SIZE + 1 else None,  # page 3 on
    )


def _day(text: str, label: str, problems: list[str]) -> date | None:
    """A date from the form (``YYYY-MM-DD``, as date inputs send it); a wrong one is named and left out."""
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        problems.append(f"“{label}” is not a date ({text.strip()}): write it as YYYY-MM-DD, e.g. 2025-03-31.")
        return None


def _type_groups(types: list[str]) -> list[tuple[str, list[str]]]:
    """The log's event types by area (``screening.decided`` under "screening"), areas by name."""
    groups: dict[str, list[str]] = {}
    for event_type in types:
        groups.setdefault(event_type.split(".", 1)[0], []).append(event_type)
    return sorted(groups.items())


def _log_link(filters: dict[str, str], **position: int) -> str:
    return "?" + urlencode({**filters, **position})
