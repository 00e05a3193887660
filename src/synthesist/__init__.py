"""Synthesist: systematic review and qualitative evidence synthesis.

The names below are the public API for scripts and notebooks (docs/api.md has a worked example)::

    import synthesist

    with synthesist.project("my-review", actor="Aoife") as review:
        batch = synthesist.ImportRequest(paths=[Path("medline.ris")], source="MEDLINE")
        synthesist.import_files(review, batch)
        synthesist.run_dedup(review)
        counts = synthesist.prisma_counts(review)

Everything else is internal and may change between versions. Each name is imported when first used,
so ``import synthesist`` stays instant (the command line's start-up depends on it).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> the module that defines it (``module:attribute`` where the public name differs: a name such as
# ``workspace`` would be hidden by the submodule of that name once it is imported)
_PUBLIC = {
    "ImportRequest": "synthesist.services.records.imports",
    "NotFound": "synthesist.errors",
    "Stage": "synthesist.screening.model",
    "SynthesistError": "synthesist.errors",
    "UserError": "synthesist.errors",
    "Vote": "synthesist.screening.model",
    "Workspace": "synthesist.workspace",
    "answer_question": "synthesist.services.appraisal.answers",
    "apply_code": "synthesist.services.synthesis.coding",
    "attach_report": "synthesist.services.fulltext.reports",
    "build_demo": "synthesist.services.demo.build",
    "build_report": "synthesist.services.reporting.report",
    "decide": "synthesist.services.screening.decisions",
    "export_records": "synthesist.services.records.reading",
    "find_project": "synthesist.review.project",
    "get_record": "synthesist.services.records.reading",
    "import_files": "synthesist.services.records.imports",
    "init_project": "synthesist.services.projects",
    "list_records": "synthesist.services.records.reading",
    "list_studies": "synthesist.services.fulltext.reports",
    "open_workspace": "synthesist.workspace",
    "overview": "synthesist.services.screening.decisions",
    "prisma_counts": "synthesist.services.reporting.prisma",
    "read_log": "synthesist.services.records.reading",
    "render_report": "synthesist.services.reporting.report",
    "resolve_conflict": "synthesist.services.screening.decisions",
    "run_dedup": "synthesist.services.dedup.runs",
    "undo_decision": "synthesist.services.screening.decisions",
    "project": "synthesist.workspace:workspace",
}

__all__ = [
    "ImportRequest",
    "NotFound",
    "Stage",
    "SynthesistError",
    "UserError",
    "Vote",
    "Workspace",
    "answer_question",
    "apply_code",
    "attach_report",
    "build_demo",
    "build_report",
    "decide",
    "export_records",
    "find_project",
    "get_record",
    "import_files",
    "init_project",
    "list_records",
    "list_studies",
    "open_workspace",
    "overview",
    "prisma_counts",
    "project",
    "read_log",
    "render_report",
    "resolve_conflict",
    "run_dedup",
    "undo_decision",
]

if TYPE_CHECKING:
    from synthesist.errors import NotFound, SynthesistError, UserError
    from synthesist.review.project import find_project
    from synthesist.screening.model import Stage, Vote
    from synthesist.services.appraisal.answers import answer_question
    from synthesist.services.dedup.runs import run_dedup
    from synthesist.services.demo.build import build_demo
    from synthesist.services.fulltext.reports import attach_report, list_studies
    from synthesist.services.projects import init_project
    from synthesist.services.records.imports import ImportRequest, import_files
    from synthesist.services.records.reading import export_records, get_record, list_records, read_log
    from synthesist.services.reporting.prisma import prisma_counts
    from synthesist.services.reporting.report import build_report, render_report
    from synthesist.services.screening.decisions import decide, overview, resolve_conflict, undo_decision
    from synthesist.services.synthesis.coding import apply_code
    from synthesist.workspace import Workspace, open_workspace
    from synthesist.workspace import workspace as project


def __getattr__(name: str) -> Any:
    where = _PUBLIC.get(name)
    if where is None:
        raise AttributeError(f"module 'synthesist' has no attribute {name!r}")
    module, _, attribute = where.partition(":")
    value = getattr(importlib.import_module(module), attribute or name)
    globals()[name] = value  # the next lookup does not come here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC})
