"""A group's primary record and the gaps its duplicates fill. Pure.

The primary is the most complete member (a published article before its preprint, an article before
a conference abstract). The records themselves are never changed: the fields other members can
supply where the primary is empty are kept beside the group, each with the record it came from, and
:func:`merged_record` shows the primary with its gaps filled.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from synthesist.dedup.features import Fingerprint, completeness, fingerprint
from synthesist.dedup.model import FilledField
from synthesist.records.model import TEXT_FIELDS, Author, Record

__all__ = ["FILLABLE_FIELDS", "choose_primary", "fill_gaps", "merged_record"]

# Fields a duplicate may supply when the primary lacks them. ``source_record_id`` is the primary's
# own identity in its database, so it is never borrowed.
FILLABLE_FIELDS: tuple[str, ...] = (
    *(name for name in TEXT_FIELDS if name != "source_record_id"),
    "year",
    "authors",
    "keywords",
)


def _rank(
    record_id: int, record: Record, fp: Fingerprint | None = None
) -> tuple[bool, bool, bool, float, int]:
    fp = fp or fingerprint(record_id, record)
    return (not fp.preprint, not fp.conference, not fp.erratum, completeness(record), -record_id)


def choose_primary(records: Mapping[int, Record], prints: Mapping[int, Fingerprint] | None = None) -> int:
    """The member to keep: published before preprint, article before abstract, then the most
    complete, then the one imported first. ``prints`` may hold fingerprints already computed."""
    if not records:
        raise ValueError("a group needs at least one record")
    known = prints or {}
    return max(records, key=lambda record_id: _rank(record_id, records[record_id], known.get(record_id)))


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _plain(name: str, value: Any) -> Any:
    if name == "authors":
        return [author.to_dict() for author in value]
    if name == "keywords":
        return list(value)
    return value


def fill_gaps(
    primary_id: int, records: Mapping[int, Record], prints: Mapping[int, Fingerprint] | None = None
) -> dict[str, FilledField]:
    """For each field the primary lacks, the value from the most complete other member that has it."""
    primary = records[primary_id]
    known = prints or {}
    donors = sorted(
        (record_id for record_id in records if record_id != primary_id),
        key=lambda record_id: _rank(record_id, records[record_id], known.get(record_id)),
        reverse=True,
    )
    filled: dict[str, FilledField] = {}
    for name in FILLABLE_FIELDS:
        if not _empty(getattr(primary, name)):
            continue
        for donor in donors:
            value = getattr(records[donor], name)
            if not _empty(value):
                filled[name] = FilledField(_plain(name, value), donor)
                break
    return filled


def merged_record(primary: Record, filled: Mapping[str, FilledField]) -> Record:
    """The primary record with its gaps filled from its duplicates."""
    changes: dict[str, Any] = {}
    for name, field in filled.items():
        if name not in FILLABLE_FIELDS or not _empty(getattr(primary, name)):
            continue
        if name == "authors":
            changes[name] = [Author.from_dict(author) for author in field.value]
        elif name == "keywords":
            changes[name] = list(field.value)
        else:
            changes[name] = field.value
    return primary.with_changes(**changes) if changes else primary
