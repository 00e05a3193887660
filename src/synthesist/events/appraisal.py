"""Events of critical appraisal: checklist answers, consensus and the category appraised."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from synthesist.events.base import Event, event_type


@event_type
@dataclass(frozen=True, slots=True)
class AppraisalAnswered(Event):
    """A reviewer's answer to one checklist question on a study: their own (kind ``appraise``) or,
    in single-verified appraisal, a check of the first reviewer's answer (kind ``verify``)."""

    type: ClassVar[str] = "appraisal.answered"
    answer_id: int
    study_id: int
    study: str
    checklist: str
    question: str
    reviewer: str
    answer: str
    kind: str
    comment: str | None = None
    quote: str | None = None
    page: int | None = None
    imported_from: str | None = None

    def summary(self) -> str:
        check = " as a check" if self.kind == "verify" else ""
        source = f" (imported from {self.imported_from})" if self.imported_from else ""
        return (
            f"{self.reviewer}: {self.answer} to {self.checklist} question {self.question} on study "
            f"{self.study_id} {self.study!r}{check}{source}"
        )


@event_type
@dataclass(frozen=True, slots=True)
class AppraisalResolved(Event):
    """The team's consensus answer to a question two appraisals answered differently."""

    type: ClassVar[str] = "appraisal.resolved"
    answer_id: int
    study_id: int
    study: str
    checklist: str
    question: str
    answer: str
    participants: list[str]
    answers: dict[str, str]  # reviewer -> the answer each had given
    comment: str | None = None

    def summary(self) -> str:
        who = ", ".join(self.participants)
        return (
            f"consensus of {who}: {self.answer} to {self.checklist} question {self.question} on study "
            f"{self.study_id} {self.study!r}"
        )


@event_type
@dataclass(frozen=True, slots=True)
class AppraisalCategoryChosen(Event):
    """The category of a checklist with alternatives (MMAT's study designs) chosen for a study."""

    type: ClassVar[str] = "appraisal.category_chosen"
    study_id: int
    study: str
    checklist: str
    category: str
    previous: str | None = None

    def summary(self) -> str:
        was = f" (was {self.previous})" if self.previous else ""
        study = f"study {self.study_id} {self.study!r}"
        return f"{study} is appraised as {self.category} on {self.checklist}{was}"
