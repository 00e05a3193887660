"""Read model of the searches page, and its three forms: a live search of a strategy on a free
source, a living update of the searches run before, a citation search of the included studies.

Each form queues the job the command line's ``synthesist search run|rerun|citations`` would run in
the terminal (``search.run``, ``search.update``, ``search.citations``; services/jobs/runners.py).
The form's values are checked here first, with the services' own messages where they have them, so
a mistyped number or a strategy that does not exist is said on the form, not minutes later as a
failed job. A second press while the same job waits or runs gives that job (``once``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from synthesist.errors import UserError
from synthesist.review.jobs import JobView
from synthesist.search.runs import RunKind, RunStatus, SearchRun
from synthesist.search.sources import SOURCES, check_source, source_label
from synthesist.search.strategy_file import load_strategies
from synthesist.search.strategy_writer import format_combination
from synthesist.services.fulltext.reports import list_studies_in
from synthesist.services.jobs import list_jobs, submit_job
from synthesist.services.search.runs import strategy_query
from synthesist.workspace import Workspace

__all__ = [
    "DIRECTIONS",
    "SEARCH_JOB_KINDS",
    "RunRow",
    "SavedSearch",
    "SearchesPage",
    "StrategyRow",
    "searches_page",
    "start_citation_search",
    "start_live_search",
    "start_living_update",
]

SEARCH_JOB_KINDS = ("search.run", "search.update", "search.citations")
DIRECTIONS = {
    "both": "Both directions",
    "backward": "Backward (the studies' reference lists)",
    "forward": "Forward (the works citing them)",
}
_KIND_WORDS = {
    RunKind.SEARCH: "Search",
    RunKind.UPDATE: "Living update",
    RunKind.BACKWARD: "Citations, backward",
    RunKind.FORWARD: "Citations, forward",
}
# a page of records is fetched per request; a bound keeps a typo ("10000000") from being queued
MAX_RECORDS_LIMIT = 1_000_000


@dataclass(frozen=True)
class RunRow:
    run: SearchRun
    kind: str  # in words
    source: str  # the source's label

    @property
    def finished(self) -> bool:
        return self.run.status is RunStatus.COMPLETED


@dataclass(frozen=True)
class StrategyRow:
    name: str
    combine: str  # as written in the strategy
    blocks: tuple[str, ...]  # the concept blocks' titles
    queries: tuple[tuple[str, str], ...]  # (source label, the query it would be sent)


@dataclass(frozen=True)
class SavedSearch:
    """A strategy × source with a completed run: what a living update runs again."""

    strategy: str
    source: str
    source_label: str
    last_searched: str  # ISO date of its last completed run


@dataclass(frozen=True)
class SearchesPage:
    runs: tuple[RunRow, ...]  # newest first
    strategies: tuple[StrategyRow, ...]
    strategy_error: str | None  # a strategy file that cannot be read, in the CLI's words
    sources: tuple[tuple[str, str], ...]  # (name, label)
    saved: tuple[SavedSearch, ...]
    included_studies: int
    jobs: tuple[JobView, ...]  # the search jobs waiting or running, newest first


def searches_page(workspace: Workspace) -> SearchesPage:
    with workspace.unit_of_work(write=False) as uow:
        runs = uow.search_runs.list()
        included = len(list_studies_in(uow, workspace, included_only=True))
    strategies: list[StrategyRow] = []
    error = None
    try:
        found = load_strategies(workspace.project.root, workspace.project.protocol)
    except UserError as problem:  # a file broken by hand: the page still lists the runs
        found, error = [], problem.message
    for strategy in found:
        strategies.append(
            StrategyRow(
                strategy.name,
                format_combination(strategy.combine),
                tuple(block.title for block in strategy.blocks),
                tuple(_queries(workspace, strategy.name)),
            )
        )
    latest: dict[tuple[str, str], SearchRun] = {}
    for run in runs:  # oldest first: the last one kept is the newest (as rerun chooses)
        if run.kind in (RunKind.SEARCH, RunKind.UPDATE) and run.status is RunStatus.COMPLETED:
            latest[(run.strategy, run.source)] = run
    active = [
        job for job in list_jobs(workspace, limit=200) if job.kind in SEARCH_JOB_KINDS and not job.finished
    ]
    return SearchesPage(
        runs=tuple(RunRow(run, _KIND_WORDS[run.kind], _label(run.source)) for run in reversed(runs)),
        strategies=tuple(strategies),
        strategy_error=error,
        sources=tuple((name, kind.label) for name, kind in SOURCES.items()),
        saved=tuple(
            SavedSearch(name, where, _label(where), run.searched_on.isoformat())
            for (name, where), run in sorted(latest.items())
        ),
        included_studies=included,
        jobs=tuple(active),
    )


def _label(source: str) -> str:
    return source_label(source) if source in SOURCES else source


def _queries(workspace: Workspace, strategy: str) -> list[tuple[str, str]]:
    shown = []
    for name, kind in SOURCES.items():
        try:
            query, _ = strategy_query(workspace, strategy, name)
        except UserError as problem:
            query = f"(cannot be run here: {problem.message})"
        shown.append((kind.label, query))
    return shown


def _max_records(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        raise UserError(
            f"at most: {text!r} is not a whole number", hint="Leave it empty to fetch every record found."
        ) from None
    if not 1 <= value <= MAX_RECORDS_LIMIT:
        raise UserError(
            f"at most: {value} is not between 1 and {MAX_RECORDS_LIMIT:,}",
            hint="Leave it empty to fetch every record found.",
        )
    return value


def _strategy_names(workspace: Workspace) -> list[str]:
    return [strategy.name for strategy in load_strategies(workspace.project.root, workspace.project.protocol)]


def start_live_search(workspace: Workspace, strategy: str, source: str, max_records: str = "") -> int:
    """Queue ``search.run`` of ``strategy`` on ``source``; returns the job's id."""
    strategy = strategy.strip()
    names = _strategy_names(workspace)
    if strategy not in names:
        raise UserError(
            f"strategy: there is no strategy named {strategy!r}" if strategy else "strategy: choose one",
            hint=f"The review's strategies: {', '.join(names)}."
            if names
            else "Add one to review.toml's [[search.strategies]] or as search/NAME.toml.",
        )
    check_source(source)
    params: dict[str, Any] = {"strategy": strategy, "source": source}
    limit = _max_records(max_records)
    if limit is not None:
        params["max_records"] = limit
    return submit_job(workspace, "search.run", params, once=True)


