"""REFI-QDA in and out of a project: the codebook as ``.qdc``, the coded project as ``.qdpx``.

Export reads one coding snapshot and writes it with :mod:`synthesist.synthesis.refi_qda`. Import
reads the whole file first (:mod:`synthesist.synthesis.refi_qda_read`), finds the included study of
each document, then writes everything in **one transaction** through the coding services' own
steps (themes, codes, documents, codings), so the same checks apply and a problem anywhere leaves
nothing imported. What the project has already is reused, not repeated: a theme or code of the
same name, a document of the same study with the same text, a coding of the same code, span and
coder. Importing the same file twice therefore changes nothing the second time. Coders come in by
name; a coder named "a & b" is a consensus, as Synthesist names consensus codings.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from synthesist import __version__
from synthesist.errors import ImportFileError, UserError
from synthesist.events import DocumentAdded, MemoWritten, RefiQdaImported
from synthesist.ports import UnitOfWork
from synthesist.services.fulltext.reports import StudyView, list_studies
from synthesist.services.fulltext.study_refs import resolve_study, stored_study_id
from synthesist.services.synthesis.codes import create_code_in
from synthesist.services.synthesis.coding import apply_in, check_coder
from synthesist.services.synthesis.refs import same_name
from synthesist.services.synthesis.snapshot import coding_snapshot
from synthesist.services.synthesis.themes import assign_in, create_theme_in
from synthesist.synthesis.entries import MemoTarget, NewDocument
from synthesist.synthesis.model import (
    Code,
    CodingOrigin,
    Document,
    DocumentSource,
    SpanKind,
    Theme,
    ThemeLevel,
)
from synthesist.synthesis.refi_qda import ExportResult, codebook_xml, project_qdpx
from synthesist.synthesis.refi_qda_read import ImportedProject, read_codebook, read_qdpx
from synthesist.workspace import Workspace

__all__ = ["ImportSummary", "export_codebook", "export_project", "import_refi_qda"]


def _origin() -> str:
    return f"Synthesist {__version__}"


def export_codebook(workspace: Workspace) -> bytes:
    """The project's themes and codes as a REFI-QDA codebook (``.qdc``)."""
    return codebook_xml(coding_snapshot(workspace), workspace.project.key, _origin())


def export_project(workspace: Workspace, when: datetime | None = None) -> ExportResult:
    """Documents, codebook, codings and coders as a REFI-QDA project (``.qdpx``)."""
    moment = when or datetime.now(UTC).replace(microsecond=0)
    title = workspace.project.protocol.review.title or workspace.project.key
    return project_qdpx(coding_snapshot(workspace), workspace.project.key, title, _origin(), moment)


@dataclass
class ImportSummary:
    file: str
    format: str  # "qdc" or "qdpx"
    themes: list[str] = field(default_factory=list)  # added
    codes: list[str] = field(default_factory=list)
    documents: list[int] = field(default_factory=list)
    codings: list[int] = field(default_factory=list)
    reused: dict[str, int] = field(default_factory=dict)  # what the project had already, per kind
    notes: list[str] = field(default_factory=list)


