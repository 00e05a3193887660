"""Importers: export files in, canonical records out (see ``base`` for the plug-in interface)."""

from synthesist.importing.base import (
    ParsedRecord,
    Reader,
    ReadItem,
    ReadOptions,
    RejectedRecord,
    available_readers,
    detect_reader,
    get_reader,
    register_reader,
)
from synthesist.importing.source import SourceFile, open_source

__all__ = [
    "ParsedRecord",
    "ReadItem",
    "ReadOptions",
    "Reader",
    "RejectedRecord",
    "SourceFile",
    "available_readers",
    "detect_reader",
    "get_reader",
    "open_source",
    "register_reader",
]
