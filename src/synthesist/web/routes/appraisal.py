"""Critical appraisal in the browser: the included studies with their status and rating and the
traffic-light plot, one study's checklist as a form, the second reviewer's check (single-verified),
consensus on conflicts (owners) and the choice of a study's category (MMAT).

Blinding follows from the services' views: a study's answers come from ``study_detail``, which in
blind dual appraisal gives the viewer only their own; conflicts (the two answers side by side)
exist only once both appraisals are complete; the plot and the overview show final answers only.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.datastructures import FormData

from synthesist.appraisal.model import StudyStatus
from synthesist.services.web.forms import AnswerInput
from synthesist.services.web.pages_appraisal import (
    AppraisalPage,
    AppraisalStudyPage,
    appraisal_study_page,
    check_appraisal,
    choose_study_category,
    record_appraisal_consensus,
    save_appraisal_form,
)
from synthesist.services.web.pages_appraisal import appraisal_page as appraisal_page_view
from synthesist.web.auth import Access, Member, Owner, Reviewer
from synthesist.web.routes.projects import page

__all__ = ["router"]

router = APIRouter(prefix="/p/{key}")

DONE = {
    "saved": "Your answers are saved.",
    "checked": "Your check is recorded.",
    "resolved": "The consensus answer is recorded.",
    "category": "The category is chosen.",
}


async def _posted(request: Request) -> FormData:
    """The submitted form (already read by the CSRF check, so this costs nothing)."""
    return await request.form()


Posted = Annotated[FormData, Depends(_posted)]


def _inline_svg(svg: str) -> Markup:
    """The plot for inlining in the page: without its XML declaration, and hidden from screen
    readers, who get the table after it instead."""
    body = svg.split("?>", 1)[1].lstrip() if svg.startswith("<?xml") else svg
    body = body.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    return Markup(body)  # our own renderer's output: every text in it is escaped


def _overview(request: Request, access: Access, shown: AppraisalPage) -> Response:
    if shown.setup is None:
        return page(request, access, "appraisal.html", problem=shown.problem, setup=None)
    return page(
        request,
        access,
        "appraisal.html",
        problem=None,
        setup=shown.setup,
        studies=shown.studies,
        rule_problems=shown.rule_problems,
        table=shown.table,
        plot=_inline_svg(shown.plot) if shown.plot is not None else None,
    )


@router.get("/appraisal", response_class=HTMLResponse)
def appraisal_page(request: Request, access: Member) -> Response:
    return _overview(request, access, appraisal_page_view(access.workspace, access.reviewer))


def _study_page(
    request: Request, access: Access, shown: AppraisalStudyPage, *, status_code: int = 200
) -> Response:
    study = shown.detail.study
    appraisal = study.appraisal
    response = page(
        request,
        access,
        "appraisal_study.html",
        setup=shown.setup,
        checklist=shown.checklist,
        study=study,
        detail=shown.detail,
        mode=appraisal.mode.value,
        status=appraisal.status,
        needs_category=appraisal.status is StudyStatus.NEEDS_CATEGORY,
        inputs=shown.inputs,
        errors=shown.errors,
        can_answer=shown.can_answer,
        full=shown.full,
        checking=shown.checking,
        first=shown.first,
        awaiting_check=shown.awaiting_check,
        first_answers=shown.first_answers,
        # conflicts exist only once both appraisals are complete (dual) or checked (single-verified)
        conflicts=appraisal.conflicts(),
        can_resolve=access.role.can_resolve(),
        because=shown.because,
        rule_problems=shown.rule_problems,
        labels=shown.checklist.labels,
        done=DONE.get(request.query_params.get("done", ""), ""),
    )
    response.status_code = status_code
    return response


def _study_url(access: Access, ref: str, done: str) -> str:
    return f"/p/{access.workspace.project.key}/appraisal/{ref}?done={done}"


@router.get("/appraisal/{study_id}", response_class=HTMLResponse)
def appraisal_study(request: Request, access: Member, study_id: str) -> Response:
    shown = appraisal_study_page(access.workspace, study_id, access.reviewer, access.role)
    if isinstance(shown, AppraisalPage):  # no checklist in the protocol: the overview says what to add
        return _overview(request, access, shown)
    return _study_page(request, access, shown)


def _submitted(data: FormData) -> dict[str, AnswerInput]:
    """Each question the form sent, as typed (``a.``, ``c.``, ``q.``, ``p.`` + the question id)."""
    questions = {key[2:] for key in data if key[:2] in ("a.", "c.", "q.", "p.")}
    return {
        q: AnswerInput(
            str(data.get(f"a.{q}", "")),
            str(data.get(f"c.{q}", "")),
            str(data.get(f"q.{q}", "")),
            str(data.get(f"p.{q}", "")),
        )
        for q in questions
    }


@router.post("/appraisal/{study_id}")
def appraisal_save(request: Request, access: Reviewer, study_id: str, data: Posted) -> Response:
    """Save the reviewer's answers: each question answered (or changed) is recorded. The whole form
    is checked first; a mistake shows the form again as typed, with nothing written."""
    outcome = save_appraisal_form(access.workspace, study_id, access.reviewer, access.role, _submitted(data))
    if outcome.refused is not None:
        return _study_page(request, access, outcome.refused, status_code=422)
    return RedirectResponse(_study_url(access, outcome.ref, "saved"), status_code=303)


@router.post("/appraisal/{study_id}/check")
def appraisal_check(
    access: Reviewer, study_id: str, data: Posted, comment: Annotated[str, Form()] = ""
) -> Response:
    """Single-verified: the second reviewer confirms the first reviewer's answers; a question given
    another answer is flagged (and becomes a conflict for the owners)."""
    chosen = {key[2:]: str(value) for key, value in data.items() if key.startswith("a.")}
    ref = check_appraisal(access.workspace, study_id, access.reviewer, chosen, comment or None)
    return RedirectResponse(_study_url(access, ref, "checked"), status_code=303)


@router.post("/appraisal/{study_id}/consensus")
def appraisal_consensus(
    access: Owner,
    study_id: str,
    question: Annotated[str, Form()],
    answer: Annotated[str, Form()],
    participants: Annotated[str, Form()],
    comment: Annotated[str, Form()] = "",
) -> Response:
    people = [name.strip() for name in participants.split(",") if name.strip()]
    ref = record_appraisal_consensus(
        access.workspace, study_id, access.reviewer, question, answer, people, comment or None
    )
    return RedirectResponse(_study_url(access, ref, "resolved"), status_code=303)


@router.post("/appraisal/{study_id}/category")
def appraisal_category(access: Reviewer, study_id: str, category: Annotated[str, Form()]) -> Response:
    ref = choose_study_category(access.workspace, study_id, access.reviewer, category)
    return RedirectResponse(_study_url(access, ref, "category"), status_code=303)
