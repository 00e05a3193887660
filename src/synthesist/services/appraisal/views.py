"""What appraisal shows: where each study stands, conflicts, agreement between reviewers, a study's
answers as a given reviewer may see them, the study × question table, and the blinding of dual
appraisal in the event log (no reviewer sees another's answers on a study before both appraisals
of it are complete)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from synthesist.appraisal.checklist import Question
from synthesist.appraisal.model import AppraisalMode, StoredAnswer, StudyStatus
from synthesist.appraisal.status import QuestionState, waiting_questions
from synthesist.events import LoggedEvent
from synthesist.ports import UnitOfWork
from synthesist.reporting.appraisal_table import AppraisalTable, TableColumn, TableGroup, TableRow
from synthesist.screening.agreement import Agreement, agreement
from synthesist.services.appraisal.setup import (
    AppraisalSetup,
    AppraisedStudy,
    appraisal_setup,
    check_setup_rules,
    load_appraisals,
    load_appraisals_in,
    require_valid_rules,
)
from synthesist.services.fulltext.reports import list_studies_in
from synthesist.services.fulltext.study_refs import resolve_study
from synthesist.toml_errors import KeyProblem
from synthesist.workspace import Workspace

__all__ = [
    "AppraisalOverview",
    "Conflict",
    "PairAgreement",
    "StudyDetail",
    "appraisal_agreement",
    "appraisal_conflicts",
    "appraisal_overview",
    "appraisal_table",
    "redact_blind_appraisal",
    "study_detail",
    "study_detail_in",
    "table_of",
    "waiting_studies",
]

NOT_RATED = "not rated"


@dataclass(frozen=True)
class AppraisalOverview:
    setup: AppraisalSetup
    studies: list[AppraisedStudy]
    rule_problems: list[KeyProblem]  # empty when the rules cover every combination once

    def statuses(self) -> Counter[StudyStatus]:
        return Counter(study.appraisal.status for study in self.studies)

    def rating_counts(self) -> dict[str, int]:
        """Studies per rating, in the rules' order, then those not rated yet."""
        ratings = self.setup.rules.ratings if self.setup.rules else []
        counts = dict.fromkeys(ratings, 0)
        for study in self.studies:
            key = study.rating.rating if study.rating else NOT_RATED
            counts[key] = counts.get(key, 0) + 1
        return counts


def appraisal_overview(workspace: Workspace) -> AppraisalOverview:
    """Every included study's appraisal; ratings only when the rules are sound (else the problems)."""
    setup = appraisal_setup(workspace)
    problems = check_setup_rules(workspace, setup)
    return AppraisalOverview(setup, load_appraisals(workspace, setup, rate=not problems), problems)


@dataclass(frozen=True)
class Conflict:
    study: AppraisedStudy
    question: Question
    state: QuestionState


def appraisal_conflicts(workspace: Workspace) -> list[Conflict]:
    """Every question two appraisals answered differently and no consensus has settled yet."""
    view = appraisal_overview(workspace)
    found: list[Conflict] = []
    for study in view.studies:
        questions = {q.id: q for q in study.questions}
        found += [Conflict(study, questions[state.question], state) for state in study.appraisal.conflicts()]
    return found


@dataclass(frozen=True)
class StudyDetail:
    study: AppraisedStudy
    answers: dict[str, list[StoredAnswer]]  # question -> the latest answer of each reviewer it shows
    blind: bool  # other reviewers' answers are hidden from the viewer


def study_detail(workspace: Workspace, study: str, viewer: str) -> StudyDetail:
    """A study's appraisal as ``viewer`` may see it: in blind dual appraisal only their own answers."""
    with workspace.unit_of_work(write=False) as uow:
        return study_detail_in(uow, workspace, appraisal_setup(workspace), study, viewer)


def study_detail_in(
    uow: UnitOfWork, workspace: Workspace, setup: AppraisalSetup, study: str, viewer: str
) -> StudyDetail:
    """:func:`study_detail` inside a unit of work the caller already has open (one snapshot)."""
    chosen = resolve_study(list_studies_in(uow, workspace, included_only=True), study)
    rate = not check_setup_rules(workspace, setup)
    [found] = load_appraisals_in(uow, workspace, setup, rate=rate, views=[chosen])
    latest: dict[tuple[str, str], StoredAnswer] = {}
    for answer in found.appraisal.visible_to(viewer):
        latest[(answer.question, answer.reviewer)] = answer
    by_question: dict[str, list[StoredAnswer]] = {q.id: [] for q in found.questions}
    for (question, _), answer in sorted(latest.items(), key=lambda item: item[1].id):
        by_question[question].append(answer)
    return StudyDetail(found, by_question, found.appraisal.blind and bool(found.appraisal.answers))


