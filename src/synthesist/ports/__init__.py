"""What the services need from storage, as protocols (ports). ``storage/`` implements them.

Services depend on these, never on SQLAlchemy; tests of services could use fakes, and a future
storage backend only has to satisfy these protocols.
"""

from __future__ import annotations

import builtins
from collections.abc import Collection, Iterable, Iterator, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

# Only for the annotations: importing the models here would load every domain package (and what they
# import) whenever the workspace module is, that is, for every command.
if TYPE_CHECKING:
    from synthesist.appraisal.model import NewAnswer, StoredAnswer, StudyCategory
    from synthesist.dedup.model import (
        DedupRun,
        DuplicateGroup,
        FilledField,
        GroupOrigin,
        NewDedupRun,
        Outcome,
        PairStatus,
        PairVerdict,
        StoredPair,
    )
    from synthesist.events import Event, LoggedEvent
    from synthesist.events.query import EventQuery
    from synthesist.extraction.model import (
        Completion,
        ConsensusValue,
        ExtractedValue,
        Flag,
        Resolution,
        Role,
        ValueSource,
    )
    from synthesist.fulltext.model import NewReport, Page, Report, RetrievalFailure, Study
    from synthesist.importing.batch import ImportBatch, ImportReject, NewBatch, SourceCount
    from synthesist.records.model import Record
    from synthesist.records.query import RecordFilter
    from synthesist.records.stored import StoredRecord
    from synthesist.screening.model import NewDecision, ScreeningDecision, SeedStudy, Stage
    from synthesist.search.runs import NewSearchRun, RunStatus, SearchRun
    from synthesist.synthesis.cerqual import Component, Concern, Confidence, Finding
    from synthesist.synthesis.concept_model import Link as ModelLink
    from synthesist.synthesis.concept_model import NodeRef
    from synthesist.synthesis.concept_model import Outcome as ModelOutcome
    from synthesist.synthesis.entries import (
        CodeHistoryEntry,
        CodingResolution,
        CodingStatus,
        HistoryAction,
        Memo,
        MemoTarget,
        NewCoding,
        NewDocument,
        ResolutionOutcome,
        StoredCoding,
    )
    from synthesist.synthesis.model import AnchorStatus, Code, Document, Theme, ThemeLevel
    from synthesist.synthesis.model import Page as TextPage

# The team server's repositories (accounts, the site's registry, invitations, jobs, stored
# rankings) live in ports/team.py; they are named here too, so every port is imported from here.
from synthesist.ports.team import (
    InvitationRepository,
    JobRepository,
    RankingRepository,
    SiteRepository,
    UserRepository,
)

__all__ = [
    "AppraisalRepository",
    "BatchRepository",
    "CerqualRepository",
    "ConceptModelRepository",
    "DedupRepository",
    "EventRepository",
    "ExtractionRepository",
    "FulltextRepository",
    "InvitationRepository",
    "JobRepository",
    "RankingRepository",
    "RecordRepository",
    "ScreeningRepository",
    "SearchRunRepository",
    "SiteRepository",
    "SynthesisRepository",
    "UnitOfWork",
    "UserRepository",
]


class BatchRepository(Protocol):
    def add(self, batch: NewBatch) -> int: ...
    def finish(self, batch_id: int, *, record_count: int, reject_count: int) -> None: ...
    def get(self, batch_id: int) -> ImportBatch: ...
    def find_by_sha256(self, sha256: str) -> list[ImportBatch]: ...
    def list(self) -> builtins.list[ImportBatch]: ...
    def add_rejects(self, rejects: Sequence[ImportReject]) -> None: ...
    def rejects(self, batch_id: int) -> builtins.list[ImportReject]: ...


