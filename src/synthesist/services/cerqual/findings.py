"""GRADE-CERQual per review finding: add findings, assess their four components and the overall
confidence, correct the contributing studies, and write the Summary of Qualitative Findings.

The judgements are the reviewer's; what can be counted is derived on every read (contributing
studies from the coding of the finding's themes, the appraisal ratings behind methodological
limitations, the numbers of studies and participants behind adequacy), so a later coding or
appraisal change shows at once. The suggestions follow the rules documented in
:mod:`synthesist.synthesis.cerqual`. Every change is one event, written in the change's transaction.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from synthesist.errors import NotFound, UnknownPlugin, UserError
from synthesist.events import (
    CerqualComponentAssessed,
    CerqualConfidenceSet,
    CerqualFindingAdded,
    CerqualFindingChanged,
    CerqualStudyCorrected,
)
from synthesist.ports import UnitOfWork
from synthesist.services.extraction.values import extraction_form, included_extractions
from synthesist.services.fulltext.reports import list_studies
from synthesist.services.fulltext.study_refs import resolve_study, stored_study_id
from synthesist.services.synthesis.outputs import included_rows, study_ratings
from synthesist.services.synthesis.refs import find_theme
from synthesist.services.synthesis.snapshot import coding_snapshot
from synthesist.synthesis.cerqual import (
    CERQUAL_FORMATS,
    Component,
    Concern,
    Confidence,
    Finding,
    FindingView,
    evidence_profile_table,
    finding_view,
    parse_component,
    parse_concern,
    parse_confidence,
    soqf_table,
    write_cerqual_table,
)
from synthesist.workspace import Workspace

__all__ = [
    "FindingChange",
    "add_finding",
    "assess_component",
    "change_finding",
    "correct_study",
    "finding_views",
    "findings_table_document",
    "participant_counts",
    "set_confidence",
    "show_finding",
]

_REF = re.compile(r"^\s*[Ff]?(\d+)\s*$")
SUGGESTED = "suggested"  # as a level: take Synthesist's suggestion


def participant_counts(workspace: Workspace) -> dict[int, int | None]:
    """Study id -> participants, from the first participant-counts field of the extraction form
    (its total, as agreed in dual extraction); empty when the form has no such field."""
    field = next((f for f in extraction_form(workspace).form if f.type == "participant_counts"), None)
    if field is None:
        return {}
    counts: dict[int, int | None] = {}
    for study in included_extractions(workspace):
        if study.view.study.id is None:
            continue
        value = study.extraction.final_value(field.name)
        total = re.search(r"(?:^|, )total=(\d+)$", value or "")
        counts[study.view.study.id] = int(total.group(1)) if total else None
    return counts


def _views(workspace: Workspace, findings: Sequence[Finding]) -> list[FindingView]:
    snapshot = coding_snapshot(workspace)
    rows = included_rows(workspace)
    ratings = study_ratings(workspace)
    counts = participant_counts(workspace)
    return [finding_view(f, snapshot, rows, ratings.by_study, ratings.order, counts) for f in findings]


def finding_views(workspace: Workspace) -> list[FindingView]:
    """Every review finding with what is derived for it, by number."""
    with workspace.unit_of_work(write=False) as uow:
        findings = uow.cerqual.findings()
    return _views(workspace, findings)


def _find(uow: UnitOfWork, reference: str | int) -> Finding:
    match = _REF.match(str(reference))
    findings = uow.cerqual.findings()
    if match:
        for finding in findings:
            if finding.number == int(match.group(1)):
                return finding
    known = ", ".join(f.ref for f in findings) or "none yet"
    raise NotFound(f"no review finding {reference!r}", hint=f"Findings: {known} (synthesist cerqual list).")


def show_finding(workspace: Workspace, reference: str | int) -> FindingView:
    with workspace.unit_of_work(write=False) as uow:
        finding = _find(uow, reference)
    return _views(workspace, [finding])[0]


def _statement(text: str) -> str:
    clean = " ".join(text.split())
    if not clean:
        raise UserError(
            "a review finding needs its summary statement", hint='e.g. "Effective communication ..."'
        )
    return clean


def add_finding(workspace: Workspace, statement: str, themes: Sequence[str]) -> FindingView:
    """A new review finding (F1, F2...) summarising ``themes`` (named; each must exist)."""
    clean = _statement(statement)
    with workspace.unit_of_work() as uow:
        known = uow.synthesis.themes()
        linked = list({theme.id: theme for theme in (find_theme(known, name) for name in themes)}.values())
        number = uow.cerqual.next_number()
        finding_id = uow.cerqual.add_finding(number, clean, [t.id for t in linked], by=workspace.actor)
        uow.events.append(
            CerqualFindingAdded(finding_id, number, clean, [t.name for t in linked]), workspace.actor
        )
        finding = uow.cerqual.get_finding(finding_id)
        uow.commit()
    return _views(workspace, [finding])[0]


@dataclass(frozen=True)
class FindingChange:
    """What ``cerqual set`` may change besides the judgements; None leaves a part as it is."""

    statement: str | None = None
    themes: Sequence[str] | None = None
    participants: int | None = None
    participants_note: str | None = None
    clear_participants: bool = False


def change_finding(workspace: Workspace, reference: str | int, change: FindingChange) -> FindingView:
    with workspace.unit_of_work() as uow:
        finding = _find(uow, reference)
        changes: dict[str, list[object]] = {}
        if change.statement is not None:
            clean = _statement(change.statement)
            if clean != finding.statement:
                uow.cerqual.set_statement(finding.id, clean)
                changes["statement"] = [finding.statement, clean]
        if change.themes is not None:
            known = uow.synthesis.themes()
            names = {t.id: t.name for t in known}
            linked = list({t.id: t for t in (find_theme(known, name) for name in change.themes)}.values())
            if [t.id for t in linked] != list(finding.theme_ids):
                uow.cerqual.set_themes(finding.id, [t.id for t in linked])
                changes["themes"] = [
                    [names.get(t, str(t)) for t in finding.theme_ids],
                    [t.name for t in linked],
                ]
        if change.participants is not None or change.clear_participants:
            if change.participants is not None and change.participants < 0:
                raise UserError(f"participants cannot be negative ({change.participants})")
            value = None if change.clear_participants else change.participants
            note = (change.participants_note or "").strip() if value is not None else ""
            if (value, note) != (finding.participants, finding.participants_note):
                uow.cerqual.set_participants(finding.id, value, note)
                changes["participants"] = [finding.participants, value]
        if changes:
            uow.events.append(CerqualFindingChanged(finding.id, finding.number, changes), workspace.actor)
        finding = uow.cerqual.get_finding(finding.id)
        uow.commit()
    return _views(workspace, [finding])[0]


def correct_study(
    workspace: Workspace, reference: str | int, study: str, include: bool | None, note: str = ""
) -> FindingView:
    """Add (``include`` True) or remove (False) a study from a finding's contributing studies, with
    a note saying why; None withdraws the correction so the coding decides again."""
    if include is not None and not note.strip():
        raise UserError(
            "say why the study is added or removed",
            hint='e.g. --note "its finding fits, though coded elsewhere"',
        )
    view = resolve_study(list_studies(workspace, included_only=True), study)
    with workspace.unit_of_work() as uow:
        finding = _find(uow, reference)
        study_id = stored_study_id(uow, workspace, view)
        if include is None:
            if not uow.cerqual.clear_override(finding.id, study_id):
                raise UserError(f"{finding.ref} has no correction for study {view.study.label!r}")
        else:
            uow.cerqual.set_override(
                finding.id, study_id, include=include, note=note.strip(), by=workspace.actor
            )
        event = CerqualStudyCorrected(
            finding.id, finding.number, study_id, view.study.label, include, note.strip()
        )
        uow.events.append(event, workspace.actor)
        finding = uow.cerqual.get_finding(finding.id)
        uow.commit()
    return _views(workspace, [finding])[0]


def assess_component(
    workspace: Workspace, reference: str | int, component: str, concern: str, explanation: str | None = None
) -> FindingView:
    """Record the level of concern for one component. ``concern`` may be "suggested" for
    methodological limitations (take the suggestion); without an explanation, methodological
    limitations and adequacy take their basis (the ratings; the numbers)."""
    part = parse_component(component)
    with workspace.unit_of_work(write=False) as uow:
        finding = _find(uow, reference)
    current = _views(workspace, [finding])[0]
    suggestion = current.methodological_suggestion if part is Component.METHODOLOGICAL_LIMITATIONS else None
    if concern.strip().casefold() == SUGGESTED:
        if suggestion is None:
            raise UserError(
                f"Synthesist suggests a level only for methodological limitations, from rated studies "
                f"({current.methodological_basis})"
            )
        level: Concern = suggestion
    else:
        level = parse_concern(concern)
    basis = {
        Component.METHODOLOGICAL_LIMITATIONS: current.methodological_basis,
        Component.ADEQUACY: current.adequacy_basis,
    }.get(part)
    text = " ".join((explanation or "").split()) or (basis[0].upper() + basis[1:] if basis else "")
    if not text:
        raise UserError(f"explain the concerns about {part.label.lower()}", hint='--explanation "..."')
    with workspace.unit_of_work() as uow:
        finding = _find(uow, reference)
        previous = finding.assessments.get(part)
        uow.cerqual.set_assessment(finding.id, part, level, text, by=workspace.actor)
        event = CerqualComponentAssessed(
            finding.id,
            finding.number,
            part.value,
            level.value,
            text,
            previous.concern.value if previous else None,
            suggestion.value if suggestion else None,
        )
        uow.events.append(event, workspace.actor)
        finding = uow.cerqual.get_finding(finding.id)
        uow.commit()
    return _views(workspace, [finding])[0]


def set_confidence(
    workspace: Workspace, reference: str | int, confidence: str | None, explanation: str | None = None
) -> FindingView:
    """The reviewer's overall confidence (None: not assessed). "suggested" takes the suggestion;
    without an explanation, one is made from the components' concerns."""
    with workspace.unit_of_work(write=False) as uow:
        finding = _find(uow, reference)
    current = _views(workspace, [finding])[0]
    suggested = current.suggested_confidence
    level: Confidence | None
    if confidence is None:
        level = None
    elif confidence.strip().casefold() == SUGGESTED:
        if suggested is None:
            raise UserError(f"no suggestion yet: {current.suggestion_reason}")
        level = suggested
    else:
        level = parse_confidence(confidence)
    text = " ".join((explanation or "").split())
    if level is not None and not text:
        text = current.explanation()
        if not text:
            raise UserError(
                "explain the confidence", hint='--explanation "..." (or assess the components first)'
            )
    with workspace.unit_of_work() as uow:
        finding = _find(uow, reference)
        uow.cerqual.set_confidence(finding.id, level, text if level else "")
        event = CerqualConfidenceSet(
            finding.id,
            finding.number,
            level.value if level else None,
            text if level else "",
            finding.confidence.value if finding.confidence else None,
            suggested.value if suggested else None,
        )
        uow.events.append(event, workspace.actor)
        finding = uow.cerqual.get_finding(finding.id)
        uow.commit()
    return _views(workspace, [finding])[0]


def findings_table_document(
    workspace: Workspace, format_name: str, *, profile: bool = False
) -> tuple[bytes, int]:
    """The Summary of Qualitative Findings (or, with ``profile``, the evidence profile) as a file's
    content, and how many findings it lists."""
    if format_name not in CERQUAL_FORMATS:
        raise UnknownPlugin(f"no table format {format_name!r}", hint="Formats: " + ", ".join(CERQUAL_FORMATS))
    views = finding_views(workspace)
    if not views:
        raise NotFound(
            "there are no review findings yet", hint='synthesist cerqual add "STATEMENT" --theme NAME'
        )
    table = evidence_profile_table(views) if profile else soqf_table(views)
    buffer = io.BytesIO()
    write_cerqual_table(table, format_name, buffer)
    return buffer.getvalue(), len(views)
