"""Typed, append-only events: the review's audit trail.

Every state change is written as one event, in the same transaction as the change itself. PRISMA
counts, agreement statistics, the audit trail and "undo" all read from this log. Events are
immutable dataclasses; storage keeps ``type``, ``actor``, ``occurred_at`` and the payload (the
dataclass fields) and refuses UPDATE and DELETE on the table (database triggers).

Add an event type by subclassing :class:`Event` with a unique ``type`` and decorating it with
:func:`event_type`; :func:`decode_event` turns a stored row back into the dataclass.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, TypeVar

__all__ = [
    "AppraisalAnswered",
    "AppraisalCategoryChosen",
    "AppraisalResolved",
    "BatchImported",
    "CerqualComponentAssessed",
    "CerqualConfidenceSet",
    "CerqualFindingAdded",
    "CerqualFindingChanged",
    "CerqualStudyCorrected",
    "CodeAssigned",
    "CodeChanged",
    "CodeCreated",
    "CodeSplit",
    "CodebookLoaded",
    "CodesMerged",
    "CodingApplied",
    "CodingDisagreementResolved",
    "CodingReanchored",
    "CodingRemoved",
    "CodingsSuggested",
    "DedupRan",
    "DocumentAdded",
    "DocumentReplaced",
    "DuplicateGroupSplit",
    "DuplicateGroupUndone",
    "DuplicatePairDecided",
    "DuplicatePrimaryChanged",
    "DuplicatesMerged",
    "Event",
    "ExtractionCompleted",
    "ExtractionConsensus",
    "ExtractionFlagResolved",
    "ExtractionFlagged",
    "ExtractionImported",
    "ExtractionValueSet",
    "LoggedEvent",
    "MemberAdded",
    "MemberRemoved",
    "MemoWritten",
    "ModelLinkChanged",
    "ModelLoaded",
    "ModelOutcomeChanged",
    "NotRetrievedMarked",
    "NotRetrievedWithdrawn",
    "PasswordChanged",
    "ProjectCreated",
    "RefiQdaImported",
    "ReportAttached",
    "ScreeningDecided",
    "ScreeningDecisionUndone",
    "ScreeningSeedAdded",
    "ScreeningSeedRemoved",
    "ScreeningStopRecorded",
    "StudyGrouped",
    "StudyUngrouped",
    "SuggestionDecided",
    "ThemeChanged",
    "ThemeCreated",
    "UserAdded",
    "decode_event",
    "event_type",
    "event_types",
]


@dataclass(frozen=True, slots=True)
class Event:
    type: ClassVar[str] = "event"

    def payload(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def summary(self) -> str:
        """One line for ``synthesist log``."""
        return ", ".join(f"{key}={value}" for key, value in self.payload().items() if value not in (None, ""))


_E = TypeVar("_E", bound=type[Event])
_TYPES: dict[str, type[Event]] = {}


def event_type(cls: _E) -> _E:
    if cls.type in _TYPES and _TYPES[cls.type] is not cls:
        raise ValueError(f"event type {cls.type!r} registered twice")
    _TYPES[cls.type] = cls
    return cls


def event_types() -> dict[str, type[Event]]:
    return dict(sorted(_TYPES.items()))


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    """An event as stored: with its sequence number, actor and time."""

    id: int
    type: str
    actor: str
    occurred_at: datetime
    payload: dict[str, Any]

    def decoded(self) -> Event | None:
        return decode_event(self.type, self.payload)


def decode_event(type_name: str, payload: dict[str, Any]) -> Event | None:
    """The dataclass for a stored event, or ``None`` for a type this version does not know."""
    cls = _TYPES.get(type_name)
    if cls is None:
        return None
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{key: value for key, value in payload.items() if key in names})


@event_type
@dataclass(frozen=True, slots=True)
class ProjectCreated(Event):
    type: ClassVar[str] = "project.created"
    title: str
    project_id: str

    def summary(self) -> str:
        return f"created review project {self.title!r}"


@event_type
@dataclass(frozen=True, slots=True)
class BatchImported(Event):
    """One export file imported as a search batch (PRISMA: records identified from a source)."""

    type: ClassVar[str] = "records.imported"
    batch_id: int
    source: str
    file_name: str
    file_sha256: str
    format: str
    encoding: str | None
    records: int
    rejects: int
    searched_on: str | None = None
    other_method: str | None = None
    forced: bool = False

    def summary(self) -> str:
        what = (
            f"imported {self.records} records from {self.file_name} ({self.format}) as batch {self.batch_id}"
        )
        where = f"source {self.source!r}" + (
            f", other method {self.other_method!r}" if self.other_method else ""
        )
        rejects = f", {self.rejects} rejected" if self.rejects else ""
        forced = ", re-import forced" if self.forced else ""
        return f"{what}, {where}{rejects}{forced}"


@event_type
@dataclass(frozen=True, slots=True)
class DedupRan(Event):
    """``dedup run``: the matcher compared records and marked the certain duplicates."""

    type: ClassVar[str] = "dedup.run"
    run_id: int
    scope: str
    records_checked: int
    candidate_pairs: int
    duplicate_pairs: int
    possible_pairs: int
    groups_created: int
    groups_grown: int
    settings: dict[str, Any] = dataclasses.field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"deduplication run {self.run_id} ({self.scope} records): {self.records_checked} records, "
            f"{self.groups_created} new groups, {self.groups_grown} grown, "
            f"{self.possible_pairs} possible duplicates to review"
        )


@event_type
@dataclass(frozen=True, slots=True)
class DuplicatePairDecided(Event):
    """A reviewer confirmed or rejected a possible duplicate."""

    type: ClassVar[str] = "dedup.pair_decided"
    pair_id: int
    first: int
    second: int
    decision: str  # "confirmed" or "rejected"
    group_id: int | None = None
    note: str | None = None

    def summary(self) -> str:
        verb = "are duplicates" if self.decision == "confirmed" else "are not duplicates"
        group = f" (group {self.group_id})" if self.group_id else ""
        return f"records {self.first} and {self.second} {verb}{group}" + (
            f": {self.note}" if self.note else ""
        )


@event_type
@dataclass(frozen=True, slots=True)
class DuplicatesMerged(Event):
    """A reviewer marked records as duplicates by hand (``dedup merge``)."""

    type: ClassVar[str] = "dedup.merged"
    group_id: int
    record_ids: list[int]
    primary_id: int
    note: str | None = None

    def summary(self) -> str:
        ids = ", ".join(str(record_id) for record_id in self.record_ids)
        return f"merged records {ids} into group {self.group_id} (primary {self.primary_id})"


@event_type
@dataclass(frozen=True, slots=True)
class DuplicateGroupSplit(Event):
    """Records taken out of a group; they are distinct from the records left in it."""

    type: ClassVar[str] = "dedup.split"
    group_id: int
    record_ids: list[int]
    primary_id: int | None  # None when the group was dissolved
    note: str | None = None

    def summary(self) -> str:
        ids = ", ".join(str(record_id) for record_id in self.record_ids)
        left = f"primary {self.primary_id}" if self.primary_id is not None else "group dissolved"
        return f"split records {ids} from group {self.group_id} ({left})"


@event_type
@dataclass(frozen=True, slots=True)
class DuplicateGroupUndone(Event):
    """A merge reversed: the group is dissolved and its records are unique again."""

    type: ClassVar[str] = "dedup.undone"
    group_id: int
    member_ids: list[int]
    primary_id: int
    origin: str
    note: str | None = None

    def summary(self) -> str:
        ids = ", ".join(str(record_id) for record_id in self.member_ids)
        return f"undid duplicate group {self.group_id} (records {ids} are distinct again)"


@event_type
@dataclass(frozen=True, slots=True)
class DuplicatePrimaryChanged(Event):
    type: ClassVar[str] = "dedup.primary_changed"
    group_id: int
    old_primary_id: int
    new_primary_id: int

    def summary(self) -> str:
        return (
            f"group {self.group_id}: primary record is now {self.new_primary_id} (was {self.old_primary_id})"
        )


@event_type
@dataclass(frozen=True, slots=True)
class ScreeningDecided(Event):
    """A reviewer's decision on a record at a stage (kind: screen, verify or consensus)."""

    type: ClassVar[str] = "screening.decided"
    decision_id: int
    record_id: int
    stage: str
    reviewer: str
    vote: str
    kind: str
    reason: str | None = None
    note: str | None = None
    labels: list[str] = dataclasses.field(default_factory=list)
    participants: list[str] = dataclasses.field(default_factory=list)

    def summary(self) -> str:
        who = self.reviewer if self.kind != "consensus" else f"consensus of {', '.join(self.participants)}"
        reason = f" ({self.reason})" if self.reason else ""
        check = " as a check" if self.kind == "verify" else ""
        return f"{who}: {self.vote} record {self.record_id} at {self.stage}{check}{reason}"


