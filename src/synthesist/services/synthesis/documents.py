"""Documents to code: the findings text of each included study, from its full-text report (pages
kept), a PDF, DOCX or TXT file, or pasted text; and a new version of a document's text, with every
coding on it re-anchored or flagged (:mod:`synthesist.synthesis.anchoring`).

Stable API (used by tests of the synthesis outputs, keyword arguments)::

    add_document(workspace, study, *, text=None, file=None, report_id=None, pages=None,
                 title=None) -> Document
        study: a label ("Cooper 2008"), a record id or S + study id, of an included study;
        exactly one of text (pasted), file (PDF/DOCX/TXT) or report_id (with pages "5-9").

Text is normalised as full texts are (Unicode NFC, line ends, runs of spaces; see
:func:`synthesist.fulltext.pdf_text.normalise_text`), so the same words always give the same
offsets. Pages are joined with a blank line and each page's start is kept, so a coding knows its page.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path

from synthesist.errors import Conflict, UserError
from synthesist.events import CodingReanchored, DocumentAdded, DocumentReplaced
from synthesist.file_limits import FileLimits
from synthesist.fulltext.pdf_text import extract_text, normalise_text
from synthesist.ports import UnitOfWork
from synthesist.services.fulltext.reports import list_studies
from synthesist.services.fulltext.study_refs import resolve_study, stored_study_id
from synthesist.services.synthesis.refs import coding_id, find_document
from synthesist.synthesis.anchoring import reanchor
from synthesist.synthesis.entries import NewDocument, StoredCoding
from synthesist.synthesis.model import AnchorStatus, Coding, Document, DocumentSource, Page
from synthesist.synthesis.spans import SpanRequest, resolve_span
from synthesist.workspace import Workspace

__all__ = [
    "DocumentText",
    "ReplaceResult",
    "add_document",
    "anchor_problems",
    "load_document",
    "place_coding",
    "replace_document",
    "study_labels",
]

_PAGE_JOIN = "\n\n"


@dataclass(frozen=True)
class DocumentText:
    """A document's text as it is about to be stored."""

    source: DocumentSource
    text: str
    pages: tuple[Page, ...]
    title: str
    report_id: int | None = None
    page_range: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ReplaceResult:
    document: Document
    unchanged: list[Coding]
    reanchored: list[Coding]
    lost: list[Coding]


def study_labels(uow: UnitOfWork) -> dict[int, str]:
    """Stored studies' labels by id (every document's study is stored)."""
    return {study.id: study.label for study in uow.fulltext.studies() if study.id is not None}


def load_document(uow: UnitOfWork, reference: str | int) -> Document:
    return find_document(uow.synthesis.documents(), reference, study_labels(uow))


def add_document(
    workspace: Workspace,
    study: str,
    *,
    text: str | None = None,
    file: Path | None = None,
    report_id: int | None = None,
    pages: str | None = None,
    title: str | None = None,
) -> Document:
    """Add the findings text of an included study as a document to code."""
    view = resolve_study(list_studies(workspace, included_only=True), study)
    label = view.study.label
    with workspace.unit_of_work() as uow:
        limits = workspace.project.protocol.limits.file_limits()
        content = _content(
            uow, text=text, file=file, report_id=report_id, pages=pages, title=title, limits=limits
        )
        if content.report_id is not None:
            report = uow.fulltext.get_report(content.report_id)
            if report.record_id not in view.study.record_ids:
                raise UserError(
                    f"report {content.report_id} belongs to record {report.record_id}, which is not a report "
                    f"of study {label!r} (records {', '.join(map(str, view.study.record_ids))})"
                )
        study_id = stored_study_id(uow, workspace, view)
        for existing in uow.synthesis.documents():
            if existing.study_id == study_id and existing.text_sha256 == content.sha256:
                raise Conflict(
                    f"study {label!r} already has this text as document {existing.id} ({existing.title!r})"
                )
        new = NewDocument(
            study_id=study_id,
            title=content.title,
            source=content.source.value,
            text=content.text,
            text_sha256=content.sha256,
            pages=content.pages,
            report_id=content.report_id,
            added_by=workspace.actor,
        )
        document_id = uow.synthesis.add_document(new)
        event = DocumentAdded(
            document_id=document_id,
            study_id=study_id,
            study=label,
            title=content.title,
            source=content.source.value,
            sha256=content.sha256,
            characters=len(content.text),
            report_id=content.report_id,
            pages=content.page_range,
        )
        uow.events.append(event, workspace.actor)
        document = uow.synthesis.get_document(document_id)
        uow.commit()
    return document


