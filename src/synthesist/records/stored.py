"""A record as the project holds it: the canonical record plus where it came from."""

from __future__ import annotations

from dataclasses import dataclass

from synthesist.records.model import Record

__all__ = ["StoredRecord"]


@dataclass(slots=True)
class StoredRecord:
    id: int
    batch_id: int
    position: int
    line: int
    source: str
    file_name: str
    record: Record
