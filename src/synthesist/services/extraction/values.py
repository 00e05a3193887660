"""Data extraction: setting values, marking studies complete, and where each included study stands.

The form is the protocol's ``[extraction]`` (or the reference review's default form); every value
is checked against its field's type before anything is written, and an error names the study and
the field. Each write is one transaction with its event. Checking and resolving (flags,
discrepancies, consensus) are in :mod:`synthesist.services.extraction.review`.

Only included studies are extracted. A value belongs to the reviewer who entered it; what counts
follows from the mode (see :mod:`synthesist.extraction.status`). In single and single-verified
mode the study has one set of values that anyone may correct, so setting a value replaces every
reviewer's earlier one. In dual mode each of two reviewers has their own, blind: no function here
shows a reviewer the other's values before both extractions are complete.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from synthesist.errors import InvalidTransition, UserError
from synthesist.events import ExtractionCompleted, ExtractionValueSet, LoggedEvent
from synthesist.extraction.model import Flag, Role, ValueSource
from synthesist.extraction.status import DUAL_EXTRACTORS, ExtractionStatus, StudyExtraction
from synthesist.extraction.values import ValueProblem, derived_value, parse_value
from synthesist.fulltext.model import Report
from synthesist.ports import UnitOfWork
from synthesist.review.extraction_settings import ExtractionField, ExtractionSection
from synthesist.services.fulltext.reports import StudyView, list_studies, list_studies_in
from synthesist.services.fulltext.study_refs import resolve_study, stored_study_id, study_ref
from synthesist.workspace import Workspace

__all__ = [
    "FieldEntry",
    "IncludedStudy",
    "SetResult",
    "StudyForm",
    "StudyProgress",
    "checked_value",
    "complete_study",
    "extraction_form",
    "extraction_status",
    "find_field",
    "form_entries",
    "included_extractions",
    "load_extractions",
    "redact_blind_extraction",
    "save_values",
    "set_value",
    "studies_to_extract",
    "study_form",
    "study_form_in",
]


@dataclass(frozen=True)
class IncludedStudy:
    """An included study with its extraction."""

    view: StudyView
    extraction: StudyExtraction

    @property
    def label(self) -> str:
        return self.view.study.label

    @property
    def ref(self) -> str:
        return study_ref(self.view)


@dataclass(frozen=True)
class SetResult:
    study: IncludedStudy  # after the change
    field: ExtractionField
    value: str | None
    previous: str | None
    changed: bool


def extraction_form(workspace: Workspace) -> ExtractionSection:
    return workspace.project.protocol.extraction


def find_field(settings: ExtractionSection, name: str) -> ExtractionField:
    """The form's field called ``name`` (its name, or its label regardless of case)."""
    wanted = name.strip()
    for field in settings.form:
        if field.name == wanted or field.display_label.casefold() == wanted.casefold():
            return field
    names = [field.name for field in settings.form]
    close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.6)
    suggestion = f" (did you mean {close[0]!r}?)" if close else ""
    raise UserError(
        f"the extraction form has no field {wanted!r}{suggestion}",
        hint=f"Its fields: {', '.join(names)}.",
    )


def checked_value(study: str, field: ExtractionField, text: str) -> str | None:
    """``text`` parsed for ``field``; a misfit is a :class:`UserError` naming the study and field."""
    try:
        return parse_value(field, text)
    except ValueProblem as problem:
        raise UserError(f"study {study!r}, field {field.name!r} ({field.display_label}): {problem}") from None


def load_extractions(
    uow: UnitOfWork, settings: ExtractionSection, views: Sequence[StudyView]
) -> list[IncludedStudy]:
    """Each study's extraction as stored, read inside the caller's transaction."""
    ids = [view.study.id for view in views if view.study.id is not None]
    values, consensus = uow.extraction.values(ids), uow.extraction.consensus(ids)
    flags, completions = uow.extraction.flags(ids), uow.extraction.completions(ids)
    # the record that fills in authors, year...: the study's first included report
    first_ids = {id(view): min(view.included_reports or view.study.record_ids) for view in views}
    records = uow.records.get_many(sorted(set(first_ids.values())), with_raw=False)
    studies = []
    for view in views:
        sid = view.study.id
        first = records.get(first_ids[id(view)])
        derived = {
            field.name: value
            for field in settings.form
            if (value := derived_value(field, first.record if first else None)) is not None
        }
        extraction = StudyExtraction(
            study_id=sid,
            form=settings.form,
            mode=settings.mode,
            values=[value for value in values if value.study_id == sid],
            derived=derived,
            consensus={c.field: c for c in consensus if c.study_id == sid},
            flags=[flag for flag in flags if flag.study_id == sid],
            completions=[done for done in completions if done.study_id == sid],
        )
        studies.append(IncludedStudy(view, extraction))
    return studies


