"""Shared helpers for the structured-format reader tests (BibTeX, EndNote XML, PubMed XML, tabular, JSON)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from synthesist.importing.base import ParsedRecord, Reader, ReadItem, ReadOptions, RejectedRecord
from synthesist.importing.source import SourceFile, open_source
from synthesist.records.model import Record

EXPORTS = Path(__file__).resolve().parents[1] / "data" / "exports"


def corpus_formats() -> dict[str, str]:
    """File name -> the reader auto-detection must choose, from every corpus manifest."""
    formats: dict[str, str] = {}
    for manifest in sorted(EXPORTS.glob("manifest_*.toml")):
        with open(manifest, "rb") as handle:
            for entry in tomllib.load(handle)["file"]:
                formats[entry["path"]] = entry["format"]
    return formats


def structured_entries() -> list[dict[str, Any]]:
    with open(EXPORTS / "manifest_structured.toml", "rb") as handle:
        return list(tomllib.load(handle)["file"])


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> SourceFile:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return open_source(path)


def corpus(name: str) -> SourceFile:
    return open_source(EXPORTS / name)


def read_all(
    reader: Reader, source: SourceFile, options: ReadOptions | None = None
) -> tuple[list[ParsedRecord], list[RejectedRecord]]:
    items: list[ReadItem] = list(reader.read(source, options or ReadOptions()))
    parsed = [item for item in items if isinstance(item, ParsedRecord)]
    rejected = [item for item in items if isinstance(item, RejectedRecord)]
    return parsed, rejected


def records(reader: Reader, source: SourceFile, options: ReadOptions | None = None) -> list[Record]:
    parsed, rejected = read_all(reader, source, options)
    assert not rejected, rejected
    return [item.record for item in parsed]


def assert_sniff_discriminates(reader: Reader, *, confident: float = 0.9) -> None:
    """Every corpus file of this reader's format scores high, every other file below 0.3."""
    checked = 0
    for name, expected in corpus_formats().items():
        path = EXPORTS / name
        if not path.exists():
            continue
        score = reader.sniff(open_source(path))
        if expected == reader.name:
            limit = 0.3 if name == "needs_mapping.csv" else confident
            assert score >= limit, f"{reader.name} should claim {name} (score {score})"
        else:
            assert score < 0.3, f"{reader.name} claims {name} ({expected}) with {score}"
        checked += 1
    assert checked >= 10
