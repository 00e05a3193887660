"""Typed, append-only events: the review's audit trail.

Every state change is written as one event, in the same transaction as the change itself. PRISMA
counts, agreement statistics, the audit trail and "undo" all read from this log. Events are
immutable dataclasses; storage keeps ``type``, ``actor``, ``occurred_at`` and the payload (the
dataclass fields) and refuses UPDATE and DELETE on the table (database triggers).

The base class and the registry are in :mod:`synthesist.events.base`; the event types live in one
module per area that emits them (``records``, ``dedup``, ``screening``, ...). Add an event type to
its area's module: subclass :class:`Event` with a unique ``type``, decorate it with
:func:`event_type`, and list it in ``_EVENTS_BY_AREA`` below. A stored ``type`` and the payload's
field names never change: existing databases hold them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from synthesist.events.base import Event, LoggedEvent, decode_event, event_type, event_types

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
    "DisplayNameSet",
    "DocumentAdded",
    "DocumentReplaced",
    "DuplicateGroupSplit",
    "DuplicateGroupUndone",
    "DuplicatePairDecided",
    "DuplicatePrimaryChanged",
    "DuplicatesMerged",
    "EmailSet",
    "Event",
    "ExtractionCompleted",
    "ExtractionConsensus",
    "ExtractionFlagResolved",
    "ExtractionFlagged",
    "ExtractionImported",
    "ExtractionValueSet",
    "InvitationAccepted",
    "InvitationCreated",
    "InvitationRevoked",
    "JobFailed",
    "JobFinished",
    "JobQueued",
    "JobStarted",
    "JobWasCancelled",
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
    "PasswordResetLinkMade",
    "ProjectCreated",
    "ProjectRestored",
    "ProtocolEdited",
    "RefiQdaImported",
    "ReportAttached",
    "ScreeningDecided",
    "ScreeningDecisionUndone",
    "ScreeningRankingTrained",
    "ScreeningSeedAdded",
    "ScreeningSeedRemoved",
    "ScreeningStopRecorded",
    "SearchRunCompleted",
    "SearchRunInterrupted",
    "SiteAdminSet",
    "SiteReviewAdded",
    "SiteReviewCreated",
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


# The event classes by the module of their area. ``from synthesist.events import X`` imports X's module
# on first use (``__getattr__`` below), so that a command builds only the event classes it writes.
_EVENTS_BY_AREA: dict[str, tuple[str, ...]] = {
    "accounts": (
        "DisplayNameSet",
        "EmailSet",
        "InvitationAccepted",
        "InvitationCreated",
        "InvitationRevoked",
        "MemberAdded",
        "MemberRemoved",
        "PasswordChanged",
        "PasswordResetLinkMade",
        "UserAdded",
        "UserDisabled",
        "UserEnabled",
    ),
    "appraisal": ("AppraisalAnswered", "AppraisalCategoryChosen", "AppraisalResolved"),
    "cerqual": (
        "CerqualComponentAssessed",
        "CerqualConfidenceSet",
        "CerqualFindingAdded",
        "CerqualFindingChanged",
        "CerqualStudyCorrected",
    ),
    "concept_model": ("ModelLinkChanged", "ModelLoaded", "ModelOutcomeChanged"),
    "dedup": (
        "DedupRan",
        "DuplicateGroupSplit",
        "DuplicateGroupUndone",
        "DuplicatePairDecided",
        "DuplicatePrimaryChanged",
        "DuplicatesMerged",
    ),
    "extraction": (
        "ExtractionCompleted",
        "ExtractionConsensus",
        "ExtractionFlagResolved",
        "ExtractionFlagged",
        "ExtractionImported",
        "ExtractionValueSet",
    ),
    "fulltext": (
        "NotRetrievedMarked",
        "NotRetrievedWithdrawn",
        "ReportAttached",
        "StudyGrouped",
        "StudyUngrouped",
    ),
    "jobs": ("JobFailed", "JobFinished", "JobQueued", "JobStarted", "JobWasCancelled"),
    "protocol": ("ProtocolEdited",),
    "records": ("BatchImported", "ProjectCreated", "ProjectRestored"),
    "screening": (
        "ScreeningDecided",
        "ScreeningDecisionUndone",
        "ScreeningRankingTrained",
        "ScreeningSeedAdded",
        "ScreeningSeedRemoved",
        "ScreeningStopRecorded",
    ),
    "search": ("SearchRunCompleted", "SearchRunInterrupted"),
    "site": ("SiteAdminSet", "SiteReviewAdded", "SiteReviewCreated"),
    "synthesis": (
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
        "DocumentAdded",
        "DocumentReplaced",
        "MemoWritten",
        "RefiQdaImported",
        "SuggestionDecided",
        "ThemeChanged",
        "ThemeCreated",
    ),
}

_AREA_OF = {name: area for area, names in _EVENTS_BY_AREA.items() for name in names}


def __getattr__(name: str) -> Any:
    area = _AREA_OF.get(name)
    if area is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    found = globals()[name] = getattr(importlib.import_module(f"{__name__}.{area}"), name)
    return found


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # what the type checker sees; at run time ``__getattr__`` imports these
    from synthesist.events.accounts import (
        DisplayNameSet,
        EmailSet,
        InvitationAccepted,
        InvitationCreated,
        InvitationRevoked,
        MemberAdded,
        MemberRemoved,
        PasswordChanged,
        PasswordResetLinkMade,
        UserAdded,
        UserDisabled,
        UserEnabled,
    )
    from synthesist.events.appraisal import AppraisalAnswered, AppraisalCategoryChosen, AppraisalResolved
    from synthesist.events.cerqual import (
        CerqualComponentAssessed,
        CerqualConfidenceSet,
        CerqualFindingAdded,
        CerqualFindingChanged,
        CerqualStudyCorrected,
    )
    from synthesist.events.concept_model import ModelLinkChanged, ModelLoaded, ModelOutcomeChanged
    from synthesist.events.dedup import (
        DedupRan,
        DuplicateGroupSplit,
        DuplicateGroupUndone,
        DuplicatePairDecided,
        DuplicatePrimaryChanged,
        DuplicatesMerged,
    )
    from synthesist.events.extraction import (
        ExtractionCompleted,
        ExtractionConsensus,
        ExtractionFlagged,
        ExtractionFlagResolved,
        ExtractionImported,
        ExtractionValueSet,
    )
    from synthesist.events.fulltext import (
        NotRetrievedMarked,
        NotRetrievedWithdrawn,
        ReportAttached,
        StudyGrouped,
        StudyUngrouped,
    )
    from synthesist.events.jobs import JobFailed, JobFinished, JobQueued, JobStarted, JobWasCancelled
    from synthesist.events.protocol import ProtocolEdited
    from synthesist.events.records import BatchImported, ProjectCreated, ProjectRestored
    from synthesist.events.screening import (
        ScreeningDecided,
        ScreeningDecisionUndone,
        ScreeningRankingTrained,
        ScreeningSeedAdded,
        ScreeningSeedRemoved,
        ScreeningStopRecorded,
    )
    from synthesist.events.search import SearchRunCompleted, SearchRunInterrupted
    from synthesist.events.site import SiteAdminSet, SiteReviewAdded, SiteReviewCreated
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
        RefiQdaImported,
        SuggestionDecided,
        ThemeChanged,
        ThemeCreated,
    )