class RecordRepository(Protocol):
    def add_many(self, batch_id: int, records: Sequence[tuple[int, int, Record]]) -> None:
        """Insert ``(position, line, record)`` rows of one batch."""

    def get(self, record_id: int) -> StoredRecord: ...
    def get_many(self, record_ids: Iterable[int], *, with_raw: bool = True) -> dict[int, StoredRecord]: ...
    def ids(self) -> builtins.list[int]: ...
    def max_id(self) -> int:
        """The highest record id in the project (0 when there are none)."""

    def iterate(
        self, record_filter: RecordFilter | None = None, *, limit: int | None = None, offset: int = 0
    ) -> Iterator[StoredRecord]: ...
    def iterate_for_matching(self, raw_keys: Collection[str]) -> Iterator[tuple[int, Record]]:
        """Every record (id order) without keywords and with only ``raw_keys`` of its raw fields."""

    def count(self, record_filter: RecordFilter | None = None) -> int: ...
    def counts_by_source(self) -> list[SourceCount]: ...


class DedupRepository(Protocol):
    """Runs, pair verdicts and duplicate groups. Invariants the implementation keeps (with database
    constraints where the backend can): a record is in at most one group; a group has exactly one
    primary, which is one of its members; a pair ``(first, second)`` is stored once, first < second."""

    # runs
    def add_run(self, run: NewDedupRun) -> int: ...
    def finish_run(
        self,
        run_id: int,
        *,
        max_record_id: int,
        records_checked: int,
        candidate_pairs: int,
        duplicate_pairs: int,
        possible_pairs: int,
        groups_created: int,
        groups_grown: int,
        seconds: float,
    ) -> None: ...
    def last_run(self) -> DedupRun | None: ...
    def runs(self) -> builtins.list[DedupRun]: ...

    # pairs
    def save_pairs(self, verdicts: Sequence[PairVerdict], *, run_id: int | None, status: PairStatus) -> int:
        """Store new pairs; a pair already stored keeps its row untouched (a reviewer's decision is
        never overwritten by a later run). Returns how many were new."""

    def pairs(
        self, *, status: PairStatus | None = None, outcome: Outcome | None = None
    ) -> builtins.list[StoredPair]: ...
    def get_pair(self, pair_id: int) -> StoredPair: ...
    def find_pair(self, first: int, second: int) -> StoredPair | None: ...
    def decide_pair(self, pair_id: int, status: PairStatus, *, by: str, note: str | None = None) -> None: ...
    def pair_statuses(self) -> dict[tuple[int, int], PairStatus]: ...

    # groups
    def create_group(
        self,
        primary_id: int,
        member_ids: Sequence[int],
        *,
        origin: GroupOrigin,
        run_id: int | None,
        created_by: str,
        filled: dict[str, FilledField],
    ) -> int: ...
    def create_groups(
        self,
        specs: Sequence[tuple[int, Sequence[int], dict[str, FilledField]]],
        *,
        origin: GroupOrigin,
        run_id: int | None,
        created_by: str,
    ) -> builtins.list[int]:
        """Bulk :meth:`create_group` for a run's many groups: ``(primary_id, member_ids, filled)``
        each, sharing origin, run and creator. Returns the new group ids in the order given."""

    def add_members(self, group_id: int, record_ids: Sequence[int]) -> None: ...
    def remove_members(self, group_id: int, record_ids: Sequence[int]) -> None: ...
    def set_primary(self, group_id: int, record_id: int) -> None: ...
    def set_filled(self, group_id: int, filled: dict[str, FilledField]) -> None: ...
    def delete_group(self, group_id: int) -> None:
        """Dissolve a group (its records stay; they are simply no longer duplicates)."""

    def get_group(self, group_id: int) -> DuplicateGroup: ...
    def group_of(self, record_id: int) -> DuplicateGroup | None: ...
    def groups(self) -> builtins.list[DuplicateGroup]: ...
    def membership(self, record_ids: Iterable[int] | None = None) -> dict[int, tuple[int, bool]]:
        """record id -> (group id, is primary), for every record in a group (of these records)."""

    def counts(self) -> tuple[int, int]:
        """(number of groups, number of duplicate records i.e. members that are not primary)."""

    def open_pair_count(self) -> int:
        """How many pending pairs wait for review: the review queue's length, counted in the database
        (a pair whose two records are already in one group is not waiting)."""


