"""Appraising included studies: answering checklist questions, checking another reviewer's answers,
settling conflicts by consensus, and choosing a study's category (importing answers from a CSV file
is :mod:`synthesist.services.appraisal.csv_import`).

Each write is one transaction with its events. Every answer is checked against the checklist
(the question exists and belongs to the study's category, the answer is on the scale) before it is
stored, and an error names the study and the question.

What kind an answer is follows from the mode, as in screening: in single-verified appraisal an
answer by someone other than the study's first reviewer is a check of the first reviewer's answer;
in dual appraisal the first two reviewers of a study answer independently, and a third is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from synthesist.appraisal.checklist import AnswerOption, Question
from synthesist.appraisal.model import AnswerKind, AppraisalMode, NewAnswer, QuestionStatus, StudyStatus
from synthesist.appraisal.status import StudyAppraisal, derive
from synthesist.errors import InvalidTransition, UserError
from synthesist.events import AppraisalAnswered, AppraisalCategoryChosen, AppraisalResolved
from synthesist.ports import UnitOfWork
from synthesist.records.clean import remove_controls
from synthesist.services.appraisal.setup import AppraisalSetup, appraisal_setup
from synthesist.services.fulltext.reports import StudyView, list_studies
from synthesist.services.fulltext.study_refs import resolve_study, stored_study_id
from synthesist.workspace import Workspace

__all__ = [
    "AnswerResult",
    "CategoryResult",
    "GivenAnswer",
    "answer_in",
    "answer_question",
    "answer_questions",
    "choose_category",
    "resolve_question",
    "verify_study",
]

_T = TypeVar("_T")


@dataclass(frozen=True)
class AnswerResult:
    study: str  # the study's label
    study_id: int
    question: Question
    answer: AnswerOption
    kind: AnswerKind
    answer_id: int
    question_status: QuestionStatus  # the question's status afterwards
    study_status: StudyStatus


def answer_question(
    workspace: Workspace,
    study: str,
    question: str,
    answer: str,
    *,
    reviewer: str,
    comment: str | None = None,
    quote: str | None = None,
    page: int | None = None,
) -> AnswerResult:
    """Record a reviewer's answer to one question of an included study's checklist."""
    setup = appraisal_setup(workspace)
    view = resolve_study(list_studies(workspace, included_only=True), study)
    with workspace.unit_of_work() as uow:
        result = answer_in(
            uow,
            workspace,
            setup,
            view,
            question,
            answer,
            reviewer=reviewer,
            comment=comment,
            quote=quote,
            page=page,
        )
        uow.commit()
    return result


@dataclass(frozen=True)
class GivenAnswer:
    """One question's answer as a form gives it (for :func:`answer_questions`)."""

    question: str
    answer: str
    comment: str | None = None
    quote: str | None = None
    page: int | None = None


def answer_questions(
    workspace: Workspace, study: str, answers: Sequence[GivenAnswer], *, reviewer: str
) -> list[AnswerResult]:
    """Record several answers of one reviewer to a study's checklist in one transaction: a checklist
    saved from the web app is written whole, or not at all when one answer is refused."""
    setup = appraisal_setup(workspace)
    view = resolve_study(list_studies(workspace, included_only=True), study)
    with workspace.unit_of_work() as uow:
        results = [
            answer_in(
                uow,
                workspace,
                setup,
                view,
                given.question,
                given.answer,
                reviewer=reviewer,
                comment=given.comment,
                quote=given.quote,
                page=given.page,
            )
            for given in answers
        ]
        uow.commit()
    return results


