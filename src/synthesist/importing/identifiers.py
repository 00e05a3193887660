"""Identifiers checked at import: a PMID or DOI that is not one is left out of its field.

Deduplication and retrieval trust these fields (two records with the same DOI are one study; a PMID
is looked up in PubMed), so a value like ``notanumber`` in the PMID field would match nothing or,
worse, anything else that is wrong the same way. Such a value is not a reason to reject the record:
everything else in it is fine. It is dropped from the canonical field, kept in the record's raw
fields (where the file had it), and the import counts it in a warning.

ISSNs are left as the file gives them: exports write several per field ("0028-0836 (Print)
1476-4687 (Linking)") and nothing downstream looks them up.
"""

from __future__ import annotations

from dataclasses import dataclass

from synthesist.records.clean import is_valid_doi, is_valid_pmid
from synthesist.records.model import Record

__all__ = ["RAW_INVALID_PREFIX", "DroppedIdentifier", "drop_invalid_identifiers"]

# raw key for a dropped value the reader did not keep in raw itself (so it is never lost)
RAW_INVALID_PREFIX = "invalid "


@dataclass(frozen=True, slots=True)
class DroppedIdentifier:
    field: str  # "pmid" or "doi"
    value: str


def drop_invalid_identifiers(record: Record) -> list[DroppedIdentifier]:
    """Clear an invalid ``pmid``/``doi`` of ``record`` in place; the values dropped."""
    dropped: list[DroppedIdentifier] = []
    if record.pmid is not None and not is_valid_pmid(record.pmid):
        dropped.append(DroppedIdentifier("pmid", record.pmid))
        record.pmid = None
    if record.doi is not None and not is_valid_doi(record.doi):
        dropped.append(DroppedIdentifier("doi", record.doi))
        record.doi = None
    for item in dropped:
        if not any(item.value in value for values in record.raw.values() for value in values):
            record.raw.setdefault(RAW_INVALID_PREFIX + item.field, []).append(item.value)
    return dropped
