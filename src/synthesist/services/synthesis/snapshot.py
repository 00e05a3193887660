"""One consistent read of everything coded so far: the input of every synthesis output.

Stable API for the outputs (matrix, evidence and sensitivity views, CERQual, conceptual model,
REFI-QDA export)::

    coding_snapshot(workspace: Workspace) -> CodingSnapshot

It holds every document, every code (merged ones too, with ``merged_into`` set and no codings),
every theme, and every *active* coding — human, consensus and suggested alike: callers filter by
``Coding.origin`` (suggestions never count as human coding). Removed codings, rejected and accepted
suggestions are not in it (an accepted suggestion lives on as the human coding made from it).
Codings whose anchor is ``LOST`` are in it, flagged: their text is gone from the document, so an
output that quotes should skip or mark them. ``study_labels`` maps the id of every included study
that has an id (and of every study a document belongs to) to its label ("Cooper 2008").

Which themes a coding rolls up to: :func:`synthesist.synthesis.themes.themes_of_coding`.
"""

from __future__ import annotations

from synthesist.ports import UnitOfWork
from synthesist.services.fulltext.reports import StudyView, list_studies, list_studies_in
from synthesist.synthesis.model import Coding, CodingSnapshot
from synthesist.workspace import Workspace

__all__ = ["coding_snapshot", "coding_snapshot_in"]


def coding_snapshot(workspace: Workspace) -> CodingSnapshot:
    """Documents, codes, themes, active codings and study labels, read in one transaction."""
    views = list_studies(workspace)  # its own reads (the screening overview); labels only
    with workspace.unit_of_work(write=False) as uow:
        return _snapshot(uow, views)


def coding_snapshot_in(uow: UnitOfWork, workspace: Workspace) -> CodingSnapshot:
    """:func:`coding_snapshot` inside a unit of work the caller already has open."""
    return _snapshot(uow, list_studies_in(uow, workspace))


def _snapshot(uow: UnitOfWork, views: list[StudyView]) -> CodingSnapshot:
    documents = uow.synthesis.documents()
    codes = uow.synthesis.codes()
    themes = uow.synthesis.themes()
    codings: list[Coding] = [stored.coding for stored in uow.synthesis.codings()]
    studies = {study.id: study.label for study in uow.fulltext.studies()}
    labels = {
        view.study.id: view.study.label for view in views if view.included and view.study.id is not None
    }
    for document in documents:
        if document.study_id not in labels:
            labels[document.study_id] = studies.get(document.study_id, f"S{document.study_id}")
    return CodingSnapshot(
        documents=tuple(documents),
        codes=tuple(codes),
        themes=tuple(themes),
        codings=tuple(codings),
        study_labels=dict(sorted(labels.items())),
    )