def answer_in(
    uow: UnitOfWork,
    workspace: Workspace,
    setup: AppraisalSetup,
    view: StudyView,
    question_text: str,
    answer_text: str,
    *,
    reviewer: str,
    comment: str | None = None,
    quote: str | None = None,
    page: int | None = None,
    imported_from: str | None = None,
    consensus_of: Sequence[str] = (),
) -> AnswerResult:
    """:func:`answer_question` in the caller's unit of work (an import is one transaction). The
    kind of answer follows from the mode; with ``consensus_of`` (the people who agreed on it) it is
    a consensus answer, which only :func:`resolve_question` gives."""
    checklist = setup.checklist
    label = view.study.label
    kind: AnswerKind | None = AnswerKind.CONSENSUS if consensus_of else None
    reviewer = " & ".join(consensus_of) if consensus_of else _check_reviewer(setup, reviewer)
    question = _named(label, question_text, partial(checklist.question, question_text))
    option = _named(label, question.id, partial(checklist.answer, answer_text))
    if page is not None and page < 1:
        raise UserError(f"study {label!r}, question {question.id}: page {page} is not a page number")
    study_id = stored_study_id(uow, workspace, view)
    uow.appraisal.lock_study(study_id)  # appraisers of one study are answered in turn
    category = _category_of(uow, setup, study_id)
    _check_in_study(setup, label, question, category)
    before = _derive(uow, setup, study_id, category)
    state = before.questions[question.id]
    if kind is None:
        if state.final is not None and state.final.kind is AnswerKind.CONSENSUS:
            raise InvalidTransition(
                f"study {label!r}, question {question.id} was settled by consensus "
                f"({', '.join(state.final.participants)}: {state.final.answer})",
                hint="To change a consensus answer: synthesist appraise resolve STUDY QUESTION ANSWER "
                "--with NAME --with NAME",
            )
        kind = _kind(setup, before, reviewer, question.id, label)
        if setup.mode is AppraisalMode.DUAL and not before.blind and reviewer in before.reviewers:
            other = next(name for name in before.reviewers if name != reviewer)
            raise InvalidTransition(
                f"study {label!r}: both appraisals are complete and you have seen {other}'s answers, "
                f"so your answer to question {question.id} can no longer change",
                hint="A disagreement is settled by consensus: synthesist appraise resolve STUDY QUESTION "
                "ANSWER --with NAME --with NAME (on the web: Appraisal conflicts).",
            )
    new = NewAnswer(
        study_id=study_id,
        checklist=checklist.id,
        question=question.id,
        reviewer=reviewer,
        answer=option.id,
        kind=kind,
        comment=_text(comment),
        quote=_text(quote),
        page=page,
        participants=tuple(consensus_of),
    )
    [answer_id] = uow.appraisal.add_answers([new])
    if kind is not AnswerKind.CONSENSUS:  # a consensus answer's event is resolve_question's
        event = AppraisalAnswered(
            answer_id=answer_id,
            study_id=study_id,
            study=label,
            checklist=checklist.id,
            question=question.id,
            reviewer=reviewer,
            answer=option.id,
            kind=kind.value,
            comment=new.comment,
            quote=new.quote,
            page=page,
            imported_from=imported_from,
        )
        uow.events.append(event, workspace.actor)
    after = _derive(uow, setup, study_id, category)
    return AnswerResult(
        label, study_id, question, option, kind, answer_id, after.questions[question.id].status, after.status
    )


def _named(label: str, question: str, lookup: Callable[[], _T]) -> _T:
    """Run a checklist lookup, naming the study (and question) in the error it raises."""
    try:
        return lookup()
    except UserError as error:
        raise UserError(f"study {label!r}, question {question}: {error.message}", hint=error.hint) from None


def _text(value: str | None) -> str | None:
    return remove_controls(value).strip() or None if value is not None else None


def _check_reviewer(setup: AppraisalSetup, reviewer: str) -> str:
    name = reviewer.strip()
    if not name:
        raise UserError("name the reviewer", hint="Pass --as NAME.")
    if setup.reviewers and name not in setup.reviewers:
        raise UserError(
            f"{name!r} is not an appraisal reviewer",
            hint=f"review.toml [appraisal] lists: {', '.join(setup.reviewers)}. Add the name there, or "
            "check its spelling.",
        )
    return name


def _category_of(uow: UnitOfWork, setup: AppraisalSetup, study_id: int) -> str | None:
    if not setup.checklist.categories:
        return None
    chosen = uow.appraisal.categories(setup.checklist.id).get(study_id)
    return chosen.category if chosen else None


