"""Events of the thematic synthesis: documents, codes, codings, themes, suggestions and REFI-QDA
imports."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

from synthesist.events.base import Event, event_type
from synthesist.wording import plural


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
            f"{plural(self.unchanged, 'coding')} in place, {len(self.reanchored)} re-anchored, "
            f"{len(self.lost)} lost"
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
        return f"code {self.name!r} merged into {self.into!r} ({plural(len(self.codings), 'coding')} moved)"


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
        return f"code {self.name!r} split: {plural(len(self.codings), 'coding')} moved to {self.new_name!r}"


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
            f"{plural(len(self.assigned), 'code')} assigned to themes"
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
        where = f"{plural(len(self.document_ids), 'document')} ({self.method})"
        return f"assistant suggested {plural(len(self.codings), 'coding')} in {where}"


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
            agreed = plural(len(self.codings), "coding")
            return f"consensus of {who} on document {self.document_id}: {agreed} agreed"
        where = f"segment {self.segment} of document {self.document_id}"
        return f"consensus of {who}: {self.code!r} {self.outcome} at {where}"


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
            f"imported {self.file}: {plural(len(self.themes), 'theme')}, {plural(len(self.codes), 'code')}, "
            f"{plural(len(self.documents), 'document')}, {plural(len(self.codings), 'coding')} added"
        )
