"""Read models and form posts of the appraisal pages: the included studies with their status, rating
and the traffic-light plot; one study's checklist as a form, with the second reviewer's check and
the owners' consensus. Each page is read from one unit of work, each form is one service call.

Blinding comes from :func:`study_detail_in` (in blind dual appraisal the viewer's own answers
only); conflicts exist only once both appraisals are complete; the plot shows final answers only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from synthesist.appraisal.checklist import Checklist
from synthesist.appraisal.model import AppraisalMode, QuestionStatus, StoredAnswer
from synthesist.appraisal.status import waiting_questions
from synthesist.errors import ProtocolError, UserError
from synthesist.reporting.appraisal_svg import render_traffic_light_svg
from synthesist.reporting.appraisal_table import AppraisalTable
from synthesist.review.accounts import Role
from synthesist.services.appraisal.answers import choose_category, resolve_question, verify_study
from synthesist.services.appraisal.setup import (
    AppraisalSetup,
    AppraisedStudy,
    appraisal_setup,
    check_setup_rules,
    load_appraisals_in,
)
from synthesist.services.appraisal.views import StudyDetail, study_detail_in, table_of
from synthesist.services.web.forms import AnswerInput, check_answers, rating_explanation, save_answers
from synthesist.toml_errors import KeyProblem
from synthesist.workspace import Workspace

__all__ = [
    "AppraisalPage",
    "AppraisalStudyPage",
    "StudyLine",
    "appraisal_page",
    "appraisal_study_page",
    "check_appraisal",
    "choose_study_category",
    "record_appraisal_consensus",
    "save_appraisal_form",
]


@dataclass(frozen=True)
class StudyLine:
    study: AppraisedStudy
    because: str | None  # the rating explained by the rule that gave it
    waiting: int  # questions waiting for the viewer


@dataclass(frozen=True)
class AppraisalPage:
    setup: AppraisalSetup | None  # None: the protocol has no checklist (``problem`` says why)
    problem: ProtocolError | None = None
    studies: tuple[StudyLine, ...] = ()
    rule_problems: tuple[KeyProblem, ...] = ()
    table: AppraisalTable | None = None  # final answers only (None while the rules have problems)
    plot: str | None = None  # the traffic-light plot of ``table`` (SVG)


def _setup_or_problem(workspace: Workspace) -> tuple[AppraisalSetup | None, ProtocolError | None]:
    """A protocol without ``tool`` still gets a page saying what to add, not an error."""
    try:
        return appraisal_setup(workspace), None
    except ProtocolError as problem:
        return None, problem


def appraisal_page(workspace: Workspace, viewer: str) -> AppraisalPage:
    setup, problem = _setup_or_problem(workspace)
    if setup is None:
        return AppraisalPage(None, problem)
    rule_problems = check_setup_rules(workspace, setup)
    with workspace.unit_of_work(write=False) as uow:
        studies = load_appraisals_in(uow, workspace, setup, rate=not rule_problems)
    table = plot = None
    if not rule_problems:
        table = table_of(setup, studies)  # final answers only: nothing blind in it
        plot = render_traffic_light_svg(table)
    lines = tuple(
        StudyLine(study, rating_explanation(setup, study), len(waiting_questions(study.appraisal, viewer)))
        for study in studies
    )
    return AppraisalPage(setup, None, lines, tuple(rule_problems), table, plot)


@dataclass(frozen=True)
class AppraisalStudyPage:
    setup: AppraisalSetup
    detail: StudyDetail
    inputs: dict[str, AnswerInput]  # by question: what the form shows
    can_answer: bool
    full: bool  # dual appraisal with two reviewers already, the viewer not one of them
    checking: bool  # single-verified: the viewer checks the first reviewer's answers now
    first: str | None  # the first reviewer
    awaiting_check: tuple[str, ...]
    first_answers: dict[str, StoredAnswer | None]  # the first reviewer's answer to each awaiting check
    because: str | None
    rule_problems: tuple[KeyProblem, ...]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def checklist(self) -> Checklist:
        return self.setup.checklist


def _own_latest(detail: StudyDetail, user: str) -> dict[str, StoredAnswer]:
    latest: dict[str, StoredAnswer] = {}
    for question, answers in detail.answers.items():
        for answer in answers:
            if answer.reviewer == user:
                latest[question] = answer
    return latest


def _detail(workspace: Workspace, setup: AppraisalSetup, study: str, viewer: str) -> StudyDetail:
    with workspace.unit_of_work(write=False) as uow:
        return study_detail_in(uow, workspace, setup, study, viewer)  # blind-aware


def _study_page(
    workspace: Workspace, setup: AppraisalSetup, detail: StudyDetail, viewer: str, role: Role
) -> AppraisalStudyPage:
    appraisal = detail.study.appraisal
    first = appraisal.reviewers[0] if appraisal.reviewers else None
    checking = appraisal.mode is AppraisalMode.SINGLE_VERIFIED and first is not None and first != viewer
    full = (
        appraisal.mode is AppraisalMode.DUAL
        and len(appraisal.reviewers) == 2
        and viewer not in appraisal.reviewers
    )
    awaiting = tuple(q for q, s in appraisal.questions.items() if s.status is QuestionStatus.AWAITING_CHECK)
    own = _own_latest(detail, viewer)
    return AppraisalStudyPage(
        setup=setup,
        detail=detail,
        inputs={
            question: AnswerInput(
                answer.answer, answer.comment or "", answer.quote or "", str(answer.page or "")
            )
            for question, answer in own.items()
        },
        can_answer=role.can_screen() and not checking and not full,
        full=full,
        checking=checking and role.can_screen() and bool(awaiting),
        first=first,
        awaiting_check=awaiting,
        first_answers={
            q: next((a for a in reversed(detail.answers[q]) if a.reviewer == first), None) for q in awaiting
        },
        because=rating_explanation(setup, detail.study),
        rule_problems=tuple(check_setup_rules(workspace, setup)),
    )


def appraisal_study_page(
    workspace: Workspace, study: str, viewer: str, role: Role
) -> AppraisalStudyPage | AppraisalPage:
    """The study's page, or (the protocol has no checklist) the overview saying what to add."""
    setup, problem = _setup_or_problem(workspace)
    if setup is None:
        return AppraisalPage(None, problem)
    return _study_page(workspace, setup, _detail(workspace, setup, study, viewer), viewer, role)


