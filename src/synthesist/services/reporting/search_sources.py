"""Which database a batch searched and when, as the report says it everywhere: the methods and Table
S1 use these (and the PRISMA diagram the same ``protocol_spelling``), so a name or a date cannot
differ between them.

A batch's database is the protocol's spelling of its source (``Medline`` is ``MEDLINE``); its date is
the one given at import, else the protocol's date for that database. Where a database's batches have
several dates, the methods give the latest ("last searched on"), as PRISMA 2020 item 6 asks, and
Table S1 gives each batch its own row and date.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from synthesist.importing.batch import ImportBatch
from synthesist.review.protocol import Protocol
from synthesist.review.source_names import protocol_spelling

__all__ = ["database_name", "search_date", "search_dates_text"]


def database_name(batch: ImportBatch, protocol: Protocol) -> str:
    """The batch's database as review.toml spells it (batches imported as ``Medline`` are ``MEDLINE``)."""
    return protocol_spelling(batch.source, [db.name for db in protocol.search.databases])


def search_date(batch: ImportBatch, protocol: Protocol) -> date | None:
    """When the batch's search was run: the date given at import, else the protocol's date for its
    database, else None. The methods and Table S1 both use this, so they cannot disagree."""
    if batch.searched_on is not None:
        return batch.searched_on
    name = database_name(batch, protocol)
    planned = next((db for db in protocol.search.databases if db.name == name), None)
    return planned.searched_on if planned is not None else None


def search_dates_text(batches: Sequence[ImportBatch], protocol: Protocol) -> str:
    """ "searched on 2024-03-02", or "last searched on 2024-03-05" when a database's batches have
    several dates (PRISMA 2020 item 6 asks for the date each source was last searched)."""
    dates = sorted({when for batch in batches if (when := search_date(batch, protocol)) is not None})
    if not dates:
        return "date searched not recorded"
    return f"{'last ' if len(dates) > 1 else ''}searched on {dates[-1].isoformat()}"