def replace_document(
    workspace: Workspace,
    document: str | int,
    *,
    text: str | None = None,
    file: Path | None = None,
    report_id: int | None = None,
    pages: str | None = None,
) -> ReplaceResult:
    """A new version of a document's text. Each active coding is looked for in the new text: found
    where it was (unchanged), found elsewhere unambiguously (re-anchored), or not found or found
    ambiguously (lost: left where it was, flagged for a reviewer). Nothing is moved to a guess."""
    with workspace.unit_of_work() as uow:
        old = load_document(uow, document)
        limits = workspace.project.protocol.limits.file_limits()
        content = _content(
            uow, text=text, file=file, report_id=report_id, pages=pages, title=old.title, limits=limits
        )
        if content.sha256 == old.text_sha256:
            raise UserError(f"the new text of document {old.id} ({old.title!r}) is the same as the old one")
        new_document = Document(
            id=old.id,
            study_id=old.study_id,
            title=old.title,
            source=content.source,
            text=content.text,
            text_sha256=content.sha256,
            pages=content.pages,
        )
        unchanged: list[Coding] = []
        moved: list[Coding] = []
        lost: list[Coding] = []
        for stored in uow.synthesis.codings(document_ids=[old.id]):
            coding = stored.coding
            anchor = reanchor(old.text, content.text, coding.start, coding.end, coding.text, coding.anchor)
            page = (
                new_document.page_at(anchor.start) if anchor.status is not AnchorStatus.LOST else coding.page
            )
            uow.synthesis.set_anchor(
                coding.id, start=anchor.start, end=anchor.end, page=page, anchor=anchor.status
            )
            after = replace(coding, start=anchor.start, end=anchor.end, page=page, anchor=anchor.status)
            if anchor.status is AnchorStatus.LOST:
                lost.append(after)
            elif (anchor.start, anchor.end) != (coding.start, coding.end):
                moved.append(after)
            else:
                unchanged.append(after)
        uow.synthesis.replace_text(
            old.id,
            text=content.text,
            text_sha256=content.sha256,
            pages=content.pages,
            source=content.source.value,
            report_id=content.report_id,
            by=workspace.actor,
        )
        stored_document = uow.synthesis.get_document(old.id)
        event = DocumentReplaced(
            document_id=old.id,
            title=old.title,
            version=stored_document.version,
            old_sha256=old.text_sha256,
            new_sha256=content.sha256,
            unchanged=len(unchanged),
            reanchored=[c.id for c in moved],
            lost=[c.id for c in lost],
        )
        uow.events.append(event, workspace.actor)
        uow.commit()
    return ReplaceResult(stored_document, unchanged, moved, lost)


def anchor_problems(
    workspace: Workspace, document: str | int | None = None
) -> list[tuple[Document, StoredCoding]]:
    """Codings whose text changed under them: lost ones (a reviewer must place or remove them) and
    re-anchored ones (moved to where their words are now; worth a look), by document."""
    with workspace.unit_of_work(write=False) as uow:
        documents = [load_document(uow, document)] if document is not None else uow.synthesis.documents()
        by_id = {doc.id: doc for doc in documents}
        found = [
            (by_id[stored.coding.document_id], stored)
            for stored in uow.synthesis.codings(document_ids=list(by_id))
            if stored.coding.anchor is not AnchorStatus.OK
        ]
    return found


