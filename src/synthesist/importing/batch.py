"""Import batches (one export file = one search batch) and the records rejected from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

__all__ = ["ImportBatch", "ImportReject", "NewBatch", "SourceCount"]


@dataclass(frozen=True, slots=True)
class NewBatch:
    source: str
    file_name: str
    file_sha256: str
    format: str
    encoding: str | None
    searched_on: date | None
    query: str | None
    other_method: str | None
    imported_by: str
    forced: bool


@dataclass(frozen=True, slots=True)
class ImportBatch:
    id: int
    source: str
    file_name: str
    file_sha256: str
    format: str
    encoding: str | None
    searched_on: date | None
    query: str | None
    other_method: str | None
    imported_by: str
    imported_at: datetime
    record_count: int
    reject_count: int
    forced: bool

    @property
    def is_other_method(self) -> bool:
        """PRISMA 2020: records from other methods (reference lists, websites...) vs databases."""
        return self.other_method is not None


@dataclass(frozen=True, slots=True)
class ImportReject:
    batch_id: int
    line: int
    reason: str
    excerpt: str


@dataclass(frozen=True, slots=True)
class SourceCount:
    """Records identified from one source (PRISMA 2020: per database, and per other method)."""

    source: str
    other_method: str | None
    batches: int
    records: int
    rejects: int
