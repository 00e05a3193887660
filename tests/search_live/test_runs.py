"""Search runs end to end on recorded responses, on SQLite and PostgreSQL: one batch with the query,
date and count; interrupted runs import nothing and resume; living updates import only new records,
which wait for screening."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from synthesist.errors import RunInterrupted
from synthesist.screening.model import Stage
from synthesist.search.runs import RunKind, RunStatus
from synthesist.services.screening.decisions import next_records
from synthesist.services.search.runs import (
    list_runs,
    rerun,
    resume_run,
    run_folder,
    start_run,
)
from synthesist.workspace import Workspace
from tests.search_live.replay import QUERIES, Replay, ctrl_c, garbage


def _batches(workspace: Workspace) -> list[tuple[str, int, str | None]]:
    with workspace.unit_of_work(write=False) as uow:
        return [(b.source, b.record_count, b.other_method) for b in uow.batches.list()]


def _record_count(workspace: Workspace) -> int:
    with workspace.unit_of_work(write=False) as uow:
        return uow.records.count()


@pytest.mark.parametrize("source", ["pubmed", "europepmc", "openalex", "crossref"])
def test_a_run_imports_every_page_as_one_batch(workspace: Workspace, source: str) -> None:
    replay = Replay()
    seen: list[tuple[int, int | None]] = []
    outcome = start_run(
        workspace,
        "main",
        source,
        query=QUERIES[source],
        page_size=2,
        options=replay.options(),
        progress=lambda done, total: seen.append((done, total)),
    )
    run = outcome.run
    assert run.status is RunStatus.COMPLETED and run.kind is RunKind.SEARCH
    assert (run.pages, run.total, run.fetched, run.imported) == (3, 5, 5, 5)
    assert seen[-1] == (5, 5)
    assert sorted(p.name for p in run_folder(workspace, run.id).iterdir())[0].startswith("page-0001")
    with workspace.unit_of_work(write=False) as uow:
        [batch] = uow.batches.list()
        records = list(uow.records.iterate())
        events = [event.type for event in uow.events.list()]
    assert batch.id == run.batch_id and batch.record_count == 5 and batch.other_method is None
    assert batch.searched_on == date.today()
    assert batch.query is not None and QUERIES[source].split()[0] in batch.query
    assert batch.format == f"{source}-api"
    assert len(records) == 5
    assert events[-2:] == ["records.imported", "search.run_completed"]


def test_max_limits_the_records_fetched(workspace: Workspace) -> None:
    replay = Replay()
    run = start_run(
        workspace, "main", "openalex", query="x", max_records=3, page_size=2, options=replay.options()
    ).run
    # the second request asks for the one record still wanted (the recording answers with two
    # anyway, as a server might: only the first three are imported)
    assert [replay.params(n)["per_page"] for n in (1, 2)] == ["2", "1"]
    assert (run.pages, run.imported, run.total) == (2, 3, 5) and _record_count(workspace) == 3


def test_a_server_error_interrupts_the_run_and_resume_imports_exactly_once(workspace: Workspace) -> None:
    failing = Replay(fail_from=3)  # PubMed: the search and page 1 answer, then 503s
    with pytest.raises(
        RunInterrupted, match=r"interrupted after 1 page \(2 records\): PubMed: HTTP 503"
    ) as caught:
        start_run(
            workspace, "main", "pubmed", query=QUERIES["pubmed"], page_size=2, options=failing.options()
        )
    assert "search run --resume" in (caught.value.hint or "")
    [run] = list_runs(workspace)
    assert run.status is RunStatus.INTERRUPTED and run.message and "HTTP 503" in run.message
    assert (run.pages, run.fetched, run.cursor, run.imported) == (1, 2, "2", 0)
    assert _record_count(workspace) == 0 and _batches(workspace) == []
    assert [p.name for p in run_folder(workspace, run.id).iterdir()] == ["page-0001.xml"]

    resumed = Replay()
    done = resume_run(workspace, run.id, options=resumed.options()).run
    assert done.status is RunStatus.COMPLETED and (done.pages, done.fetched, done.imported) == (3, 5, 5)
    # the search is made again (NCBI forgets a WebEnv), then the fetching goes on from retstart 2
    assert [resumed.params(n).get("retstart") for n in (2, 3)] == ["2", "4"]
    assert _record_count(workspace) == 5 and _batches(workspace) == [("PubMed", 5, None)]
    with pytest.raises(Exception, match="is complete"):
        resume_run(workspace, run.id, options=Replay().options())
    assert _record_count(workspace) == 5


def test_a_malformed_page_interrupts_the_run(workspace: Workspace) -> None:
    replay = Replay(faults={2: garbage})
    with pytest.raises(RunInterrupted, match=r"Europe PMC: the answer to .* is not valid JSON"):
        start_run(workspace, "main", "europepmc", query="x", page_size=2, options=replay.options())
    [run] = list_runs(workspace)
    assert run.status is RunStatus.INTERRUPTED and run.pages == 1 and _record_count(workspace) == 0
    run = resume_run(workspace, run.id, options=Replay().options()).run
    assert run.imported == 5 and _record_count(workspace) == 5


def test_ctrl_c_leaves_the_run_interrupted(workspace: Workspace) -> None:
    replay = Replay(faults={3: ctrl_c})
    with pytest.raises(RunInterrupted, match="stopped after 2 pages"):
        start_run(workspace, "main", "crossref", query="x", page_size=2, options=replay.options())
    [run] = list_runs(workspace)
    assert run.status is RunStatus.INTERRUPTED and run.message == "stopped by the user"
    assert _record_count(workspace) == 0
    with workspace.unit_of_work(write=False) as uow:
        assert [e.type for e in uow.events.list()][-1] == "search.run_interrupted"
    assert resume_run(workspace, run.id, options=Replay().options()).run.imported == 5


def test_rerun_imports_only_new_records_and_queues_them_for_screening(workspace: Workspace) -> None:
    first = start_run(
        workspace, "main", "pubmed", query=QUERIES["pubmed"], page_size=2, options=Replay().options()
    )
    waiting_before = next_records(workspace, "tester", Stage.TITLE_ABSTRACT)
    assert len(waiting_before) == 5

    update = Replay(update=True)
    [outcome] = rerun(workspace, options=update.options())
    run = outcome.run
    assert run.kind is RunKind.UPDATE and run.since == first.run.searched_on
    assert run.query == QUERIES["pubmed"] and "Entrez date" in run.query_as_run
    assert (run.total, run.fetched, run.already_present, run.imported) == (3, 3, 1, 2)
    search = update.params(1)
    assert search["datetype"] == "edat" and search["mindate"] == f"{first.run.searched_on:%Y/%m/%d}"
    assert _record_count(workspace) == 7
    assert _batches(workspace) == [("PubMed", 5, None), ("PubMed", 2, None)]
    waiting = next_records(workspace, "tester", Stage.TITLE_ABSTRACT)
    assert len(waiting) == 7 and set(waiting_before) < set(waiting)
    with workspace.unit_of_work(write=False) as uow:
        new_pmids = {uow.records.get(i).record.pmid for i in set(waiting) - set(waiting_before)}
    assert new_pmids == {"38000006", "38000007"}

    # the next update starts from this one's day, and finds nothing new this time
    [again] = rerun(workspace, "main", "pubmed", options=Replay(update=True).options())
    assert (again.run.imported, again.run.already_present, again.run.batch_id) == (0, 3, None)
    assert _record_count(workspace) == 7


def test_rerun_needs_a_completed_search(workspace: Workspace) -> None:
    with pytest.raises(Exception, match="no completed search main on crossref to update"):
        rerun(workspace, "main", "crossref", options=Replay().options())


def test_an_interrupted_update_can_resume(workspace: Workspace) -> None:
    start_run(workspace, "main", "openalex", query="x", page_size=2, options=Replay().options())
    with pytest.raises(RunInterrupted):
        rerun(workspace, options=Replay(fail_from=1).options())
    runs = list_runs(workspace)
    assert runs[-1].status is RunStatus.INTERRUPTED and runs[-1].since == date.today()
    run = resume_run(workspace, runs[-1].id, options=Replay().options()).run
    # the recorded pages hold the same five works: all already in the project
    assert (run.fetched, run.already_present, run.imported) == (5, 5, 0)
    assert run.since is not None and run.since > date.today() - timedelta(days=1)