@event_type
@dataclass(frozen=True, slots=True)
class ScreeningDecisionUndone(Event):
    type: ClassVar[str] = "screening.undone"
    decision_id: int
    record_id: int
    stage: str
    reviewer: str
    vote: str

    def summary(self) -> str:
        return f"undid {self.reviewer}'s {self.vote} on record {self.record_id} at {self.stage}"


@event_type
@dataclass(frozen=True, slots=True)
class ScreeningSeedAdded(Event):
    """A record marked as a seed study: known to be relevant, so the ranking treats it as such (it is
    not a screening decision)."""

    type: ClassVar[str] = "screening.seed_added"
    record_id: int
    note: str | None = None

    def summary(self) -> str:
        return f"marked record {self.record_id} as a seed study" + (f": {self.note}" if self.note else "")


@event_type
@dataclass(frozen=True, slots=True)
class ScreeningSeedRemoved(Event):
    type: ClassVar[str] = "screening.seed_removed"
    record_id: int

    def summary(self) -> str:
        return f"record {self.record_id} is no longer a seed study"


@event_type
@dataclass(frozen=True, slots=True)
class ReportAttached(Event):
    """A full-text document attached to a record (PRISMA: a report retrieved), its text extracted."""

    type: ClassVar[str] = "fulltext.attached"
    report_id: int
    record_id: int
    file_name: str
    stored_path: str
    sha256: str
    media_type: str
    pages: int
    text_status: str

    def summary(self) -> str:
        return (
            f"attached {self.file_name} to record {self.record_id} as report {self.report_id} "
            f"({self.pages} pages, text {self.text_status})"
        )


