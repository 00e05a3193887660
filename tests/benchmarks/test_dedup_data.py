"""The deduplication benchmark's generator: deterministic, 15% removable, a truth for every record, and a
file Synthesist imports cleanly (SQLite and PostgreSQL). Also the scoring of an export against the truth."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from benchmarks.dedup_data import GeneratedSet, generate, read_truth, vocabulary
from benchmarks.dedup_speed import evaluate

from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.records.reading import list_records
from synthesist.workspace import Workspace

RECORDS = 2_000


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> GeneratedSet:
    return generate(tmp_path_factory.mktemp("dedup-data") / "records.ris", RECORDS, seed=1)


def _ids(path: Path) -> list[str]:
    return re.findall(r"^ID  - (.+)$", path.read_text(encoding="utf-8"), flags=re.MULTILINE)


def test_the_same_seed_gives_the_same_files_and_another_seed_does_not(tmp_path: Path) -> None:
    first = generate(tmp_path / "first.ris", 500, seed=1)
    again = generate(tmp_path / "again.ris", 500, seed=1)
    assert again.ris.read_bytes() == first.ris.read_bytes()
    assert again.truth.read_bytes() == first.truth.read_bytes()
    assert again.near_miss_pairs == first.near_miss_pairs
    assert generate(tmp_path / "other.ris", 500, seed=2).ris.read_bytes() != first.ris.read_bytes()


def test_fifteen_percent_are_removable_and_the_truth_covers_every_record(generated: GeneratedSet) -> None:
    truth = read_truth(generated.truth)
    ids = _ids(generated.ris)
    assert len(ids) == RECORDS and len(set(ids)) == RECORDS
    assert set(ids) == set(truth)
    assert ids[0] == "gen-0000001"
    sizes = Counter(group for group in truth.values() if group)
    removable = sum(size - 1 for size in sizes.values())
    assert removable == generated.removable
    assert abs(removable / RECORDS - 0.15) <= 0.01
    assert set(sizes.values()) <= {2, 3, 4}
    assert set(generated.near_misses) == {"update", "erratum", "comment", "conference", "part"}
    assert len(vocabulary()) >= 2_000


def test_the_file_imports_cleanly_with_every_id(generated: GeneratedSet, workspace: Workspace) -> None:
    result = import_files(workspace, ImportRequest(paths=[generated.ris], source="Generated"))
    assert (result.records, result.rejects) == (RECORDS, 0)
    stored, total = list_records(workspace)
    assert total == RECORDS
    assert {item.record.source_record_id for item in stored} == set(read_truth(generated.truth))
    first = next(item.record for item in stored if item.record.source_record_id == "gen-0000001")
    assert first.title and first.year and first.journal


def test_evaluate_scores_removals_and_false_merges_against_the_truth() -> None:
    truth = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "u": "", "e": ""}
    rows = [
        {"source_record_id": "a1", "duplicate_group": "1", "is_primary": "yes"},
        {"source_record_id": "a2", "duplicate_group": "1", "is_primary": "no"},  # right
        {"source_record_id": "b1", "duplicate_group": "1", "is_primary": "no"},  # another publication
        {"source_record_id": "b2", "duplicate_group": "2", "is_primary": "yes"},
        {"source_record_id": "e", "duplicate_group": "2", "is_primary": "no"},  # fell for a near miss
        {"source_record_id": "a3", "duplicate_group": "", "is_primary": ""},  # missed
        {"source_record_id": "u", "duplicate_group": "", "is_primary": ""},
    ]
    accuracy = evaluate(truth, rows, {"b2": ("erratum", 7), "e": ("erratum", 7)})
    assert (accuracy.removable, accuracy.marked, accuracy.correct, accuracy.false_merges) == (3, 3, 1, 2)
    assert accuracy.sensitivity == pytest.approx(1 / 3)
    assert accuracy.false_merge_kinds == {"erratum": 1, "other": 1}
    with pytest.raises(ValueError, match="no primary"):
        evaluate(truth, [{"source_record_id": "a2", "duplicate_group": "9", "is_primary": "no"}])
