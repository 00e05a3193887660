"""The screening page (one record at a time, keyboard first), undo, and conflicts with consensus.

The decision form posts the letter of its shortcut as ``shortcut`` (``i``, ``e``, ``m``, ``u``,
``n``), whether the reviewer pressed the key or clicked the button, so one handler serves both and
the page works without JavaScript. At full text, the record's report is shown beside the record and
the form (``routes/fulltext.py`` serves it and takes uploads and "not retrieved" marks).

After a decision or an undo the POST redirects to the next record with ``done`` and ``record`` in
the address, and that page confirms what was done, with an Undo for the decision named. A full-text
exclusion the service refuses for its reason (none, an unknown one, or one with another vote) shows
the page again for the same record, the reason field marked and the note kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from synthesist.errors import NotFound, ReasonRefused, UserError
from synthesist.records.stored import StoredRecord
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


def skipped_ids(text: str) -> list[int]:
    """The records the reviewer skipped on this visit, from the page's ``skip`` field ("3,17")."""
    return [int(part) for part in text.split(",") if part.strip().isdigit()]


# The confirmation above the next record: the POST redirects with ``done`` (the vote, or "undo")
# and ``record``; the page reads the record's title and the reviewer's decision on it again.
_DONE_WORDS = {"include": "Included", "exclude": "Excluded", "maybe": "Marked maybe"}


@dataclass(frozen=True)
class _Kept:
    """What a refused decision form held, shown again with the message beside the reason field."""

    record_id: int
    reason: str
    note: str
    error: str


@router.get("/screen/{stage}", response_class=HTMLResponse)
def screen_page(
    request: Request,
    access: Reviewer,
    stage: str,
    skip: Annotated[str, Query()] = "",
    report: Annotated[int | None, Query()] = None,
    done: Annotated[str, Query()] = "",
    record: Annotated[int | None, Query()] = None,
) -> Response:
    chosen = _stage(stage)
    context = screen_context(request, access, chosen, skipped_ids(skip), report)
    if record is not None and (done in _DONE_WORDS or done == "undo"):
        context |= _confirmation(access, chosen, done, record)
    return page(request, access, "screen.html", **context)


def screen_context(
    request: Request, access: Reviewer, chosen: Stage, skipped: list[int], report: int | None
) -> dict[str, object]:
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
    return context


def _confirmation(access: Reviewer, chosen: Stage, done: str, record_id: int) -> dict[str, object]:
    """The decision just made, with the decision to undo; or the record an undo just restored. Nothing
    when the address is stale (the decision was undone since, or changed in another tab)."""
    just = pages_screening.just_done(access.workspace, access.reviewer, chosen, record_id)
    if just is None:
        return {}
    if done == "undo":
        return {"restored": just} if just.decision is None else {}
    if just.decision is None or just.decision.vote.value != done:
        return {}
    return {"confirmed": just, "confirmed_word": _DONE_WORDS[done]}


# The service's refusals of the reason field, said beside the field in the page's words (the
# service's messages name the command line's --reason)
_REASON_WORDS = {
    "missing": "Choose a reason to exclude this record at full text.",
    "not an exclusion": "A reason goes only with an exclusion: clear the reason to include or mark maybe.",
}


@router.post("/screen/{stage}")
def screen_action(
    request: Request,
    access: Reviewer,
    stage: str,
    shortcut: Annotated[str, Form()],
    record_id: Annotated[int | None, Form()] = None,
    reason: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    skip: Annotated[str, Form()] = "",
    decision_id: Annotated[int | None, Form()] = None,
) -> Response:
    """``shortcut``: i, e, m decide the record; u undoes the reviewer's latest decision (or
    ``decision_id``, the one the confirmation names); n skips it."""
    chosen = _stage(stage)
    base = f"/p/{access.workspace.project.key}/screen/{chosen.value}"
    skipped = skipped_ids(skip)
    params: dict[str, str | int] = {}
    if shortcut in KEYS:
        if record_id is None:
            raise UserError("the form names no record; reload the page")
        try:
            decide(
                access.workspace,
                record_id,
                chosen,
                KEYS[shortcut],
                reviewer=access.reviewer,
                reason=reason or None,
                note=note or None,
            )
        except ReasonRefused as refused:
            said = _REASON_WORDS.get(refused.problem, refused.message)
            return _refused(request, access, chosen, skipped, _Kept(record_id, reason, note, said))
        params = {"done": KEYS[shortcut].value, "record": record_id}
    elif shortcut == "u":
        undone = undo_decision(
            access.workspace, reviewer=access.reviewer, stage=chosen, decision_id=decision_id
        )
        skipped = [i for i in skipped if i != undone.record_id]
        params = {"done": "undo", "record": undone.record_id}
    elif shortcut == "n":
        if record_id is not None:
            skipped.append(record_id)
    else:
        raise UserError(f"{shortcut!r} is not a screening key", hint="Use i, e, m, u or n.")
    if skipped:
        params = {"skip": ",".join(str(i) for i in skipped), **params}
    target = f"{base}?{urlencode(params, safe=',')}" if params else base
    return RedirectResponse(target, status_code=303)


def _refused(request: Request, access: Reviewer, chosen: Stage, skipped: list[int], kept: _Kept) -> Response:
    """The screening page again for the same record, the reason field marked and the note kept. Were
    another record chosen meanwhile (a colleague decided this one), the form's values would belong to
    no record on the page: the error is then said on a page of its own."""
    context = screen_context(request, access, chosen, skipped, None)
    shown = context.get("stored")
    if not isinstance(shown, StoredRecord) or shown.id != kept.record_id:
        raise UserError(f"record {kept.record_id} was not decided: {kept.error}")
    response = page(request, access, "screen.html", **context, kept=kept)
    response.status_code = 400
    return response


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
