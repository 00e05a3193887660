"""Importing export files as search batches (``synthesist import``).

All-or-nothing by default: every file of one call is read inside one transaction, and the first
malformed record stops the whole call with ``file:line: what is wrong``; nothing is written. With
``skip_invalid`` the valid records are imported and each skipped record is listed, with its reason,
in the batch's reject report — so ``records in file = imported + rejected`` always holds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from synthesist.errors import AlreadyImported, ImportFileError, InvalidRecordError
from synthesist.events import BatchImported
from synthesist.exporting.safe_csv import safe_writer
from synthesist.importing.base import ParsedRecord, Reader, ReadOptions, detect_reader, get_reader
from synthesist.importing.batch import ImportReject, NewBatch
from synthesist.importing.controls import remove_record_controls
from synthesist.importing.identifiers import drop_invalid_identifiers
from synthesist.importing.source import FALLBACK_ENCODING, SourceFile, decode_error_line, open_source
from synthesist.ports import UnitOfWork
from synthesist.records.model import Record
from synthesist.review.source_names import normalised_source, protocol_spelling
from synthesist.wording import plural
from synthesist.workspace import Workspace

__all__ = ["FileImported", "ImportRequest", "ImportResult", "import_files"]

_CHUNK = 2000
_NAMED_INVALID = 5  # invalid identifiers a warning quotes; the rest are counted
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
    # PMIDs and DOIs left out of their field because they are not identifiers (importing.identifiers)
    invalid_identifiers: int = 0
    invalid_examples: list[str] = field(default_factory=list)


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
        column_map=dict(request.column_map),
        sheet=request.sheet,
        delimiter=request.delimiter,
        limits=workspace.project.protocol.limits.file_limits(),
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
            try:
                imported.append(_import_one(uow, batch, src, reader, options, request.skip_invalid, progress))
            except UnicodeDecodeError as error:
                raise _undecodable(src) from error
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
    warnings = [warning for _, src in opened if (warning := _fallback_warning(src))]
    warnings += [warning for item in imported if (warning := _invalid_identifier_warning(item))]
    return ImportResult(files=imported, warnings=warnings + _source_warnings(workspace, request))


def _invalid_identifier_warning(item: FileImported) -> str | None:
    if not item.invalid_identifiers:
        return None
    more = item.invalid_identifiers - len(item.invalid_examples)
    examples = "; ".join(item.invalid_examples) + (f"; and {more} more" if more else "")
    return (
        f"{item.path.name}: {plural(item.invalid_identifiers, 'identifier')} not valid ({examples}): "
        "left out of the PMID/DOI field and kept in the record's raw fields. A PMID is digits only; "
        "a DOI starts with 10. and a slash."
    )


def _fallback_warning(source: SourceFile) -> str | None:
    """The lines of a UTF-8 file that were not UTF-8 and were read as Windows-1252 (see importing.source)."""
    count = source.fallback_count
    if not count:
        return None
    named = ", ".join(str(line) for line in source.fallback_lines)
    more = count - len(source.fallback_lines)
    lines = f"line {named} is" if count == 1 else f"lines {named}{f' and {more} more' if more else ''} are"
    return (
        f"{source.name}: {lines} not UTF-8 like the rest of the file; read as {FALLBACK_ENCODING} "
        "(Windows-1252). Check the accented letters there."
    )


def _undecodable(source: SourceFile) -> ImportFileError:
    """A byte the file's encoding cannot read, found while reading past the part checked on opening."""
    encoding = source.encoding or "utf-8"
    line = decode_error_line(source.path, encoding)
    where = f"{source.name}:{line}" if line is not None else source.name
    return ImportFileError(
        f"{where}: cannot be read as {encoding} (the file is damaged or cut short); nothing was imported",
        hint="Export the file again, or pass --encoding with its encoding (e.g. utf-8, cp1252, utf-16).",
    )


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
    invalid: list[str] = []
    invalid_count = 0
    for item in reader.read(source, options):
        position += 1
        if isinstance(item, ParsedRecord):
            count += 1
            remove_record_controls(item.record)
            for dropped in drop_invalid_identifiers(item.record):
                invalid_count += 1
                if len(invalid) < _NAMED_INVALID:
                    invalid.append(f"line {item.line}: {dropped.field.upper()} {dropped.value!r}")
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
        source.path,
        batch_id,
        batch.source,
        reader.name,
        source.encoding,
        count,
        rejects,
        batch.file_sha256,
        invalid_identifiers=invalid_count,
        invalid_examples=invalid,
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
        writer = safe_writer(handle)
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