@event_type
@dataclass(frozen=True, slots=True)
class NotRetrievedMarked(Event):
    """A record's full text was sought but could not be obtained (PRISMA: reports not retrieved)."""

    type: ClassVar[str] = "fulltext.not_retrieved"
    failure_id: int
    record_id: int
    reason: str

    def summary(self) -> str:
        return f"full text of record {self.record_id} not retrieved: {self.reason}"


@event_type
@dataclass(frozen=True, slots=True)
class NotRetrievedWithdrawn(Event):
    """A "not retrieved" mark withdrawn: a report was attached after all (``report_id``), or the
    mark was a mistake (``report_id`` None)."""

    type: ClassVar[str] = "fulltext.not_retrieved_withdrawn"
    failure_id: int
    record_id: int
    reason: str
    report_id: int | None = None

    def summary(self) -> str:
        why = f"report {self.report_id} attached" if self.report_id is not None else "withdrawn"
        return f"record {self.record_id} is no longer marked not retrieved ({why})"


@event_type
@dataclass(frozen=True, slots=True)
class StudyGrouped(Event):
    """Records grouped into one study (PRISMA 2020: one study, several reports); ``added`` are the
    records that joined, ``record_ids`` all of the study's records afterwards."""

    type: ClassVar[str] = "fulltext.study_grouped"
    study_id: int
    label: str
    record_ids: list[int]
    added: list[int]
    created: bool = False
    old_label: str | None = None

    def summary(self) -> str:
        ids = ", ".join(str(record_id) for record_id in self.record_ids)
        verb = "formed" if self.created else "now has"
        renamed = f" (was {self.old_label!r})" if self.old_label and self.old_label != self.label else ""
        return f"study {self.study_id} {self.label!r}{renamed} {verb} records {ids}"


