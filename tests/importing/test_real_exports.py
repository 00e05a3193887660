"""Every real export file in the shared folder (CoLRev's exports from about 20 platforms) imports with
the number of records another tool read from it, with no reject and no record dropped silently, and
the fields agree with that tool's reading for the great majority (the per-field table is the
benchmark's, `benchmarks/import_formats.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.import_formats import COLREV, export_files, measure

pytestmark = pytest.mark.benchmark_data

FILES = export_files() if COLREV.is_dir() else []


@pytest.mark.skipif(not FILES, reason=f"no shared export files at {COLREV}")
@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_each_real_export_imports_every_record(path: Path) -> None:
    result = measure(path)
    assert not result.error, result.error
    assert result.rejects == 0, result.mismatches
    assert result.records == result.expected
    if result.compared:
        # another tool's reading, not gold: most fields, not all, must agree
        assert result.matching / result.compared >= 0.75, result.mismatches