class ScreeningRepository(Protocol):
    """Screening decisions, kept as made; undoing stamps a decision undone. Seed studies: at most
    one per record."""

    def lock_record(self, record_id: int) -> bool:
        """Hold the record's row until the transaction ends; ``False`` when there is no such record."""

    def add(self, decision: NewDecision) -> int: ...
    def undo(self, decision_id: int, *, by: str) -> None: ...
    def get(self, decision_id: int) -> ScreeningDecision: ...
    def for_records(self, record_ids: Iterable[int]) -> builtins.list[ScreeningDecision]: ...
    def active(self, stage: Stage | None = None) -> builtins.list[ScreeningDecision]: ...
    def latest_by(self, reviewer: str, stage: Stage) -> ScreeningDecision | None: ...
    def add_seed(self, record_id: int, *, by: str, note: str | None = None) -> None: ...
    def remove_seed(self, record_id: int) -> None: ...
    def seeds(self) -> builtins.list[SeedStudy]: ...


class FulltextRepository(Protocol):
    """Reports with their text per page, "not retrieved" marks, and studies. Invariants kept (with
    database constraints): the same file is attached to a record once; a record has at most one
    mark in force and is in at most one study."""

    # reports
    def add_report(self, report: NewReport, pages: Sequence[Page]) -> int: ...
    def add_pages(self, report_id: int, pages: Sequence[Page]) -> None: ...
    def get_report(self, report_id: int) -> Report: ...
    def reports(self, record_ids: Iterable[int] | None = None) -> builtins.list[Report]: ...
    def find_by_sha256(self, sha256: str) -> builtins.list[Report]: ...
    def records_with_reports(self, record_ids: Iterable[int] | None = None) -> set[int]:
        """The records (of these) with at least one report attached."""

    def pages(self, report_id: int, page: int | None = None) -> builtins.list[Page]: ...

    # retrieval failures
    def mark_not_retrieved(self, record_id: int, reason: str, *, by: str) -> int: ...
    def withdraw_not_retrieved(self, record_id: int, *, by: str) -> RetrievalFailure | None: ...
    def not_retrieved(self, record_ids: Iterable[int] | None = None) -> dict[int, RetrievalFailure]: ...
    def retrieval_history(self, record_id: int) -> builtins.list[RetrievalFailure]: ...

    # studies
    def create_study(self, label: str, record_ids: Sequence[int], *, by: str) -> int: ...
    def add_to_study(self, study_id: int, record_ids: Sequence[int]) -> None: ...
    def remove_from_studies(self, record_ids: Sequence[int]) -> None: ...
    def set_label(self, study_id: int, label: str) -> None: ...
    def delete_study(self, study_id: int) -> None: ...
    def get_study(self, study_id: int) -> Study: ...
    def studies(self) -> builtins.list[Study]: ...
    def study_membership(self) -> dict[int, int]: ...


class ExtractionRepository(Protocol):
    """Data extraction: each reviewer's current value per study and field (earlier ones are in the
    event log), consensus values, verifiers' flags (at most one open per study and field) and who
    marked a study complete in which role."""

    def set_values(
        self, rows: Sequence[tuple[int, str, str, str | None]], *, source: ValueSource, shared: bool
    ) -> None: ...
    def values(self, study_ids: Iterable[int] | None = None) -> builtins.list[ExtractedValue]: ...
    def set_consensus(self, study_id: int, name: str, value: str, *, by: str, note: str | None) -> None: ...
    def consensus(self, study_ids: Iterable[int] | None = None) -> builtins.list[ConsensusValue]: ...
    def add_flag(self, study_id: int, name: str, note: str, *, by: str, suggested: str | None) -> int: ...
    def resolve_flag(self, flag_id: int, resolution: Resolution, *, by: str) -> None: ...
    def get_flag(self, flag_id: int) -> Flag: ...
    def flags(self, study_ids: Iterable[int] | None = None) -> builtins.list[Flag]: ...
    def complete(self, study_id: int, reviewer: str, role: Role) -> bool: ...
    def completions(self, study_ids: Iterable[int] | None = None) -> builtins.list[Completion]: ...


