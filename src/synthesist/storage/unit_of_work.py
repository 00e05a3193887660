"""The unit of work: one transaction, with the repositories that work inside it.

``with storage.unit_of_work() as uow: ...; uow.commit()`` — leaving the block without commit (or on
an exception) rolls everything back, including the events, so the log never says something happened
that did not.

Each repository is made, and its module imported, the first time a unit of work asks for it: a
command that reads the records does not load the code (and the libraries) of coding or CERQual.
"""

from __future__ import annotations

import importlib
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from synthesist.storage.disk_errors import storage_full_error
from synthesist.storage.engine import BEGIN_MODE

if TYPE_CHECKING:
    from synthesist.storage.appraisal_repository import SqlAppraisalRepository
    from synthesist.storage.cerqual_repository import SqlCerqualRepository, SqlConceptModelRepository
    from synthesist.storage.dedup_repository import SqlDedupRepository
    from synthesist.storage.extraction_repository import SqlExtractionRepository
    from synthesist.storage.fulltext_repository import SqlFulltextRepository
    from synthesist.storage.invitations_repository import SqlInvitationRepository
    from synthesist.storage.jobs_repository import SqlJobRepository
    from synthesist.storage.ranking_repository import SqlRankingRepository
    from synthesist.storage.repositories import SqlBatchRepository, SqlEventRepository, SqlRecordRepository
    from synthesist.storage.screening_repository import SqlScreeningRepository
    from synthesist.storage.search_repository import SqlSearchRunRepository
    from synthesist.storage.site_repository import SqlSiteRepository
    from synthesist.storage.synthesis_repository import SqlSynthesisRepository
    from synthesist.storage.users_repository import SqlUserRepository

__all__ = ["SqlUnitOfWork"]

_Repo = TypeVar("_Repo")


class _Repository(Generic[_Repo]):
    """A repository of the unit of work, built on first use inside ``with`` from its module's class."""

    def __init__(self, module: str, class_name: str) -> None:
        self._module = f"synthesist.storage.{module}"
        self._class_name = class_name

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, uow: None, owner: type) -> _Repository[_Repo]: ...
    @overload
    def __get__(self, uow: SqlUnitOfWork, owner: type | None = None) -> _Repo: ...

    def __get__(self, uow: SqlUnitOfWork | None, owner: type | None = None) -> _Repo | _Repository[_Repo]:
        if uow is None:
            return self  # looked up on the class
        made = uow._repositories.get(self._name)
        if made is None:
            assert uow._connection is not None, f"uow.{self._name} used outside `with unit_of_work()`"
            repository_class = getattr(importlib.import_module(self._module), self._class_name)
            made = uow._repositories[self._name] = repository_class(uow._connection, uow._project_id)
        return made  # type: ignore[no-any-return]  # the class named, whose type the annotation gives


class SqlUnitOfWork:
    batches: _Repository[SqlBatchRepository] = _Repository("repositories", "SqlBatchRepository")
    records: _Repository[SqlRecordRepository] = _Repository("repositories", "SqlRecordRepository")
    events: _Repository[SqlEventRepository] = _Repository("repositories", "SqlEventRepository")
    dedup: _Repository[SqlDedupRepository] = _Repository("dedup_repository", "SqlDedupRepository")
    screening: _Repository[SqlScreeningRepository] = _Repository(
        "screening_repository", "SqlScreeningRepository"
    )
    rankings: _Repository[SqlRankingRepository] = _Repository("ranking_repository", "SqlRankingRepository")
    fulltext: _Repository[SqlFulltextRepository] = _Repository("fulltext_repository", "SqlFulltextRepository")
    extraction: _Repository[SqlExtractionRepository] = _Repository(
        "extraction_repository", "SqlExtractionRepository"
    )
    appraisal: _Repository[SqlAppraisalRepository] = _Repository(
        "appraisal_repository", "SqlAppraisalRepository"
    )
    synthesis: _Repository[SqlSynthesisRepository] = _Repository(
        "synthesis_repository", "SqlSynthesisRepository"
    )
    cerqual: _Repository[SqlCerqualRepository] = _Repository("cerqual_repository", "SqlCerqualRepository")
    concept_model: _Repository[SqlConceptModelRepository] = _Repository(
        "cerqual_repository", "SqlConceptModelRepository"
    )
    users: _Repository[SqlUserRepository] = _Repository("users_repository", "SqlUserRepository")
    invitations: _Repository[SqlInvitationRepository] = _Repository(
        "invitations_repository", "SqlInvitationRepository"
    )
    search_runs: _Repository[SqlSearchRunRepository] = _Repository(
        "search_repository", "SqlSearchRunRepository"
    )
    jobs: _Repository[SqlJobRepository] = _Repository("jobs_repository", "SqlJobRepository")
    site: _Repository[SqlSiteRepository] = _Repository("site_repository", "SqlSiteRepository")

    def __init__(self, engine: Engine, project_id: int, *, write: bool = True) -> None:
        self._engine = engine
        self._project_id = project_id
        self._write = write
        self._connection: sa.Connection | None = None
        self._transaction: sa.RootTransaction | None = None
        self._repositories: dict[str, Any] = {}

    def __enter__(self) -> SqlUnitOfWork:
        connection = self._engine.connect()
        if not self._write:
            # SQLite: a read does not need the write lock
            connection = connection.execution_options(**{BEGIN_MODE: "DEFERRED"})
        self._connection = connection
        self._transaction = connection.begin()
        self._repositories = {}  # a second `with` on this object gets repositories on the new connection
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if self._transaction is not None and self._transaction.is_active:
                self._transaction.rollback()
        finally:
            if self._connection is not None:
                self._connection.close()
            self._connection = None
            self._transaction = None
        full = storage_full_error(exc, self._engine) if exc is not None else None
        if full is not None:
            # replaces SQLAlchemy's message, which quotes the statement and the record data it carried
            raise full from None

    def commit(self) -> None:
        assert self._transaction is not None, "commit() outside the unit of work"
        self._transaction.commit()

    def rollback(self) -> None:
        if self._transaction is not None and self._transaction.is_active:
            self._transaction.rollback()


if TYPE_CHECKING:
    from synthesist import ports

    def _implements_the_ports(uow: SqlUnitOfWork) -> ports.UnitOfWork:
        """Never called: mypy checks here, member by member, that every SQL repository has each method
        of its port in ``ports.py`` with the same signature. (Returning ``uow`` as a ``UnitOfWork``
        alone does not: attributes typed as descriptors are not compared member by member.)"""
        batches: ports.BatchRepository = uow.batches
        records: ports.RecordRepository = uow.records
        events: ports.EventRepository = uow.events
        dedup: ports.DedupRepository = uow.dedup
        screening: ports.ScreeningRepository = uow.screening
        rankings: ports.RankingRepository = uow.rankings
        del rankings
        fulltext: ports.FulltextRepository = uow.fulltext
        extraction: ports.ExtractionRepository = uow.extraction
        appraisal: ports.AppraisalRepository = uow.appraisal
        synthesis: ports.SynthesisRepository = uow.synthesis
        cerqual: ports.CerqualRepository = uow.cerqual
        concept_model: ports.ConceptModelRepository = uow.concept_model
        users: ports.UserRepository = uow.users
        invitations: ports.InvitationRepository = uow.invitations
        del invitations
        search_runs: ports.SearchRunRepository = uow.search_runs
        jobs: ports.JobRepository = uow.jobs
        del jobs
        site: ports.SiteRepository = uow.site
        del site
        del batches, records, events, dedup, screening, fulltext, extraction, appraisal, synthesis
        del cerqual, concept_model, users, search_runs
        return uow
