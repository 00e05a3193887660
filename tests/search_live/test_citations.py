"""Citation searching of the included studies through OpenAlex (recorded responses), on SQLite and
PostgreSQL: backward and forward batches of their own, counted by PRISMA under other methods."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthesist.errors import RunInterrupted
from synthesist.records.model import Record
from synthesist.screening.model import Stage, Vote
from synthesist.search.citations import ResolvedStudy, backward_query, forward_query, lookups, same_work
from synthesist.search.runs import RunKind, RunStatus
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.reporting.prisma import prisma_counts
from synthesist.services.screening.decisions import decide
from synthesist.services.search.citations import search_citations
from synthesist.services.search.runs import list_runs, resume_run
from synthesist.workspace import Workspace
from tests.search_live.replay import Replay

_RIS = """TY  - JOUR
AU  - Holopainen, Riikka
AU  - Piirainen, Arja
TI  - Therapeutic alliance in physiotherapy for chronic low back pain: a qualitative study
PY  - 2019
JO  - Physiotherapy
DO  - 10.1016/j.physio.2019.01.004
ER  -

TY  - JOUR
AU  - Mudge, Suzie
TI  - Patient-professional partnership in musculoskeletal care: a systematic review
PY  - 2019
DO  - 10.1016/j.pec.2019.03.021
ER  -
"""


def _include_first_record(workspace: Workspace, folder: Path) -> None:
    """Two records from a database search; the first is included at full text (the study whose
    citations are searched), the second stays in the project (a reference it shares)."""
    export = folder / "medline.ris"
    export.write_text(_RIS, encoding="utf-8")
    import_files(workspace, ImportRequest(paths=[export], source="MEDLINE"))
    with workspace.unit_of_work(write=False) as uow:
        first = min(uow.records.ids())
    decide(workspace, first, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer="tester")
    decide(workspace, first, Stage.FULL_TEXT, Vote.INCLUDE, reviewer="tester")


def test_backward_and_forward_are_imported_as_batches_of_other_methods(
    workspace: Workspace, tmp_path: Path
) -> None:
    _include_first_record(workspace, tmp_path)
    replay = Replay()
    result = search_citations(workspace, direction="both", options=replay.options(email="me@example.org"))

    [study] = result.studies
    assert (study.work_id, study.matched_by) == ("W2914001001", "doi")
    assert replay.params(1)["filter"] == "doi:10.1016/j.physio.2019.01.004"
    backward, forward = (outcome.run for outcome in result.runs)
    assert backward.kind is RunKind.BACKWARD and forward.kind is RunKind.FORWARD
    assert backward.query == "filter:ids.openalex:W2914001002|W2914001003|W2914001004"
    assert forward.query == "filter:cites:W2914001001"
    # backward: three references, one of them (Mudge 2019, same DOI) already in the project
    assert (backward.fetched, backward.already_present, backward.imported) == (3, 1, 2)
    assert (forward.fetched, forward.already_present, forward.imported) == (2, 0, 2)
    assert all(run.status is RunStatus.COMPLETED for run in (backward, forward))

    with workspace.unit_of_work(write=False) as uow:
        batches = {b.id: b for b in uow.batches.list()}
        counts = {(c.source, c.other_method): c.records for c in uow.records.counts_by_source()}
    assert backward.batch_id is not None and forward.batch_id is not None
    assert batches[backward.batch_id].other_method == "citation searching (backward)"
    assert batches[forward.batch_id].other_method == "citation searching (forward)"
    assert batches[forward.batch_id].query == "filter=cites:W2914001001"  # as sent (mailto aside)
    assert counts[("OpenAlex", "citation searching (backward)")] == 2
    assert counts[("OpenAlex", "citation searching (forward)")] == 2
    prisma = prisma_counts(workspace).counts
    assert {entry.name: entry.n for entry in prisma.other_sources} == {
        "citation searching (backward)": 2,
        "citation searching (forward)": 2,
    }
    assert {entry.name: entry.n for entry in prisma.databases} == {"MEDLINE": 2}


def test_a_study_without_identifiers_is_found_by_its_title(workspace: Workspace, tmp_path: Path) -> None:
    export = tmp_path / "no-ids.ris"
    export.write_text(_RIS.replace("DO  - 10.1016/j.physio.2019.01.004\n", ""), encoding="utf-8")
    import_files(workspace, ImportRequest(paths=[export], source="MEDLINE"))
    with workspace.unit_of_work(write=False) as uow:
        first = min(uow.records.ids())
    decide(workspace, first, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer="tester")
    decide(workspace, first, Stage.FULL_TEXT, Vote.INCLUDE, reviewer="tester")
    replay = Replay()
    result = search_citations(workspace, direction="forward", options=replay.options())
    assert [(s.work_id, s.matched_by) for s in result.studies] == [("W2914001001", "title")]
    assert replay.params(1)["filter"].startswith("title.search:Therapeutic alliance in physiotherapy")


def test_one_direction_for_one_study(workspace: Workspace, tmp_path: Path) -> None:
    _include_first_record(workspace, tmp_path)
    result = search_citations(
        workspace, direction="forward", study="Holopainen 2019", options=Replay().options()
    )
    assert [outcome.run.kind for outcome in result.runs] == [RunKind.FORWARD]


def test_an_interrupted_citation_search_resumes(workspace: Workspace, tmp_path: Path) -> None:
    _include_first_record(workspace, tmp_path)
    with pytest.raises(RunInterrupted):
        search_citations(workspace, direction="backward", options=Replay(fail_from=2).options())
    [run] = list_runs(workspace)
    assert run.status is RunStatus.INTERRUPTED and run.kind is RunKind.BACKWARD
    done = resume_run(workspace, run.id, options=Replay().options()).run
    assert done.imported == 2


def test_without_included_studies_there_is_nothing_to_search(workspace: Workspace) -> None:
    with pytest.raises(Exception, match="no included studies"):
        search_citations(workspace, options=Replay().options())


def test_a_title_match_must_be_the_same_title_and_year() -> None:
    record = Record(title="Patients as partners in back pain care: an interview study.", year=2024)
    assert same_work(
        record,
        {"title": "Patients as Partners in Back Pain Care - An Interview Study", "publication_year": 2024},
    )
    assert not same_work(
        record, {"title": "Patients as partners in back pain care", "publication_year": 2024}
    )
    assert not same_work(record, {"title": record.title, "publication_year": 2019})
    assert [how for how, _ in lookups(Record(title="A title", doi="10.1000/xyz", pmid="123"))] == [
        "doi",
        "pmid",
        "title",
    ]


def test_the_queries_chunk_many_ids_and_leave_out_the_studies_themselves() -> None:
    refs = tuple(f"W{n}" for n in range(1, 121))
    studies = [ResolvedStudy("A", "W1", "doi", refs), ResolvedStudy("B", None, None)]
    query = backward_query(studies)
    assert query is not None
    lines = query.split("\n")
    assert len(lines) == 3  # 119 references, 50 to a filter
    assert "W1|" not in lines[0] and lines[0].startswith("filter:ids.openalex:W10|")
    assert forward_query(studies) == "filter:cites:W1"
    assert backward_query([ResolvedStudy("B", None, None)]) is None
