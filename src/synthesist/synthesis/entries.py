"""What storage keeps about coding beyond :mod:`synthesist.synthesis.model`: a coding's status, the
history of a code, consensus resolutions and memos. Pure data.

Nothing is deleted: removing a coding, accepting or rejecting a suggestion stamps its
:class:`CodingStatus`. Only active codings are in a :class:`~synthesist.synthesis.model.CodingSnapshot`;
the others stay for the audit trail and for measuring the assistant's agreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from synthesist.synthesis.model import AnchorStatus, Coding, CodingOrigin, Page, SpanKind

__all__ = [
    "CodeHistoryEntry",
    "CodingResolution",
    "CodingStatus",
    "HistoryAction",
    "Memo",
    "MemoTarget",
    "NewCoding",
    "NewDocument",
    "ResolutionOutcome",
    "StoredCoding",
]


class CodingStatus(StrEnum):
    ACTIVE = "active"
    REMOVED = "removed"  # taken off by a coder (code remove)
    ACCEPTED = "accepted"  # a suggestion a reviewer accepted (a human coding replaced it)
    REJECTED = "rejected"  # a suggestion a reviewer rejected: never suggested again


class HistoryAction(StrEnum):
    CREATED = "created"
    RENAMED = "renamed"
    DEFINED = "defined"
    MERGED = "merged"
    SPLIT = "split"


class ResolutionOutcome(StrEnum):
    KEEP = "keep"
    DROP = "drop"


class MemoTarget(StrEnum):
    PROJECT = "project"
    DOCUMENT = "document"
    CODE = "code"
    THEME = "theme"
    CODING = "coding"


@dataclass(frozen=True, slots=True)
class NewDocument:
    study_id: int
    title: str
    source: str
    text: str
    text_sha256: str
    pages: tuple[Page, ...]
    report_id: int | None
    added_by: str


@dataclass(frozen=True, slots=True)
class NewCoding:
    document_id: int
    code_id: int
    start: int
    end: int
    coder: str
    kind: SpanKind
    text: str
    page: int | None = None
    origin: CodingOrigin = CodingOrigin.HUMAN
    anchor: AnchorStatus = AnchorStatus.OK
    memo: str = ""
    score: float | None = None
    source_coding_id: int | None = None


@dataclass(frozen=True, slots=True)
class StoredCoding:
    """A coding with what became of it."""

    coding: Coding
    status: CodingStatus = CodingStatus.ACTIVE
    source_coding_id: int | None = None
    status_by: str | None = None
    status_at: datetime | None = None

    @property
    def id(self) -> int:
        return self.coding.id

    @property
    def active(self) -> bool:
        return self.status is CodingStatus.ACTIVE


@dataclass(frozen=True, slots=True)
class CodeHistoryEntry:
    id: int
    code_id: int
    action: HistoryAction
    detail: dict[str, Any]
    acted_by: str
    acted_at: datetime


@dataclass(frozen=True, slots=True)
class CodingResolution:
    """Two coders' disagreement on one segment and code, settled: kept (as ``coding_id``) or dropped."""

    id: int
    document_id: int
    code_id: int
    start: int
    end: int
    coders: tuple[str, str]
    outcome: ResolutionOutcome
    coding_id: int | None
    decided_by: str
    decided_at: datetime
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Memo:
    id: int
    target: MemoTarget
    target_id: int | None
    text: str
    author: str
    written_at: datetime
