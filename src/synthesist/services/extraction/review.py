"""Checking extractions: a verifier's check and flags (single-verified), the discrepancies between
two extractions (dual), and resolving either.

- single-verified: once the extractor marks a study complete, a second reviewer checks it
  (``verify_study``) and may flag fields (``flag_field``), with a note and a suggested value. The
  extractor then resolves each flag (``resolve``): corrects the value, or keeps it and says why.
  A verifier never resolves their own flag, and an extractor never checks their own study.
- dual: once both reviewers marked a study complete, the fields they disagree on are listed
  (``list_discrepancies``); ``resolve`` records the agreed value (typed, or one reviewer's taken
  over) and keeps both reviewers' values in the event.

Each write is one transaction with its event; a refused step writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from synthesist.errors import InvalidTransition, NotFound, UserError
from synthesist.events import (
    ExtractionCompleted,
    ExtractionConsensus,
    ExtractionFlagged,
    ExtractionFlagResolved,
    ExtractionValueSet,
)
from synthesist.extraction.model import Flag, Resolution, Role, ValueSource
from synthesist.extraction.status import Discrepancy
from synthesist.ports import UnitOfWork
from synthesist.review.extraction_settings import ExtractionField, ExtractionSection
from synthesist.services.extraction.values import (
    IncludedStudy,
    check_reviewer,
    checked_value,
    extraction_form,
    find_field,
    included_extractions,
    load_extractions,
    stored_extraction,
    stored_id,
)
from synthesist.services.fulltext.reports import list_studies
from synthesist.services.fulltext.study_refs import resolve_study
from synthesist.workspace import Workspace

__all__ = [
    "Resolved",
    "ReviewItem",
    "flag_field",
    "list_discrepancies",
    "resolve",
    "verify_study",
]


def _require_mode(settings: ExtractionSection, *modes: str, action: str) -> None:
    if settings.mode not in modes:
        wanted = " or ".join(f'"{mode}"' for mode in modes)
        raise UserError(
            f'{action} is for extraction mode {wanted}; review.toml has mode = "{settings.mode}"',
            hint="Set mode in the [extraction] section of review.toml.",
        )


def _checkable(study: IncludedStudy, reviewer: str) -> None:
    extraction = study.extraction
    if reviewer in extraction.extractors:
        raise InvalidTransition(
            f"{reviewer} extracted study {study.label!r}; a second person checks it",
            hint="The check is made by another reviewer: --as NAME",
        )
    if not extraction.completed_by(Role.EXTRACTOR) or extraction.missing_required():
        raise InvalidTransition(
            f"the extraction of study {study.label!r} is {extraction.status.value}; it is checked once "
            "the extractor marks it complete",
            hint="The extractor runs: synthesist extract complete STUDY",
        )


def verify_study(workspace: Workspace, study: str) -> tuple[IncludedStudy, bool]:
    """Record that the acting reviewer checked a complete study's extraction (flags they raised
    stay open until resolved). Returns the study and whether it was newly checked."""
    settings = extraction_form(workspace)
    _require_mode(settings, "single-verified", action="checking an extraction")
    view = resolve_study(list_studies(workspace, included_only=True), study)
    reviewer = workspace.actor
    check_reviewer(settings, reviewer)
    with workspace.unit_of_work() as uow:
        before = stored_extraction(uow, workspace, settings, view)
        if reviewer in before.extraction.completed_by(Role.VERIFIER):
            return before, False
        _checkable(before, reviewer)
        sid = stored_id(before)
        uow.extraction.complete(sid, reviewer, Role.VERIFIER)
        uow.events.append(ExtractionCompleted(sid, before.label, reviewer, Role.VERIFIER.value), reviewer)
        after = load_extractions(uow, settings, [before.view])[0]
        uow.commit()
    return after, True


def flag_field(
    workspace: Workspace, study: str, field_name: str, note: str, *, suggest: str | None = None
) -> Flag:
    """Flag one field of a complete study's extraction, saying why (and, if known, the value it
    should have); the extractor resolves the flag."""
    settings = extraction_form(workspace)
    _require_mode(settings, "single-verified", action="flagging a field")
    field = find_field(settings, field_name)
    view = resolve_study(list_studies(workspace, included_only=True), study)
    note = note.strip()
    if not note:
        raise UserError(
            "say what is wrong with the value", hint='Pass --note, e.g. --note "the sample was 24"'
        )
    suggested = checked_value(view.study.label, field, suggest) if suggest is not None else None
    reviewer = workspace.actor
    check_reviewer(settings, reviewer)
    with workspace.unit_of_work() as uow:
        before = stored_extraction(uow, workspace, settings, view)
        _checkable(before, reviewer)
        already = next((f for f in before.extraction.open_flags if f.field == field.name), None)
        if already is not None:
            raise InvalidTransition(
                f"{field.name} of study {before.label!r} is already flagged by {already.flagged_by} "
                f"(flag {already.id}): {already.note}",
                hint="A field has one open flag at a time; it is resolved with `synthesist extract resolve`.",
            )
        sid = stored_id(before)
        flag_id = uow.extraction.add_flag(sid, field.name, note, by=reviewer, suggested=suggested)
        uow.events.append(
            ExtractionFlagged(flag_id, sid, before.label, field.name, note, suggested), reviewer
        )
        flag = uow.extraction.get_flag(flag_id)
        uow.commit()
    return flag


@dataclass(frozen=True)
class ReviewItem:
    """Something to resolve: a dual discrepancy (``discrepancy``) or an open flag (``flag``)."""

    study: IncludedStudy
    field: ExtractionField
    discrepancy: Discrepancy | None = None
    flag: Flag | None = None
    current: str | None = None  # the flagged value


def list_discrepancies(workspace: Workspace) -> list[ReviewItem]:
    """The fields waiting to be resolved: differences between two complete extractions (dual),
    and open verifiers' flags (single-verified), study by study."""
    items: list[ReviewItem] = []
    for study in included_extractions(workspace):
        extraction = study.extraction
        for discrepancy in extraction.discrepancies():
            items.append(ReviewItem(study, discrepancy.field, discrepancy=discrepancy))
        for flag in extraction.open_flags:
            field = next((f for f in extraction.form if f.name == flag.field), None)
            if field is not None:  # a flag on a field since removed from the form is moot
                items.append(ReviewItem(study, field, flag=flag, current=extraction.latest_value(flag.field)))
    return items


