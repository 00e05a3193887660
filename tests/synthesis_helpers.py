"""Included studies for tests of coding and of the synthesis outputs.

``include_studies(workspace, folder, [("Cooper", 2008), ("Matthias", 2010)])`` imports one record per
study, includes each at title/abstract and full text, and returns the studies' labels ("Cooper 2008"),
which ``add_document(workspace, "Cooper 2008", text=...)`` accepts; ``reports=[path, None]``
attaches full texts on the way (``synthesist.services.fulltext.reports.list_reports`` gives their ids).
Works on SQLite and PostgreSQL (record ids are read back, not assumed).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from synthesist.screening.model import Stage, Vote
from synthesist.services.fulltext.reports import attach_report
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.screening.decisions import decide
from synthesist.workspace import Workspace

__all__ = ["FINDINGS", "include_studies"]

_RIS = "TY  - JOUR\nAU  - {family}, A.\nTI  - {title}\nPY  - {year}\nER  - \n"

# Findings in the style of the reference review's studies, with quotes, "et al." and a decimal.
FINDINGS = (
    "Patients valued being listened to by their physiotherapist (Cooper et al. 2008). "
    '"She really listened to me, and I felt understood." '
    "Trust grew over time, e.g. across 2.5 visits on average.\n"
    "Some patients wanted more information about their diagnosis. "
    '"Nobody explained what was wrong with my back."\n'
    "Access to physiotherapy was limited by waiting times and short appointments."
)


def include_studies(
    workspace: Workspace,
    folder: Path,
    studies: Sequence[tuple[str, int]],
    *,
    reports: Sequence[Path | None] = (),
) -> list[str]:
    """Import one record per ``(family name, year)`` and include it at full text, attaching
    ``reports[i]`` (a PDF, DOCX or TXT file, or None) to the i-th on the way; the labels back."""
    export = folder / f"included-{len(list(folder.glob('included-*.ris')))}.ris"
    export.write_text(
        "\n".join(
            _RIS.format(family=family, title=f"A qualitative study by {family} ({year})", year=year)
            for family, year in studies
        ),
        encoding="utf-8",
    )
    with workspace.unit_of_work(write=False) as uow:
        before = set(uow.records.ids())
    import_files(workspace, ImportRequest(paths=[export], source="MEDLINE"))
    with workspace.unit_of_work(write=False) as uow:
        new = sorted(set(uow.records.ids()) - before)
    for index, record_id in enumerate(new):
        decide(workspace, record_id, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer="tester")
        if index < len(reports) and reports[index] is not None:
            attach_report(workspace, record_id, reports[index])  # type: ignore[arg-type]
        decide(workspace, record_id, Stage.FULL_TEXT, Vote.INCLUDE, reviewer="tester")
    return [f"{family} {year}" for family, year in studies]
