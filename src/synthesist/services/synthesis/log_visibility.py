"""The thematic synthesis' events as a coder may see them: the coding page shows a coder their own
codings, the consensus ones and the assistant's suggestions, never a colleague's (it could steer
them), so the log shows a colleague's coding only as "a coding by bob in document 3": its code,
span, words, memo and page are hidden wherever an event carries them. The events themselves stay,
so the audit trail is complete."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from synthesist.events import LoggedEvent
from synthesist.services.synthesis.coding import visible_to
from synthesist.synthesis.entries import MemoTarget
from synthesist.synthesis.model import CodingOrigin
from synthesist.workspace import Workspace

HIDDEN = "hidden (another coder's coding)"

# the events that name a coding's code, span, words or memo, or list codings by id
_CODING_TYPES = frozenset(
    {
        "synthesis.coding_applied",
        "synthesis.coding_removed",
        "synthesis.coding_reanchored",
        "synthesis.codes_merged",
        "synthesis.code_split",
        "synthesis.suggestion_decided",
        "synthesis.disagreement_resolved",
        "synthesis.memo_written",
    }
)
_APPLIED_HIDDEN: dict[str, Any] = {
    "code_id": None,
    "code": HIDDEN,
    "start": None,
    "end": None,
    "text": None,
    "page": None,
    "memo": None,
}
_SPAN_HIDDEN: dict[str, Any] = {"code": HIDDEN, "start": None, "end": None}
_REANCHOR_HIDDEN: dict[str, Any] = {
    **_SPAN_HIDDEN,
    "previous_start": None,
    "previous_end": None,
    "previous_anchor": None,
}


def redact_hidden_codings(workspace: Workspace, events: list[LoggedEvent], viewer: str) -> list[LoggedEvent]:
    """The event log as ``viewer`` may see it: what a colleague's coding says is hidden."""
    if not any(event.type in _CODING_TYPES for event in events):
        return events
    with workspace.unit_of_work(write=False) as uow:
        stored = uow.synthesis.codings(active_only=False)
    hidden = {s.id for s in stored if not visible_to(s.coding, viewer)}
    if not hidden:
        return events
    return [_as_seen(event, hidden, viewer) for event in events]


def _as_seen(event: LoggedEvent, hidden: set[int], viewer: str) -> LoggedEvent:
    payload = event.payload
    changes: dict[str, Any] = {}
    if event.type == "synthesis.coding_applied":
        # the payload speaks for codings made before this rule or in a database copied elsewhere
        human = payload.get("origin", CodingOrigin.HUMAN.value) == CodingOrigin.HUMAN.value
        if payload.get("coding_id") in hidden or (human and payload.get("coder") != viewer):
            changes = _APPLIED_HIDDEN
    elif event.type == "synthesis.coding_removed" and payload.get("coding_id") in hidden:
        changes = _SPAN_HIDDEN
    elif event.type == "synthesis.coding_reanchored" and payload.get("coding_id") in hidden:
        changes = _REANCHOR_HIDDEN
    elif event.type in ("synthesis.codes_merged", "synthesis.code_split"):
        # which code a colleague's coding had is as telling as the coding itself
        changes = {"codings": [c for c in payload.get("codings", []) if c not in hidden]}
    elif event.type == "synthesis.suggestion_decided" and payload.get("coding_id") in hidden:
        changes = {"code": HIDDEN}  # accepting it made a coding in the colleague's name
    elif event.type == "synthesis.disagreement_resolved":
        changes = _resolution_as_seen(event, viewer)
    elif (
        event.type == "synthesis.memo_written"
        and payload.get("target") == MemoTarget.CODING.value
        and payload.get("target_id") in hidden
    ):
        changes = {"about": HIDDEN, "text": HIDDEN}
    return replace(event, payload={**payload, **changes}) if changes else event


def _resolution_as_seen(event: LoggedEvent, viewer: str) -> dict[str, Any]:
    """A disagreement dropped names a code one coder applied and no page shows: the two coders and
    whoever settled it know it; anyone else sees that a segment was settled, not which code."""
    payload = event.payload
    if payload.get("outcome") != "drop" or viewer == event.actor or viewer in payload.get("coders", []):
        return {}
    return {"code": HIDDEN, "note": None}
