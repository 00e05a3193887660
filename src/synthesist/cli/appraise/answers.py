"""``synthesist appraise``: the terminal session's entry (``start``; the session is in ``session.py``),
scripted answers, CSV import, checks, conflicts and consensus, categories, and where appraisal stands.
The checklists, rating rules, table and plots are in ``outputs.py``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from synthesist.appraisal.model import StoredAnswer
from synthesist.cli.appraise.session import answer_line, run_session
from synthesist.cli.common import ActorOption, JsonOption, ProjectOption, console, open_project, print_json
from synthesist.services.appraisal.answers import (
    AnswerResult,
    answer_question,
    choose_category,
    resolve_question,
    verify_study,
)
from synthesist.services.appraisal.csv_import import import_answers
from synthesist.services.appraisal.views import (
    appraisal_agreement,
    appraisal_conflicts,
    appraisal_overview,
    study_detail,
)
from synthesist.wording import plural, verb_for

__all__ = ["register"]


StudyArgument = Annotated[
    str, typer.Argument(help='The study: its label ("Cooper 2008"), one of its record ids, or S + its id.')
]
QuestionArgument = Annotated[str, typer.Argument(help="The question: its id (3, 1.2, S1) or heading (Q3).")]
AnswerArgument = Annotated[
    str, typer.Argument(help="The answer: yes, no, cant_tell, its abbreviation (Y, N, CT) or key (y, n, c).")
]
CommentOption = Annotated[str | None, typer.Option("--comment", help="Why: kept with the answer.")]


def start(
    study: Annotated[
        str | None, typer.Argument(help="Only this study (default: every study waiting).")
    ] = None,
    quotes: Annotated[
        bool, typer.Option("--quotes", help="Ask for a supporting quote and its page after each answer.")
    ] = False,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Appraise in the terminal, one question at a time with its hint.

    Goes through every study with questions waiting for you (to answer, or to check in
    single-verified appraisal), or the one named. Type the answer's key (y, n, c) and optionally a
    comment after it; Enter keeps the answer shown; b back, s skip, q quit. Answers are saved as
    you go.

    Example: synthesist appraise start --as alice

    Example: synthesist appraise start "Cooper 2008" --quotes --as alice
    """
    with open_project(project, actor) as workspace:
        name = workspace.actor  # the protocol's spelling when actor is an account's login
        run_session(workspace, name, study, quotes=quotes)