def _check_in_study(setup: AppraisalSetup, label: str, question: Question, category: str | None) -> None:
    checklist = setup.checklist
    section = checklist.section(question.section)
    if section is None or not section.category or section.id == category:
        return
    if category is None:
        raise UserError(
            f"study {label!r}, question {question.id}: choose the study's {checklist.name} category first "
            f"(question {question.id} is in {section.title!r})",
            hint=f"synthesist appraise category {label!r} {section.id}",
        )
    chosen = checklist.section(category)
    raise UserError(
        f"study {label!r}, question {question.id} is in {section.title!r}, but the study is appraised "
        f"as {chosen.title if chosen else category!r}",
        hint="Answer that category's questions, or change it: synthesist appraise category STUDY CATEGORY",
    )


def _derive(uow: UnitOfWork, setup: AppraisalSetup, study_id: int, category: str | None) -> StudyAppraisal:
    checklist = setup.checklist
    questions = [q.id for q in checklist.questions_for(category)]
    answers = uow.appraisal.answers(checklist.id, [study_id])
    return derive(answers, questions, setup.mode, needs_category=bool(checklist.categories) and not category)


def _kind(
    setup: AppraisalSetup, before: StudyAppraisal, reviewer: str, question: str, label: str
) -> AnswerKind:
    if setup.mode is AppraisalMode.SINGLE_VERIFIED and before.reviewers and before.reviewers[0] != reviewer:
        first = before.reviewers[0]
        if before.questions[question].status is QuestionStatus.UNANSWERED:
            raise InvalidTransition(
                f"study {label!r}, question {question}: {first} has not answered it yet; in "
                "single-verified appraisal a check follows the first reviewer's answer",
            )
        return AnswerKind.VERIFY
    if setup.mode is AppraisalMode.DUAL and len(before.reviewers) == 2 and reviewer not in before.reviewers:
        first, second = before.reviewers
        raise InvalidTransition(
            f"study {label!r} is appraised by {first} and {second}; in dual appraisal two reviewers "
            "answer each study",
            hint="A third person can take part in settling conflicts: "
            "synthesist appraise resolve ... --with NAME",
        )
    return AnswerKind.APPRAISE


def resolve_question(
    workspace: Workspace,
    study: str,
    question: str,
    answer: str,
    *,
    participants: Sequence[str],
    comment: str | None = None,
) -> AnswerResult:
    """Settle a question two appraisals answered differently with the team's consensus answer (who
    took part is recorded); a question settled before may be settled again."""
    people = tuple(dict.fromkeys(name.strip() for name in participants if name.strip()))
    if len(people) < 2:
        raise UserError("a consensus needs the people who took part", hint="Pass --with NAME at least twice.")
    setup = appraisal_setup(workspace)
    view = resolve_study(list_studies(workspace, included_only=True), study)
    checklist = setup.checklist
    found = _named(view.study.label, question, partial(checklist.question, question))
    with workspace.unit_of_work() as uow:
        study_id = stored_study_id(uow, workspace, view)
        uow.appraisal.lock_study(study_id)
        before = _derive(uow, setup, study_id, _category_of(uow, setup, study_id))
        state = before.questions.get(found.id)
        settled = state is not None and state.final is not None and state.final.kind is AnswerKind.CONSENSUS
        if state is None or not (state.status is QuestionStatus.CONFLICT or settled):
            status = state.status.value if state else "not one of the study's questions"
            raise InvalidTransition(
                f"study {view.study.label!r}, question {found.id} is not in conflict (it is {status})",
                hint="`synthesist appraise conflicts` lists the questions to resolve.",
            )
        result = answer_in(
            uow, workspace, setup, view, found.id, answer, reviewer="", comment=comment, consensus_of=people
        )
        answers = {a.reviewer: a.answer for a in state.compared}
        event = AppraisalResolved(
            answer_id=result.answer_id,
            study_id=study_id,
            study=view.study.label,
            checklist=checklist.id,
            question=found.id,
            answer=result.answer.id,
            participants=list(people),
            answers=answers,
            comment=_text(comment),
        )
        uow.events.append(event, workspace.actor)
        uow.commit()
    return result


