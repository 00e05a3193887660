"""Synthesist JSON export: every canonical field, the record's source, its project id and ``raw``.

Layout: ``{"synthesist_export": 1, "records": [`` then one record object per line, then ``]}``. One
line per record streams (nothing is held in memory), diffs well and is still one valid JSON
document; :mod:`synthesist.importing.formats.json_records` reads it back (with any layout).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from synthesist.exporting.base import ExportItem, Writer, register_writer
from synthesist.importing.formats.json_records import EXPORT_MARKER, EXPORT_VERSION

__all__ = ["JsonWriter", "item_to_json"]


def item_to_json(item: ExportItem) -> dict[str, Any]:
    """``record_id`` and ``source`` first, then the canonical fields, ``extra`` and ``raw``."""
    data: dict[str, Any] = {"record_id": item.record_id, "source": item.source}
    data.update(item.record.canonical())
    if item.extra:
        data["extra"] = dict(item.extra)
    data["raw"] = {key: list(values) for key, values in item.record.raw.items()}
    return data


@register_writer
class JsonWriter(Writer):
    name = "json"
    description = "Synthesist JSON (every field, lossless; re-importable)"
    extension = ".json"

    def write(self, items: Iterable[ExportItem], handle: TextIO) -> int:
        handle.write(f'{{"{EXPORT_MARKER}": {EXPORT_VERSION}, "records": [')
        count = 0
        for item in items:
            handle.write(",\n" if count else "\n")
            handle.write(json.dumps(item_to_json(item), ensure_ascii=False))
            count += 1
        handle.write("\n]}\n")
        return count
