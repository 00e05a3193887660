"""Read model and form posts of an included study's extraction page: what the page shows, read from
one unit of work, and one use-case function per form (save, check or flag, resolve a flag, record a
consensus value), so that a route parses the form, makes one service call and renders.

Blinding comes from :func:`study_form_in` (in dual extraction only the viewer's own values) and
from ``discrepancies()``, empty until both extractions are complete: nothing here reads another
reviewer's values in any other way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from synthesist.errors import NotFound, UserError
from synthesist.extraction.model import Role as ExtractionRole
from synthesist.extraction.status import ExtractionStatus
from synthesist.records.stored import StoredRecord
from synthesist.review.accounts import Role
from synthesist.services.extraction.review import flag_field, resolve, verify_study
from synthesist.services.extraction.values import StudyForm, study_form_in
from synthesist.services.fulltext.reports import list_studies
from synthesist.services.fulltext.study_refs import resolve_study, study_ref
from synthesist.services.web.forms import (
    FieldInput,
    check_extraction,
    extraction_refusal,
    field_text,
    save_extraction,
    stored_input,
)
from synthesist.workspace import Workspace

__all__ = [
    "ExtractionStudyPage",
    "SaveOutcome",
    "check_study",
    "extraction_study_page",
    "record_consensus",
    "resolve_flag",
    "save_study_form",
]


@dataclass(frozen=True)
class ExtractionStudyPage:
    form: StudyForm
    records: tuple[StoredRecord, ...]  # the study's records
    refusal: str | None  # why the viewer may not enter values now (None: they may, or cannot screen)
    editable: bool
    checkable: bool  # single-verified: the viewer may check (verify or flag) the extraction
    completed_by_me: bool
    inputs: dict[str, FieldInput]  # by field name: what each control shows
    errors: dict[str, str] = field(default_factory=dict)  # by field name: what is wrong as typed


def extraction_study_page(workspace: Workspace, study: str, viewer: str, role: Role) -> ExtractionStudyPage:
    """The page of ``study`` for ``viewer`` (the workspace's actor) in ``role``, from one snapshot."""
    with workspace.unit_of_work(write=False) as uow:
        form = study_form_in(uow, workspace, study)
        records = tuple(uow.records.get(record_id) for record_id in form.study.view.study.record_ids)
    extraction = form.study.extraction
    refusal = extraction_refusal(form.study, viewer) if role.can_screen() else None
    checkable = (
        extraction.mode == "single-verified"
        and role.can_screen()
        and viewer not in extraction.extractors
        and viewer not in extraction.completed_by(ExtractionRole.VERIFIER)
        and extraction.status in (ExtractionStatus.COMPLETE, ExtractionStatus.FLAGGED)
    )
    return ExtractionStudyPage(
        form=form,
        records=records,
        refusal=refusal,
        editable=role.can_screen() and refusal is None,
        checkable=checkable,
        completed_by_me=viewer in extraction.completed_by(ExtractionRole.EXTRACTOR),
        inputs={entry.field.name: stored_input(entry.field, entry.value) for entry in form.entries},
    )


@dataclass(frozen=True)
class SaveOutcome:
    ref: str  # the study's reference, for the page to go back to
    refused: ExtractionStudyPage | None  # the form again, as typed with its mistakes (nothing saved)


def save_study_form(
    workspace: Workspace,
    study: str,
    viewer: str,
    role: Role,
    inputs: Mapping[str, FieldInput],
    *,
    complete: bool,
) -> SaveOutcome:
    """The extraction form's post: the fields shown on the page (``inputs``, by field name) checked
    whole first; a mistake anywhere gives the page back with the values as typed and writes nothing,
    otherwise the changed values are saved (and, with ``complete``, the extraction marked complete)
    in one transaction."""
    shown = extraction_study_page(workspace, study, viewer, role)
    form = shown.form
    texts = {
        item.name: field_text(item, inputs[item.name])
        for item in form.study.extraction.form
        if item.name in inputs
    }
    checked = check_extraction(form.study.extraction.form, texts, completing=complete)
    if not checked.ok:
        typed = {name: inputs[name] for name in texts}
        return SaveOutcome(form.study.ref, replace(shown, inputs=typed, errors=checked.errors))
    save_extraction(workspace, form.study.ref, checked, form.entries, complete=complete)
    return SaveOutcome(form.study.ref, None)


def _ref(workspace: Workspace, study: str) -> str:
    """The study's reference as the page names it (before a check may give it a stored id)."""
    return study_ref(resolve_study(list_studies(workspace, included_only=True), study))


def check_study(
    workspace: Workspace,
    study: str,
    action: Literal["verify", "flag"],
    *,
    field_name: str = "",
    note: str = "",
    suggest: str | None = None,
) -> str:
    """Single-verified: ``verify`` records the viewer's check; ``flag`` queries one field with a
    note. Returns the study's reference."""
    ref = _ref(workspace, study)
    if action == "verify":
        verify_study(workspace, ref)
    else:
        flag_field(workspace, ref, field_name, note, suggest=suggest)
    return ref


def resolve_flag(
    workspace: Workspace,
    study: str,
    field_name: str,
    how: str,
    *,
    value: str = "",
    note: str = "",
) -> str:
    """The extractor answers a verifier's flag: ``correct`` (to ``value``), ``take`` (the suggested
    value) or ``keep`` (the value stands; the note says why). Returns the study's reference."""
    with workspace.unit_of_work(write=False) as uow:
        form = study_form_in(uow, workspace, study)
    flag = next((f for f in form.study.extraction.open_flags if f.field == field_name), None)
    if flag is None:
        raise NotFound(f"no open flag on {field_name!r} of study {form.study.label!r}")
    ref = form.study.ref
    if how == "correct":
        resolve(workspace, ref, field_name, value, note=note)
    elif how == "take":
        resolve(workspace, ref, field_name, take=flag.flagged_by, note=note)
    elif how == "keep":
        resolve(workspace, ref, field_name, keep=True, note=note)
    else:
        raise UserError(f"{how!r} is not a way to resolve a flag", hint="correct, take or keep")
    return ref


def record_consensus(
    workspace: Workspace, study: str, field_name: str, *, value: str, take: str, note: str
) -> str:
    """Dual: the agreed value of a field the two extractions differ on, typed or one reviewer's
    taken over (``take``). Returns the study's reference."""
    ref = _ref(workspace, study)
    if take:
        resolve(workspace, ref, field_name, take=take, note=note)
    else:
        resolve(workspace, ref, field_name, value, note=note)
    return ref
