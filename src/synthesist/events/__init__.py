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
import importlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from synthesist.wording import plural

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
    "SearchRunCompleted",
    "SearchRunInterrupted",
    "StudyGrouped",
    "StudyUngrouped",
    "SuggestionDecided",
    "ThemeChanged",
    "ThemeCreated",
    "UserAdded",
    "UserDisabled",
    "UserEnabled",
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
    _import_later_events()
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
        _import_later_events()  # a type of a module not imported yet, or one this version lacks
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
            f"imported {plural(self.records, 'record')} from {self.file_name} ({self.format}) "
            f"as batch {self.batch_id}"
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
            f"deduplication run {self.run_id} ({self.scope} records): "
            f"{plural(self.records_checked, 'record')}, {plural(self.groups_created, 'new group')}, "
            f"{self.groups_grown} grown, {plural(self.possible_pairs, 'possible duplicate')} to review"
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
            f"({plural(self.pages, 'page')}, text {self.text_status})"
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
            f"after {self.screened} of {plural(self.pool, 'record')}"
        )


# The events of the later steps live in their own modules, imported on first use (``__getattr__``):
# `status` and `screen decide` never meet them and should not build their classes (~40 ms at start).
# ``decode_event`` and ``event_types`` import them all before answering, so every stored type is known.
_LATER_EVENTS = {
    "accounts": "MemberAdded MemberRemoved PasswordChanged UserAdded UserDisabled UserEnabled",
    "appraisal": (
        "AppraisalAnswered AppraisalCategoryChosen AppraisalResolved ExtractionCompleted "
        "ExtractionConsensus ExtractionFlagged ExtractionFlagResolved ExtractionImported "
        "ExtractionValueSet"
    ),
    "cerqual": (
        "CerqualComponentAssessed CerqualConfidenceSet CerqualFindingAdded CerqualFindingChanged "
        "CerqualStudyCorrected ModelLinkChanged ModelLoaded ModelOutcomeChanged RefiQdaImported"
    ),
    "search": "SearchRunCompleted SearchRunInterrupted",
    "synthesis": (
        "CodeAssigned CodebookLoaded CodeChanged CodeCreated CodesMerged CodeSplit CodingApplied "
        "CodingDisagreementResolved CodingReanchored CodingRemoved CodingsSuggested DocumentAdded "
        "DocumentReplaced MemoWritten SuggestionDecided ThemeChanged ThemeCreated"
    ),
}
_MODULE_OF = {name: module for module, names in _LATER_EVENTS.items() for name in names.split()}


def _import_later_events() -> None:
    for module in _LATER_EVENTS:
        importlib.import_module(f"{__name__}.{module}")


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    found = globals()[name] = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    return found


if TYPE_CHECKING:
    from synthesist.events.accounts import (
        MemberAdded,
        MemberRemoved,
        PasswordChanged,
        UserAdded,
        UserDisabled,
        UserEnabled,
    )
    from synthesist.events.appraisal import (
        AppraisalAnswered,
        AppraisalCategoryChosen,
        AppraisalResolved,
        ExtractionCompleted,
        ExtractionConsensus,
        ExtractionFlagged,
        ExtractionFlagResolved,
        ExtractionImported,
        ExtractionValueSet,
    )
    from synthesist.events.cerqual import (
        CerqualComponentAssessed,
        CerqualConfidenceSet,
        CerqualFindingAdded,
        CerqualFindingChanged,
        CerqualStudyCorrected,
        ModelLinkChanged,
        ModelLoaded,
        ModelOutcomeChanged,
        RefiQdaImported,
    )
    from synthesist.events.search import SearchRunCompleted, SearchRunInterrupted
    from synthesist.events.synthesis import (
        CodeAssigned,
        CodebookLoaded,
        CodeChanged,
        CodeCreated,
        CodesMerged,
        CodeSplit,
        CodingApplied,
        CodingDisagreementResolved,
        CodingReanchored,
        CodingRemoved,
        CodingsSuggested,
        DocumentAdded,
        DocumentReplaced,
        MemoWritten,
        SuggestionDecided,
        ThemeChanged,
        ThemeCreated,
    )
