"""The reference review's flow, rebuilt from data: 757 database records and 62 from other sources,
81 duplicates, 738 screened, 708 excluded, 30 full texts assessed, 20 excluded with reasons, 10 included.
Every number in the diagram must come from imports, deduplication and decisions, and the diagram drawn
from them is the golden one that pins the layout (tests/reporting/golden/prisma_reference.svg)."""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomlkit

from synthesist.review.project import find_project
from synthesist.screening.model import Stage
from synthesist.services.dedup.runs import run_dedup
from synthesist.services.projects import init_project
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.reporting.prisma import prisma_counts, prisma_document
from synthesist.services.screening.csv_import import import_decisions
from synthesist.services.screening.decisions import overview
from synthesist.workspace import Workspace, open_workspace
from tests.golden import read_golden
from tests.reporting.prisma_examples import REFERENCE

DATA = Path(__file__).resolve().parents[2] / "data"
GOLDEN = Path(__file__).resolve().parents[2] / "reporting" / "golden" / "prisma_reference.svg"
WORDS = [
    "pain",
    "back",
    "chronic",
    "lumbar",
    "partnership",
    "patient",
    "professional",
    "physiotherapy",
    "nurse",
    "general",
    "practice",
    "self-management",
    "communication",
    "trust",
    "education",
    "exercise",
    "qualitative",
    "interview",
    "focus",
    "group",
    "experience",
    "expectation",
    "belief",
    "fear",
    "avoidance",
    "disability",
    "function",
    "adherence",
    "acceptance",
    "empowerment",
    "decision",
    "shared",
    "care",
    "plan",
    "goal",
    "setting",
    "telephone",
    "coaching",
    "follow-up",
    "primary",
    "secondary",
    "rehabilitation",
    "musculoskeletal",
    "spine",
    "sciatica",
    "older",
    "adults",
    "women",
    "men",
    "workers",
    "return",
    "work",
    "sick",
    "leave",
    "cost",
    "effectiveness",
    "trial",
    "cohort",
    "survey",
    "mixed",
    "methods",
    "evaluation",
]


def _ris(records: list[tuple[str, str, str]]) -> str:
    entries = []
    for key, title, doi in records:
        entries.append(
            f"TY  - JOUR\nID  - {key}\nAU  - Author, {key}\nTI  - {title}\nJO  - Journal of Back Pain\n"
            f"PY  - 2010\nVL  - 3\nSP  - {abs(hash(key)) % 900 + 1}\nDO  - {doi}\nER  - \n"
        )
    return "\n".join(entries)


def _records(rng: random.Random, prefix: str, count: int) -> Iterator[tuple[str, str, str]]:
    for n in range(1, count + 1):
        title = " ".join(rng.sample(WORDS, 9)).capitalize()
        yield f"{prefix}{n}", title, f"10.1000/{prefix.lower()}.{n}"


@pytest.fixture
def reference_project(tmp_path: Path, database_url: str | None) -> Iterator[Workspace]:
    folder = tmp_path / "back-pain"
    init_project(folder, None, protocol_from=DATA / "reference_review.toml").close()
    document = tomlkit.parse((folder / "review.toml").read_text(encoding="utf-8"))
    for stage in ("title_abstract", "full_text"):
        document["screening"][stage]["mode"] = "single"
        document["screening"][stage].pop("verify_sample", None)
    (folder / "review.toml").write_text(tomlkit.dumps(document), encoding="utf-8")
    workspace = open_workspace(find_project(folder), actor="Aoife Brennan")
    rng = random.Random(2014)
    medline = list(_records(rng, "MED", 214))
    files = {
        "Cochrane Library": list(_records(rng, "CCH", 61)),
        "CINAHL": list(_records(rng, "CIN", 148)),
        "MEDLINE": medline,
        # 81 of EMBASE's records are the MEDLINE records again: the duplicates
        "EMBASE": list(_records(rng, "EMB", 231 - 81))
        + [(f"EMBDUP{k}", t, d) for k, (_, t, d) in enumerate(medline[:81])],
        "PsycINFO": list(_records(rng, "PSY", 103)),
    }
    for source, records in files.items():
        export = tmp_path / f"{source}.ris"
        export.write_text(_ris(records), encoding="utf-8")
        import_files(workspace, ImportRequest(paths=[export], source=source))
    for method, prefix, count in (("Reference lists", "REF", 38), ("Citation indexes", "CIT", 24)):
        export = tmp_path / f"{prefix}.ris"
        export.write_text(_ris(list(_records(rng, prefix, count))), encoding="utf-8")
        import_files(workspace, ImportRequest(paths=[export], other_method=method))
    try:
        yield workspace
    finally:
        workspace.close()