def place_coding(workspace: Workspace, coding: str | int, request: SpanRequest) -> Coding:
    """Put a lost or re-anchored coding on the text it belongs to (its status becomes OK; the coded
    words are those of the new span)."""
    with workspace.unit_of_work() as uow:
        stored = uow.synthesis.get_coding(coding_id(coding))
        old = stored.coding
        if not stored.active:
            raise UserError(f"coding {old.id} is {stored.status.value}, not active")
        document = uow.synthesis.get_document(old.document_id)
        start, end = resolve_span(document, request)
        page = document.page_at(start)
        # the coded words become those of the new span, so the next re-anchoring looks for them
        words = document.text[start:end]
        uow.synthesis.set_anchor(old.id, start=start, end=end, page=page, anchor=AnchorStatus.OK, text=words)
        code = next(code.name for code in uow.synthesis.codes() if code.id == old.code_id)
        event = CodingReanchored(
            coding_id=old.id,
            document_id=document.id,
            code=code,
            start=start,
            end=end,
            previous_start=old.start,
            previous_end=old.end,
            previous_anchor=old.anchor.value,
        )
        uow.events.append(event, workspace.actor)
        placed = uow.synthesis.get_coding(old.id).coding
        uow.commit()
    return placed


def _content(
    uow: UnitOfWork,
    *,
    text: str | None,
    file: Path | None,
    report_id: int | None,
    pages: str | None,
    title: str | None,
    limits: FileLimits,
) -> DocumentText:
    given = [
        name for name, value in (("text", text), ("file", file), ("report", report_id)) if value is not None
    ]
    if len(given) != 1:
        raise UserError("give the text in one way: --report ID, --file F or --paste")
    if pages is not None and report_id is None:
        raise UserError("--pages goes with --report: it chooses pages of a full-text report")
    if text is not None:
        body = normalise_text(text)
        _check_text(body, "the pasted text")
        return DocumentText(DocumentSource.PASTED, body, (), title or "pasted text")
    if file is not None:
        extracted = extract_text(file, limits)
        kinds = {"pdf": DocumentSource.PDF, "docx": DocumentSource.DOCX, "txt": DocumentSource.TEXT}
        source = kinds[extracted.kind]
        numbered = [(page.number, page.text) for page in extracted.pages]
        body, starts = _join(numbered)
        _check_text(body, file.name)
        kept = starts if source is DocumentSource.PDF else ()
        return DocumentText(source, body, kept, title or file.name)
    assert report_id is not None
    report = uow.fulltext.get_report(report_id)
    first, last = _page_range(pages, report.page_count, report_id)
    chosen = [
        (page.number, page.text) for page in uow.fulltext.pages(report_id) if first <= page.number <= last
    ]
    body, starts = _join(chosen)
    what = f"report {report_id}" + (f" pages {first}-{last}" if pages else "")
    _check_text(body, what)
    range_text = f"{first}-{last}" if pages else None
    default_title = f"{report.file_name}" + (f", pp. {first}-{last}" if pages else "")
    return DocumentText(DocumentSource.PDF, body, starts, title or default_title, report_id, range_text)


def _join(numbered: list[tuple[int, str]]) -> tuple[str, tuple[Page, ...]]:
    """The pages' text joined by a blank line, and where each page starts (empty pages are skipped)."""
    parts: list[str] = []
    starts: list[Page] = []
    position = 0
    for number, text in numbered:
        if not text.strip():
            continue
        if parts:
            parts.append(_PAGE_JOIN)
            position += len(_PAGE_JOIN)
        starts.append(Page(number=number, start=position))
        parts.append(text)
        position += len(text)
    return "".join(parts), tuple(starts)


def _page_range(pages: str | None, page_count: int, report_id: int) -> tuple[int, int]:
    if pages is None:
        return 1, page_count
    match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", pages)
    if match is None:
        raise UserError(f"{pages!r} is not a page range; write 5-9 or 7")
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    if first < 1 or last > page_count or first > last:
        raise UserError(
            f"report {report_id} has pages 1 to {page_count}; pages {pages.strip()} are not in it"
        )
    return first, last


def _check_text(text: str, what: str) -> None:
    if not text.strip():
        raise UserError(f"{what} has no text to code", hint="A scanned PDF needs OCR first.")