@event_type
@dataclass(frozen=True, slots=True)
class StudyUngrouped(Event):
    """Records taken out of a study; each is a study of its own again."""

    type: ClassVar[str] = "fulltext.study_ungrouped"
    study_id: int
    label: str
    record_ids: list[int]
    dissolved: bool = False  # no record was left, so the study was removed

    def summary(self) -> str:
        ids = ", ".join(str(record_id) for record_id in self.record_ids)
        left = " (study dissolved)" if self.dissolved else ""
        return f"records {ids} taken out of study {self.study_id} {self.label!r}{left}"


@event_type
@dataclass(frozen=True, slots=True)
class ScreeningStopRecorded(Event):
    """The team stopped title/abstract screening on a stopping rule's word (quoted in the report)."""

    type: ClassVar[str] = "screening.stop_recorded"
    rule: str
    screened: int
    pool: int
    relevant_found: int
    verdict: str
    assumes: str
    estimated_recall: float | None = None
    target_recall: float | None = None
    confidence: float | None = None

    def summary(self) -> str:
        return (
            f"stopped title/abstract screening by the {self.rule} rule "
            f"after {self.screened} of {self.pool} records"
        )


# -- data extraction (a value's text is left out of the one-line summaries: it can be a page long,
# and in dual extraction the other reviewer must not read it in the log before the comparison)


@event_type
@dataclass(frozen=True, slots=True)
class ExtractionValueSet(Event):
    """A reviewer's value of one field of a study set (``value`` None: cleared)."""

    type: ClassVar[str] = "extraction.value_set"
    study_id: int
    study: str
    field: str
    reviewer: str
    value: str | None
    previous: str | None = None
    source: str = "entered"

    def summary(self) -> str:
        verb = "cleared" if self.value is None else ("corrected" if self.source == "corrected" else "set")
        return f"{self.reviewer} {verb} {self.field} of study {self.study_id} {self.study!r}"


@event_type
@dataclass(frozen=True, slots=True)
class ExtractionImported(Event):
    """Values imported from a CSV file as one reviewer's (``values``: study_id, field, value)."""

    type: ClassVar[str] = "extraction.imported"
    file_name: str
    file_sha256: str
    reviewer: str
    layout: str  # "wide" (a column per field) or "long" (study, field, value)
    studies: int
    values: list[dict[str, Any]]

    def summary(self) -> str:
        return (
            f"{self.reviewer} imported {len(self.values)} values for {self.studies} "
            f"stud{'y' if self.studies == 1 else 'ies'} from {self.file_name}"
        )


@event_type
@dataclass(frozen=True, slots=True)
class ExtractionCompleted(Event):
    """A reviewer marked a study's extraction complete (role extractor) or checked it (verifier)."""

    type: ClassVar[str] = "extraction.completed"
    study_id: int
    study: str
    reviewer: str
    role: str

    def summary(self) -> str:
        done = "checked the extraction of" if self.role == "verifier" else "completed the extraction of"
        return f"{self.reviewer} {done} study {self.study_id} {self.study!r}"


@event_type
@dataclass(frozen=True, slots=True)
class ExtractionFlagged(Event):
    """A verifier queried one field of a study's extraction."""

    type: ClassVar[str] = "extraction.flagged"
    flag_id: int
    study_id: int
    study: str
    field: str
    note: str
    suggested_value: str | None = None

    def summary(self) -> str:
        return f"flagged {self.field} of study {self.study_id} {self.study!r}: {self.note}"


