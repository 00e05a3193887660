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

from synthesist.appraisal.model import AppraisalMode, QuestionStatus, StoredAnswer, StudyStatus
from synthesist.appraisal.status import waiting_questions
from synthesist.errors import ProtocolError, UserError
from synthesist.reporting.appraisal_svg import render_traffic_light_svg
from synthesist.services.appraisal.answers import choose_category, resolve_question, verify_study
from synthesist.services.appraisal.setup import AppraisalSetup, appraisal_setup, check_setup_rules
from synthesist.services.appraisal.views import (
    StudyDetail,
    appraisal_overview,
    appraisal_table,
    study_detail,
)
from synthesist.services.web.forms import (
    AnswerInput,
    CheckedAnswers,
    check_answers,
    rating_explanation,
    save_answers,
)
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


def _setup_or_problem(access: Access) -> tuple[AppraisalSetup | None, ProtocolError | None]:
    """The protocol's checklist, or why there is none: a protocol without ``tool`` still gets a
    page saying what to add, not an error."""
    try:
        return appraisal_setup(access.workspace), None
    except ProtocolError as problem:
        return None, problem


def _inline_svg(svg: str) -> Markup:
    """The plot for inlining in the page: without its XML declaration, and hidden from screen
    readers, who get the table after it instead."""
    body = svg.split("?>", 1)[1].lstrip() if svg.startswith("<?xml") else svg
    body = body.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    return Markup(body)  # our own renderer's output: every text in it is escaped


@router.get("/appraisal", response_class=HTMLResponse)
def appraisal_page(request: Request, access: Member) -> Response:
    setup, problem = _setup_or_problem(access)
    if setup is None:
        return page(request, access, "appraisal.html", problem=problem, setup=None)
    overview = appraisal_overview(access.workspace)
    table = plot = None
    if not overview.rule_problems:
        table = appraisal_table(access.workspace)  # final answers only: nothing blind in it
        plot = _inline_svg(render_traffic_light_svg(table))
    studies = [
        {
            "study": study,
            "because": rating_explanation(setup, study),
            "waiting": len(waiting_questions(study.appraisal, access.user)),
        }
        for study in overview.studies
    ]
    return page(
        request,
        access,
        "appraisal.html",
        problem=None,
        setup=setup,
        studies=studies,
        rule_problems=overview.rule_problems,
        table=table,
        plot=plot,
    )


def _own_latest(detail: StudyDetail, user: str) -> dict[str, StoredAnswer]:
    latest: dict[str, StoredAnswer] = {}
    for question, answers in detail.answers.items():
        for answer in answers:
            if answer.reviewer == user:
                latest[question] = answer
    return latest


def _inputs_of(latest: dict[str, StoredAnswer]) -> dict[str, AnswerInput]:
    return {
        question: AnswerInput(answer.answer, answer.comment or "", answer.quote or "", str(answer.page or ""))
        for question, answer in latest.items()
    }


