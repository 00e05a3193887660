"""Reports and their pages, retrieval failures and studies, scoped to one project."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from synthesist.errors import InvalidTransition, NotFound
from synthesist.fulltext.model import NewReport, Page, Report, RetrievalFailure, Study, TextStatus
from synthesist.storage import schema
from synthesist.storage.clock import as_utc as _aware
from synthesist.storage.clock import utc_now as _now
from synthesist.storage.filters import in_chunks

__all__ = ["SqlFulltextRepository"]

_PAGE_CHUNK = 200  # pages per INSERT: a 400-page report is two statements


class SqlFulltextRepository:
    def __init__(self, connection: sa.Connection, project_id: int) -> None:
        self._conn = connection
        self._project_id = project_id

    # reports

    def add_report(self, report: NewReport, pages: Sequence[Page]) -> int:
        query = (
            schema.reports.insert()
            .values(
                project_id=self._project_id,
                record_id=report.record_id,
                file_name=report.file_name,
                stored_path=report.stored_path,
                sha256=report.sha256,
                media_type=report.media_type,
                size=report.size,
                page_count=report.page_count,
                text_status=report.text_status.value,
                attached_by=report.attached_by,
                attached_at=_now(),
            )
            .returning(schema.reports.c.id)
        )
        report_id = int(self._conn.execute(query).scalar_one())
        self.add_pages(report_id, pages)
        return report_id

    def add_pages(self, report_id: int, pages: Sequence[Page]) -> None:
        rows = [{"report_id": report_id, "page": page.number, "text": page.text} for page in pages]
        for start in range(0, len(rows), _PAGE_CHUNK):
            self._conn.execute(schema.report_pages.insert(), rows[start : start + _PAGE_CHUNK])

    def get_report(self, report_id: int) -> Report:
        row = self._conn.execute(self._reports().where(schema.reports.c.id == report_id)).first()
        if row is None:
            raise NotFound(f"no report {report_id}", hint="`synthesist fulltext list` lists the reports.")
        return _report(row._mapping)

    def reports(self, record_ids: Iterable[int] | None = None) -> builtins.list[Report]:
        """Reports (of these records, or all), in the order they were attached."""
        table = schema.reports
        query = self._reports()
        if record_ids is not None:
            query = query.where(table.c.record_id.in_(sorted(set(record_ids))))
        return [_report(row._mapping) for row in self._conn.execute(query.order_by(table.c.id))]

    def find_by_sha256(self, sha256: str) -> builtins.list[Report]:
        query = self._reports().where(schema.reports.c.sha256 == sha256).order_by(schema.reports.c.id)
        return [_report(row._mapping) for row in self._conn.execute(query)]

    def records_with_reports(self, record_ids: Iterable[int] | None = None) -> set[int]:
        table = schema.reports
        query = sa.select(table.c.record_id).where(table.c.project_id == self._project_id).distinct()
        found: set[int] = set()
        for chunk in in_chunks(record_ids):
            chosen = query if chunk is None else query.where(table.c.record_id.in_(chunk))
            found.update(self._conn.execute(chosen).scalars())
        return found

    def pages(self, report_id: int, page: int | None = None) -> builtins.list[Page]:
        """The report's pages in order (or the one page asked for; none if there is no such page)."""
        table = schema.report_pages
        query = sa.select(table.c.page, table.c.text).where(table.c.report_id == report_id)
        if page is not None:
            query = query.where(table.c.page == page)
        return [Page(row.page, row.text) for row in self._conn.execute(query.order_by(table.c.page))]

    def _reports(self) -> sa.Select[Any]:
        return sa.select(schema.reports).where(schema.reports.c.project_id == self._project_id)

    # retrieval failures

    def mark_not_retrieved(self, record_id: int, reason: str, *, by: str) -> int:
        query = (
            schema.retrieval_failures.insert()
            .values(
                project_id=self._project_id,
                record_id=record_id,
                reason=reason,
                marked_by=by,
                marked_at=_now(),
            )
            .returning(schema.retrieval_failures.c.id)
        )
        return int(self._conn.execute(query).scalar_one())

    def withdraw_not_retrieved(self, record_id: int, *, by: str) -> RetrievalFailure | None:
        """Stamp the record's mark in force withdrawn; returns it as it was (None if there was none)."""
        current = self.not_retrieved([record_id]).get(record_id)
        if current is not None:
            table = schema.retrieval_failures
            self._conn.execute(
                table.update().where(table.c.id == current.id).values(withdrawn_at=_now(), withdrawn_by=by)
            )
        return current

    def not_retrieved(self, record_ids: Iterable[int] | None = None) -> dict[int, RetrievalFailure]:
        """record id -> its "not retrieved" mark in force (withdrawn marks are left out)."""
        table = schema.retrieval_failures
        query = sa.select(table).where(table.c.project_id == self._project_id, table.c.withdrawn_at.is_(None))
        if record_ids is not None:
            query = query.where(table.c.record_id.in_(sorted(set(record_ids))))
        return {row.record_id: _failure(row._mapping) for row in self._conn.execute(query)}

    def retrieval_history(self, record_id: int) -> builtins.list[RetrievalFailure]:
        table = schema.retrieval_failures
        query = (
            sa.select(table)
            .where(table.c.project_id == self._project_id, table.c.record_id == record_id)
            .order_by(table.c.id)
        )
        return [_failure(row._mapping) for row in self._conn.execute(query)]

    # studies

    def create_study(self, label: str, record_ids: Sequence[int], *, by: str) -> int:
        query = (
            schema.studies.insert()
            .values(project_id=self._project_id, label=label, created_by=by, created_at=_now())
            .returning(schema.studies.c.id)
        )
        study_id = int(self._conn.execute(query).scalar_one())
        self.add_to_study(study_id, record_ids)
        return study_id

    def add_to_study(self, study_id: int, record_ids: Sequence[int]) -> None:
        if record_ids:
            rows = [
                {"record_id": record_id, "study_id": study_id, "project_id": self._project_id}
                for record_id in record_ids
            ]
            self._conn.execute(schema.study_records.insert(), rows)

    def remove_from_studies(self, record_ids: Sequence[int]) -> None:
        table = schema.study_records
        self._conn.execute(
            table.delete().where(table.c.project_id == self._project_id, table.c.record_id.in_(record_ids))
        )

    def set_label(self, study_id: int, label: str) -> None:
        table = schema.studies
        self._conn.execute(
            table.update()
            .where(table.c.id == study_id, table.c.project_id == self._project_id)
            .values(label=label)
        )

    def delete_study(self, study_id: int) -> None:
        """Remove a study (its records stay; each is a study of its own again). Refused while data
        recorded about the study (extracted values, appraisals) refers to it: the foreign keys
        say so, whichever later table holds the data."""
        self._conn.execute(schema.study_records.delete().where(schema.study_records.c.study_id == study_id))
        table = schema.studies
        try:
            self._conn.execute(
                table.delete().where(table.c.id == study_id, table.c.project_id == self._project_id)
            )
        except sa.exc.IntegrityError:
            raise InvalidTransition(
                f"study {study_id} has data extracted or appraised for it, so its last record cannot "
                "be taken out of it",
                hint="Group the record with the study's other reports first, or leave it in the study.",
            ) from None

    def get_study(self, study_id: int) -> Study:
        found = self._studies(schema.studies.c.id == study_id)
        if not found:
            raise NotFound(f"no study {study_id}", hint="`synthesist fulltext studies` lists the studies.")
        return found[0]

    def studies(self) -> builtins.list[Study]:
        """The studies formed by grouping records (records not grouped are not listed here)."""
        return self._studies()

    def study_membership(self) -> dict[int, int]:
        """record id -> study id, for every grouped record."""
        table = schema.study_records
        query = sa.select(table.c.record_id, table.c.study_id).where(table.c.project_id == self._project_id)
        return {row.record_id: row.study_id for row in self._conn.execute(query)}

    def _studies(self, *where: sa.ColumnElement[bool]) -> builtins.list[Study]:
        table, members = schema.studies, schema.study_records
        rows = self._conn.execute(
            sa.select(table).where(table.c.project_id == self._project_id, *where).order_by(table.c.id)
        ).all()
        ids = [row.id for row in rows]
        records: dict[int, builtins.list[int]] = {}
        if ids:
            query = (
                sa.select(members.c.study_id, members.c.record_id)
                .where(members.c.study_id.in_(ids))
                .order_by(members.c.record_id)
            )
            for member in self._conn.execute(query):
                records.setdefault(member.study_id, []).append(member.record_id)
        return [
            Study(row.id, row.label, tuple(records.get(row.id, [])), row.created_by, _aware(row.created_at))
            for row in rows
        ]


def _report(row: sa.RowMapping) -> Report:
    return Report(
        id=row["id"],
        record_id=row["record_id"],
        file_name=row["file_name"],
        stored_path=row["stored_path"],
        sha256=row["sha256"],
        media_type=row["media_type"],
        size=row["size"],
        page_count=row["page_count"],
        text_status=TextStatus(row["text_status"]),
        attached_by=row["attached_by"],
        attached_at=_aware(row["attached_at"]),
    )


def _failure(row: sa.RowMapping) -> RetrievalFailure:
    return RetrievalFailure(
        id=row["id"],
        record_id=row["record_id"],
        reason=row["reason"],
        marked_by=row["marked_by"],
        marked_at=_aware(row["marked_at"]),
        withdrawn_at=_aware(row["withdrawn_at"]) if row["withdrawn_at"] is not None else None,
        withdrawn_by=row["withdrawn_by"],
    )
