"""What appraisal works with: the protocol's checklist and rating rules, checked against each other,
and every included study's appraisal as it stands.

The rules are checked against every combination of answers the checklist allows
(:func:`synthesist.appraisal.rules.check_rules`) whenever a rating is needed. A rule naming an
answer the checklist does not have, a combination no rule covers, or (without ``ordered = true``) one
that two rules rate differently is a :class:`~synthesist.errors.ProtocolError` naming the line in
review.toml. Answering questions does not need the rules, so a protocol still being written never
stops the reviewers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from synthesist.appraisal.checklist import Checklist, LoadedChecklist, Question, find_checklist
from synthesist.appraisal.model import AppraisalMode, StoredAnswer, StudyStatus
from synthesist.appraisal.rules import Coverage, Rating, RuleSet, check_rules, describe_counts
from synthesist.appraisal.status import StudyAppraisal, derive
from synthesist.errors import ProtocolError
from synthesist.ports import UnitOfWork
from synthesist.services.fulltext.reports import StudyView, list_studies, list_studies_in
from synthesist.services.fulltext.study_refs import study_ref
from synthesist.toml_errors import KeyProblem, protocol_error
from synthesist.toml_lines import KeyPath, find_key_line, key_lines
from synthesist.workspace import Workspace

__all__ = [
    "AppraisalSetup",
    "AppraisedStudy",
    "appraisal_setup",
    "check_setup_rules",
    "coverage_of",
    "load_appraisals",
    "load_appraisals_in",
    "require_valid_rules",
    "unknown_answers",
]

_SHOWN = 8  # combinations named in an error message; `appraise rules --check` lists them all


@dataclass(frozen=True)
class AppraisalSetup:
    checklist: Checklist
    origin: str  # "built-in" or the checklist file
    mode: AppraisalMode
    reviewers: tuple[str, ...]
    rules: RuleSet | None  # None: the protocol wants no overall rating
    default_rules: bool  # the reference review's Table 1, not rules from review.toml
    rule_words: str | None  # review.toml's rating_rule: the rule in plain words


def appraisal_setup(workspace: Workspace) -> AppraisalSetup:
    """The checklist, mode and rules review.toml's ``[appraisal]`` names."""
    section = workspace.project.protocol.appraisal
    if section.tool is None:
        raise ProtocolError(
            "[appraisal] names no checklist",
            location=_location(workspace, ("appraisal",)),
            hint='Set tool = "casp-qualitative" (or another id `synthesist appraise checklists` lists) '
            "under [appraisal] in review.toml.",
        )
    loaded: LoadedChecklist = find_checklist(section.tool, workspace.project.root, section.checklists)
    return AppraisalSetup(
        checklist=loaded.checklist,
        origin=loaded.origin,
        mode=AppraisalMode(section.mode),
        reviewers=tuple(section.reviewers),
        rules=section.rule_set(),
        default_rules=section.default_rules,
        rule_words=section.rating_rule,
    )


def coverage_of(setup: AppraisalSetup) -> list[Coverage]:
    """The rules applied to every combination of answers, once per number of rated questions a
    study can have (one number, or one per category). Empty when there are no rules."""
    if setup.rules is None:
        return []
    answers = [option.id for option in setup.checklist.answers]
    return [check_rules(setup.rules, answers, count) for count in setup.checklist.rated_counts()]


def unknown_answers(workspace: Workspace, setup: AppraisalSetup) -> list[KeyProblem]:
    """The rules' counts of answers the checklist does not have (with their lines in review.toml):
    until they are fixed, checking the rules' coverage would say nothing true."""
    if setup.rules is None:
        return []
    problems: list[KeyProblem] = []
    known = {option.id for option in setup.checklist.answers}
    text, lines = _protocol_lines(workspace)
    for r, rule in enumerate(setup.rules.rules):
        for c, condition in enumerate(rule.when):
            for answer in condition.answers():
                if answer in known:
                    continue
                path = ("appraisal", "rating_rules", r, "when", c, answer)
                where = "the default rating rules count" if setup.default_rules else f"rule {r + 1} counts"
                problems.append(
                    KeyProblem(
                        path,
                        None if setup.default_rules else find_key_line(text, path, lines),
                        f'{where} "{answer}", which is not an answer of {setup.checklist.id} '
                        f"(its answers: {', '.join(sorted(known))})",
                    )
                )
    return problems