def start_living_update(workspace: Workspace, saved: str = "") -> int:
    """Queue ``search.update``: every saved search (``saved`` empty), or the one named
    ``STRATEGY@SOURCE``. A review with nothing to update is told so here."""
    with workspace.unit_of_work(write=False) as uow:
        runs = uow.search_runs.list()
    completed = {
        (run.strategy, run.source)
        for run in runs
        if run.kind in (RunKind.SEARCH, RunKind.UPDATE) and run.status is RunStatus.COMPLETED
    }
    if not completed:
        raise UserError(
            "there is no completed search to update yet",
            hint="Run a live search first; a living update fetches what its source added since.",
        )
    params: dict[str, Any] = {}
    if saved.strip():
        strategy, _, source = saved.strip().rpartition("@")
        if (strategy, source) not in completed:
            raise UserError(
                f"search: {saved!r} has no completed run to update", hint="Choose one of the saved searches."
            )
        params = {"strategy": strategy, "source": source}
    return submit_job(workspace, "search.update", params, once=True)


def start_citation_search(workspace: Workspace, direction: str = "both") -> int:
    """Queue ``search.citations`` of every included study through OpenAlex."""
    if direction not in DIRECTIONS:
        raise UserError(f"direction: {direction!r} is not a direction", hint="Use backward, forward or both.")
    with workspace.unit_of_work(write=False) as uow:
        included = list_studies_in(uow, workspace, included_only=True)
    if not included:
        raise UserError(
            "there are no included studies to search the citations of yet",
            hint="Citation searching starts from the studies included at full text.",
        )
    return submit_job(workspace, "search.citations", {"direction": direction}, once=True)
