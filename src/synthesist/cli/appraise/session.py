"""The terminal appraisal session behind ``synthesist appraise start``: one question at a time, with
its hint, for each study waiting for the reviewer (or the one study named).

A line answers: its first character is the answer's key (``y``, ``n``, ``c`` for CASP), anything
after it is the comment (``n no topic guide reported``). Enter alone keeps the answer shown (yours,
or, when you check someone's appraisal, theirs); ``b`` goes back a question, ``s`` skips it, ``q``
quits, ``?`` shows the keys. Every answer is saved at once, so quitting loses nothing.
"""

from __future__ import annotations

from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from synthesist.appraisal.checklist import Checklist, Question
from synthesist.appraisal.model import AnswerKind, StoredAnswer, StudyStatus
from synthesist.cli.common import console
from synthesist.errors import UserError
from synthesist.services.appraisal.answers import AnswerResult, answer_question, choose_category
from synthesist.services.appraisal.setup import AppraisedStudy, appraisal_setup
from synthesist.services.appraisal.views import study_detail, waiting_studies
from synthesist.workspace import Workspace

__all__ = ["HELP", "answer_line", "run_session"]

HELP = (
    "Type the answer's key and press Enter; write a comment after it (n no topic guide reported). "
    "Enter alone keeps the answer shown (yours, or the one you are checking). "
    "b: back a question, s: skip it, q: quit (every answer is already saved), ?: this help."
)


class _Quit(Exception):
    pass


def run_session(
    workspace: Workspace, reviewer: str, study: str | None = None, *, quotes: bool = False
) -> None:
    answered: list[AnswerResult] = []
    try:
        if study is not None:
            _appraise(workspace, reviewer, study, None, quotes, answered)
        else:
            skipped: set[str] = set()
            while True:
                waiting = [(s, q) for s, q in waiting_studies(workspace, reviewer) if s.ref not in skipped]
                if not waiting:
                    console.print(f"Nothing waits for {escape(reviewer)}.")
                    break
                chosen, questions = waiting[0]
                skipped.add(chosen.ref)  # a study skipped comes back in the next session, not this one
                _appraise(workspace, reviewer, chosen.ref, questions, quotes, answered)
    except _Quit:
        pass
    console.print(f"Answered {len(answered)} this session.")


def _read(prompt: str) -> str:
    try:
        return console.input(prompt)
    except EOFError:
        raise _Quit from None


def _appraise(
    workspace: Workspace,
    reviewer: str,
    study: str,
    only: list[str] | None,
    quotes: bool,
    answered: list[AnswerResult],
) -> None:
    """Go through the study's questions (those in ``only``, else all), adding each answer saved to
    ``answered`` (so that quitting half-way still counts them)."""
    detail = study_detail(workspace, study, reviewer)
    found = detail.study
    if found.appraisal.status is StudyStatus.NEEDS_CATEGORY:
        _ask_category(workspace, found)
        detail = study_detail(workspace, study, reviewer)
        found = detail.study
    checklist = appraisal_setup(workspace).checklist
    questions = [q for q in found.questions if only is None or q.id in only] or found.questions
    index = 0
    while 0 <= index < len(questions):
        question = questions[index]
        mine, other = _shown_answers(detail.answers.get(question.id, []), reviewer)
        console.print(_panel(checklist, found, question, index, len(questions), mine, other))
        command = _read(_keys(checklist)).strip()
        if command == "q":
            raise _Quit
        if command == "?":
            console.print(HELP)
            continue
        if command in ("b", "s"):
            index = max(index - 1, 0) if command == "b" else index + 1
            continue
        if not command:
            if mine is not None:  # keep your answer
                index += 1
                continue
            if other is None:
                continue
            command = other.answer  # agree with the answer you are checking
        try:
            result = _save(workspace, reviewer, found, question, command, checklist, quotes)
        except UserError as error:
            console.print(f"[red]{escape(str(error))}[/]")
            continue
        console.print(answer_line(result))
        answered.append(result)
        detail = study_detail(workspace, found.ref, reviewer)
        found = detail.study
        index += 1


def _save(
    workspace: Workspace,
    reviewer: str,
    study: AppraisedStudy,
    question: Question,
    command: str,
    checklist: Checklist,
    quotes: bool,
) -> AnswerResult:
    key, _, comment = command.partition(" ")
    checklist.answer(key)  # an unknown key is refused before asking for a quote
    quote: str | None = None
    page: int | None = None
    if quotes:
        quote = _read("Supporting quote (Enter for none): ").strip() or None
        if quote:
            text = _read("Page (Enter for none): ").strip()
            page = int(text) if text.isdigit() else None
    return answer_question(
        workspace,
        study.ref,
        question.id,
        key,
        reviewer=reviewer,
        comment=comment or None,
        quote=quote,
        page=page,
    )


def _shown_answers(
    answers: list[StoredAnswer], reviewer: str
) -> tuple[StoredAnswer | None, StoredAnswer | None]:
    """The reviewer's own latest answer, and the latest one of someone else (when it may be seen)."""
    mine = [a for a in answers if a.reviewer == reviewer and a.kind is not AnswerKind.CONSENSUS]
    other = [a for a in answers if a.reviewer != reviewer]
    return (mine[-1] if mine else None), (other[-1] if other else None)


def _keys(checklist: Checklist) -> str:
    answers = "  ".join(f"[bold]{option.key_char}[/] {escape(option.label)}" for option in checklist.answers)
    return f"{answers} (+ comment)  [bold]b[/] back  [bold]s[/] skip  [bold]q[/] quit  [bold]?[/] help > "


def _panel(
    checklist: Checklist,
    study: AppraisedStudy,
    question: Question,
    index: int,
    total: int,
    mine: StoredAnswer | None,
    other: StoredAnswer | None,
) -> Panel:
    section = checklist.section(question.section)
    body = Text()
    if section is not None:
        body.append(f"{section.title}\n", style="dim")
    body.append(f"{question.heading}. {question.text}\n", style="bold")
    if question.hint:
        body.append(f"{question.hint}\n", style="italic")
    labels = checklist.labels
    for who, shown in (("You", mine), ("", other)):
        if shown is not None:
            name = who or shown.reviewer
            body.append(f"\n{name}: {labels.get(shown.answer, shown.answer)}", style="cyan")
            if shown.comment:
                body.append(f" — {shown.comment}")
    return Panel(body, title=f"{study.label} — question {index + 1} of {total}", subtitle=checklist.name)


def _ask_category(workspace: Workspace, study: AppraisedStudy) -> None:
    checklist = appraisal_setup(workspace).checklist
    console.print(f"[bold]{escape(study.label)}[/]: which kind of study is it?")
    for number, section in enumerate(checklist.categories, start=1):
        console.print(f"  [bold]{number}[/] {escape(section.title)}")
    while True:
        text = _read("Category (number, or q to quit): ").strip()
        if text == "q":
            raise _Quit
        try:
            result = choose_category(workspace, study.ref, text)
        except UserError as error:
            console.print(f"[red]{escape(str(error))}[/]")
            continue
        console.print(f"{escape(result.study)} is appraised as {escape(result.category)}.")
        return


def answer_line(result: AnswerResult) -> str:
    check = {AnswerKind.VERIFY: " (check)", AnswerKind.CONSENSUS: " (consensus)"}.get(result.kind, "")
    return (
        f"{escape(result.study)} {result.question.heading}: [bold]{escape(result.answer.label)}[/]{check}"
        f" — question {result.question_status.value}, study {result.study_status.value}"
    )