def waiting_studies(
    workspace: Workspace, reviewer: str, view: AppraisalOverview | None = None
) -> list[tuple[AppraisedStudy, list[str]]]:
    """The included studies with questions waiting for ``reviewer`` (to answer, or to check), and
    which; a study whose category is still to be chosen is listed with no questions. ``view``: an
    overview the caller has just read (the dashboard), so it is not read again."""
    view = view if view is not None else appraisal_overview(workspace)
    found: list[tuple[AppraisedStudy, list[str]]] = []
    for study in view.studies:
        if study.appraisal.status is StudyStatus.NEEDS_CATEGORY:
            found.append((study, []))
            continue
        waiting = waiting_questions(study.appraisal, reviewer)
        if waiting:
            found.append((study, waiting))
    return found


@dataclass(frozen=True)
class PairAgreement:
    reviewers: tuple[str, str]
    agreement: Agreement[str]
    studies: int


def appraisal_agreement(workspace: Workspace) -> list[PairAgreement]:
    """Cohen's kappa over items (study × question) for each pair of reviewers who both answered:
    the first reviewer and the checker (single-verified), or the two reviewers (dual, once both
    appraisals of a study are complete). Consensus answers are left out."""
    view = appraisal_overview(workspace)
    categories = [option.id for option in view.setup.checklist.answers]
    ratings: dict[tuple[str, str], list[tuple[str, str]]] = {}
    studies: dict[tuple[str, str], set[int]] = {}
    for study in view.studies:
        for pair in study.appraisal.pairs():
            first, second = sorted((pair.first, pair.second), key=lambda a: a.reviewer)
            key = (first.reviewer, second.reviewer)
            ratings.setdefault(key, []).append((first.answer, second.answer))
            studies.setdefault(key, set()).add(pair.first.study_id)
    return [
        PairAgreement(key, agreement(pairs, categories=categories), len(studies[key]))
        for key, pairs in sorted(ratings.items())
    ]


def appraisal_table(workspace: Workspace) -> AppraisalTable:
    """The study × question table (Table S3 style): each study's final answers and its rating. The
    rules must be sound (:class:`~synthesist.errors.ProtocolError` naming the lines otherwise)."""
    setup = appraisal_setup(workspace)
    require_valid_rules(workspace, setup)
    return table_of(setup, load_appraisals(workspace, setup))


def table_of(setup: AppraisalSetup, studies: Sequence[AppraisedStudy]) -> AppraisalTable:
    """:func:`appraisal_table` of studies already loaded (rated: the rules must be sound)."""
    checklist = setup.checklist
    groups: list[TableGroup] = []
    categories: list[str | None] = [section.id for section in checklist.categories] or [None]
    for category in categories:
        members = [s for s in studies if s.category == category]
        if category is not None and not members:
            continue
        questions = checklist.questions_for(category)
        title = checklist.section(category).title if category is not None else None  # type: ignore[union-attr]
        rows = tuple(_row(study, questions) for study in members)
        columns = tuple(TableColumn(q.id, q.heading, q.text) for q in questions)
        groups.append(TableGroup(title, columns, rows))
    if checklist.categories:
        waiting = [s for s in studies if s.category is None]
        if waiting:
            groups.append(TableGroup("Category not chosen yet", (), tuple(_row(s, []) for s in waiting)))
    rules = setup.rules
    return AppraisalTable(
        checklist=checklist,
        groups=tuple(groups),
        ratings=tuple(rules.ratings) if rules else (),
        rules=rules,
        default_rules=setup.default_rules,
        rule_words=setup.rule_words,
        dual=setup.mode is AppraisalMode.DUAL,
    )


def _row(study: AppraisedStudy, questions: list[Question]) -> TableRow:
    finals = study.appraisal.final_answers()
    rating = study.rating
    return TableRow(
        study=study.label,
        ref=study.ref,
        cells=tuple(finals.get(q.id) for q in questions),
        rating=rating.rating if rating else None,
        rule=rating.rule if rating else None,
        unstated=rating.unstated if rating else False,
        status=study.appraisal.status.value,
    )


def redact_blind_appraisal(workspace: Workspace, events: list[LoggedEvent], viewer: str) -> list[LoggedEvent]:
    """The event log as ``viewer`` may see it: another reviewer's answer on a study still in blind
    dual appraisal is shown as hidden (the event stays, so the audit trail is complete)."""
    if not any(event.type == "appraisal.answered" for event in events):
        return events
    protocol = workspace.project.protocol.appraisal
    if protocol.mode != "dual" or protocol.tool is None:
        return events
    setup = appraisal_setup(workspace)
    blind = {
        study.study_id
        for study in load_appraisals(workspace, setup, rate=False)
        if study.appraisal.blind and study.study_id is not None
    }
    shown = []
    for event in events:
        payload = event.payload
        if (
            event.type == "appraisal.answered"
            and payload.get("reviewer") != viewer
            and payload.get("study_id") in blind
        ):
            hidden = {"answer": "hidden (blind appraisal)", "comment": None, "quote": None, "page": None}
            event = replace(event, payload={**payload, **hidden})
        shown.append(event)
    return shown