@event_type
@dataclass(frozen=True, slots=True)
class ExtractionFlagResolved(Event):
    """A verifier's flag resolved: the value corrected (``value``) or kept (``note`` says why)."""

    type: ClassVar[str] = "extraction.flag_resolved"
    flag_id: int
    study_id: int
    study: str
    field: str
    resolution: str
    value: str | None = None
    note: str | None = None

    def summary(self) -> str:
        why = f": {self.note}" if self.note else ""
        where = f"{self.field} of study {self.study_id} {self.study!r}"
        return f"flag {self.flag_id} on {where}: value {self.resolution}{why}"


@event_type
@dataclass(frozen=True, slots=True)
class ExtractionConsensus(Event):
    """The agreed value of a field two extractions disagreed on, with what each reviewer had."""

    type: ClassVar[str] = "extraction.consensus"
    study_id: int
    study: str
    field: str
    value: str
    values: dict[str, str | None]
    note: str | None = None

    def summary(self) -> str:
        who = " and ".join(self.values)
        return f"consensus on {self.field} of study {self.study_id} {self.study!r} (values of {who})"


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


# Thematic synthesis: documents, codes, themes, codings, consensus and suggestions.


@event_type
@dataclass(frozen=True, slots=True)
class DocumentAdded(Event):
    """The findings text of a study added for coding (from a report's pages, a file or pasted)."""

    type: ClassVar[str] = "synthesis.document_added"
    document_id: int
    study_id: int
    study: str
    title: str
    source: str
    sha256: str
    characters: int
    report_id: int | None = None
    pages: str | None = None  # "5-9" when only some of the report's pages were taken

    def summary(self) -> str:
        what = f"document {self.document_id} {self.title!r}"
        return f"{what} of study {self.study!r} ({self.characters} characters)"


@event_type
@dataclass(frozen=True, slots=True)
class DocumentReplaced(Event):
    """A new version of a document's text; its codings were re-anchored or flagged as lost."""

    type: ClassVar[str] = "synthesis.document_replaced"
    document_id: int
    title: str
    version: int
    old_sha256: str
    new_sha256: str
    unchanged: int
    reanchored: list[int]
    lost: list[int]

    def summary(self) -> str:
        return (
            f"document {self.document_id} {self.title!r} now version {self.version}: "
            f"{self.unchanged} codings in place, {len(self.reanchored)} re-anchored, {len(self.lost)} lost"
        )


@event_type
@dataclass(frozen=True, slots=True)
class CodeCreated(Event):
    type: ClassVar[str] = "synthesis.code_created"
    code_id: int
    name: str
    definition: str = ""
    key_terms: list[str] = dataclasses.field(default_factory=list)

    def summary(self) -> str:
        return f"code {self.code_id} {self.name!r} created"


@event_type
@dataclass(frozen=True, slots=True)
class CodeChanged(Event):
    """A code renamed, or its definition or key terms changed: ``changes`` maps each to [old, new]."""

    type: ClassVar[str] = "synthesis.code_changed"
    code_id: int
    name: str
    changes: dict[str, list[Any]]

    def summary(self) -> str:
        what = "; ".join(f"{key} {old!r} -> {new!r}" for key, (old, new) in self.changes.items())
        return f"code {self.code_id} {self.name!r}: {what}"


@event_type
@dataclass(frozen=True, slots=True)
class CodesMerged(Event):
    """Code ``code_id`` merged into ``into_id``: its codings moved there (listed), its themes too."""

    type: ClassVar[str] = "synthesis.codes_merged"
    code_id: int
    name: str
    into_id: int
    into: str
    codings: list[int]

    def summary(self) -> str:
        return f"code {self.name!r} merged into {self.into!r} ({len(self.codings)} codings moved)"


