"""Documents, codes (with their history), themes, codings, consensus resolutions and memos of the
thematic synthesis, scoped to one project. The service checks everything before it writes; this
module only stores and reads (see migration 0009)."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from synthesist.errors import NotFound
from synthesist.storage import schema
from synthesist.storage.clock import as_utc as _aware
from synthesist.storage.clock import utc_now as _now
from synthesist.synthesis.entries import (
    CodeHistoryEntry,
    CodingResolution,
    CodingStatus,
    HistoryAction,
    Memo,
    MemoTarget,
    NewCoding,
    NewDocument,
    ResolutionOutcome,
    StoredCoding,
)
from synthesist.synthesis.model import (
    AnchorStatus,
    Code,
    Coding,
    CodingOrigin,
    Document,
    DocumentSource,
    Page,
    SpanKind,
    Theme,
    ThemeLevel,
)

__all__ = ["SqlSynthesisRepository"]

_UNSET: Any = object()  # "leave this column as it is" in the update methods


class SqlSynthesisRepository:
    def __init__(self, connection: sa.Connection, project_id: int) -> None:
        self._conn = connection
        self._project_id = project_id

    def _insert(self, table: sa.Table, **values: Any) -> int:
        query = table.insert().values(project_id=self._project_id, **values).returning(table.c.id)
        return int(self._conn.execute(query).scalar_one())

    def _update(self, table: sa.Table, row_id: int, values: dict[str, Any]) -> None:
        values = {key: value for key, value in values.items() if value is not _UNSET}
        if values:
            self._conn.execute(
                table.update()
                .where(table.c.id == row_id, table.c.project_id == self._project_id)
                .values(**values)
            )

    # documents

    def add_document(self, document: NewDocument) -> int:
        return self._insert(
            schema.documents,
            study_id=document.study_id,
            title=document.title,
            source=document.source,
            report_id=document.report_id,
            text=document.text,
            text_sha256=document.text_sha256,
            pages=_pages_json(document.pages),
            version=1,
            added_by=document.added_by,
            added_at=_now(),
        )

    def replace_text(
        self,
        document_id: int,
        *,
        text: str,
        text_sha256: str,
        pages: Sequence[Page],
        source: str,
        report_id: int | None,
        by: str,
    ) -> None:
        table = schema.documents
        self._update(
            table,
            document_id,
            {
                "text": text,
                "text_sha256": text_sha256,
                "pages": _pages_json(pages),
                "source": source,
                "report_id": report_id,
                "version": table.c.version + 1,
                "replaced_by": by,
                "replaced_at": _now(),
            },
        )

    def get_document(self, document_id: int) -> Document:
        table = schema.documents
        row = self._conn.execute(
            sa.select(table).where(table.c.id == document_id, table.c.project_id == self._project_id)
        ).first()
        if row is None:
            raise NotFound(
                f"no document {document_id}", hint="`synthesist doc list` lists the documents and their ids."
            )
        return _document(row._mapping)

    def documents(self) -> builtins.list[Document]:
        table = schema.documents
        query = sa.select(table).where(table.c.project_id == self._project_id).order_by(table.c.id)
        return [_document(row._mapping) for row in self._conn.execute(query)]

    # codes

    def add_code(self, name: str, *, definition: str, key_terms: Sequence[str], by: str) -> int:
        return self._insert(
            schema.codes,
            name=name,
            definition=definition,
            key_terms=list(key_terms),
            created_by=by,
            created_at=_now(),
        )

    def update_code(
        self,
        code_id: int,
        *,
        name: str = _UNSET,
        definition: str = _UNSET,
        key_terms: Sequence[str] = _UNSET,
        merged_into: int | None = _UNSET,
    ) -> None:
        terms = list(key_terms) if key_terms is not _UNSET else _UNSET
        values = {"name": name, "definition": definition, "key_terms": terms, "merged_into": merged_into}
        self._update(schema.codes, code_id, values)

    def codes(self) -> builtins.list[Code]:
        """Every code, merged ones included, with the themes it sits under, by id."""
        table, links = schema.codes, schema.code_themes
        theme_ids: dict[int, builtins.list[int]] = {}
        for link in self._conn.execute(
            sa.select(links.c.code_id, links.c.theme_id)
            .where(links.c.project_id == self._project_id)
            .order_by(links.c.theme_id)
        ):
            theme_ids.setdefault(link.code_id, []).append(link.theme_id)
        memos = self._memo_texts(MemoTarget.CODE)
        query = sa.select(table).where(table.c.project_id == self._project_id).order_by(table.c.id)
        return [
            Code(
                id=row.id,
                name=row.name,
                definition=row.definition,
                memo=memos.get(row.id, ""),
                theme_ids=tuple(theme_ids.get(row.id, ())),
                merged_into=row.merged_into,
                key_terms=tuple(row.key_terms),
            )
            for row in self._conn.execute(query)
        ]

    def add_history(self, code_id: int, action: HistoryAction, detail: dict[str, Any], *, by: str) -> int:
        return self._insert(
            schema.code_history,
            code_id=code_id,
            action=action.value,
            detail=detail,
            acted_by=by,
            acted_at=_now(),
        )

    def history(self, code_id: int | None = None) -> builtins.list[CodeHistoryEntry]:
        table = schema.code_history
        query = sa.select(table).where(table.c.project_id == self._project_id)
        if code_id is not None:
            query = query.where(table.c.code_id == code_id)
        return [
            CodeHistoryEntry(
                id=row.id,
                code_id=row.code_id,
                action=HistoryAction(row.action),
                detail=dict(row.detail),
                acted_by=row.acted_by,
                acted_at=_aware(row.acted_at),
            )
            for row in self._conn.execute(query.order_by(table.c.id))
        ]

    # themes

    def add_theme(
        self,
        name: str,
        *,
        level: ThemeLevel,
        definition: str,
        key_terms: Sequence[str],
        parent_id: int | None,
        position: int,
        by: str,
    ) -> int:
        return self._insert(
            schema.themes,
            name=name,
            level=level.value,
            definition=definition,
            key_terms=list(key_terms),
            parent_id=parent_id,
            position=position,
            created_by=by,
            created_at=_now(),
        )

    def update_theme(
        self,
        theme_id: int,
        *,
        name: str = _UNSET,
        level: ThemeLevel = _UNSET,
        definition: str = _UNSET,
        key_terms: Sequence[str] = _UNSET,
        parent_id: int | None = _UNSET,
        position: int = _UNSET,
    ) -> None:
        values = {
            "name": name,
            "level": level.value if level is not _UNSET else _UNSET,
            "definition": definition,
            "key_terms": list(key_terms) if key_terms is not _UNSET else _UNSET,
            "parent_id": parent_id,
            "position": position,
        }
        self._update(schema.themes, theme_id, values)

    def themes(self) -> builtins.list[Theme]:
        table = schema.themes
        query = sa.select(table).where(table.c.project_id == self._project_id)
        return [
            Theme(
                id=row.id,
                name=row.name,
                level=ThemeLevel(row.level),
                definition=row.definition,
                key_terms=tuple(row.key_terms),
                parent_id=row.parent_id,
                position=row.position,
            )
            for row in self._conn.execute(query.order_by(table.c.position, table.c.id))
        ]

    def assign(self, code_id: int, theme_id: int, *, by: str) -> None:
        self._conn.execute(
            schema.code_themes.insert().values(
                code_id=code_id,
                theme_id=theme_id,
                project_id=self._project_id,
                assigned_by=by,
                assigned_at=_now(),
            )
        )

    def unassign(self, code_id: int, theme_id: int) -> None:
        links = schema.code_themes
        self._conn.execute(
            links.delete().where(
                links.c.code_id == code_id,
                links.c.theme_id == theme_id,
                links.c.project_id == self._project_id,
            )
        )

    # codings

    def add_coding(self, new: NewCoding) -> int:
        return self._insert(
            schema.codings,
            document_id=new.document_id,
            code_id=new.code_id,
            span_start=new.start,
            span_end=new.end,
            page=new.page,
            coder=new.coder,
            kind=new.kind.value,
            origin=new.origin.value,
            anchor=new.anchor.value,
            coded_text=new.text,
            memo=new.memo,
            score=new.score,
            source_coding_id=new.source_coding_id,
            status=CodingStatus.ACTIVE.value,
            created_at=_now(),
        )

    def get_coding(self, coding_id: int) -> StoredCoding:
        table = schema.codings
        row = self._conn.execute(
            sa.select(table).where(table.c.id == coding_id, table.c.project_id == self._project_id)
        ).first()
        if row is None:
            raise NotFound(
                f"no coding {coding_id}", hint="`synthesist doc show DOC --codings` lists codings."
            )
        return _coding(row._mapping)

    def codings(
        self,
        *,
        document_ids: Iterable[int] | None = None,
        code_ids: Iterable[int] | None = None,
        active_only: bool = True,
    ) -> builtins.list[StoredCoding]:
        table = schema.codings
        query = sa.select(table).where(table.c.project_id == self._project_id)
        if document_ids is not None:
            query = query.where(table.c.document_id.in_(sorted(set(document_ids))))
        if code_ids is not None:
            query = query.where(table.c.code_id.in_(sorted(set(code_ids))))
        if active_only:
            query = query.where(table.c.status == CodingStatus.ACTIVE.value)
        return [_coding(row._mapping) for row in self._conn.execute(query.order_by(table.c.id))]

    def set_status(self, coding_ids: Sequence[int], status: CodingStatus, *, by: str) -> None:
        table = schema.codings
        if coding_ids:
            self._conn.execute(
                table.update()
                .where(table.c.id.in_(list(coding_ids)), table.c.project_id == self._project_id)
                .values(status=status.value, status_by=by, status_at=_now())
            )

    def move_codings(self, coding_ids: Sequence[int], code_id: int) -> None:
        table = schema.codings
        if coding_ids:
            self._conn.execute(
                table.update()
                .where(table.c.id.in_(list(coding_ids)), table.c.project_id == self._project_id)
                .values(code_id=code_id)
            )

    def set_anchor(
        self,
        coding_id: int,
        *,
        start: int,
        end: int,
        page: int | None,
        anchor: AnchorStatus,
        text: str | None = None,
    ) -> None:
        """Where a coding is now; ``text``: new coded words (a reviewer placed it by hand)."""
        values: dict[str, Any] = {"span_start": start, "span_end": end, "page": page, "anchor": anchor.value}
        if text is not None:
            values["coded_text"] = text
        self._update(schema.codings, coding_id, values)

    def set_coding_memo(self, coding_id: int, memo: str) -> None:
        self._update(schema.codings, coding_id, {"memo": memo})

    # consensus

    def add_resolution(
        self,
        *,
        document_id: int,
        code_id: int,
        start: int,
        end: int,
        coders: tuple[str, str],
        outcome: ResolutionOutcome,
        coding_id: int | None,
        by: str,
        note: str | None,
    ) -> int:
        return self._insert(
            schema.coding_resolutions,
            document_id=document_id,
            code_id=code_id,
            span_start=start,
            span_end=end,
            coders=sorted(coders),
            outcome=outcome.value,
            coding_id=coding_id,
            decided_by=by,
            decided_at=_now(),
            note=note,
        )

    def resolutions(self) -> builtins.list[CodingResolution]:
        table = schema.coding_resolutions
        query = sa.select(table).where(table.c.project_id == self._project_id).order_by(table.c.id)
        return [
            CodingResolution(
                id=row.id,
                document_id=row.document_id,
                code_id=row.code_id,
                start=row.span_start,
                end=row.span_end,
                coders=(row.coders[0], row.coders[1]),
                outcome=ResolutionOutcome(row.outcome),
                coding_id=row.coding_id,
                decided_by=row.decided_by,
                decided_at=_aware(row.decided_at),
                note=row.note,
            )
            for row in self._conn.execute(query)
        ]

    # memos

    def add_memo(self, target: MemoTarget, target_id: int | None, text: str, *, by: str) -> int:
        return self._insert(
            schema.memos, target=target.value, target_id=target_id, text=text, author=by, written_at=_now()
        )

    def memos(self, target: MemoTarget | None = None, target_id: int | None = None) -> builtins.list[Memo]:
        table = schema.memos
        query = sa.select(table).where(table.c.project_id == self._project_id)
        if target is not None:
            query = query.where(table.c.target == target.value)
        if target_id is not None:
            query = query.where(table.c.target_id == target_id)
        return [
            Memo(
                id=row.id,
                target=MemoTarget(row.target),
                target_id=row.target_id,
                text=row.text,
                author=row.author,
                written_at=_aware(row.written_at),
            )
            for row in self._conn.execute(query.order_by(table.c.id))
        ]

    def _memo_texts(self, target: MemoTarget) -> dict[int, str]:
        """Target id -> its memos, oldest first, one paragraph each."""
        texts: dict[int, builtins.list[str]] = {}
        for memo in self.memos(target):
            if memo.target_id is not None:
                texts.setdefault(memo.target_id, []).append(memo.text)
        return {key: "\n\n".join(value) for key, value in texts.items()}


def _pages_json(pages: Sequence[Page]) -> builtins.list[dict[str, int]]:
    return [{"number": page.number, "start": page.start} for page in pages]


def _document(row: sa.RowMapping) -> Document:
    return Document(
        id=row["id"],
        study_id=row["study_id"],
        title=row["title"],
        source=DocumentSource(row["source"]),
        text=row["text"],
        text_sha256=row["text_sha256"],
        pages=tuple(Page(number=page["number"], start=page["start"]) for page in row["pages"]),
        report_id=row["report_id"],
        added_by=row["added_by"],
        added_at=_aware(row["added_at"]),
        version=row["version"],
    )


def _coding(row: sa.RowMapping) -> StoredCoding:
    coding = Coding(
        id=row["id"],
        document_id=row["document_id"],
        code_id=row["code_id"],
        start=row["span_start"],
        end=row["span_end"],
        coder=row["coder"],
        kind=SpanKind(row["kind"]),
        origin=CodingOrigin(row["origin"]),
        anchor=AnchorStatus(row["anchor"]),
        text=row["coded_text"],
        page=row["page"],
        memo=row["memo"],
        created_at=_aware(row["created_at"]),
        score=row["score"],
    )
    status_at = row["status_at"]
    return StoredCoding(
        coding=coding,
        status=CodingStatus(row["status"]),
        source_coding_id=row["source_coding_id"],
        status_by=row["status_by"],
        status_at=_aware(status_at) if status_at is not None else None,
    )
