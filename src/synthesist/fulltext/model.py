"""Full texts' domain: reports, their pages, retrieval failures and studies. Pure data.

PRISMA 2020 counts *reports* (documents) apart from *records* (citations) and *studies*: a record
included at title/abstract is "sought for retrieval"; its report is either attached (and assessed
for eligibility) or marked "not retrieved" with a reason. One study may have several reports (a
protocol, the main paper, a follow-up), so records are grouped into studies; a record belongs to at
most one study, and a record not grouped is a study of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from synthesist.screening.model import RecordState

__all__ = [
    "ATTACHABLE",
    "GROUPABLE",
    "MEDIA_TYPES",
    "NewReport",
    "Page",
    "Report",
    "RetrievalFailure",
    "Study",
    "TextStatus",
    "text_status",
]

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain",
}

# The record states that allow attaching a report: sought, marked not retrieved (the mark is then
# withdrawn), or already in full-text assessment (a second file: a supplement, a corrected version).
# Reports attach to records that reached full text, also after the full-text decision: a team that
# decided elsewhere (or before the PDF was filed) still needs the report for extraction and coding.
ATTACHABLE = frozenset(
    {
        RecordState.SOUGHT,
        RecordState.NOT_RETRIEVED,
        RecordState.FULL_TEXT,
        RecordState.EXCLUDED_FULL_TEXT,
        RecordState.INCLUDED,
    }
)

# Studies group reports: records that reached the full-text stage. A duplicate is the *same* report
# (deduplication handles it), and a record still at or excluded at title/abstract is no report.
GROUPABLE = frozenset(
    {
        RecordState.SOUGHT,
        RecordState.NOT_RETRIEVED,
        RecordState.FULL_TEXT,
        RecordState.EXCLUDED_FULL_TEXT,
        RecordState.INCLUDED,
    }
)


class TextStatus(StrEnum):
    """What text extraction found in a report."""

    EXTRACTED = "extracted"  # every page has text
    PARTIAL = "partial"  # some pages have no text layer (scanned figures, a scanned appendix)
    NO_TEXT = "no text"  # a scan without a text layer: it needs OCR before it can be coded


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a report's text. Numbers start at 1, as a reader counts them in the file (not the
    journal's printed page numbers); positions in ``text`` are stable because the text is stored."""

    number: int
    text: str


def text_status(pages: Sequence[Page]) -> TextStatus:
    filled = sum(1 for page in pages if page.text.strip())
    if pages and filled == len(pages):
        return TextStatus.EXTRACTED
    return TextStatus.PARTIAL if filled else TextStatus.NO_TEXT


@dataclass(frozen=True, slots=True)
class NewReport:
    record_id: int
    file_name: str  # the name the file had when it was attached
    stored_path: str  # where the copy is, relative to the project folder, with "/" separators
    sha256: str
    media_type: str
    size: int  # bytes
    page_count: int
    text_status: TextStatus
    attached_by: str


@dataclass(frozen=True, slots=True)
class Report:
    """One full-text document of one record."""

    id: int
    record_id: int
    file_name: str
    stored_path: str
    sha256: str
    media_type: str
    size: int
    page_count: int
    text_status: TextStatus
    attached_by: str
    attached_at: datetime


@dataclass(frozen=True, slots=True)
class RetrievalFailure:
    """A record whose report could not be obtained (PRISMA: reports not retrieved). Attaching a
    report later withdraws the mark; it stays in the history, stamped withdrawn."""

    id: int
    record_id: int
    reason: str
    marked_by: str
    marked_at: datetime
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = None

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


@dataclass(frozen=True, slots=True)
class Study:
    """Records (each with its reports) that describe one study. ``id`` is None for a record that is
    a study of its own (not grouped); its label then comes from the record."""

    id: int | None
    label: str
    record_ids: tuple[int, ...]
    created_by: str | None = None
    created_at: datetime | None = None
