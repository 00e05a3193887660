"""GRADE-CERQual: how much confidence each review finding deserves (Lewin et al. 2018). Pure.

A review finding is a summary statement linked to the themes it summarises. Its contributing
studies are derived from the coding — every included study with a coding that rolls up to one of
the linked themes — and a reviewer may add or remove a study, with a note saying why. Four
components are assessed, each with a level of concern and an explanation:

* **methodological limitations** — pre-filled from the appraisal ratings of the contributing
  studies ("2 of 6 contributing studies rated Low; ...") with a *suggested* level of concern;
* **coherence** — how well the finding fits the data from the studies;
* **adequacy** — richness and quantity of data: the number of studies and of participants
  (from the extraction form's participant counts where extracted, else entered);
* **relevance** — how far the studies' contexts match the review question.

The overall confidence (high, moderate, low, very low) is the reviewer's judgement, with its
explanation. Synthesist shows a **suggestion** beside it, never in its place, made by two
transparent rules that anyone can check by hand:

1. *Methodological limitations* (suggested from the ratings, best to worst as the rating rules
   list them): every rated contributing study has the best rating → no or very minor concerns;
   none has the worst rating → minor; at most a quarter have the worst rating → minor; at most
   half → moderate; more than half → serious. Studies not rated yet are counted apart and left
   out of the shares; with no rated study there is no suggestion.
2. *Overall confidence*: start at high; go one level down for each component with moderate
   concerns, two for each with serious concerns, and one more if two or more components have
   minor concerns; never below very low. The four components must be assessed first (the
   suggestion for methodological limitations stands in while the reviewer has not assessed it).

CERQual itself gives no formula: these rules only make a starting point explicit, and the table
prints the reviewer's assessment, marking a suggestion as such where no assessment was entered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import BinaryIO

from synthesist.errors import UserError
from synthesist.reporting.characteristics import CharacteristicsTable, write_table
from synthesist.reporting.tables import NoteStyle
from synthesist.synthesis.matrix import (
    MatrixStudy,
    code_themes,
    counts_as_evidence,
    natural_key,
)
from synthesist.synthesis.model import CodingSnapshot, Theme

__all__ = [
    "CERQUAL_FORMATS",
    "Assessment",
    "Component",
    "Concern",
    "Confidence",
    "Finding",
    "FindingStudy",
    "FindingView",
    "StudyOverride",
    "evidence_profile_table",
    "finding_view",
    "parse_component",
    "parse_concern",
    "parse_confidence",
    "soqf_table",
    "suggest_confidence",
    "suggest_methodological",
    "theme_studies",
    "write_cerqual_table",
]

CERQUAL_FORMATS = ("md", "csv", "html", "docx")


class Component(StrEnum):
    METHODOLOGICAL_LIMITATIONS = "methodological-limitations"
    COHERENCE = "coherence"
    ADEQUACY = "adequacy"
    RELEVANCE = "relevance"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ").capitalize()


class Concern(StrEnum):
    NONE = "none"
    MINOR = "minor"
    MODERATE = "moderate"
    SERIOUS = "serious"

    @property
    def label(self) -> str:
        return "No or very minor concerns" if self is Concern.NONE else f"{self.value.capitalize()} concerns"


class Confidence(StrEnum):
    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very-low"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ").capitalize() + " confidence"


_LEVELS = (Confidence.HIGH, Confidence.MODERATE, Confidence.LOW, Confidence.VERY_LOW)
_COMPONENT_WORDS = {
    "ml": Component.METHODOLOGICAL_LIMITATIONS,
    "methodological": Component.METHODOLOGICAL_LIMITATIONS,
    "methodological limitations": Component.METHODOLOGICAL_LIMITATIONS,
    "limitations": Component.METHODOLOGICAL_LIMITATIONS,
}
_CONCERN_WORDS = {
    "no": Concern.NONE,
    "none": Concern.NONE,
    "very minor": Concern.NONE,
    "no or very minor": Concern.NONE,
    "no or very minor concerns": Concern.NONE,
}


def _words(text: str) -> str:
    return " ".join(text.replace("-", " ").replace("_", " ").split()).casefold()


def parse_component(text: str) -> Component:
    key = _words(text)
    for component in Component:
        if key == _words(component.value):
            return component
    if key in _COMPONENT_WORDS:
        return _COMPONENT_WORDS[key]
    raise UserError(
        f"{text!r} is not a CERQual component",
        hint="Components: " + ", ".join(c.value for c in Component) + " (ml for short).",
    )


def parse_concern(text: str) -> Concern:
    key = _words(text).removesuffix(" concerns").removesuffix(" concern")
    if key in _CONCERN_WORDS:
        return _CONCERN_WORDS[key]
    for concern in Concern:
        if key == concern.value:
            return concern
    raise UserError(
        f"{text!r} is not a level of concern",
        hint="Levels: none (no or very minor concerns), minor, moderate, serious.",
    )


def parse_confidence(text: str) -> Confidence:
    key = _words(text).removesuffix(" confidence")
    for confidence in Confidence:
        if key == _words(confidence.value):
            return confidence
    raise UserError(f"{text!r} is not a level of confidence", hint="Levels: high, moderate, low, very-low.")


@dataclass(frozen=True, slots=True)
class Assessment:
    component: Component
    concern: Concern
    explanation: str
    by: str = ""
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StudyOverride:
    """A reviewer's correction of the derived contributing studies: add (``include``) or remove."""

    study_id: int
    include: bool
    note: str
    by: str = ""