@event_type
@dataclass(frozen=True, slots=True)
class CodeSplit(Event):
    """Some codings of a code moved to a new (or another) code."""

    type: ClassVar[str] = "synthesis.code_split"
    code_id: int
    name: str
    new_code_id: int
    new_name: str
    codings: list[int]

    def summary(self) -> str:
        return f"code {self.name!r} split: {len(self.codings)} codings moved to {self.new_name!r}"


@event_type
@dataclass(frozen=True, slots=True)
class MemoWritten(Event):
    type: ClassVar[str] = "synthesis.memo_written"
    memo_id: int
    target: str
    target_id: int | None
    about: str
    text: str

    def summary(self) -> str:
        return f"memo on {self.target} {self.about!r}"


@event_type
@dataclass(frozen=True, slots=True)
class CodingApplied(Event):
    """A code applied to a span of a document (by a person, or as a consensus of two coders)."""

    type: ClassVar[str] = "synthesis.coding_applied"
    coding_id: int
    document_id: int
    code_id: int
    code: str
    coder: str
    start: int
    end: int
    kind: str
    text: str
    page: int | None = None
    origin: str = "human"
    memo: str = ""

    def summary(self) -> str:
        where = f"document {self.document_id} [{self.start}:{self.end}]"
        return f"{self.coder}: {self.code!r} on {where} as {self.kind} (coding {self.coding_id})"


@event_type
@dataclass(frozen=True, slots=True)
class CodingRemoved(Event):
    type: ClassVar[str] = "synthesis.coding_removed"
    coding_id: int
    document_id: int
    code: str
    coder: str
    start: int
    end: int

    def summary(self) -> str:
        what = f"coding {self.coding_id} ({self.code!r} by {self.coder})"
        return f"{what} removed from document {self.document_id}"


@event_type
@dataclass(frozen=True, slots=True)
class CodingReanchored(Event):
    """A reviewer placed a re-anchored or lost coding on the text it belongs to."""

    type: ClassVar[str] = "synthesis.coding_reanchored"
    coding_id: int
    document_id: int
    code: str
    start: int
    end: int
    previous_start: int
    previous_end: int
    previous_anchor: str

    def summary(self) -> str:
        where = f"[{self.start}:{self.end}] of document {self.document_id}"
        return f"coding {self.coding_id} ({self.code!r}) placed at {where}"


@event_type
@dataclass(frozen=True, slots=True)
class ThemeCreated(Event):
    type: ClassVar[str] = "synthesis.theme_created"
    theme_id: int
    name: str
    level: str
    parent: str | None = None
    definition: str = ""
    key_terms: list[str] = dataclasses.field(default_factory=list)

    def summary(self) -> str:
        under = f" under {self.parent!r}" if self.parent else ""
        return f"{self.level} theme {self.theme_id} {self.name!r} created{under}"


@event_type
@dataclass(frozen=True, slots=True)
class ThemeChanged(Event):
    """A theme renamed, moved, or its level, definition, key terms or position changed."""

    type: ClassVar[str] = "synthesis.theme_changed"
    theme_id: int
    name: str
    changes: dict[str, list[Any]]

    def summary(self) -> str:
        what = "; ".join(f"{key} {old!r} -> {new!r}" for key, (old, new) in self.changes.items())
        return f"theme {self.theme_id} {self.name!r}: {what}"


@event_type
@dataclass(frozen=True, slots=True)
class CodeAssigned(Event):
    """A code put under a theme (or taken from under it, ``removed``)."""

    type: ClassVar[str] = "synthesis.code_assigned"
    code_id: int
    code: str
    theme_id: int
    theme: str
    removed: bool = False

    def summary(self) -> str:
        return f"code {self.code!r} {'taken from' if self.removed else 'put'} under theme {self.theme!r}"


@event_type
@dataclass(frozen=True, slots=True)
class CodebookLoaded(Event):
    """Themes and codes created or updated from the codebook (review.toml or its file)."""

    type: ClassVar[str] = "synthesis.codebook_loaded"
    source: str
    created: list[str]
    updated: list[str]
    assigned: list[str]

    def summary(self) -> str:
        return (
            f"codebook {self.source}: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.assigned)} codes assigned to themes"
        )