def verify_study(
    workspace: Workspace,
    study: str,
    *,
    reviewer: str,
    flags: Mapping[str, str] | None = None,
    comment: str | None = None,
) -> list[AnswerResult]:
    """Check the first reviewer's answers on a study (single-verified appraisal): every answer not yet
    checked is confirmed, except the flagged questions (question -> the checker's own answer), which
    become conflicts when they differ. ``comment`` goes with the flagged answers."""
    setup = appraisal_setup(workspace)
    if setup.mode is not AppraisalMode.SINGLE_VERIFIED:
        raise UserError(
            "checking is for single-verified appraisal; "
            f'review.toml [appraisal] mode is "{setup.mode.value}"',
            hint="In dual appraisal each reviewer answers every question: synthesist appraise start",
        )
    view = resolve_study(list_studies(workspace, included_only=True), study)
    label, checklist = view.study.label, setup.checklist
    flagged: dict[str, str] = {}
    for wanted, answer in (flags or {}).items():
        flagged[_named(label, wanted, partial(checklist.question, wanted)).id] = answer
    results: list[AnswerResult] = []
    with workspace.unit_of_work() as uow:
        study_id = stored_study_id(uow, workspace, view)
        uow.appraisal.lock_study(study_id)
        before = _derive(uow, setup, study_id, _category_of(uow, setup, study_id))
        name = _check_reviewer(setup, reviewer)
        if before.reviewers and before.reviewers[0] == name:
            raise UserError(f"{name} appraised {label!r}; a second reviewer checks it")
        waiting = [q for q, s in before.questions.items() if s.status is QuestionStatus.AWAITING_CHECK]
        for question in flagged:
            if (
                question not in before.questions
                or before.questions[question].status is QuestionStatus.UNANSWERED
            ):
                raise UserError(f"study {label!r}, question {question} has no answer to check yet")
        to_check = list(dict.fromkeys([*waiting, *flagged]))
        if not to_check:
            raise UserError(
                f"nothing of {label!r} waits for a check",
                hint="`synthesist appraise status` shows where each study stands.",
            )
        for question in to_check:
            first = next(a for a in before.answers if a.id == _first_answer_id(before, question))
            answer = flagged.get(question, first.answer)
            results.append(
                answer_in(
                    uow,
                    workspace,
                    setup,
                    view,
                    question,
                    answer,
                    reviewer=name,
                    comment=comment if question in flagged else None,
                )
            )
        uow.commit()
    return results


def _first_answer_id(appraisal: StudyAppraisal, question: str) -> int:
    first = appraisal.reviewers[0]
    return max(a.id for a in appraisal.answers if a.question == question and a.reviewer == first)


@dataclass(frozen=True)
class CategoryResult:
    study: str
    category: str
    previous: str | None
    set_aside: int  # answers to the previous category's questions, kept but no longer counted


def choose_category(workspace: Workspace, study: str, category: str) -> CategoryResult:
    """Choose the category a study is appraised in, for a checklist with alternatives (MMAT)."""
    setup = appraisal_setup(workspace)
    checklist = setup.checklist
    section = checklist.category(category)
    view = resolve_study(list_studies(workspace, included_only=True), study)
    with workspace.unit_of_work() as uow:
        study_id = stored_study_id(uow, workspace, view)
        previous = _category_of(uow, setup, study_id)
        if previous == section.id:
            return CategoryResult(view.study.label, section.id, previous, 0)
        old = {q.id for q in checklist.questions if previous is not None and q.section == previous}
        set_aside = sum(1 for a in uow.appraisal.answers(checklist.id, [study_id]) if a.question in old)
        uow.appraisal.set_category(study_id, checklist.id, section.id, by=workspace.actor)
        uow.events.append(
            AppraisalCategoryChosen(study_id, view.study.label, checklist.id, section.id, previous),
            workspace.actor,
        )
        uow.commit()
    return CategoryResult(view.study.label, section.id, previous, set_aside)