def _study_page(
    request: Request,
    access: Access,
    setup: AppraisalSetup,
    detail: StudyDetail,
    *,
    inputs: dict[str, AnswerInput] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    study, user = detail.study, access.user
    appraisal = study.appraisal
    own = _own_latest(detail, user)
    first = appraisal.reviewers[0] if appraisal.reviewers else None
    checking = appraisal.mode is AppraisalMode.SINGLE_VERIFIED and first is not None and first != user
    full = (
        appraisal.mode is AppraisalMode.DUAL
        and len(appraisal.reviewers) == 2
        and user not in appraisal.reviewers
    )
    can_answer = access.role.can_screen() and not checking and not full
    awaiting_check = [q for q, s in appraisal.questions.items() if s.status is QuestionStatus.AWAITING_CHECK]
    response = page(
        request,
        access,
        "appraisal_study.html",
        setup=setup,
        checklist=setup.checklist,
        study=study,
        detail=detail,
        mode=appraisal.mode.value,
        status=appraisal.status,
        needs_category=appraisal.status is StudyStatus.NEEDS_CATEGORY,
        inputs=inputs if inputs is not None else _inputs_of(own),
        errors=errors or {},
        can_answer=can_answer,
        full=full,
        checking=checking and access.role.can_screen() and bool(awaiting_check),
        first=first,
        awaiting_check=awaiting_check,
        first_answers={
            q: next((a for a in reversed(detail.answers[q]) if a.reviewer == first), None)
            for q in awaiting_check
        },
        # conflicts exist only once both appraisals are complete (dual) or checked (single-verified)
        conflicts=appraisal.conflicts(),
        can_resolve=access.role.can_resolve(),
        because=rating_explanation(setup, study),
        rule_problems=check_setup_rules(access.workspace, setup),
        labels=setup.checklist.labels,
        done=DONE.get(request.query_params.get("done", ""), ""),
    )
    response.status_code = status_code
    return response


def _study_url(access: Access, ref: str, done: str) -> str:
    return f"/p/{access.workspace.project.key}/appraisal/{ref}?done={done}"


@router.get("/appraisal/{study_id}", response_class=HTMLResponse)
def appraisal_study(request: Request, access: Member, study_id: str) -> Response:
    setup, problem = _setup_or_problem(access)
    if setup is None:
        return page(request, access, "appraisal.html", problem=problem, setup=None)
    detail = study_detail(access.workspace, study_id, access.user)  # blind-aware
    return _study_page(request, access, setup, detail)


def _required_setup(access: Access) -> AppraisalSetup:
    return appraisal_setup(access.workspace)  # a POST without a checklist is the protocol's error


@router.post("/appraisal/{study_id}")
def appraisal_save(request: Request, access: Reviewer, study_id: str, data: Posted) -> Response:
    """Save the reviewer's answers: each question answered (or changed) is recorded. The whole form
    is checked first; a mistake shows the form again as typed, with nothing written."""
    setup = _required_setup(access)
    detail = study_detail(access.workspace, study_id, access.user)
    questions = [q.id for q in detail.study.questions]
    inputs = {
        q: AnswerInput(
            str(data.get(f"a.{q}", "")),
            str(data.get(f"c.{q}", "")),
            str(data.get(f"q.{q}", "")),
            str(data.get(f"p.{q}", "")),
        )
        for q in questions
    }
    checked: CheckedAnswers = check_answers(setup.checklist, questions, inputs)
    if not checked.ok:
        return _study_page(
            request, access, setup, detail, inputs=inputs, errors=checked.errors, status_code=422
        )
    save_answers(access.workspace, detail.study.ref, checked, _own_latest(detail, access.user), access.user)
    return RedirectResponse(_study_url(access, detail.study.ref, "saved"), status_code=303)


@router.post("/appraisal/{study_id}/check")
def appraisal_check(
    access: Reviewer, study_id: str, data: Posted, comment: Annotated[str, Form()] = ""
) -> Response:
    """Single-verified: the second reviewer confirms the first reviewer's answers; a question given
    another answer is flagged (and becomes a conflict for the owners)."""
    _required_setup(access)
    detail = study_detail(access.workspace, study_id, access.user)
    appraisal = detail.study.appraisal
    first = appraisal.reviewers[0] if appraisal.reviewers else None
    flags: dict[str, str] = {}
    for question, state in appraisal.questions.items():
        chosen = str(data.get(f"a.{question}", ""))
        given = next((a for a in reversed(detail.answers[question]) if a.reviewer == first), None)
        if state.status is QuestionStatus.AWAITING_CHECK and given and chosen and chosen != given.answer:
            flags[question] = chosen
    verify_study(
        access.workspace, detail.study.ref, reviewer=access.user, flags=flags, comment=comment or None
    )
    return RedirectResponse(_study_url(access, detail.study.ref, "checked"), status_code=303)


@router.post("/appraisal/{study_id}/consensus")
def appraisal_consensus(
    access: Owner,
    study_id: str,
    question: Annotated[str, Form()],
    answer: Annotated[str, Form()],
    participants: Annotated[str, Form()],
    comment: Annotated[str, Form()] = "",
) -> Response:
    _required_setup(access)
    detail = study_detail(access.workspace, study_id, access.user)
    people = [name.strip() for name in participants.split(",") if name.strip()]
    resolve_question(
        access.workspace, detail.study.ref, question, answer, participants=people, comment=comment or None
    )
    return RedirectResponse(_study_url(access, detail.study.ref, "resolved"), status_code=303)


@router.post("/appraisal/{study_id}/category")
def appraisal_category(access: Reviewer, study_id: str, category: Annotated[str, Form()]) -> Response:
    if not category:
        raise UserError("choose the study's category")
    _required_setup(access)
    detail = study_detail(access.workspace, study_id, access.user)
    choose_category(access.workspace, detail.study.ref, category)
    return RedirectResponse(_study_url(access, detail.study.ref, "category"), status_code=303)