def included_extractions(workspace: Workspace) -> list[IncludedStudy]:
    """Every included study (by first record id) with its extraction."""
    views = list_studies(workspace, included_only=True)
    with workspace.unit_of_work(write=False) as uow:
        return load_extractions(uow, extraction_form(workspace), views)


def studies_to_extract(
    workspace: Workspace, studies: Sequence[IncludedStudy] | None = None
) -> list[IncludedStudy]:
    """The included studies the acting reviewer has still to extract: in dual extraction those
    they have not completed (while a second extraction is wanted), otherwise those not complete
    that they do not check as verifier. ``studies``: :func:`included_extractions` as the caller
    has just read it (the dashboard)."""
    reviewer = workspace.actor
    wanted = []
    for study in studies if studies is not None else included_extractions(workspace):
        try:
            may_extract(study, reviewer)
        except UserError:
            continue
        extraction = study.extraction
        if extraction.mode == "dual":
            if reviewer not in extraction.completed_by(Role.EXTRACTOR):
                wanted.append(study)
        elif extraction.status in (ExtractionStatus.NOT_STARTED, ExtractionStatus.IN_PROGRESS):
            wanted.append(study)
    return wanted


def check_reviewer(settings: ExtractionSection, reviewer: str) -> None:
    if settings.reviewers and reviewer not in settings.reviewers:
        raise UserError(
            f"{reviewer!r} is not one of the extraction reviewers in review.toml "
            f"({', '.join(settings.reviewers)})",
            hint="Act as one of them with --as NAME, or add the name to [extraction] reviewers.",
        )


def may_extract(study: IncludedStudy, reviewer: str) -> None:
    """Refuse a reviewer whose role in this study's mode does not let them enter values."""
    extraction, label = study.extraction, study.label
    if extraction.mode == "dual":
        others = [name for name in extraction.extractors if name != reviewer]
        if reviewer not in extraction.extractors and len(others) >= DUAL_EXTRACTORS:
            raise InvalidTransition(
                f"study {label!r} is extracted by {' and '.join(others)} already; dual extraction takes two",
                hint="Differences between them are resolved with `synthesist extract resolve`.",
            )
        if extraction.compared and reviewer in extraction.completed_by(Role.EXTRACTOR):
            raise InvalidTransition(
                f"both extractions of study {label!r} are complete and compared; a value is no "
                "longer changed by one reviewer",
                hint="Record the agreed value: synthesist extract resolve STUDY FIELD VALUE",
            )
    elif extraction.mode == "single-verified":
        verifiers = set(extraction.completed_by(Role.VERIFIER)) | {f.flagged_by for f in extraction.flags}
        if reviewer in verifiers:
            raise InvalidTransition(
                f"you are checking study {label!r}; a verifier flags a field rather than changing it",
                hint="synthesist extract flag STUDY FIELD --note WHY [--suggest VALUE]",
            )
        if extraction.status is ExtractionStatus.VERIFIED:
            raise InvalidTransition(
                f"the extraction of study {label!r} is verified; a value changes only through a flag",
                hint="Ask the verifier to flag the field: synthesist extract flag STUDY FIELD --note WHY",
            )


def set_value(workspace: Workspace, study: str, field_name: str, text: str) -> SetResult:
    """Set the acting reviewer's value of one field of an included study; an empty ``text``
    removes it. The value is checked against the field's type first; nothing is written if it does
    not fit."""
    settings = extraction_form(workspace)
    field = find_field(settings, field_name)
    view = resolve_study(list_studies(workspace, included_only=True), study)
    value = checked_value(view.study.label, field, text)
    reviewer = workspace.actor
    check_reviewer(settings, reviewer)
    with workspace.unit_of_work() as uow:
        before = stored_extraction(uow, workspace, settings, view)
        may_extract(before, reviewer)
        previous = _current_value(settings, before, reviewer, field.name)
        if previous == value:  # nothing to write: the study's new row, if any, is rolled back too
            unchanged = IncludedStudy(view, replace(before.extraction, study_id=view.study.id))
            return SetResult(unchanged, field, value, previous, changed=False)
        sid = stored_id(before)
        uow.extraction.set_values(
            [(sid, field.name, reviewer, value)], source=ValueSource.ENTERED, shared=settings.mode != "dual"
        )
        event = ExtractionValueSet(sid, before.label, field.name, reviewer, value, previous)
        uow.events.append(event, reviewer)
        after = load_extractions(uow, settings, [before.view])[0]
        uow.commit()
    return SetResult(after, field, value, previous, changed=True)