def import_refi_qda(
    workspace: Workspace, path: Path, *, default_kind: SpanKind = SpanKind.INTERPRETATION
) -> ImportSummary:
    """Import a ``.qdc`` codebook or a ``.qdpx`` project (told apart by content), all or nothing."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFileError(f"cannot read {path}: {error.strerror or error}") from None
    if data[:4] == b"PK\x03\x04":
        limits = workspace.project.protocol.limits.file_limits()
        imported, kind = read_qdpx(data, path.name, default_kind, limits), "qdpx"
    else:
        imported, kind = read_codebook(data, path.name), "qdc"
    views = _studies(workspace, imported, path.name) if imported.documents else {}
    summary = ImportSummary(path.name, kind, notes=list(imported.notes))
    with workspace.unit_of_work() as uow:
        themes = _themes(uow, workspace, imported, summary, path.name)
        codes = _codes(uow, workspace, imported, themes, summary)
        documents = _documents(uow, workspace, imported, views, summary)
        _codings(uow, workspace, imported, codes, documents, summary, path.name)
        event = RefiQdaImported(
            file=path.name,
            sha256=hashlib.sha256(data).hexdigest(),
            format=kind,
            themes=summary.themes,
            codes=summary.codes,
            documents=summary.documents,
            codings=summary.codings,
            notes=summary.notes,
        )
        uow.events.append(event, workspace.actor)
        uow.commit()
    return summary


def _studies(workspace: Workspace, imported: ImportedProject, file: str) -> dict[str, StudyView]:
    """Each document's included study: its Case's name, else its own name, as a study label."""
    included = list_studies(workspace, included_only=True)
    found: dict[str, StudyView] = {}
    missing: list[str] = []
    for document in imported.documents:
        view = None
        for name in (document.study, document.title):
            if not name:
                continue
            try:
                view = resolve_study(included, name)
                break
            except UserError:
                continue
        if view is None:
            missing.append(f"{document.title!r}" + (f" (case {document.study!r})" if document.study else ""))
        else:
            found[document.key] = view
    if missing:
        raise ImportFileError(
            f"{file}: no included study for {len(missing)} source(s): {', '.join(missing[:5])}"
            + (" ..." if len(missing) > 5 else ""),
            hint="Each source must belong to an included study: put it in a Case named as the study "
            '("Cooper 2008"), or name the source so (synthesist fulltext studies --included lists them).',
        )
    return found


def _themes(
    uow: UnitOfWork, workspace: Workspace, imported: ImportedProject, summary: ImportSummary, file: str
) -> dict[str, Theme]:
    ordered = sorted(imported.themes, key=lambda t: (t.level is not ThemeLevel.ANALYTICAL, t.position))
    keys: dict[str, Theme] = {}
    names = {theme.key: theme.name for theme in imported.themes}
    for theme in ordered:
        existing = next((t for t in uow.synthesis.themes() if same_name(t.name, theme.name)), None)
        if existing is not None:
            if existing.level is not theme.level:
                raise ImportFileError(
                    f"{file}: theme {theme.name!r} is {theme.level.value} in the file but "
                    f"{existing.level.value} in the project",
                )
            keys[theme.key] = existing
            summary.reused["themes"] = summary.reused.get("themes", 0) + 1
            continue
        keys[theme.key] = create_theme_in(
            uow,
            workspace,
            theme.name,
            level=theme.level,
            parent=keys[theme.parent].name if theme.parent in keys else names.get(theme.parent or ""),
            definition=theme.definition,
            key_terms=theme.key_terms,
            position=None,
        )
        summary.themes.append(theme.name)
    return keys


def _codes(
    uow: UnitOfWork,
    workspace: Workspace,
    imported: ImportedProject,
    themes: dict[str, Theme],
    summary: ImportSummary,
) -> dict[str, Code]:
    keys: dict[str, Code] = {}
    for code in imported.codes:
        under = [themes[key] for key in code.themes if key in themes]
        existing = next((c for c in uow.synthesis.codes() if same_name(c.name, code.name)), None)
        if existing is not None and existing.merged_into is None:
            for theme in under:
                assign_in(uow, workspace, existing, theme)
            keys[code.key] = next(c for c in uow.synthesis.codes() if c.id == existing.id)
            summary.reused["codes"] = summary.reused.get("codes", 0) + 1
            continue
        if existing is not None:
            raise UserError(f"code {code.name!r} was merged in this project; rename it in the file first")
        made = create_code_in(
            uow, workspace, code.name, definition=code.definition, themes=[theme.name for theme in under]
        )
        if code.memo:
            memo_id = uow.synthesis.add_memo(MemoTarget.CODE, made.id, code.memo, by=workspace.actor)
            uow.events.append(MemoWritten(memo_id, "code", made.id, made.name, code.memo), workspace.actor)
        keys[code.key] = made
        summary.codes.append(code.name)
    return keys


def _documents(
    uow: UnitOfWork,
    workspace: Workspace,
    imported: ImportedProject,
    views: dict[str, StudyView],
    summary: ImportSummary,
) -> dict[str, Document]:
    keys: dict[str, Document] = {}
    for document in imported.documents:
        if not document.text.strip():
            summary.notes.append(f"source {document.title!r} has no text; left out")
            continue
        view = views[document.key]
        study_id = stored_study_id(uow, workspace, view)
        digest = hashlib.sha256(document.text.encode("utf-8")).hexdigest()
        existing = next(
            (d for d in uow.synthesis.documents() if d.study_id == study_id and d.text_sha256 == digest), None
        )
        if existing is not None:
            keys[document.key] = existing
            summary.reused["documents"] = summary.reused.get("documents", 0) + 1
            continue
        pages = document.pages
        if pages and (pages[0].start != 0 or any(b.start < a.start for a, b in itertools.pairwise(pages))):
            summary.notes.append(f"the page starts of {document.title!r} are out of order; left out")
            pages = ()
        new = NewDocument(
            study_id=study_id,
            title=" ".join(document.title.split()) or view.study.label,
            source=DocumentSource.TEXT.value,
            text=document.text,
            text_sha256=digest,
            pages=pages,
            report_id=None,
            added_by=workspace.actor,
        )
        document_id = uow.synthesis.add_document(new)
        event = DocumentAdded(
            document_id=document_id,
            study_id=study_id,
            study=view.study.label,
            title=new.title,
            source=new.source,
            sha256=digest,
            characters=len(document.text),
        )
        uow.events.append(event, workspace.actor)
        keys[document.key] = uow.synthesis.get_document(document_id)
        summary.documents.append(document_id)
    return keys


def _codings(
    uow: UnitOfWork,
    workspace: Workspace,
    imported: ImportedProject,
    codes: dict[str, Code],
    documents: dict[str, Document],
    summary: ImportSummary,
    file: str,
) -> None:
    existing = {
        (c.coding.document_id, c.coding.code_id, c.coding.start, c.coding.end, c.coding.coder)
        for c in uow.synthesis.codings(document_ids=[d.id for d in documents.values()])
        if c.active
    }
    for coding in imported.codings:
        document = documents.get(coding.document)
        if document is None:  # a source without text, left out with a note
            continue
        code = codes[coding.code]
        coder = _coder(coding.coder, file)
        key = (document.id, code.id, coding.start, coding.end, coder)
        if key in existing:
            summary.reused["codings"] = summary.reused.get("codings", 0) + 1
            continue
        origin = CodingOrigin.CONSENSUS if " & " in coder else CodingOrigin.HUMAN
        try:
            made = apply_in(
                uow, workspace, document, code, coding.start, coding.end,
                kind=coding.kind, coder=coder, origin=origin, memo=coding.memo, log=False,
            )  # fmt: skip
        except UserError as error:
            raise ImportFileError(f"{file}: source {document.title!r}: {error.message}") from None
        existing.add(key)
        summary.codings.append(made.id)


def _coder(name: str, file: str) -> str:
    try:
        return check_coder(name, consensus=True)
    except UserError as error:
        raise ImportFileError(f"{file}: coder {name!r}: {error.message}") from None