@dataclass(frozen=True)
class Finding:
    """A review finding as stored. ``number`` is how people name it: F1, F2..."""

    id: int
    number: int
    statement: str
    theme_ids: tuple[int, ...] = ()
    overrides: tuple[StudyOverride, ...] = ()
    participants: int | None = None  # entered: overrides the extracted counts
    participants_note: str = ""
    assessments: Mapping[Component, Assessment] = field(default_factory=dict)
    confidence: Confidence | None = None
    confidence_explanation: str = ""
    created_by: str = ""
    created_at: datetime | None = None

    @property
    def ref(self) -> str:
        return f"F{self.number}"


@dataclass(frozen=True, slots=True)
class FindingStudy:
    study: MatrixStudy
    rating: str | None
    participants: int | None
    source: str  # "coding", or "added" by a reviewer
    note: str = ""


@dataclass(frozen=True)
class FindingView:
    """A finding with what is derived for it: its themes, studies, and the suggestions."""

    finding: Finding
    themes: tuple[Theme, ...]
    studies: tuple[FindingStudy, ...]  # contributing
    removed: tuple[FindingStudy, ...]  # derived from coding but removed by a reviewer
    methodological_basis: str
    methodological_suggestion: Concern | None
    adequacy_basis: str
    participants: int | None
    suggested_confidence: Confidence | None
    suggestion_reason: str

    def assessment(self, component: Component) -> Assessment | None:
        return self.finding.assessments.get(component)

    def concern(self, component: Component) -> tuple[Concern | None, bool]:
        """The level of concern and whether it is only Synthesist's suggestion."""
        entered = self.assessment(component)
        if entered is not None:
            return entered.concern, False
        if component is Component.METHODOLOGICAL_LIMITATIONS and self.methodological_suggestion:
            return self.methodological_suggestion, True
        return None, False

    def explanation(self) -> str:
        """The reviewer's explanation of the overall confidence, else one made from the components."""
        if self.finding.confidence_explanation:
            return self.finding.confidence_explanation
        parts = []
        for component in Component:
            concern, suggested = self.concern(component)
            if concern is not None:
                words = concern.label.replace(" concerns", "").lower()
                parts.append(
                    f"{words} concerns about {component.label.lower()}"
                    + (" (suggested)" if suggested else "")
                )
        return ("; ".join(parts).capitalize() + ".") if parts else ""


# -- deriving -------------------------------------------------------------------------------------


def theme_studies(snapshot: CodingSnapshot, study_ids: Iterable[int]) -> dict[int, set[int]]:
    """Theme id -> the studies among ``study_ids`` with a counting coding that rolls up to it."""
    included = set(study_ids)
    study_of = {document.id: document.study_id for document in snapshot.documents}
    rolled = code_themes(snapshot)
    found: dict[int, set[int]] = {}
    for coding in snapshot.codings:
        study_id = study_of.get(coding.document_id)
        if study_id in included and counts_as_evidence(coding):
            for theme_id in rolled.get(coding.code_id, ()):
                found.setdefault(theme_id, set()).add(study_id)
    return found


