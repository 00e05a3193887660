"""Importing export files as search batches (``synthesist import``).

All-or-nothing by default: every file of one call is read inside one transaction, and the first
malformed record stops the whole call with ``file:line: what is wrong``; nothing is written. With
``skip_invalid`` the valid records are imported and each skipped record is listed, with its reason,
in the batch's reject report — so ``records in file = imported + rejected`` always holds.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from synthesist.errors import AlreadyImported, ImportFileError, InvalidRecordError
from synthesist.events import BatchImported
from synthesist.importing.base import ParsedRecord, Reader, ReadOptions, detect_reader, get_reader
from synthesist.importing.batch import ImportReject, NewBatch
from synthesist.importing.source import SourceFile, open_source
from synthesist.ports import UnitOfWork
from synthesist.records.model import Record
from synthesist.review.source_names import normalised_source, protocol_spelling
from synthesist.wording import plural
from synthesist.workspace import Workspace

__all__ = ["FileImported", "ImportRequest", "ImportResult", "import_files"]

_CHUNK = 2000
REJECTS_FOLDER = "imports"

Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class ImportRequest:
    paths: Sequence[Path]
    source: str | None = None
    format: str = "auto"
    searched_on: date | None = None
    query: str | None = None
    other_method: str | None = None
    force: bool = False
    skip_invalid: bool = False
    encoding: str | None = None
    column_map: Mapping[str, str] = field(default_factory=dict)
    sheet: str | None = None
    delimiter: str | None = None


@dataclass
class FileImported:
    path: Path
    batch_id: int
    source: str
    format: str
    encoding: str | None
    records: int
    rejects: list[ImportReject]
    sha256: str
    reject_report: Path | None = None


@dataclass
class ImportResult:
    files: list[FileImported]
    warnings: list[str]

    @property
    def records(self) -> int:
        return sum(item.records for item in self.files)

    @property
    def rejects(self) -> int:
        return sum(len(item.rejects) for item in self.files)


def import_files(
    workspace: Workspace, request: ImportRequest, progress: Progress | None = None
) -> ImportResult:
    if not request.paths:
        raise ImportFileError("no files to import", hint="Name one or more export files.")
    source = (request.source or request.other_method or "").strip()
    if not source:
        raise ImportFileError(
            'say where the records come from with --source (e.g. "MEDLINE (Ovid)")',
            hint='For records found by other methods use --other-method "reference lists".',
        )
    if not request.other_method:
        # one database, one name: "Medline" is stored as the protocol's "MEDLINE" (_source_warnings says so)
        source = protocol_spelling(source, _protocol_databases(workspace))
    opened = [(path, open_source(path, encoding=request.encoding)) for path in request.paths]
    readers = [(path, src, _reader_for(src, request.format)) for path, src in opened]
    options = ReadOptions(
        column_map=dict(request.column_map), sheet=request.sheet, delimiter=request.delimiter
    )
    imported: list[FileImported] = []
    with workspace.unit_of_work() as uow:
        for path, src, reader in readers:
            _refuse_reimport(uow, path, src.sha256, request.force)
            batch = NewBatch(
                source=source,
                file_name=path.name,
                file_sha256=src.sha256,
                format=reader.name,
                encoding=src.encoding,
                searched_on=request.searched_on,
                query=request.query,
                other_method=request.other_method,
                imported_by=workspace.actor,
                forced=request.force,
            )
            imported.append(_import_one(uow, batch, src, reader, options, request.skip_invalid, progress))
        for item in imported:
            uow.events.append(
                BatchImported(
                    batch_id=item.batch_id,
                    source=source,
                    file_name=item.path.name,
                    file_sha256=item.sha256,
                    format=item.format,
                    encoding=item.encoding,
                    records=item.records,
                    rejects=len(item.rejects),
                    searched_on=request.searched_on.isoformat() if request.searched_on else None,
                    other_method=request.other_method,
                    forced=request.force,
                ),
                workspace.actor,
            )
        uow.commit()
    for item in imported:
        if item.rejects:
            item.reject_report = _write_reject_report(workspace.project.root, item)
    return ImportResult(files=imported, warnings=_source_warnings(workspace, request))


def _reader_for(source: SourceFile, format_name: str) -> Reader:
    if format_name in ("", "auto"):
        return detect_reader(source)
    reader = get_reader(format_name)
    if reader.sniff(source) == 0:
        raise ImportFileError(
            f"{source.name}: does not look like {format_name} ({reader.description})",
            hint="Check --format, or leave it out to detect the format from the content.",
        )
    return reader


def _import_one(
    uow: UnitOfWork,
    batch: NewBatch,
    source: SourceFile,
    reader: Reader,
    options: ReadOptions,
    skip_invalid: bool,
    progress: Progress | None,
) -> FileImported:
    batch_id = uow.batches.add(batch)
    pending: list[tuple[int, int, Record]] = []
    rejects: list[ImportReject] = []
    count = 0
    position = 0
    for item in reader.read(source, options):
        position += 1
        if isinstance(item, ParsedRecord):
            count += 1
            pending.append((position, item.line, item.record))
            if len(pending) >= _CHUNK:
                uow.records.add_many(batch_id, pending)
                pending.clear()
                if progress:
                    progress(source.name, count)
            continue
        if not skip_invalid:
            raise InvalidRecordError(
                source.name,
                item.line,
                item.reason,
                hint="Nothing was imported. Fix the record, or pass --skip-invalid to import the valid "
                "records and get a report of the rejected ones.",
            )
        rejects.append(ImportReject(batch_id, item.line, item.reason, item.excerpt))
    if pending:
        uow.records.add_many(batch_id, pending)
    if progress:
        progress(source.name, count)
    if count == 0 and not rejects:
        raise ImportFileError(
            f"{source.name}: no records found in this {reader.name} file",
            hint="Check that the export contains records (and that --format is right).",
        )
    uow.batches.add_rejects(rejects)
    uow.batches.finish(batch_id, record_count=count, reject_count=len(rejects))
    return FileImported(
        source.path, batch_id, batch.source, reader.name, source.encoding, count, rejects, batch.file_sha256
    )


def _refuse_reimport(uow: UnitOfWork, path: Path, digest: str, force: bool) -> None:
    if force:
        return
    earlier = uow.batches.find_by_sha256(digest)
    if earlier:
        first = earlier[0]
        raise AlreadyImported(
            f"{path.name}: this file was already imported as batch {first.id} "
            f"({first.source}, {first.imported_at:%Y-%m-%d %H:%M} UTC, "
            f"{plural(first.record_count, 'record')})",
            hint="Nothing was imported. Pass --force to import the same file again as a new batch.",
        )


def _write_reject_report(root: Path, item: FileImported) -> Path:
    folder = root / REJECTS_FOLDER
    folder.mkdir(exist_ok=True)
    report = folder / f"rejects-batch-{item.batch_id}.csv"
    with open(report, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "line", "reason", "excerpt"])
        for reject in item.rejects:
            writer.writerow([item.path.name, reject.line, reject.reason, reject.excerpt])
    return report


def _protocol_databases(workspace: Workspace) -> list[str]:
    return [db.name for db in workspace.project.protocol.search.databases]


def _source_warnings(workspace: Workspace, request: ImportRequest) -> list[str]:
    """A --source the protocol does not list is allowed (searches change) but worth a word; one the
    protocol spells another way is stored under the protocol's spelling, which the warning names."""
    if request.other_method or not request.source:
        return []
    databases = _protocol_databases(workspace)
    given = request.source.strip()
    spelled = protocol_spelling(given, databases)
    if spelled != given:
        return [
            f"source {given!r} is stored as {spelled!r}, as review.toml spells it "
            "(names are matched ignoring case, spaces and punctuation)."
        ]
    wanted = normalised_source(given)
    if not databases or any(
        normalised_source(name) in wanted or wanted in normalised_source(name) for name in databases
    ):
        return []
    return [
        f"source {request.source!r} is not among the databases in review.toml ({', '.join(databases)}); "
        "the PRISMA diagram will show it as its own source."
    ]
