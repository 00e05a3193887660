"""Citation searching (pure): which OpenAlex work each included study is, and the queries for its
reference list (backward) and for the works citing it (forward).

A study is found in OpenAlex through its records: by DOI, then PMID, then title — a title match
must be the same title once normalised (as deduplication compares titles) and a year no more than
one apart, because a near-miss would send the search to the wrong reference list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from synthesist.dedup.normalize import normalize_doi, normalize_pmid, normalize_title
from synthesist.records.model import Record
from synthesist.search.sources.openalex import MAX_OR_VALUES, filter_list, short_id

__all__ = [
    "ResolvedStudy",
    "backward_query",
    "forward_query",
    "lookups",
    "same_work",
]


@dataclass(frozen=True)
class ResolvedStudy:
    """An included study and the OpenAlex work found for it (``work_id`` None: not found)."""

    label: str
    work_id: str | None
    matched_by: str | None  # "doi", "pmid" or "title"
    referenced: tuple[str, ...] = ()  # the work's reference list (OpenAlex ids)


def lookups(record: Record) -> list[tuple[str, str]]:
    """``(how, OpenAlex filter or title)`` to try for a record, most reliable first."""
    found: list[tuple[str, str]] = []
    doi = normalize_doi(record.doi)
    if doi:
        found.append(("doi", f"doi:{doi}"))
    pmid = normalize_pmid(record.pmid)
    if pmid:
        found.append(("pmid", f"ids.pmid:{pmid}"))
    if record.title and normalize_title(record.title):
        found.append(("title", record.title))
    return found


def same_work(record: Record, work: Mapping[str, Any]) -> bool:
    """Whether a work found by title search is the record's (same normalised title, year ±1)."""
    title = normalize_title(record.title)
    if not title or title != normalize_title(str(work.get("title") or work.get("display_name") or "")):
        return False
    year = work.get("publication_year")
    return record.year is None or not isinstance(year, int) or abs(record.year - year) <= 1


def _chunks(ids: Sequence[str]) -> list[list[str]]:
    return [list(ids[i : i + MAX_OR_VALUES]) for i in range(0, len(ids), MAX_OR_VALUES)]


def backward_query(studies: Iterable[ResolvedStudy]) -> str | None:
    """The works in the studies' reference lists (each once; the studies themselves left out)."""
    chosen = [study for study in studies if study.work_id]
    own = {study.work_id for study in chosen}
    referenced = sorted({short_id(w) for study in chosen for w in study.referenced} - own)
    if not referenced:
        return None
    return filter_list(f"ids.openalex:{'|'.join(chunk)}" for chunk in _chunks(referenced))


def forward_query(studies: Iterable[ResolvedStudy]) -> str | None:
    """The works citing any of the studies."""
    ids = sorted({study.work_id for study in studies if study.work_id})
    if not ids:
        return None
    return filter_list(f"cites:{'|'.join(chunk)}" for chunk in _chunks(ids))
