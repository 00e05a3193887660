"""Naming records on the command line (and later in the web app) by what a reviewer has at hand:
Synthesist's record id, a DOI, or a PubMed id.

* ``42`` is record 42 (a bare number is always Synthesist's id: PMIDs are numbers too, so they
  need their prefix);
* ``10.1016/j.physio.2008.01.005``, ``doi:10.1016/...`` or ``https://doi.org/10.1016/...`` is the
  record with that DOI (compared without case);
* ``pmid:18413186`` (or ``PMID 18413186``) is the record with that PubMed id.

A record that is a duplicate stands for its group's primary record, which is the one screened; a
DOI or PMID shared by records that are not duplicates of one another is ambiguous and refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from synthesist.errors import NotFound, UserError
from synthesist.ports import UnitOfWork
from synthesist.records.clean import clean_doi
from synthesist.records.query import Condition, RecordFilter

__all__ = ["resolve_records_in"]

_PMID = re.compile(r"^\s*pmid\s*:?\s*(\d{1,9})\s*$", re.IGNORECASE)
_DOI = re.compile(r"10\.\d{4,9}/\S+")


def resolve_records_in(uow: UnitOfWork, references: Iterable[str]) -> list[int]:
    """The screened record each reference names, in the order given, without repeats."""
    found: list[int] = []
    for reference in references:
        record_id = _primary(uow, _resolve(uow, reference.strip()))
        if record_id not in found:
            found.append(record_id)
    return found


def _resolve(uow: UnitOfWork, reference: str) -> int:
    if reference.isdigit():
        return uow.records.get(int(reference)).id  # NotFound names the id
    pmid = _PMID.match(reference)
    if pmid:
        return _unique(uow, "pmid", pmid.group(1), reference)
    if _DOI.search(reference):
        return _unique(uow, "doi", clean_doi(reference) or reference, reference)
    raise UserError(
        f"cannot tell which record {reference!r} is",
        hint="Give the record's id (42), its DOI (10.1016/j.physio.2008.01.005) or its PubMed id "
        "(pmid:18413186).",
    )


def _unique(uow: UnitOfWork, field: str, value: str, reference: str) -> int:
    matches = [stored.id for stored in uow.records.iterate(RecordFilter((Condition(field, "=", value),)))]
    primaries = sorted({_primary(uow, record_id) for record_id in matches})
    if not primaries:
        raise NotFound(f"no record with {field.upper()} {value}", hint="Check it, or give the record's id.")
    if len(primaries) > 1:
        listed = ", ".join(str(record_id) for record_id in primaries)
        raise UserError(
            f"{reference!r} names several records ({listed})",
            hint="Give the record's id instead (`synthesist records list --where` shows them).",
        )
    return primaries[0]


def _primary(uow: UnitOfWork, record_id: int) -> int:
    group = uow.dedup.group_of(record_id)
    return group.primary_id if group is not None else record_id
