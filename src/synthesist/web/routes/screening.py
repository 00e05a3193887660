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
from synthesist.screening.model import Stage, Vote
from synthesist.services.screening.decisions import decide, resolve_conflict, undo_decision
from synthesist.services.web import pages_screening
from synthesist.web.auth import Member, Owner, Reviewer, web_state
from synthesist.web.render import highlight
from synthesist.web.routes.projects import page

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
    # the next record is a query on the stored ranking; the page is read in the same snapshot, with
    # progress from the overview the record was chosen from (cached by the app, checked against the log)
    item, shown = web_state(request).screen(access.workspace, access.reviewer, chosen, skipped, report)
    protocol = access.workspace.project.protocol
    screening = protocol.screening
    context: dict[str, object] = {
        "stage": chosen,
        "item": item,
        "skip": ",".join(str(i) for i in skipped),
        "criteria": protocol.criteria,
        "reasons": screening.exclusion_reasons if chosen is Stage.FULL_TEXT else [],
        "progress": shown.progress,
        "stopping": shown.stopping,
        "not_listed": shown.not_listed,
    }
    if item is not None and shown.record is not None:
        stored = shown.record.stored
        include, exclude = screening.highlight_include, screening.highlight_exclude
        context |= {
            "stored": stored,
            "title": highlight(stored.record.title, include, exclude),
            "abstract": highlight(stored.record.abstract, include, exclude),
            "mine": shown.record.mine,
            "next_skip": ",".join(str(i) for i in [*skipped, item.record_id]),
        }
        if shown.record.fulltext is not None:
            context["fulltext"] = shown.record.fulltext
    return page(request, access, "screen.html", **context)


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
            reviewer=access.reviewer,
            reason=reason or None,
            note=note or None,
        )
    elif shortcut == "u":
        undone = undo_decision(access.workspace, reviewer=access.reviewer, stage=chosen)
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
    shown = pages_screening.conflicts_page(access.workspace, access.reviewer, _stage(stage))
    return page(
        request,
        access,
        "conflicts.html",
        stage=shown.stage,
        conflicts=shown.conflicts,
        reasons=shown.reasons,
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