def suggest_methodological(ratings: Sequence[str | None], order: Sequence[str]) -> tuple[Concern | None, str]:
    """Rule 1 of the module's docstring: a suggested concern and the counts it rests on."""
    total = len(ratings)
    rated = [rating for rating in ratings if rating is not None]
    counts = {name: sum(1 for r in rated if r.casefold() == name.casefold()) for name in order}
    parts = [f"{counts[name]} rated {name}" for name in reversed(order) if counts[name]]
    others = sorted({r for r in rated if r.casefold() not in {n.casefold() for n in order}})
    parts += [f"{sum(1 for r in rated if r == name)} rated {name}" for name in others]
    unrated = total - len(rated)
    if unrated:
        parts.append(f"{unrated} not rated yet")
    noun = "study" if total == 1 else "studies"
    if not parts:
        return None, f"no contributing {noun}"
    first, *rest = parts
    basis = f"{first.split(' ', 1)[0]} of {total} contributing {noun} {first.split(' ', 1)[1]}"
    basis += "".join(f"; {part}" for part in rest)
    if not rated or not order:
        return None, basis
    worst, best = order[-1].casefold(), order[0].casefold()
    share = sum(1 for r in rated if r.casefold() == worst) / len(rated)
    if all(r.casefold() == best for r in rated):
        return Concern.NONE, basis
    if share <= 0.25:
        return Concern.MINOR, basis
    if share <= 0.5:
        return Concern.MODERATE, basis
    return Concern.SERIOUS, basis


def suggest_confidence(concerns: Mapping[Component, Concern | None]) -> tuple[Confidence | None, str]:
    """Rule 2 of the module's docstring: a suggested overall confidence and why."""
    missing = [c.label.lower() for c in Component if concerns.get(c) is None]
    if missing:
        return None, "assess " + ", ".join(missing) + " first"
    steps = 0
    reasons = []
    for component in Component:
        concern = concerns[component]
        if concern is Concern.MODERATE:
            steps += 1
            reasons.append(f"one level down for moderate concerns about {component.label.lower()}")
        elif concern is Concern.SERIOUS:
            steps += 2
            reasons.append(f"two levels down for serious concerns about {component.label.lower()}")
    minor = [c.label.lower() for c in Component if concerns[c] is Concern.MINOR]
    if len(minor) >= 2:
        steps += 1
        reasons.append(f"one level down for minor concerns about {' and '.join(minor)}")
    level = _LEVELS[min(steps, len(_LEVELS) - 1)]
    why = "starts at high confidence; " + ("; ".join(reasons) if reasons else "no concern lowers it")
    return level, why