class AppraisalRepository(Protocol):
    """Appraisal answers, kept as given (the latest of each reviewer counts), and the category
    chosen per study for a checklist with alternatives (at most one per study and checklist)."""

    def lock_study(self, study_id: int) -> None: ...
    def add_answers(self, answers: Sequence[NewAnswer]) -> builtins.list[int]: ...
    def answers(
        self, checklist: str, study_ids: Iterable[int] | None = None
    ) -> builtins.list[StoredAnswer]: ...
    def set_category(self, study_id: int, checklist: str, category: str, *, by: str) -> None: ...
    def categories(self, checklist: str) -> dict[int, StudyCategory]: ...


class SynthesisRepository(Protocol):
    """Thematic synthesis: documents (whole texts, replaced as a whole), codes with their history,
    themes (a tree), code-theme links, codings (never deleted: their status is stamped), consensus
    resolutions and memos. Code and theme names are unique within a project (constraints)."""

    def add_document(self, document: NewDocument) -> int: ...
    def replace_text(
        self,
        document_id: int,
        *,
        text: str,
        text_sha256: str,
        pages: Sequence[TextPage],
        source: str,
        report_id: int | None,
        by: str,
    ) -> None: ...
    def get_document(self, document_id: int) -> Document: ...
    def documents(self) -> builtins.list[Document]: ...

    def add_code(self, name: str, *, definition: str, key_terms: Sequence[str], by: str) -> int: ...
    def update_code(
        self,
        code_id: int,
        *,
        name: str = ...,
        definition: str = ...,
        key_terms: Sequence[str] = ...,
        merged_into: int | None = ...,
    ) -> None: ...
    def codes(self) -> builtins.list[Code]: ...
    def add_history(self, code_id: int, action: HistoryAction, detail: dict[str, Any], *, by: str) -> int: ...
    def history(self, code_id: int | None = None) -> builtins.list[CodeHistoryEntry]: ...

    def add_theme(
        self,
        name: str,
        *,
        level: ThemeLevel,
        definition: str,
        key_terms: Sequence[str],
        parent_id: int | None,
        position: int,
        by: str,
    ) -> int: ...
    def update_theme(
        self,
        theme_id: int,
        *,
        name: str = ...,
        level: ThemeLevel = ...,
        definition: str = ...,
        key_terms: Sequence[str] = ...,
        parent_id: int | None = ...,
        position: int = ...,
    ) -> None: ...
    def themes(self) -> builtins.list[Theme]: ...
    def assign(self, code_id: int, theme_id: int, *, by: str) -> None: ...
    def unassign(self, code_id: int, theme_id: int) -> None: ...

    def add_coding(self, new: NewCoding) -> int: ...
    def get_coding(self, coding_id: int) -> StoredCoding: ...
    def codings(
        self,
        *,
        document_ids: Iterable[int] | None = None,
        code_ids: Iterable[int] | None = None,
        active_only: bool = True,
    ) -> builtins.list[StoredCoding]: ...
    def set_status(self, coding_ids: Sequence[int], status: CodingStatus, *, by: str) -> None: ...
    def move_codings(self, coding_ids: Sequence[int], code_id: int) -> None: ...
    def set_anchor(
        self,
        coding_id: int,
        *,
        start: int,
        end: int,
        page: int | None,
        anchor: AnchorStatus,
        text: str | None = None,
    ) -> None: ...
    def set_coding_memo(self, coding_id: int, memo: str) -> None: ...

    def add_resolution(
        self,
        *,
        document_id: int,
        code_id: int,
        start: int,
        end: int,
        coders: tuple[str, str],
        outcome: ResolutionOutcome,
        coding_id: int | None,
        by: str,
        note: str | None,
    ) -> int: ...
    def resolutions(self) -> builtins.list[CodingResolution]: ...

    def add_memo(self, target: MemoTarget, target_id: int | None, text: str, *, by: str) -> int: ...
    def memos(
        self, target: MemoTarget | None = None, target_id: int | None = None
    ) -> builtins.list[Memo]: ...


