"""Every export file of the test corpus, imported through the real service.

Each ``tests/data/exports/manifest_*.toml`` lists files with the format auto-detection must choose,
the expected record and reject counts, and spot-checked fields (see the manifests for the shape).
Runs on SQLite; the PostgreSQL variant imports the same files (storage must keep every field).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from synthesist.errors import UserError
from synthesist.services.records.imports import ImportRequest, import_files
from synthesist.services.records.reading import list_records
from synthesist.workspace import Workspace

EXPORTS = Path(__file__).resolve().parents[2] / "data" / "exports"


def _entries() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for manifest in sorted(EXPORTS.glob("manifest_*.toml")):
        with open(manifest, "rb") as handle:
            entries.extend(tomllib.load(handle)["file"])
    return entries


ENTRIES = _entries()


def test_the_corpus_covers_the_five_databases_and_every_format() -> None:
    formats = {entry["format"] for entry in ENTRIES}
    assert {"ris", "nbib", "pubmed-xml", "bibtex", "endnote-xml", "wos", "csv", "tsv", "xlsx"} <= formats
    sources = " ".join(entry.get("source", "") for entry in ENTRIES).lower()
    for database in ("cochrane", "cinahl", "medline", "embase", "psycinfo"):
        assert database in sources, database


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry["path"] for entry in ENTRIES])
def test_corpus_file_imports_as_expected(workspace: Workspace, entry: dict[str, Any]) -> None:
    request = ImportRequest(
        paths=[EXPORTS / entry["path"]],
        source=entry.get("source", "Test"),
        skip_invalid=True,
        column_map=entry.get("column_map", {}),
    )
    if "error" in entry:
        with pytest.raises(UserError, match=entry["error"]):
            import_files(workspace, request)
        return
    result = import_files(workspace, request)
    [item] = result.files
    assert item.format == entry["format"]
    assert item.records == entry["records"]
    assert len(item.rejects) == entry.get("rejects", 0)
    records, total = list_records(workspace)
    assert total == entry["records"]
    by_position = {stored.position: stored.record for stored in records}
    for spot in entry.get("spot", []):
        record = by_position[spot["position"]]
        for field, expected in spot.items():
            if field == "position":
                continue
            actual = record.first_author if field == "first_author" else getattr(record, field)
            assert actual == expected, f"{entry['path']} record {spot['position']} {field}"