def _current_value(
    settings: ExtractionSection, study: IncludedStudy, reviewer: str, field_name: str
) -> str | None:
    """The value a reviewer's new one replaces: their own in dual mode (blind), else the study's."""
    if settings.mode == "dual":
        return study.extraction.own_value(reviewer, field_name)
    return study.extraction.latest_value(field_name)


def complete_study(workspace: Workspace, study: str) -> tuple[IncludedStudy, bool]:
    """Mark the acting reviewer's extraction of a study complete. Refused, naming them, while a
    required field has no value. Returns the study and whether it was newly marked."""
    settings = extraction_form(workspace)
    view = resolve_study(list_studies(workspace, included_only=True), study)
    reviewer = workspace.actor
    check_reviewer(settings, reviewer)
    with workspace.unit_of_work() as uow:
        before = stored_extraction(uow, workspace, settings, view)
        if reviewer in before.extraction.completed_by(Role.EXTRACTOR):
            return before, False
        may_extract(before, reviewer)
        after = _complete_in(uow, settings, before, reviewer)
        uow.commit()
    return after, True


def _complete_in(
    uow: UnitOfWork, settings: ExtractionSection, before: IncludedStudy, reviewer: str
) -> IncludedStudy:
    missing = before.extraction.missing_required(reviewer)
    if missing:
        listed = ", ".join(f"{field.display_label} ({field.name})" for field in missing)
        raise UserError(
            f"study {before.label!r} cannot be marked complete: required fields have no value: {listed}",
            hint=f"Fill them in, e.g. synthesist extract set {before.ref} {missing[0].name} VALUE",
        )
    sid = stored_id(before)
    uow.extraction.complete(sid, reviewer, Role.EXTRACTOR)
    uow.events.append(ExtractionCompleted(sid, before.label, reviewer, Role.EXTRACTOR.value), reviewer)
    return load_extractions(uow, settings, [before.view])[0]


def save_values(
    workspace: Workspace, study: str, texts: Mapping[str, str], *, complete: bool = False
) -> tuple[IncludedStudy, list[str]]:
    """Set several fields of the acting reviewer's extraction (an empty text removes a value) and,
    with ``complete``, mark it complete, all in one transaction: a form saved in the web app is
    written whole or not at all. Every value is checked before anything is written. Returns the
    study afterwards and the names of the fields that changed."""
    settings = extraction_form(workspace)
    view = resolve_study(list_studies(workspace, included_only=True), study)
    fields = [find_field(settings, name) for name in texts]
    values = {field.name: checked_value(view.study.label, field, texts[field.name]) for field in fields}
    reviewer = workspace.actor
    check_reviewer(settings, reviewer)
    with workspace.unit_of_work() as uow:
        before = stored_extraction(uow, workspace, settings, view)
        may_extract(before, reviewer)
        changes: list[tuple[str, str | None, str | None]] = []
        for field in fields:
            previous = _current_value(settings, before, reviewer, field.name)
            if previous != values[field.name]:
                changes.append((field.name, values[field.name], previous))
        done = reviewer in before.extraction.completed_by(Role.EXTRACTOR)
        if not changes and (done or not complete):  # nothing to write: a new study row rolls back too
            return IncludedStudy(view, replace(before.extraction, study_id=view.study.id)), []
        sid = stored_id(before)
        if changes:
            uow.extraction.set_values(
                [(sid, name, reviewer, value) for name, value, _ in changes],
                source=ValueSource.ENTERED,
                shared=settings.mode != "dual",
            )
            for name, value, previous in changes:
                event = ExtractionValueSet(sid, before.label, name, reviewer, value, previous)
                uow.events.append(event, reviewer)
        after = load_extractions(uow, settings, [before.view])[0]
        if complete and not done:
            after = _complete_in(uow, settings, after, reviewer)
        uow.commit()
    return after, [name for name, _, _ in changes]


def stored_extraction(
    uow: UnitOfWork, workspace: Workspace, settings: ExtractionSection, view: StudyView
) -> IncludedStudy:
    """The study with its extraction, given a stored id first if it is a record of its own."""
    sid = stored_study_id(uow, workspace, view)
    if view.study.id is None:
        stored = uow.fulltext.get_study(sid)
        view = StudyView(stored, view.states, view.files)
    return load_extractions(uow, settings, [view])[0]


