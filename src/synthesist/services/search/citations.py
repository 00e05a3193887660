"""Citation searching of the included studies through OpenAlex (``synthesist search citations``).

Each included study is found in OpenAlex (:mod:`synthesist.search.citations`), then backward
(the works in their reference lists) and forward (the works citing them) run as search runs of
their own: paged, resumable, and imported as one batch each with ``other_method`` "citation
searching (backward)" / "(forward)", so PRISMA 2020 counts them under "other methods". Only records
the project does not have yet are imported (same DOI/PMID, or a duplicate by the project's matcher).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from synthesist.errors import UserError
from synthesist.search.citations import ResolvedStudy, backward_query, forward_query, lookups, same_work
from synthesist.search.runs import RunKind
from synthesist.search.sources import SourceOptions, open_source
from synthesist.search.sources.openalex import OpenAlexSource, short_id
from synthesist.services.fulltext.reports import StudyView, list_studies
from synthesist.services.fulltext.study_refs import resolve_study
from synthesist.services.search.runs import Progress, RunOutcome, new_run
from synthesist.workspace import Workspace

__all__ = ["CITATIONS_STRATEGY", "CitationSearch", "Direction", "search_citations"]

Direction = Literal["backward", "forward", "both"]
CITATIONS_STRATEGY = "citations"  # the strategy name citation runs are listed under


@dataclass
class CitationSearch:
    studies: list[ResolvedStudy]
    runs: list[RunOutcome] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # why a direction did not run

    @property
    def not_found(self) -> list[str]:
        return [study.label for study in self.studies if study.work_id is None]


def search_citations(
    workspace: Workspace,
    *,
    direction: Direction = "both",
    study: str | None = None,
    options: SourceOptions = SourceOptions(),
    page_size: int | None = None,
    progress: Progress | None = None,
) -> CitationSearch:
    if direction not in ("backward", "forward", "both"):
        raise UserError(f"unknown direction {direction!r}", hint="Use backward, forward or both.")
    views = list_studies(workspace, included_only=True)
    if study is not None:
        views = [resolve_study(views, study)]
    if not views:
        raise UserError(
            "no included studies to search citations of",
            hint="Citation searching starts from the studies included at full text.",
        )
    client = open_source("openalex", options)
    assert isinstance(client, OpenAlexSource)
    try:
        resolved = [_resolve(workspace, client, view) for view in views]
    finally:
        client.close()
    result = CitationSearch(resolved)
    wanted = [RunKind.BACKWARD, RunKind.FORWARD] if direction == "both" else [RunKind(direction)]
    for kind in wanted:
        query = backward_query(resolved) if kind is RunKind.BACKWARD else forward_query(resolved)
        if query is None:
            result.skipped.append(
                f"{kind.value}: no included study was found in OpenAlex"
                if not any(s.work_id for s in resolved)
                else f"{kind.value}: OpenAlex lists no references for the included studies"
            )
            continue
        run_client = open_source("openalex", options)
        run = new_run(workspace, run_client, CITATIONS_STRATEGY, kind, query, None, None, page_size, progress)
        result.runs.append(RunOutcome(run))
    return result


def _resolve(workspace: Workspace, client: OpenAlexSource, view: StudyView) -> ResolvedStudy:
    with workspace.unit_of_work(write=False) as uow:
        records = uow.records.get_many(view.study.record_ids, with_raw=False)
    for record_id in view.study.record_ids:
        record = records[record_id].record
        for how, value in lookups(record):
            if how == "title":
                works = [work for work in client.search_titles(value) if same_work(record, work)]
            else:
                works = client.works(value)
            if works:
                work = works[0]
                return ResolvedStudy(
                    view.study.label,
                    short_id(str(work.get("id") or "")),
                    how,
                    tuple(short_id(str(w)) for w in work.get("referenced_works") or []),
                )
    return ResolvedStudy(view.study.label, None, None)