@dataclass(frozen=True)
class SaveOutcome:
    ref: str  # the study's reference, for the page to go back to
    refused: AppraisalStudyPage | None  # the form again, as typed with its mistakes (nothing saved)


def save_appraisal_form(
    workspace: Workspace, study: str, viewer: str, role: Role, submitted: Mapping[str, AnswerInput]
) -> SaveOutcome:
    """The answers form's post: each question answered (or changed) is recorded, in one transaction.
    The whole form is checked first; a mistake gives the page back as typed, with nothing written."""
    setup = appraisal_setup(workspace)  # a post without a checklist is the protocol's error
    detail = _detail(workspace, setup, study, viewer)
    questions = [q.id for q in detail.study.questions]
    inputs = {q: submitted.get(q, AnswerInput()) for q in questions}
    checked = check_answers(setup.checklist, questions, inputs)
    if not checked.ok:
        shown = _study_page(workspace, setup, detail, viewer, role)
        return SaveOutcome(detail.study.ref, replace(shown, inputs=inputs, errors=checked.errors))
    save_answers(workspace, detail.study.ref, checked, _own_latest(detail, viewer), viewer)
    return SaveOutcome(detail.study.ref, None)


def check_appraisal(
    workspace: Workspace, study: str, viewer: str, chosen: Mapping[str, str], comment: str | None
) -> str:
    """Single-verified: the second reviewer confirms the first reviewer's answers; a question given
    another answer (``chosen``, by question) is flagged and becomes a conflict for the owners.
    Returns the study's reference."""
    setup = appraisal_setup(workspace)
    detail = _detail(workspace, setup, study, viewer)
    appraisal = detail.study.appraisal
    first = appraisal.reviewers[0] if appraisal.reviewers else None
    flags: dict[str, str] = {}
    for question, state in appraisal.questions.items():
        answer = chosen.get(question, "")
        given = next((a for a in reversed(detail.answers[question]) if a.reviewer == first), None)
        if state.status is QuestionStatus.AWAITING_CHECK and given and answer and answer != given.answer:
            flags[question] = answer
    verify_study(workspace, detail.study.ref, reviewer=viewer, flags=flags, comment=comment)
    return detail.study.ref


def record_appraisal_consensus(
    workspace: Workspace,
    study: str,
    viewer: str,
    question: str,
    answer: str,
    participants: Sequence[str],
    comment: str | None,
) -> str:
    """An owner records the agreed answer to a question two appraisals disagree on."""
    ref = _detail(workspace, appraisal_setup(workspace), study, viewer).study.ref
    resolve_question(workspace, ref, question, answer, participants=participants, comment=comment)
    return ref


def choose_study_category(workspace: Workspace, study: str, viewer: str, category: str) -> str:
    """Choose the category the study is appraised in (a checklist with alternatives, MMAT)."""
    if not category:
        raise UserError("choose the study's category")
    ref = _detail(workspace, appraisal_setup(workspace), study, viewer).study.ref
    choose_category(workspace, ref, category)
    return ref