def finding_view(
    finding: Finding,
    snapshot: CodingSnapshot,
    studies: Sequence[MatrixStudy],
    ratings: Mapping[int, str | None],
    rating_order: Sequence[str],
    participants: Mapping[int, int | None],
) -> FindingView:
    """Everything derived for ``finding``: contributing studies (coding, then the reviewers'
    corrections), the methodological-limitations basis and suggestion, adequacy's numbers, and
    the suggested overall confidence."""
    by_id = {study.id: study for study in studies if study.id is not None}
    derived_ids: set[int] = set()
    per_theme = theme_studies(snapshot, by_id)
    for theme_id in finding.theme_ids:
        derived_ids |= per_theme.get(theme_id, set())
    overrides = {override.study_id: override for override in finding.overrides}

    def entry(study_id: int, source: str, note: str = "") -> FindingStudy:
        study = by_id.get(study_id) or MatrixStudy(
            study_id, snapshot.study_labels.get(study_id, f"S{study_id}")
        )
        return FindingStudy(study, ratings.get(study_id), participants.get(study_id), source, note)

    chosen = [
        entry(sid, "coding") for sid in derived_ids if not (sid in overrides and not overrides[sid].include)
    ]
    chosen += [
        entry(sid, "added", o.note) for sid, o in overrides.items() if o.include and sid not in derived_ids
    ]
    removed = [
        entry(sid, "coding", o.note) for sid, o in overrides.items() if not o.include and sid in derived_ids
    ]

    def order(items: list[FindingStudy]) -> tuple[FindingStudy, ...]:
        return tuple(sorted(items, key=lambda s: (natural_key(s.study.label), s.study.id or 0)))

    contributing = order(chosen)
    suggestion, basis = suggest_methodological([s.rating for s in contributing], rating_order)
    counted = [s.participants for s in contributing if s.participants is not None]
    if finding.participants is not None:
        total_participants: int | None = finding.participants
        source = "entered" + (f": {finding.participants_note}" if finding.participants_note else "")
    elif counted:
        total_participants = sum(counted)
        missing = len(contributing) - len(counted)
        source = "from extraction" + (f"; {missing} without a count" if missing else "")
    else:
        total_participants, source = None, "participants not known: extract or enter them"
    noun = "study" if len(contributing) == 1 else "studies"
    adequacy = f"{len(contributing)} {noun}"
    adequacy += (
        f", {total_participants} participants ({source})" if total_participants is not None else f"; {source}"
    )
    concerns: dict[Component, Concern | None] = {}
    for component in Component:
        entered = finding.assessments.get(component)
        concerns[component] = entered.concern if entered else None
    if concerns[Component.METHODOLOGICAL_LIMITATIONS] is None:
        concerns[Component.METHODOLOGICAL_LIMITATIONS] = suggestion
    confidence, reason = suggest_confidence(concerns)
    themes = {theme.id: theme for theme in snapshot.themes}
    return FindingView(
        finding=finding,
        themes=tuple(themes[t] for t in finding.theme_ids if t in themes),
        studies=contributing,
        removed=order(removed),
        methodological_basis=basis,
        methodological_suggestion=suggestion,
        adequacy_basis=adequacy,
        participants=total_participants,
        suggested_confidence=confidence,
        suggestion_reason=reason,
    )


# -- tables ---------------------------------------------------------------------------------------


def _confidence_cell(view: FindingView) -> str:
    if view.finding.confidence is not None:
        return view.finding.confidence.label
    if view.suggested_confidence is not None:
        return f"Not assessed yet (suggested: {view.suggested_confidence.label.lower()})"
    return "Not assessed yet"


def soqf_table(
    views: Sequence[FindingView], title: str = "Summary of qualitative findings"
) -> CharacteristicsTable:
    """The Summary of Qualitative Findings table, as CERQual publishes it."""
    rows = [
        [
            view.finding.ref,
            view.finding.statement,
            ", ".join(s.study.label for s in view.studies) or "none",
            _confidence_cell(view),
            view.explanation(),
        ]
        for view in views
    ]
    notes = []
    if any(view.finding.confidence is None for view in views):
        notes.append(
            "A suggested level is Synthesist's starting point from a documented rule, not an assessment "
            "(see synthesist cerqual show)."
        )
    return CharacteristicsTable(
        title=title,
        columns=[
            "#",
            "Summary of review finding",
            "Studies contributing to the review finding",
            "CERQual assessment of confidence in the evidence",
            "Explanation of CERQual assessment",
        ],
        rows=rows,
        notes=notes,
    )


def _component_cell(view: FindingView, component: Component) -> str:
    entered = view.assessment(component)
    if entered is not None:
        return (
            f"{entered.concern.label}: {entered.explanation}"
            if entered.explanation
            else entered.concern.label
        )
    if component is Component.METHODOLOGICAL_LIMITATIONS:
        suggested = view.methodological_suggestion
        prefix = f"Suggested: {suggested.label.lower()} — " if suggested else ""
        return f"{prefix}{view.methodological_basis}"
    if component is Component.ADEQUACY:
        return f"Not assessed yet — {view.adequacy_basis}"
    return "Not assessed yet"


def evidence_profile_table(views: Sequence[FindingView]) -> CharacteristicsTable:
    """The CERQual evidence profile: each component's concern and explanation per finding."""
    rows = [
        [
            f"{view.finding.ref}: {view.finding.statement}",
            *(_component_cell(view, component) for component in Component),
            _confidence_cell(view),
        ]
        for view in views
    ]
    return CharacteristicsTable(
        title="CERQual evidence profile",
        columns=["Review finding", *(c.label for c in Component), "Overall confidence"],
        rows=rows,
    )


def write_cerqual_table(table: CharacteristicsTable, format_name: str, handle: BinaryIO) -> None:
    write_table(table, format_name, handle, notes=NoteStyle.PARAGRAPHS)