class CerqualRepository(Protocol):
    """GRADE-CERQual findings: their themes, corrections to the derived contributing studies, one
    assessment per component, the overall confidence and entered participants."""

    def next_number(self) -> int: ...
    def add_finding(self, number: int, statement: str, theme_ids: Sequence[int], *, by: str) -> int: ...
    def set_themes(self, finding_id: int, theme_ids: Sequence[int]) -> None: ...
    def set_statement(self, finding_id: int, statement: str) -> None: ...
    def set_confidence(self, finding_id: int, confidence: Confidence | None, explanation: str) -> None: ...
    def set_participants(self, finding_id: int, participants: int | None, note: str) -> None: ...
    def set_override(self, finding_id: int, study_id: int, *, include: bool, note: str, by: str) -> None: ...
    def clear_override(self, finding_id: int, study_id: int) -> bool: ...
    def set_assessment(
        self, finding_id: int, component: Component, concern: Concern, explanation: str, *, by: str
    ) -> None: ...
    def findings(self) -> builtins.list[Finding]: ...
    def get_finding(self, finding_id: int) -> Finding: ...


class ConceptModelRepository(Protocol):
    """The conceptual model: outcomes that are not themes, and typed links between nodes."""

    def add_outcome(self, name: str, description: str, *, by: str) -> int: ...
    def outcomes(self) -> builtins.list[ModelOutcome]: ...
    def remove_outcome(self, outcome_id: int) -> None: ...
    def add_link(self, source: NodeRef, target: NodeRef, kind: str, label: str, *, by: str) -> int: ...
    def links(self) -> builtins.list[ModelLink]: ...
    def remove_link(self, link_id: int) -> None: ...
    def clear(self) -> None: ...


class EventRepository(Protocol):
    def append(self, event: Event, actor: str) -> int: ...
    def list(
        self, *, types: Iterable[str] | None = None, limit: int | None = None, after_id: int = 0
    ) -> builtins.list[LoggedEvent]: ...
    def newest(
        self, query: EventQuery, *, limit: int, before: int | None = None, after: int | None = None
    ) -> builtins.list[LoggedEvent]:
        """Up to ``limit`` events matching ``query``, newest first (keyset paging by event id)."""

    def count(self, query: EventQuery, *, after: int | None = None) -> int: ...
    def actors(self, *, after: int = 0) -> builtins.list[str]: ...
    def types(self, *, after: int = 0) -> builtins.list[str]: ...


class SearchRunRepository(Protocol):
    """Runs of strategies on live sources (``search run``, ``rerun``, ``citations``)."""

    def add(self, run: NewSearchRun) -> int: ...
    def get(self, run_id: int) -> SearchRun: ...
    def list(self) -> builtins.list[SearchRun]: ...
    def page_saved(
        self, run_id: int, *, cursor: str | None, pages: int, fetched: int, total: int | None
    ) -> None: ...
    def set_status(self, run_id: int, status: RunStatus, *, message: str | None = None) -> None: ...
    def complete(self, run_id: int, *, batch_id: int | None, imported: int, already_present: int) -> None: ...


class UnitOfWork(Protocol):
    """A transaction: everything done through its repositories commits or rolls back together."""

    @property
    def batches(self) -> BatchRepository: ...
    @property
    def records(self) -> RecordRepository: ...
    @property
    def events(self) -> EventRepository: ...
    @property
    def dedup(self) -> DedupRepository: ...
    @property
    def screening(self) -> ScreeningRepository: ...
    @property
    def rankings(self) -> RankingRepository: ...
    @property
    def fulltext(self) -> FulltextRepository: ...
    @property
    def extraction(self) -> ExtractionRepository: ...
    @property
    def appraisal(self) -> AppraisalRepository: ...
    @property
    def synthesis(self) -> SynthesisRepository: ...
    @property
    def cerqual(self) -> CerqualRepository: ...
    @property
    def concept_model(self) -> ConceptModelRepository: ...
    @property
    def users(self) -> UserRepository: ...
    @property
    def invitations(self) -> InvitationRepository: ...
    @property
    def search_runs(self) -> SearchRunRepository: ...
    @property
    def jobs(self) -> JobRepository: ...
    @property
    def site(self) -> SiteRepository: ...

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