@event_type
@dataclass(frozen=True, slots=True)
class CodingsSuggested(Event):
    """The assistant's suggestions stored (coder "assistant", origin suggested): never human coding."""

    type: ClassVar[str] = "synthesis.codings_suggested"
    document_ids: list[int]
    codings: list[int]
    method: str

    def summary(self) -> str:
        where = f"{len(self.document_ids)} documents ({self.method})"
        return f"assistant suggested {len(self.codings)} codings in {where}"


@event_type
@dataclass(frozen=True, slots=True)
class SuggestionDecided(Event):
    """A reviewer accepted a suggestion (a coding in their name is made from it) or rejected it."""

    type: ClassVar[str] = "synthesis.suggestion_decided"
    suggestion_id: int
    document_id: int
    code: str
    reviewer: str
    accepted: bool
    coding_id: int | None = None

    def summary(self) -> str:
        verb = f"accepted (coding {self.coding_id})" if self.accepted else "rejected"
        what = f"{self.code!r} in document {self.document_id}"
        return f"{self.reviewer} {verb} suggestion {self.suggestion_id}: {what}"


@event_type
@dataclass(frozen=True, slots=True)
class CodingDisagreementResolved(Event):
    """Two coders' codings of a document compared: where they agree a consensus coding is made; a
    segment where they disagree is settled by keeping the code (a consensus coding) or dropping it."""

    type: ClassVar[str] = "synthesis.disagreement_resolved"
    document_id: int
    coders: list[str]
    outcome: str  # "agreed" for the codings both made, else "keep" or "drop"
    codings: list[int]
    code: str | None = None
    segment: int | None = None
    note: str | None = None

    def summary(self) -> str:
        who = " and ".join(self.coders)
        if self.outcome == "agreed":
            return f"consensus of {who} on document {self.document_id}: {len(self.codings)} codings agreed"
        where = f"segment {self.segment} of document {self.document_id}"
        return f"consensus of {who}: {self.code!r} {self.outcome} at {where}"


# GRADE-CERQual findings, the conceptual model and REFI-QDA imports.


@event_type
@dataclass(frozen=True, slots=True)
class CerqualFindingAdded(Event):
    type: ClassVar[str] = "cerqual.finding_added"
    finding_id: int
    number: int
    statement: str
    themes: list[str]

    def summary(self) -> str:
        themes = ", ".join(self.themes) or "no themes"
        return f"review finding F{self.number} added ({themes}): {self.statement!r}"


@event_type
@dataclass(frozen=True, slots=True)
class CerqualFindingChanged(Event):
    """A finding's statement, themes or entered participants changed: ``changes`` maps each to [old, new]."""

    type: ClassVar[str] = "cerqual.finding_changed"
    finding_id: int
    number: int
    changes: dict[str, list[Any]]

    def summary(self) -> str:
        return f"review finding F{self.number}: " + "; ".join(
            f"{key} {old!r} -> {new!r}" for key, (old, new) in self.changes.items()
        )


@event_type
@dataclass(frozen=True, slots=True)
class CerqualStudyCorrected(Event):
    """A study added to or removed from a finding's contributing studies (``include``), or such a
    correction withdrawn (``include`` None: the coding decides again)."""

    type: ClassVar[str] = "cerqual.study_corrected"
    finding_id: int
    number: int
    study_id: int
    study: str
    include: bool | None
    note: str = ""

    def summary(self) -> str:
        verb = {True: "added to", False: "removed from", None: "back as the coding says for"}[self.include]
        why = f" ({self.note})" if self.note else ""
        return f"study {self.study!r} {verb} review finding F{self.number}{why}"


