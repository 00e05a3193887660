"""The unit of work: one transaction, with the repositories that work inside it.

``with storage.unit_of_work() as uow: ...; uow.commit()`` — leaving the block without commit (or on
an exception) rolls everything back, including the events, so the log never says something happened
that did not.
"""

from __future__ import annotations

from types import TracebackType

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from synthesist.storage.appraisal_repository import SqlAppraisalRepository
from synthesist.storage.cerqual_repository import SqlCerqualRepository, SqlConceptModelRepository
from synthesist.storage.dedup_repository import SqlDedupRepository
from synthesist.storage.engine import BEGIN_MODE
from synthesist.storage.extraction_repository import SqlExtractionRepository
from synthesist.storage.fulltext_repository import SqlFulltextRepository
from synthesist.storage.repositories import SqlBatchRepository, SqlEventRepository, SqlRecordRepository
from synthesist.storage.screening_repository import SqlScreeningRepository
from synthesist.storage.search_repository import SqlSearchRunRepository
from synthesist.storage.synthesis_repository import SqlSynthesisRepository
from synthesist.storage.users_repository import SqlUserRepository

__all__ = ["SqlUnitOfWork"]


class SqlUnitOfWork:
    batches: SqlBatchRepository
    records: SqlRecordRepository
    events: SqlEventRepository
    dedup: SqlDedupRepository
    screening: SqlScreeningRepository
    fulltext: SqlFulltextRepository
    extraction: SqlExtractionRepository
    appraisal: SqlAppraisalRepository
    synthesis: SqlSynthesisRepository
    cerqual: SqlCerqualRepository
    concept_model: SqlConceptModelRepository
    users: SqlUserRepository
    search_runs: SqlSearchRunRepository

    def __init__(self, engine: Engine, project_id: int, *, write: bool = True) -> None:
        self._engine = engine
        self._project_id = project_id
        self._write = write
        self._connection: sa.Connection | None = None
        self._transaction: sa.RootTransaction | None = None

    def __enter__(self) -> SqlUnitOfWork:
        connection = self._engine.connect()
        if not self._write:
            # SQLite: a read does not need the write lock
            connection = connection.execution_options(**{BEGIN_MODE: "DEFERRED"})
        self._connection = connection
        self._transaction = connection.begin()
        self.batches = SqlBatchRepository(connection, self._project_id)
        self.records = SqlRecordRepository(connection, self._project_id)
        self.events = SqlEventRepository(connection, self._project_id)
        self.dedup = SqlDedupRepository(connection, self._project_id)
        self.screening = SqlScreeningRepository(connection, self._project_id)
        self.fulltext = SqlFulltextRepository(connection, self._project_id)
        self.extraction = SqlExtractionRepository(connection, self._project_id)
        self.appraisal = SqlAppraisalRepository(connection, self._project_id)
        self.synthesis = SqlSynthesisRepository(connection, self._project_id)
        self.cerqual = SqlCerqualRepository(connection, self._project_id)
        self.concept_model = SqlConceptModelRepository(connection, self._project_id)
        self.users = SqlUserRepository(connection, self._project_id)
        self.search_runs = SqlSearchRunRepository(connection, self._project_id)
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

    def commit(self) -> None:
        assert self._transaction is not None, "commit() outside the unit of work"
        self._transaction.commit()

    def rollback(self) -> None:
        if self._transaction is not None and self._transaction.is_active:
            self._transaction.rollback()