def check_setup_rules(workspace: Workspace, setup: AppraisalSetup) -> list[KeyProblem]:
    """Everything wrong with the rules for this checklist, each with its line in review.toml."""
    problems = unknown_answers(workspace, setup)
    if problems or setup.rules is None:
        return problems
    text, lines = _protocol_lines(workspace)
    rules_path: KeyPath = ("appraisal", "rating_rules")
    labels = setup.checklist.labels
    line = None if setup.default_rules else find_key_line(text, rules_path, lines)
    for coverage in coverage_of(setup):
        total = len(coverage.combinations)
        of = f"of the {total} combinations of answers to {coverage.questions} rated questions"
        if coverage.uncovered:
            shown = "; ".join(describe_counts(c.as_dict(), labels) for c in coverage.uncovered[:_SHOWN])
            more = " …" if len(coverage.uncovered) > _SHOWN else ""
            problems.append(
                KeyProblem(
                    rules_path,
                    line,
                    f"{len(coverage.uncovered)} {of} get no rating from any rule: {shown}{more}; "
                    "add a rule that covers them",
                )
            )
        if coverage.contested and not setup.rules.ordered:
            shown = "; ".join(
                f"{describe_counts(c.as_dict(), labels)} ("
                + ", ".join(f"rule {i + 1}: {setup.rules.rules[i].rating}" for i in c.matches)
                + ")"
                for c in coverage.contested[:_SHOWN]
            )
            more = " …" if len(coverage.contested) > _SHOWN else ""
            problems.append(
                KeyProblem(
                    rules_path,
                    line,
                    f"{len(coverage.contested)} {of} are rated differently by two rules: {shown}{more}; "
                    "make the rules exclusive, or set ordered = true under [appraisal] so that the "
                    "first matching rule wins",
                )
            )
    return problems


def require_valid_rules(workspace: Workspace, setup: AppraisalSetup) -> None:
    problems = check_setup_rules(workspace, setup)
    if not problems:
        return
    hint = "`synthesist appraise rules --check` shows what each rule covers."
    if setup.default_rules:
        hint = (
            f"The default rules (the reference review's Table 1) count Yes, No and Can't tell answers; "
            f"{setup.checklist.id} answers {', '.join(a.label for a in setup.checklist.answers)}. Write "
            "[[appraisal.rating_rules]] for it in review.toml, or set rating_rules = [] for no rating."
        )
    raise protocol_error(problems, "review.toml", hint=hint)


@dataclass(frozen=True)
class AppraisedStudy:
    """An included study with its appraisal and, once it is complete, its rating."""

    view: StudyView
    category: str | None
    questions: list[Question]  # the questions it answers, in checklist order
    appraisal: StudyAppraisal
    rating: Rating | None
    counts: dict[str, int]  # final answers to the rated questions, per answer id

    @property
    def label(self) -> str:
        return self.view.study.label

    @property
    def ref(self) -> str:
        return study_ref(self.view)

    @property
    def study_id(self) -> int | None:
        return self.view.study.id


def load_appraisals(
    workspace: Workspace,
    setup: AppraisalSetup,
    *,
    rate: bool = True,
    views: Sequence[StudyView] | None = None,
) -> list[AppraisedStudy]:
    """Every included study (or those of ``views``) with its appraisal; ``rate`` needs valid rules
    (call :func:`require_valid_rules` first), else ratings are left out."""
    chosen = list(views) if views is not None else list_studies(workspace, included_only=True)
    with workspace.unit_of_work(write=False) as uow:
        return load_appraisals_in(uow, workspace, setup, rate=rate, views=chosen)


def load_appraisals_in(
    uow: UnitOfWork,
    workspace: Workspace,
    setup: AppraisalSetup,
    *,
    rate: bool = True,
    views: Sequence[StudyView] | None = None,
) -> list[AppraisedStudy]:
    """:func:`load_appraisals` inside a unit of work the caller already has open (one snapshot)."""
    chosen = list(views) if views is not None else list_studies_in(uow, workspace, included_only=True)
    checklist = setup.checklist
    ids = [view.study.id for view in chosen if view.study.id is not None]
    answers = uow.appraisal.answers(checklist.id, ids) if ids else []
    categories = uow.appraisal.categories(checklist.id)
    by_study: dict[int, list[StoredAnswer]] = {}
    for answer in answers:
        by_study.setdefault(answer.study_id, []).append(answer)
    found: list[AppraisedStudy] = []
    for view in chosen:
        sid = view.study.id
        chosen_category = categories[sid].category if sid is not None and sid in categories else None
        found.append(_appraised(view, setup, chosen_category, by_study.get(sid or -1, []), rate))
    return found


def _appraised(
    view: StudyView, setup: AppraisalSetup, category: str | None, answers: list[StoredAnswer], rate: bool
) -> AppraisedStudy:
    checklist = setup.checklist
    needs_category = bool(checklist.categories) and category is None
    questions = checklist.questions_for(category)
    appraisal = derive(answers, [q.id for q in questions], setup.mode, needs_category=needs_category)
    finals = appraisal.final_answers()
    rated = checklist.rated_questions(category)
    counts = {option.id: 0 for option in checklist.answers}
    for question in rated:
        if question.id in finals:
            counts[finals[question.id]] += 1
    rating = None
    if rate and setup.rules is not None and appraisal.status is StudyStatus.COMPLETE:
        rating = setup.rules.rate(counts)
    return AppraisedStudy(view, category, questions, appraisal, rating, counts)


def _protocol_lines(workspace: Workspace) -> tuple[str, dict[KeyPath, int]]:
    try:
        text = workspace.project.protocol_path.read_text(encoding="utf-8-sig")
    except OSError:
        return "", {}
    return text, key_lines(text)


def _location(workspace: Workspace, path: KeyPath) -> str:
    text, lines = _protocol_lines(workspace)
    line = find_key_line(text, path, lines)
    return "review.toml" if line is None else f"review.toml:{line}"
