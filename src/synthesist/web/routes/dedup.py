"""Duplicate review: run deduplication, decide the possible duplicates side by side, look at a merged
group, undo it or choose the record it keeps.

A pair is shown as two columns of fields; the fields that differ say so in words, and inside them the
words that differ are in ``<mark>`` with a visually hidden note, so neither colour nor sight is
needed to find them. The decision buttons declare the keys ``s`` (same study record) and ``d``
(different records) for the site's ``keys.js``; without the script they are ordinary buttons.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape

from synthesist.dedup.model import PairStatus
from synthesist.errors import UserError
from synthesist.records.model import Record
from synthesist.services.dedup.review import decide_pair, set_group_primary, show_group, undo_group
from synthesist.services.web.pages_dedup import DuplicatesPage
from synthesist.services.web.pages_dedup import duplicates_page as duplicates_page_view
from synthesist.web.auth import Member, Owner, Reviewer
from synthesist.web.routes.projects import page

__all__ = ["router"]

router = APIRouter(prefix="/p/{key}")

# The fields a reviewer compares, in reading order, with the words the page uses for them.
FIELDS = {
    "title": "Title",
    "authors": "Authors",
    "year": "Year",
    "journal": "Journal",
    "volume": "Volume",
    "issue": "Issue",
    "pages": "Pages",
    "doi": "DOI",
    "pmid": "PMID",
    "issn": "ISSN",
    "publication_type": "Publication type",
    "language": "Language",
    "abstract": "Abstract",
}
DECISIONS = {"same": "confirm", "different": "reject"}
_TOKENS = re.compile(r"\w+|[^\w\s]+|\s+")


@dataclass(frozen=True)
class FieldRow:
    """One field of the records compared, each value as markup with its differing words marked."""

    name: str
    label: str
    values: tuple[Markup, ...]
    differs: bool


def _value(record: Record, name: str) -> str:
    value: Any = getattr(record, name)
    if name == "authors":
        return "; ".join(author.display for author in value)
    return "" if value is None else str(value)


def _marked(words: str, note: str) -> str:
    if not words.strip():
        return str(escape(words))
    return f'<mark class="diff">{escape(words)}<span class="sr-only"> ({note})</span></mark>'


def word_diff(left: str, right: str) -> tuple[Markup, Markup]:
    """Both texts escaped, the words that differ between them in ``<mark>`` (word-level: a typo
    marks the whole word it is in)."""
    a, b = _TOKENS.findall(left), _TOKENS.findall(right)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out_a: list[str] = []
    out_b: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        left_part, right_part = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            out_a.append(str(escape(left_part)))
            out_b.append(str(escape(right_part)))
        elif tag == "replace":
            out_a.append(_marked(left_part, "differs"))
            out_b.append(_marked(right_part, "differs"))
        elif tag == "delete":
            out_a.append(_marked(left_part, "only in this record"))
        else:
            out_b.append(_marked(right_part, "only in this record"))
    return Markup("".join(out_a)), Markup("".join(out_b))


def compare_rows(records: list[Record], differing: set[str] | None = None) -> list[FieldRow]:
    """A row per field that any of ``records`` fills; with two records the differing words are
    marked, with more (a group) the row only says that the values differ."""
    rows: list[FieldRow] = []
    for name, label in FIELDS.items():
        texts = [_value(record, name) for record in records]
        if not any(texts):
            continue
        differs = len(set(texts)) > 1 if differing is None else name in differing and len(set(texts)) > 1
        if differs and len(texts) == 2:
            values: tuple[Markup, ...] = word_diff(texts[0], texts[1])
        else:
            values = tuple(Markup(escape(text)) for text in texts)
        rows.append(FieldRow(name, label, values, differs))
    return rows


def _duplicates_page(
    request: Request, access: Member, shown: DuplicatesPage, *, message: str | None = None,
) -> HTMLResponse:  # fmt: skip
    context: dict[str, object] = {}
    if shown.shown is not None:
        pair = shown.shown
        context = {
            "pair": pair.pair,
            "pending": pair.pair.status is PairStatus.PENDING,
            "first": pair.first,
            "second": pair.second,
            "rows": compare_rows([pair.first.record, pair.second.record], set(pair.differences)),
        }
    later = shown.later
    return page(
        request,
        access,
        "duplicates.html",
        status=shown.status,
        queue_size=len(shown.queue),
        position=shown.position,
        decidable=shown.position is not None,
        next_pair=later[0].pair.id if later else None,
        later=later[:50],
        groups=shown.groups,
        group_records=shown.group_records,
        groups_page=shown.groups_page,
        groups_pages=shown.groups_pages,
        message=message,
        can_decide=access.role.can_screen(),
        can_run=access.role.can_manage(),
        **context,
    )


@router.get("/duplicates", response_class=HTMLResponse)
def duplicates_page(
    request: Request,
    access: Member,
    decided: Annotated[int | None, Query()] = None,
    outcome: Annotated[str, Query()] = "",
    group: Annotated[int | None, Query()] = None,
    undone: Annotated[int | None, Query()] = None,
    groups_page: Annotated[int, Query(alias="groups")] = 1,
) -> Response:
    message = None
    if undone is not None:
        message = (
            f"Duplicate group {undone} undone: its records are distinct again and stay apart in later runs."
        )
    if decided is not None and outcome == "same":
        message = f"Pair {decided}: the same study record, merged into duplicate group {group}."
    elif decided is not None and outcome == "different":
        message = f"Pair {decided}: different records; they stay apart in later runs."
    shown = duplicates_page_view(access.workspace, groups_page=groups_page)
    return _duplicates_page(request, access, shown, message=message)


@router.get("/duplicates/pairs/{pair_id}", response_class=HTMLResponse)
def pair_page(request: Request, access: Member, pair_id: int) -> Response:
    return _duplicates_page(request, access, duplicates_page_view(access.workspace, pair_id))


@router.post("/duplicates/pairs/{pair_id}")
def decide(
    access: Reviewer,
    pair_id: int,
    decision: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    """``decision``: ``same`` (key s) merges the two records' groups, ``different`` (key d) keeps
    them apart for good."""
    if decision not in DECISIONS:
        raise UserError(f"{decision!r} is not a decision", hint="Choose “same” or “different”.")
    group_id = decide_pair(
        access.workspace, pair_id, "confirm" if decision == "same" else "reject", note=note.strip() or None
    )
    target = f"/p/{access.workspace.project.key}/duplicates?decided={pair_id}&outcome={decision}"
    if group_id is not None:
        target += f"&group={group_id}"
    return RedirectResponse(target, status_code=303)


@router.post("/duplicates/run", response_class=HTMLResponse)
def run(access: Owner, scope: Annotated[str, Form()] = "new") -> Response:
    """Deduplication runs as a background job (``dedup.run``); the job's page follows it and links
    back here. A second press while one waits or runs shows that one instead of queuing another."""
    from synthesist.services.jobs import submit_job

    job_id = submit_job(
        access.workspace, "dedup.run", {"scope": "all" if scope == "all" else "new"}, once=True
    )
    return RedirectResponse(f"/p/{access.workspace.project.key}/jobs/{job_id}", status_code=303)


@router.get("/duplicates/groups/{group_id}", response_class=HTMLResponse)
def group_page(request: Request, access: Member, group_id: int) -> Response:
    view = show_group(access.workspace, group_id)
    members = [view.records[record_id] for record_id in view.group.member_ids]
    return page(
        request,
        access,
        "duplicates_group.html",
        view=view,
        members=members,
        rows=compare_rows([stored.record for stored in members]),
        filled=[(FIELDS.get(name, name), filled) for name, filled in view.group.filled.items()],
        can_undo=access.role.can_manage(),
        can_choose=access.role.can_screen(),
    )


@router.post("/duplicates/groups/{group_id}/primary")
def choose_primary(access: Reviewer, group_id: int, record_id: Annotated[int, Form()]) -> Response:
    set_group_primary(access.workspace, group_id, record_id)
    return RedirectResponse(
        f"/p/{access.workspace.project.key}/duplicates/groups/{group_id}", status_code=303
    )


@router.post("/duplicates/groups/{group_id}/undo")
def undo(access: Owner, group_id: int, note: Annotated[str, Form()] = "") -> Response:
    group = undo_group(access.workspace, group_id, note=note.strip() or None)
    return RedirectResponse(
        f"/p/{access.workspace.project.key}/duplicates?undone={group.id}", status_code=303
    )