def stored_id(study: IncludedStudy) -> int:
    assert study.extraction.study_id is not None, "the study was given its row by stored_extraction"
    return study.extraction.study_id


@dataclass(frozen=True)
class FieldEntry:
    """One field of the form as the acting reviewer sees it in a study."""

    field: ExtractionField
    value: str | None  # the reviewer's own (dual) or the study's current value
    prefilled: bool  # the value comes from the study's record, nobody entered it
    flag: Flag | None  # an open verifier's flag on the field


@dataclass(frozen=True)
class StudyForm:
    study: IncludedStudy
    entries: list[FieldEntry]
    reports: list[Report]


def study_form(workspace: Workspace, study: str) -> StudyForm:
    """The form of one included study for the acting reviewer: each field with its current value
    (only the reviewer's own in dual extraction) and the study's reports (for their text)."""
    with workspace.unit_of_work(write=False) as uow:
        return study_form_in(uow, workspace, study)


def study_form_in(uow: UnitOfWork, workspace: Workspace, study: str) -> StudyForm:
    """:func:`study_form` inside a unit of work the caller already has open (one snapshot)."""
    settings = extraction_form(workspace)
    view = resolve_study(list_studies_in(uow, workspace, included_only=True), study)
    found = load_extractions(uow, settings, [view])[0]
    reports = uow.fulltext.reports(view.study.record_ids)
    return StudyForm(found, form_entries(found, workspace.actor), reports)


def form_entries(study: IncludedStudy, reviewer: str) -> list[FieldEntry]:
    extraction = study.extraction
    entries = []
    for field in extraction.form:
        if extraction.mode == "dual":
            value = extraction.own_value(reviewer, field.name)
            entered = any(v.field == field.name and v.reviewer == reviewer for v in extraction.values)
        else:
            value = extraction.latest_value(field.name)
            entered = any(v.field == field.name for v in extraction.values)
        flag = next((f for f in extraction.open_flags if f.field == field.name), None)
        entries.append(FieldEntry(field, value, value is not None and not entered, flag))
    return entries


_BLIND_TYPES = frozenset({"extraction.value_set", "extraction.imported"})
_HIDDEN = "hidden (blind extraction)"


def redact_blind_extraction(
    workspace: Workspace, events: list[LoggedEvent], viewer: str
) -> list[LoggedEvent]:
    """The event log as ``viewer`` may see it: in dual extraction, another reviewer's values of a
    study whose two extractions are not both complete are shown as hidden (the events stay)."""
    if extraction_form(workspace).mode != "dual" or not any(
        event.type in _BLIND_TYPES and event.payload.get("reviewer") != viewer for event in events
    ):
        return events
    compared = {s.extraction.study_id for s in included_extractions(workspace) if s.extraction.compared}
    shown = []
    for event in events:
        payload = event.payload
        if event.type not in _BLIND_TYPES or payload.get("reviewer") == viewer:
            shown.append(event)
        elif event.type == "extraction.value_set" and payload.get("study_id") not in compared:
            shown.append(replace(event, payload={**payload, "value": _HIDDEN, "previous": None}))
        elif event.type == "extraction.imported":
            values = [
                item if item.get("study_id") in compared else {**item, "value": _HIDDEN}
                for item in payload.get("values", [])
            ]
            shown.append(replace(event, payload={**payload, "values": values}))
        else:
            shown.append(event)
    return shown


@dataclass(frozen=True)
class StudyProgress:
    study: IncludedStudy
    status: ExtractionStatus
    filled: int  # fields with a value (the acting reviewer's own in dual extraction)
    missing_required: list[str]
    extractors: list[str]
    completed: list[str]
    verifiers: list[str]
    open_flags: int
    discrepancies: int


def extraction_status(workspace: Workspace) -> list[StudyProgress]:
    """Where each included study's extraction stands (blind: counts, never another's values)."""
    reviewer = workspace.actor
    progress = []
    for study in included_extractions(workspace):
        extraction = study.extraction
        entries = form_entries(study, reviewer)
        progress.append(
            StudyProgress(
                study=study,
                status=extraction.status,
                filled=sum(entry.value is not None for entry in entries),
                missing_required=[field.name for field in extraction.missing_required(reviewer)],
                extractors=extraction.extractors,
                completed=extraction.completed_by(Role.EXTRACTOR),
                verifiers=extraction.completed_by(Role.VERIFIER),
                open_flags=len(extraction.open_flags),
                discrepancies=len(extraction.discrepancies()),
            )
        )
    return progress