@event_type
@dataclass(frozen=True, slots=True)
class CerqualComponentAssessed(Event):
    type: ClassVar[str] = "cerqual.component_assessed"
    finding_id: int
    number: int
    component: str
    concern: str
    explanation: str
    previous: str | None = None  # the concern assessed before, if any
    suggested: str | None = None  # Synthesist's suggestion at the time, if it made one

    def summary(self) -> str:
        was = f" (was {self.previous})" if self.previous else ""
        return f"F{self.number} {self.component}: {self.concern} concerns{was}"


@event_type
@dataclass(frozen=True, slots=True)
class CerqualConfidenceSet(Event):
    type: ClassVar[str] = "cerqual.confidence_set"
    finding_id: int
    number: int
    confidence: str | None
    explanation: str
    previous: str | None = None
    suggested: str | None = None  # Synthesist's suggestion at the time, if it made one

    def summary(self) -> str:
        level = self.confidence or "not assessed"
        was = f" (was {self.previous})" if self.previous else ""
        return f"F{self.number}: {level} confidence{was}"


@event_type
@dataclass(frozen=True, slots=True)
class ModelOutcomeChanged(Event):
    """An outcome node of the conceptual model added or removed."""

    type: ClassVar[str] = "model.outcome_changed"
    outcome_id: int
    name: str
    added: bool
    description: str = ""

    def summary(self) -> str:
        return f"model outcome {self.name!r} {'added' if self.added else 'removed'}"


@event_type
@dataclass(frozen=True, slots=True)
class ModelLinkChanged(Event):
    """A link of the conceptual model added or removed."""

    type: ClassVar[str] = "model.link_changed"
    link_id: int
    source: str
    target: str
    relation: str
    added: bool
    label: str = ""

    def summary(self) -> str:
        verb = "added" if self.added else "removed"
        return f"model link {self.link_id} {verb}: {self.source} {self.relation} {self.target}"


@event_type
@dataclass(frozen=True, slots=True)
class ModelLoaded(Event):
    """The conceptual model replaced by a model file's."""

    type: ClassVar[str] = "model.loaded"
    file: str
    sha256: str
    outcomes: int
    links: int
    replaced_links: int

    def summary(self) -> str:
        return f"model loaded from {self.file}: {self.outcomes} outcomes, {self.links} links"


@event_type
@dataclass(frozen=True, slots=True)
class RefiQdaImported(Event):
    """A REFI-QDA codebook (.qdc) or project (.qdpx) imported: what it added (what the project had
    already is reused, not repeated)."""

    type: ClassVar[str] = "synthesis.refi_qda_imported"
    file: str
    sha256: str
    format: str  # "qdc" or "qdpx"
    themes: list[str]
    codes: list[str]
    documents: list[int]
    codings: list[int]
    notes: list[str] = dataclasses.field(default_factory=list)

    def summary(self) -> str:
        return (
            f"imported {self.file}: {len(self.themes)} themes, {len(self.codes)} codes, "
            f"{len(self.documents)} documents, {len(self.codings)} codings added"
        )


@event_type
@dataclass(frozen=True, slots=True)
class UserAdded(Event):
    """An account for the web app (users belong to the database; the event goes to the project the
    command ran in)."""

    type: ClassVar[str] = "users.added"
    user: str

    def summary(self) -> str:
        return f"added user {self.user}"


@event_type
@dataclass(frozen=True, slots=True)
class PasswordChanged(Event):
    type: ClassVar[str] = "users.password_changed"
    user: str

    def summary(self) -> str:
        return f"changed the password of {self.user}"


@event_type
@dataclass(frozen=True, slots=True)
class MemberAdded(Event):
    """A user given a role in the project (or a new role: ``previous`` is the old one)."""

    type: ClassVar[str] = "members.added"
    user: str
    role: str
    previous: str | None = None

    def summary(self) -> str:
        changed = f" (was {self.previous})" if self.previous else ""
        return f"{self.user} is a {self.role}{changed}"


@event_type
@dataclass(frozen=True, slots=True)
class MemberRemoved(Event):
    type: ClassVar[str] = "members.removed"
    user: str
    role: str

    def summary(self) -> str:
        return f"removed {self.user} ({self.role}) from the project"