def _decide(workspace: Workspace, tmp_path: Path, stage: Stage, rows: list[tuple[int, str, str]]) -> None:
    sheet = tmp_path / f"{stage.value}.csv"
    with open(sheet, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record", "decision", "reason"])
        writer.writerows(rows)
    import_decisions(workspace, sheet, stage=stage, reviewer="Aoife Brennan")


def test_the_reference_reviews_flow_comes_out_of_the_data(
    reference_project: Workspace, tmp_path: Path
) -> None:
    workspace = reference_project
    assert run_dedup(workspace).duplicates_total == 81
    screened = sorted(
        record_id
        for record_id, progress in overview(workspace).records.items()
        if progress.state.value != "duplicate"
    )
    assert len(screened) == 738
    included_ta, excluded_ta = screened[:30], screened[30:]
    title_abstract = [(r, "include", "") for r in included_ta] + [(r, "exclude", "") for r in excluded_ta]
    _decide(workspace, tmp_path, Stage.TITLE_ABSTRACT, title_abstract)
    reasons = [reason.name for reason in REFERENCE.reports_excluded for _ in range(reason.n)]
    full_text = [(r, "exclude", reason) for r, reason in zip(included_ta, reasons, strict=False)]
    full_text += [(r, "include", "") for r in included_ta[len(reasons) :]]
    _decide(workspace, tmp_path, Stage.FULL_TEXT, full_text)

    result = prisma_counts(workspace)
    assert result.warnings == []
    assert result.counts == REFERENCE

    content, _ = prisma_document(workspace, "svg")
    svg = content.decode("utf-8")
    shown = set(re.findall(r"\(n = ([\d,]+)\)", svg))
    assert {"757", "62", "738", "708", "30", "20", "10"} <= shown
    assert svg == read_golden(GOLDEN), "the golden diagram of the reference review"


def test_undoing_and_redeciding_changes_the_counts(reference_project: Workspace, tmp_path: Path) -> None:
    from synthesist.screening.model import Vote
    from synthesist.services.screening.decisions import decide, undo_decision

    workspace = reference_project
    run_dedup(workspace)
    first = min(r for r, p in overview(workspace).records.items() if p.state.value != "duplicate")
    decide(workspace, first, Stage.TITLE_ABSTRACT, Vote.EXCLUDE, reviewer="Aoife Brennan")
    assert prisma_counts(workspace).counts.records_excluded == 1
    undo_decision(workspace, reviewer="Aoife Brennan", stage=Stage.TITLE_ABSTRACT)
    decide(workspace, first, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer="Aoife Brennan")
    counts = prisma_counts(workspace).counts
    assert counts.records_excluded == 0 and counts.reports_sought == 1


def test_a_trials_register_is_counted_as_a_register(tmp_path: Path, database_url: str | None) -> None:
    folder = tmp_path / "with-register"
    init_project(folder, "Registers").close()
    workspace = open_workspace(find_project(folder), actor="Aoife")
    try:
        for source, prefix, count in (("MEDLINE", "MED", 5), ("ClinicalTrials.gov", "NCT", 3)):
            export = tmp_path / f"{prefix}.ris"
            export.write_text(_ris(list(_records(random.Random(prefix), prefix, count))), encoding="utf-8")
            import_files(workspace, ImportRequest(paths=[export], source=source))
        counts = prisma_counts(workspace).counts
        assert counts.database_records == 5 and counts.register_records == 3
        assert [entry.name for entry in counts.registers] == ["ClinicalTrials.gov"]
        assert counts.records_screened == 8
    finally:
        workspace.close()
