"""Shared helpers for the tagged-format reader tests (RIS, MEDLINE, Web of Science)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from synthesist.importing.base import ParsedRecord, Reader, ReadItem, ReadOptions, RejectedRecord
from synthesist.importing.source import SourceFile, open_source

EXPORTS = Path(__file__).resolve().parents[1] / "data" / "exports"


def manifest_entries() -> list[dict[str, Any]]:
    with open(EXPORTS / "manifest_tagged.toml", "rb") as handle:
        return list(tomllib.load(handle)["file"])


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> SourceFile:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return open_source(path)


def read_all(reader: Reader, source: SourceFile) -> tuple[list[ParsedRecord], list[RejectedRecord]]:
    items: list[ReadItem] = list(reader.read(source, ReadOptions()))
    parsed = [item for item in items if isinstance(item, ParsedRecord)]
    rejected = [item for item in items if isinstance(item, RejectedRecord)]
    return parsed, rejected
