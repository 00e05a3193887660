"""What the web forms of extraction and appraisal need on top of the services: a whole submitted form
checked field by field before anything is written (so every mistake is shown next to its own field
and a refused form leaves nothing behind), the form's values saved through the services, and a
study's rating explained by the rule that gave it.

Nothing here reads another reviewer's values: the extraction form starts from
:func:`synthesist.services.extraction.values.study_form` (the acting reviewer's own values in dual
extraction) and the appraisal form from :func:`synthesist.services.appraisal.views.study_detail`
(blind-aware), so the pages built on it inherit their blinding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from synthesist.appraisal.checklist import Checklist
from synthesist.appraisal.model import StoredAnswer
from synthesist.errors import UserError
from synthesist.extraction.values import ValueProblem, parse_value
from synthesist.review.extraction_settings import MULTI_CHOICE_SEPARATOR, ExtractionField
from synthesist.services.appraisal.answers import GivenAnswer, answer_questions
from synthesist.services.appraisal.setup import AppraisalSetup, AppraisedStudy
from synthesist.services.extraction.values import (
    FieldEntry,
    IncludedStudy,
    may_extract,
    save_values,
)
from synthesist.workspace import Workspace

__all__ = [
    "AnswerInput",
    "CheckedAnswers",
    "CheckedExtraction",
    "CountsInput",
    "FieldInput",
    "check_answers",
    "check_extraction",
    "count_parts",
    "extraction_refusal",
    "field_text",
    "rating_explanation",
    "save_answers",
    "save_extraction",
    "selected_choices",
    "stored_input",
]

REQUIRED_MISSING = "Required: fill this in before marking the study complete."


# -- extraction ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedExtraction:
    """A submitted extraction form: each field's text as typed, its canonical value when it fits,
    and what is wrong with each field that does not."""

    texts: dict[str, str]
    values: dict[str, str | None]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_extraction(
    form: Sequence[ExtractionField], texts: Mapping[str, str], *, completing: bool
) -> CheckedExtraction:
    """Every field's text parsed for its type; when ``completing``, an empty required field is an
    error too (the service would refuse to mark the study complete)."""
    values: dict[str, str | None] = {}
    errors: dict[str, str] = {}
    for item in form:
        if item.name not in texts:
            continue  # not on the form submitted: left as it is
        text = texts[item.name]
        try:
            values[item.name] = parse_value(item, text)
        except ValueProblem as problem:
            errors[item.name] = str(problem)
            continue
        if completing and item.required and values[item.name] is None:
            errors[item.name] = REQUIRED_MISSING
    return CheckedExtraction(dict(texts), values, errors)


def extraction_refusal(study: IncludedStudy, reviewer: str) -> str | None:
    """Why ``reviewer`` may not enter values for the study now (None: they may)."""
    try:
        may_extract(study, reviewer)
    except UserError as refused:
        return refused.message
    return None


def save_extraction(
    workspace: Workspace,
    study: str,
    checked: CheckedExtraction,
    entries: Sequence[FieldEntry],
    *,
    complete: bool,
) -> int:
    """Write the fields whose value changed and, if asked, mark the study complete, in one
    transaction (``save_values``). The form was checked whole first, so the user sees every mistake
    at once. Returns how many values changed."""
    if not checked.ok:
        raise UserError("the form has mistakes; nothing was saved")
    texts: dict[str, str] = {}
    for entry in entries:
        name = entry.field.name
        if name not in checked.values or checked.values[name] == entry.value:
            # unchanged; a value still the record's own stays derived, so a corrected record shows
            continue
        texts[name] = checked.texts.get(name, "")
    _, changed = save_values(workspace, study, texts, complete=complete)
    return len(changed)


@dataclass(frozen=True)
class CountsInput:
    """A participant-counts field as the form's controls hold it: a number per group of the field
    (in the field's order) and the total, each as typed (empty: not given)."""

    groups: tuple[str, ...] = ()
    total: str = ""


FieldInput = str | tuple[str, ...] | CountsInput
"""One field of the extraction form as typed: text, the choices ticked (multi-choice) or counts."""


def field_text(item: ExtractionField, given: FieldInput) -> str:
    """The text the extraction services parse for a field as typed (``patients=12, total=15``)."""
    if isinstance(given, CountsInput):
        parts = [f"{group}={typed}" for group, typed in zip(item.groups, given.groups, strict=False) if typed]
        if given.total:
            parts.append(f"total={given.total}")
        return ", ".join(parts)
    if isinstance(given, tuple):
        return "; ".join(given)
    return given


def stored_input(item: ExtractionField, stored: str | None) -> FieldInput:
    """What the form's controls show for a stored value."""
    if item.type == "multi_choice":
        return tuple(selected_choices(stored))
    if item.type == "participant_counts":
        counts = count_parts(stored)
        return CountsInput(tuple(counts.get(group, "") for group in item.groups), counts.get("total", ""))
    return stored or ""


def count_parts(stored: str | None) -> dict[str, str]:
    """``patients=12, total=15`` -> {"patients": "12", "total": "15"} (for one input per group)."""
    if not stored:
        return {}
    parts: dict[str, str] = {}
    for part in stored.split(", "):
        name, _, number = part.rpartition("=")
        parts[name] = number
    return parts


def selected_choices(stored: str | None) -> list[str]:
    """The choices of a stored multi-choice value, as the form spells them."""
    if not stored:
        return []
    return [choice.strip() for choice in stored.split(MULTI_CHOICE_SEPARATOR) if choice.strip()]


# -- appraisal -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerInput:
    """One question of a submitted appraisal form, as typed."""

    answer: str = ""
    comment: str = ""
    quote: str = ""
    page: str = ""


@dataclass(frozen=True)
class CheckedAnswers:
    inputs: dict[str, AnswerInput]  # question id -> as typed
    pages: dict[str, int | None]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_answers(
    checklist: Checklist, question_ids: Sequence[str], inputs: Mapping[str, AnswerInput]
) -> CheckedAnswers:
    """Each question's answer is one of the checklist's, its page a page number, and a comment,
    quote or page comes with an answer."""
    known = {option.id for option in checklist.answers}
    errors: dict[str, str] = {}
    pages: dict[str, int | None] = {}
    for question in question_ids:
        given = inputs.get(question, AnswerInput())
        page_text = given.page.strip()
        pages[question] = None
        if page_text:
            if not page_text.isdigit() or int(page_text) < 1:
                errors[question] = f"Page {page_text!r} is not a page number; write e.g. 4."
                continue
            pages[question] = int(page_text)
        if given.answer and given.answer not in known:
            errors[question] = f"{given.answer!r} is not an answer of {checklist.name}."
        elif not given.answer and (given.comment.strip() or given.quote.strip() or page_text):
            errors[question] = "Choose an answer to go with the comment, quote or page."
    return CheckedAnswers(dict(inputs), pages, errors)


def _same(latest: StoredAnswer | None, given: AnswerInput, page: int | None) -> bool:
    if latest is None:
        return False
    return (
        latest.answer == given.answer
        and (latest.comment or "") == given.comment.strip()
        and (latest.quote or "") == given.quote.strip()
        and latest.page == page
    )


def save_answers(
    workspace: Workspace,
    study: str,
    checked: CheckedAnswers,
    own_latest: Mapping[str, StoredAnswer],
    reviewer: str,
) -> int:
    """Record the answers that are new or changed (an unchanged answer is not given twice: each one
    is kept in the history), all in one transaction. Returns how many were recorded."""
    if not checked.ok:
        raise UserError("the form has mistakes; nothing was saved")
    given: list[GivenAnswer] = []
    for question, entered in checked.inputs.items():
        page = checked.pages.get(question)
        if not entered.answer or _same(own_latest.get(question), entered, page):
            continue
        given.append(
            GivenAnswer(question, entered.answer, entered.comment or None, entered.quote or None, page)
        )
    if given:
        answer_questions(workspace, study, given, reviewer=reviewer)
    return len(given)


def rating_explanation(setup: AppraisalSetup, study: AppraisedStudy) -> str | None:
    """``Medium, because 8 Yes + 1 No + 1 Can't tell matches rule 2 (1 No + 0–3 Can't tell; …)``;
    None before the study has a rating."""
    rating, rules = study.rating, setup.rules
    if rating is None or rules is None:
        return None
    labels = setup.checklist.labels
    rule = rules.rules[rating.rule]
    counted = " + ".join(
        f"{count} {labels.get(answer, answer)}" for answer, count in study.counts.items() if count
    )
    because = f"{rating.rating}, because {counted or 'no rated answers'} matches rule {rating.rule + 1}"
    because += f" ({rule.words(labels)})"
    if rule.unstated and rule.note:
        because += f". {rule.note}"
    return because