@dataclass(frozen=True)
class Resolved:
    study: IncludedStudy  # after resolving
    field: ExtractionField
    value: str | None  # the value that now counts
    resolution: str  # "consensus", "corrected" or "kept"


def resolve(
    workspace: Workspace,
    study: str,
    field_name: str,
    value: str | None = None,
    *,
    take: str | None = None,
    keep: bool = False,
    note: str | None = None,
) -> Resolved:
    """Resolve a field: in dual extraction record the agreed ``value`` (or ``take`` one reviewer's);
    in single-verified extraction correct the flagged value (``value``, or ``take`` the verifier's
    suggestion) or ``keep`` it with a ``note`` saying why."""
    settings = extraction_form(workspace)
    field = find_field(settings, field_name)
    view = resolve_study(list_studies(workspace, included_only=True), study)
    note = note.strip() if note and note.strip() else None
    if sum((value is not None, take is not None, keep)) != 1:
        raise UserError(
            "give exactly one of: the value, --take REVIEWER, or --keep",
            hint="e.g. synthesist extract resolve S3 country Sweden",
        )
    typed = checked_value(view.study.label, field, value) if value is not None else None
    reviewer = workspace.actor
    check_reviewer(settings, reviewer)
    with workspace.unit_of_work() as uow:
        before = stored_extraction(uow, workspace, settings, view)
        extraction = before.extraction
        open_discrepancy = next((d for d in extraction.discrepancies() if d.field.name == field.name), None)
        sid = stored_id(before)
        if open_discrepancy is not None:
            if keep:
                raise UserError("--keep is for a verifier's flag; two extractions need the agreed value")
            agreed = typed if take is None else _taken(open_discrepancy, take, before.label)
            if agreed is None:
                raise UserError(f"the agreed value of {field.name} cannot be empty")
            uow.extraction.set_consensus(sid, field.name, agreed, by=reviewer, note=note)
            event = ExtractionConsensus(sid, before.label, field.name, agreed, open_discrepancy.values, note)
            uow.events.append(event, reviewer)
            resolution = "consensus"
        else:
            flag = next((f for f in extraction.open_flags if f.field == field.name), None)
            if flag is None:
                raise NotFound(
                    f"nothing to resolve on {field.name} of study {before.label!r}: no discrepancy "
                    "between two complete extractions and no open flag",
                    hint="`synthesist extract discrepancies` lists what waits to be resolved.",
                )
            agreed, resolution = _resolve_flag(uow, before, flag, typed, take, keep, note, reviewer)
        after = load_extractions(uow, settings, [before.view])[0]
        uow.commit()
    return Resolved(after, field, after.extraction.final_value(field.name), resolution)


def _taken(discrepancy: Discrepancy, take: str, label: str) -> str | None:
    if take not in discrepancy.values:
        names = " or ".join(discrepancy.values)
        raise UserError(f"{take!r} did not extract study {label!r}; take the value of {names}")
    return discrepancy.values[take]


def _resolve_flag(
    uow: UnitOfWork,
    study: IncludedStudy,
    flag: Flag,
    typed: str | None,
    take: str | None,
    keep: bool,
    note: str | None,
    reviewer: str,
) -> tuple[str | None, str]:
    if reviewer == flag.flagged_by:
        raise InvalidTransition(
            f"{reviewer} raised this flag (flag {flag.id}); the extractor resolves it",
            hint="Resolve it as the extractor: --as NAME",
        )
    sid = stored_id(study)
    if keep:
        if note is None:
            raise UserError("say why the value stands", hint='Pass --note, e.g. --note "table 1 gives 24"')
        uow.extraction.resolve_flag(flag.id, Resolution.KEPT, by=reviewer)
        uow.events.append(
            ExtractionFlagResolved(flag.id, sid, study.label, flag.field, Resolution.KEPT.value, None, note),
            reviewer,
        )
        return None, Resolution.KEPT.value
    if take is not None:
        if take != flag.flagged_by or flag.suggested_value is None:
            raise UserError(
                f"--take takes the value the verifier suggested; {flag.flagged_by} "
                + ("suggested none" if flag.suggested_value is None else f"raised flag {flag.id}"),
                hint="Give the corrected value instead.",
            )
        typed = flag.suggested_value
    previous = study.extraction.latest_value(flag.field)
    uow.extraction.set_values([(sid, flag.field, reviewer, typed)], source=ValueSource.CORRECTED, shared=True)
    uow.events.append(
        ExtractionValueSet(
            sid, study.label, flag.field, reviewer, typed, previous, ValueSource.CORRECTED.value
        ),
        reviewer,
    )
    uow.extraction.resolve_flag(flag.id, Resolution.CORRECTED, by=reviewer)
    uow.events.append(
        ExtractionFlagResolved(
            flag.id, sid, study.label, flag.field, Resolution.CORRECTED.value, typed, note
        ),
        reviewer,
    )
    return typed, Resolution.CORRECTED.value