def set_answer(
    study: StudyArgument,
    question: QuestionArgument,
    answer: AnswerArgument,
    comment: CommentOption = None,
    quote: Annotated[str | None, typer.Option("--quote", help="A supporting quote from the report.")] = None,
    page: Annotated[int | None, typer.Option("--page", help="The page the quote is on.", min=1)] = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Answer one question for one study (for scripts).

    Answering again replaces your answer; in single-verified appraisal a second reviewer's answer is
    a check of the first one's.

    Example: synthesist appraise set "Cooper 2008" 6 no --comment "no reflexivity" --as alice
    """
    with open_project(project, actor) as workspace:
        name = workspace.actor  # the protocol's spelling when actor is an account's login
        result = answer_question(
            workspace, study, question, answer, reviewer=name, comment=comment, quote=quote, page=page
        )
    if as_json:
        print_json(_result_json(result))
        return
    console.print(answer_line(result))


def import_command(
    file: Annotated[
        Path, typer.Argument(help="A CSV file: study, question, answer[, comment, quote, page, reviewer].")
    ],
    project: ProjectOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import answers from a CSV file, all or nothing.

    The file is UTF-8 with a header line naming the columns. A bad line stops the import with the
    file, the line and what is wrong, and nothing is saved.

    Example: synthesist appraise import casp-answers.csv --as alice
    """
    with open_project(project, actor) as workspace:
        name = workspace.actor  # the protocol's spelling when actor is an account's login
        result = import_answers(workspace, file, reviewer=name)
    if as_json:
        print_json({"file": result.file_name, "answers": [_result_json(r) for r in result.answers]})
        return
    console.print(
        f"Imported {plural(len(result.answers), 'answer')} on "
        f"{plural(len(result.studies), 'study', 'studies')} from {escape(result.file_name)}."
    )


def verify(
    study: StudyArgument,
    flag: Annotated[
        list[str] | None,
        typer.Option("--flag", help="QUESTION=ANSWER: your different answer to a question, repeatable."),
    ] = None,
    comment: CommentOption = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Check another reviewer's appraisal of a study (single-verified mode).

    Confirms every answer not yet checked, except the questions you flag with your own answer; a
    flagged answer that differs is a conflict.

    Example: synthesist appraise verify "Cooper 2008" --flag 6=cant_tell --comment "p. 4 mentions it" --as bob
    """
    flags: dict[str, str] = {}
    for item in flag or []:
        question, sign, answer = item.partition("=")
        if not sign or not question.strip() or not answer.strip():
            raise typer.BadParameter(
                f"{item!r}: write QUESTION=ANSWER, e.g. 6=cant_tell", param_hint="--flag"
            )
        flags[question.strip()] = answer.strip()
    with open_project(project, actor) as workspace:
        name = workspace.actor  # the protocol's spelling when actor is an account's login
        results = verify_study(workspace, study, reviewer=name, flags=flags, comment=comment)
    differing = [r for r in results if r.question_status.value == "conflict"]
    console.print(
        f"Checked {plural(len(results), 'answer')} of {escape(results[0].study)}: "
        f"{len(results) - len(differing)} confirmed, {len(differing)} in conflict; "
        f"study {results[-1].study_status.value}."
    )


def conflicts(project: ProjectOption = None, as_json: JsonOption = False) -> None:
    """List the questions two appraisals answered differently, with each answer and comment.

    Example: synthesist appraise conflicts
    """
    with open_project(project) as workspace:
        found = appraisal_conflicts(workspace)
    if as_json:
        print_json(
            [
                {
                    "study": c.study.label,
                    "study_ref": c.study.ref,
                    "question": c.question.id,
                    "answers": [_answer_json(a) for a in c.state.compared],
                }
                for c in found
            ]
        )
        return
    table = Table(title=plural(len(found), "conflict"))
    table.add_column("Study")
    table.add_column("Question", overflow="fold", ratio=1)
    table.add_column("Answers", overflow="fold", ratio=1)
    for conflict in found:
        answers = "; ".join(
            f"{a.reviewer}: {a.answer}" + (f" ({a.comment})" if a.comment else "")
            for a in conflict.state.compared
        )
        table.add_row(
            escape(conflict.study.label),
            escape(f"{conflict.question.heading}. {conflict.question.text}"),
            escape(answers),
        )
    console.print(table)
    if found:
        console.print(
            "Settle one with: synthesist appraise resolve STUDY QUESTION ANSWER --with NAME --with NAME"
        )


def resolve(
    study: StudyArgument,
    question: QuestionArgument,
    answer: AnswerArgument,
    participants: Annotated[
        list[str], typer.Option("--with", help="Who took part, repeatable (two or more).")
    ],
    comment: CommentOption = None,
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Settle a conflict with the team's consensus answer (who took part is recorded).

    Example: synthesist appraise resolve "Cooper 2008" 6 cant_tell --with alice --with bob
    """
    with open_project(project, actor) as workspace:
        result = resolve_question(
            workspace, study, question, answer, participants=participants, comment=comment
        )
    console.print(answer_line(result))


def category(
    study: StudyArgument,
    chosen: Annotated[str, typer.Argument(metavar="CATEGORY", help="The category's id, title or number.")],
    project: ProjectOption = None,
    actor: ActorOption = None,
) -> None:
    """Choose the checklist category a study is appraised in (MMAT's study designs).

    MMAT's categories: qualitative, rct, non-randomised, descriptive, mixed. Answers to another
    category's questions are kept but no longer count.

    Example: synthesist appraise category "Cooper 2008" qualitative
    """
    with open_project(project, actor) as workspace:
        result = choose_category(workspace, study, chosen)
    was = f" (was {result.previous})" if result.previous and result.previous != result.category else ""
    console.print(f"{escape(result.study)} is appraised as {escape(result.category)}{escape(was)}.")
    if result.set_aside:
        console.print(
            f"{plural(result.set_aside, 'answer')} to {escape(str(result.previous))} questions "
            f"{verb_for(result.set_aside, 'no longer counts', 'no longer count')}."
        )


def show(
    study: StudyArgument,
    project: ProjectOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """A study's appraisal: each question's answers with comments and quotes, and the rating.

    In blind dual appraisal you see only your own answers until both appraisals are complete.

    Example: synthesist appraise show "Cooper 2008" --as alice
    """
    with open_project(project, actor) as workspace:
        name = workspace.actor  # the protocol's spelling when actor is an account's login
        detail = study_detail(workspace, study, name)
    found = detail.study
    states = found.appraisal.questions
    finals = found.appraisal.final_answers()
    if as_json:
        print_json(
            {
                "study": found.label,
                "study_ref": found.ref,
                "category": found.category,
                "status": found.appraisal.status.value,
                "rating": found.rating.rating if found.rating else None,
                "blind": detail.blind,
                "questions": [
                    {
                        "question": q.id,
                        "status": states[q.id].status.value,
                        "final": finals.get(q.id),
                        "answers": [_answer_json(a) for a in detail.answers[q.id]],
                    }
                    for q in found.questions
                ],
            }
        )
        return
    table = Table(title=f"{found.label}: {found.appraisal.status.value}", show_lines=True)
    table.add_column("Question", overflow="fold", ratio=2)
    table.add_column("Answers", overflow="fold", ratio=3)
    table.add_column("Status")
    for question in found.questions:
        answers = "\n".join(_answer_text(a) for a in detail.answers[question.id])
        table.add_row(
            escape(f"{question.heading}. {question.text}"), escape(answers), states[question.id].status.value
        )
    console.print(table)
    if detail.blind:
        console.print("Blind dual appraisal: other reviewers' answers are hidden until both are complete.")
    if found.rating:
        console.print(f"Rating: [bold]{escape(found.rating.rating)}[/] (rule {found.rating.rule + 1})")


def status(project: ProjectOption = None, as_json: JsonOption = False) -> None:
    """Where appraisal stands: each included study's status and rating, and the counts.

    Example: synthesist appraise status
    """
    with open_project(project) as workspace:
        view = appraisal_overview(workspace)
    setup = view.setup
    if as_json:
        print_json(
            {
                "checklist": setup.checklist.id,
                "mode": setup.mode.value,
                "studies": [
                    {
                        "study": s.label,
                        "study_ref": s.ref,
                        "category": s.category,
                        "status": s.appraisal.status.value,
                        "final_answers": s.appraisal.final_answers(),
                        "rating": s.rating.rating if s.rating else None,
                        "rating_rule": s.rating.rule + 1 if s.rating else None,
                    }
                    for s in view.studies
                ],
                "statuses": {k.value: v for k, v in view.statuses().items()},
                "ratings": view.rating_counts(),
                "rule_problems": [p.message for p in view.rule_problems],
            }
        )
        return
    table = Table(title=f"{setup.checklist.name} ({setup.mode.value} appraisal)")
    table.add_column("Study")
    table.add_column("Status")
    table.add_column("Final answers", justify="right")
    table.add_column("Rating")
    for s in view.studies:
        total = len(s.questions)
        table.add_row(
            escape(s.label),
            s.appraisal.status.value,
            f"{len(s.appraisal.final_answers())}/{total}" if total else "",
            escape(s.rating.rating) if s.rating else "",
        )
    console.print(table)
    console.print(
        ", ".join(f"{status.value}: {n}" for status, n in view.statuses().items()) or "No included studies."
    )
    if setup.rules is not None:
        console.print("Ratings: " + ", ".join(f"{r}: {n}" for r, n in view.rating_counts().items()))
    if view.rule_problems:
        console.print(
            f"[yellow]The rating rules need fixing[/] ({len(view.rule_problems)} problems): "
            "synthesist appraise rules --check"
        )


def agreement(project: ProjectOption = None, as_json: JsonOption = False) -> None:
    """Agreement between reviewers over checklist items: Cohen's kappa, % agreement, PABAK.

    Items are study × question pairs both reviewers answered: the first reviewer and the checker
    (single-verified), or the two reviewers (dual, once both appraisals of a study are complete).
    Kappa comes with its 95% confidence interval.

    Example: synthesist appraise agreement
    """
    with open_project(project) as workspace:
        pairs = appraisal_agreement(workspace)
    if as_json:
        print_json(
            [{"reviewers": list(p.reviewers), "studies": p.studies, **p.agreement.to_dict()} for p in pairs]
        )
        return
    if not pairs:
        console.print("No question has been answered by two reviewers yet.")
        return
    table = Table(title="Agreement over checklist items")
    for heading in ("Reviewers", "Studies", "Items", "Agreement", "Kappa (95% CI)", "PABAK", ""):
        table.add_column(heading, justify="left" if heading in ("Reviewers", "") else "right")
    for pair in pairs:
        a = pair.agreement
        kappa = "undefined" if a.kappa is None else f"{a.kappa:.2f} ({a.ci_low:.2f} to {a.ci_high:.2f})"
        pabak = "" if a.pabak is None else f"{a.pabak:.2f}"
        table.add_row(
            escape(" & ".join(pair.reviewers)),
            str(pair.studies),
            str(a.n),
            f"{a.observed:.0%}",
            kappa,
            pabak,
            a.interpretation,
        )
    console.print(table)


def _answer_json(answer: StoredAnswer) -> dict[str, Any]:
    return {
        "reviewer": answer.reviewer,
        "answer": answer.answer,
        "kind": answer.kind.value,
        "comment": answer.comment,
        "quote": answer.quote,
        "page": answer.page,
        "answered_at": answer.answered_at.isoformat(),
    }


def _answer_text(answer: StoredAnswer) -> str:
    kind = "" if answer.kind.value == "appraise" else f" ({answer.kind.value})"
    text = f"{answer.reviewer}{kind}: {answer.answer}"
    if answer.comment:
        text += f" — {answer.comment}"
    if answer.quote:
        page = f", p. {answer.page}" if answer.page else ""
        text += f'\n  "{answer.quote}"{page}'
    return text


def _result_json(result: AnswerResult) -> dict[str, Any]:
    return {
        "study": result.study,
        "study_id": result.study_id,
        "question": result.question.id,
        "answer": result.answer.id,
        "kind": result.kind.value,
        "answer_id": result.answer_id,
        "question_status": result.question_status.value,
        "study_status": result.study_status.value,
    }


def register(app: typer.Typer) -> None:
    """Add the appraising commands to the ``appraise`` group."""
    app.command()(start)
    app.command("set")(set_answer)
    app.command("import")(import_command)
    app.command()(verify)
    app.command()(conflicts)
    app.command()(resolve)
    app.command()(category)
    app.command()(show)
    app.command()(status)
    app.command()(agreement)
