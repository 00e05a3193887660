"""Live searches of free sources (``synthesist search run|runs|rerun``).

A run fetches every page of a query into ``search/runs/<run id>/`` in the project, saving where the
next page starts after each one, and imports the records as one search batch (source, query as run,
date, count) in one transaction only when every page is in. If the source fails after its retries,
answers nonsense, or the user presses Ctrl+C, the run is left ``interrupted`` with nothing imported,
and ``search run --resume RUN`` carries on from the saved cursor.

A living update (``rerun``) runs a saved search again for what the source added since its last run,
imports only the records the project does not have yet (same DOI/PMID, or a duplicate by the
project's matcher), and those records wait for title/abstract screening like any newly imported one
(screening's queues are every record without a decision).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from synthesist.dedup.features import RAW_TAGS
from synthesist.errors import RunInterrupted, SourceError, UserError
from synthesist.events import BatchImported, SearchRunCompleted, SearchRunInterrupted
from synthesist.importing.batch import NewBatch
from synthesist.records.model import Record
from synthesist.search.runs import NewSearchRun, RunKind, RunStatus, SearchRun, page_file_name, split_new
from synthesist.search.sources import SourceOptions, SourceQuery, check_source, open_source
from synthesist.search.sources.base import SearchSource
from synthesist.services.dedup.runs import match_policy
from synthesist.wording import count_phrase, plural
from synthesist.workspace import Workspace

__all__ = [
    "RUNS_FOLDER",
    "RunOutcome",
    "list_runs",
    "new_run",
    "rerun",
    "resume_run",
    "run_folder",
    "start_run",
    "strategy_query",
]

RUNS_FOLDER = Path("search") / "runs"
# fetched, expected (the source's total, or --max when smaller; None until the first page)
Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class RunOutcome:
    run: SearchRun
    notes: tuple[str, ...] = ()  # what the source could not express of the strategy


def run_folder(workspace: Workspace, run_id: int) -> Path:
    return workspace.project.root / RUNS_FOLDER / str(run_id)


def strategy_query(workspace: Workspace, strategy_name: str, source: str) -> tuple[str, tuple[str, ...]]:
    """The strategy rendered for a live source, and notes on what it could not express."""
    from synthesist.search.sources.crossref import CrossrefSource, crossref_query
    from synthesist.search.sources.openalex import OpenAlexSource, openalex_query
    from synthesist.search.strategy_file import load_strategy

    strategy = load_strategy(workspace.project.root, strategy_name)
    if source in ("pubmed", "europepmc"):
        from synthesist.search.translate import translate

        translation = translate(strategy, source)
        return translation.query, tuple(note.message for note in translation.notes)
    if source == "openalex":
        return openalex_query(strategy), OpenAlexSource.notes
    return crossref_query(strategy), CrossrefSource.notes


def start_run(
    workspace: Workspace,
    strategy: str,
    source: str,
    *,
    query: str | None = None,
    max_records: int | None = None,
    page_size: int | None = None,
    options: SourceOptions = SourceOptions(),
    progress: Progress | None = None,
) -> RunOutcome:
    """Run a strategy (or ``query``, written in the source's own syntax) on a live source."""
    check_source(source)
    if max_records is not None and max_records < 1:
        raise UserError(f"--max must be at least 1, not {max_records}")
    notes: tuple[str, ...] = ()
    if query is None:
        query, notes = strategy_query(workspace, strategy, source)
    client = open_source(source, options)
    return RunOutcome(
        new_run(workspace, client, strategy, RunKind.SEARCH, query, None, max_records, page_size, progress),
        notes,
    )


def new_run(
    workspace: Workspace,
    client: SearchSource,
    strategy: str,
    kind: RunKind,
    query: str,
    since: date | None,
    max_records: int | None,
    page_size: int | None,
    progress: Progress | None,
) -> SearchRun:
    new = NewSearchRun(
        strategy=strategy,
        source=client.name,
        kind=kind,
        query=query,
        query_as_run=client.describe(SourceQuery(query, since=since, until=date.today())),
        since=since,
        max_records=max_records,
        page_size=page_size or client.default_page_size,
        cursor=client.first_cursor,
        started_by=workspace.actor,
    )
    with workspace.unit_of_work() as uow:
        run_id = uow.search_runs.add(new)
        uow.commit()
    return _execute(workspace, run_id, client, progress)


def resume_run(
    workspace: Workspace,
    run_id: int,
    *,
    options: SourceOptions = SourceOptions(),
    progress: Progress | None = None,
) -> RunOutcome:
    with workspace.unit_of_work(write=False) as uow:
        run = uow.search_runs.get(run_id)
    if run.status is RunStatus.COMPLETED:
        raise UserError(
            f"search run {run_id} is complete: {count_phrase(run.imported, 'record', verb=('was', 'were'))} "
            "imported" + (f" as batch {run.batch_id}" if run.batch_id else ""),
            hint="Start a new run with `synthesist search run`, or update with `synthesist search rerun`.",
        )
    return RunOutcome(_execute(workspace, run_id, open_source(run.source, options), progress))


def list_runs(workspace: Workspace) -> list[SearchRun]:
    with workspace.unit_of_work(write=False) as uow:
        return uow.search_runs.list()


def rerun(
    workspace: Workspace,
    strategy: str | None = None,
    source: str | None = None,
    *,
    options: SourceOptions = SourceOptions(),
    progress: Progress | None = None,
) -> list[RunOutcome]:
    """Living update: each saved search (strategy × source) runs again for what its source added
    since the day of its last completed run; only records not yet in the project are imported."""
    if source is not None:
        check_source(source)
    latest: dict[tuple[str, str], SearchRun] = {}
    for run in list_runs(workspace):
        if run.kind in (RunKind.SEARCH, RunKind.UPDATE) and run.status is RunStatus.COMPLETED:
            latest[(run.strategy, run.source)] = run
    chosen = [
        run
        for (name, where), run in sorted(latest.items())
        if (strategy is None or name == strategy) and (source is None or where == source)
    ]
    if not chosen:
        which = " ".join(part for part in (strategy, f"on {source}" if source else None) if part)
        raise UserError(
            f"no completed search {which} to update".replace("  ", " "),
            hint="Run the search first with `synthesist search run NAME --source SOURCE`.",
        )
    outcomes = []
    for previous in chosen:
        client = open_source(previous.source, options)
        since = previous.searched_on
        run = new_run(
            workspace, client, previous.strategy, RunKind.UPDATE, previous.query, since, None, None, progress
        )
        outcomes.append(RunOutcome(run, client.update_notes))
    return outcomes


def _execute(workspace: Workspace, run_id: int, client: SearchSource, progress: Progress | None) -> SearchRun:
    with workspace.unit_of_work() as uow:
        run = uow.search_runs.get(run_id)
        uow.search_runs.set_status(run_id, RunStatus.RUNNING)
        uow.commit()
    folder = run_folder(workspace, run_id)
    folder.mkdir(parents=True, exist_ok=True)
    query = SourceQuery(run.query, since=run.since, until=run.started_at.date())
    cursor, pages, fetched, total = run.cursor, run.pages, run.fetched, run.total
    try:
        if progress:
            progress(fetched, _expected(total, run.max_records))
        while cursor is not None and (run.max_records is None or fetched < run.max_records):
            size = run.page_size if run.max_records is None else min(run.page_size, run.max_records - fetched)
            page = client.fetch(query, cursor, size)
            pages += 1
            _write_atomically(folder / page_file_name(pages, page.suffix), page.body)
            fetched, total, cursor = fetched + page.records, page.total, page.next_cursor
            with workspace.unit_of_work() as uow:
                uow.search_runs.page_saved(run_id, cursor=cursor, pages=pages, fetched=fetched, total=total)
                uow.commit()
            if progress:
                progress(fetched, _expected(total, run.max_records))
    except SourceError as error:
        _interrupt(workspace, run_id, client.label, pages, error.message)
        raise RunInterrupted(
            f"search run {run_id} interrupted after {plural(pages, 'page')} "
            f"({plural(fetched, 'record')}): {error.message}",
            hint=f"Nothing was imported. Continue with `synthesist search run --resume {run_id}`.",
        ) from error
    except KeyboardInterrupt:
        _interrupt(workspace, run_id, client.label, pages, "stopped by the user")
        raise RunInterrupted(
            f"search run {run_id} stopped after {plural(pages, 'page')} ({plural(fetched, 'record')})",
            hint=f"Nothing was imported. Continue with `synthesist search run --resume {run_id}`.",
        ) from None
    finally:
        client.close()
    return _import(workspace, run_id, client)


def _expected(total: int | None, max_records: int | None) -> int | None:
    if total is None:
        return max_records
    return min(total, max_records) if max_records is not None else total


def _write_atomically(path: Path, body: bytes) -> None:
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(body)
    partial.replace(path)


def _interrupt(workspace: Workspace, run_id: int, source: str, pages: int, reason: str) -> None:
    with workspace.unit_of_work() as uow:
        uow.search_runs.set_status(run_id, RunStatus.INTERRUPTED, message=reason)
        uow.events.append(SearchRunInterrupted(run_id, source, pages, reason), workspace.actor)
        uow.commit()


def _stored_pages(workspace: Workspace, run: SearchRun) -> list[Path]:
    folder = run_folder(workspace, run.id)
    paths = []
    for number in range(1, run.pages + 1):
        found = [
            path
            for suffix in (".json", ".xml")
            if (path := folder / page_file_name(number, suffix)).is_file()
        ]
        if not found:
            raise UserError(
                f"search run {run.id}: page {number} is missing from {folder}",
                hint="The run folder was changed; start the search again with `synthesist search run`.",
            )
        paths.append(found[0])
    return paths


def _import(workspace: Workspace, run_id: int, client: SearchSource) -> SearchRun:
    with workspace.unit_of_work(write=False) as uow:
        run = uow.search_runs.get(run_id)
    paths = _stored_pages(workspace, run)
    digest = hashlib.sha256()
    records: list[Record] = []
    for path in paths:
        body = path.read_bytes()
        digest.update(body)
        records.extend(client.parse(body))
    if run.max_records is not None:
        records = records[: run.max_records]
    policy = match_policy(workspace.project.protocol.deduplication)
    with workspace.unit_of_work() as uow:
        run = uow.search_runs.get(run_id)
        if run.status is RunStatus.COMPLETED:  # another process finished it meanwhile
            return run
        if run.kind is RunKind.SEARCH:
            chosen, present = records, 0
        else:
            novelty = split_new(records, uow.records.iterate_for_matching(RAW_TAGS), policy)
            chosen, present = [records[i] for i in novelty.new], novelty.already_present
        batch_id = None
        if chosen:
            batch = NewBatch(
                source=client.label,
                file_name=f"{RUNS_FOLDER.as_posix()}/{run_id}",
                file_sha256=digest.hexdigest(),
                format=f"{client.name}-api",
                encoding=None,
                searched_on=run.started_at.date(),
                query=run.query_as_run,
                other_method=run.kind.other_method,
                imported_by=workspace.actor,
                forced=False,
            )
            batch_id = uow.batches.add(batch)
            uow.records.add_many(batch_id, [(n, n, record) for n, record in enumerate(chosen, start=1)])
            uow.batches.finish(batch_id, record_count=len(chosen), reject_count=0)
            uow.events.append(
                BatchImported(
                    batch_id=batch_id,
                    source=batch.source,
                    file_name=batch.file_name,
                    file_sha256=batch.file_sha256,
                    format=batch.format,
                    encoding=None,
                    records=len(chosen),
                    rejects=0,
                    searched_on=run.started_at.date().isoformat(),
                    other_method=batch.other_method,
                    forced=False,
                ),
                workspace.actor,
            )
        uow.search_runs.complete(run_id, batch_id=batch_id, imported=len(chosen), already_present=present)
        uow.events.append(
            SearchRunCompleted(
                run_id=run_id,
                strategy=run.strategy,
                source=client.label,
                kind=run.kind.value,
                query=run.query_as_run,
                searched_on=run.started_at.date().isoformat(),
                total=run.total,
                fetched=len(records),
                already_present=present,
                imported=len(chosen),
                batch_id=batch_id,
                since=run.since.isoformat() if run.since else None,
            ),
            workspace.actor,
        )
        done = uow.search_runs.get(run_id)
        uow.commit()
    return done
