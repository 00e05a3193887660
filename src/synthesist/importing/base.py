"""The reader plug-in interface and its registry.

A reader turns one export file into a stream of :class:`ParsedRecord` (and :class:`RejectedRecord`
for a malformed record it could step over). Readers never touch the database; the import service
decides whether a reject stops the import (default) or is reported (``--skip-invalid``).

Built-in readers register themselves with :func:`register_reader` exactly as a third-party plug-in
would (or through the ``synthesist.readers`` entry-point group).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import ClassVar, TypeVar

from synthesist.errors import ImportFileError, UnknownPlugin
from synthesist.file_limits import FileLimits
from synthesist.importing.source import SourceFile
from synthesist.records.model import Record

__all__ = [
    "ParsedRecord",
    "ReadItem",
    "ReadOptions",
    "Reader",
    "RejectedRecord",
    "available_readers",
    "detect_reader",
    "get_reader",
    "register_reader",
]


@dataclass(slots=True)
class ParsedRecord:
    """A record read from a file. ``line`` is where it starts (1-based; the row for CSV/XLSX)."""

    record: Record
    line: int


@dataclass(slots=True)
class RejectedRecord:
    """A record the reader could not make sense of; the import stops or reports it."""

    line: int
    reason: str
    excerpt: str = ""


ReadItem = ParsedRecord | RejectedRecord


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Options a user can pass to a reader.

    ``column_map`` maps a canonical field (``title``, ``authors``...) to the column that holds it,
    for CSV/TSV/XLSX exports whose headers we do not recognise. ``sheet`` names the XLSX sheet.
    ``delimiter`` is the CSV/TSV field separator (one character: ``,`` ``;`` tab ``|``...), when the
    one detected from the file is wrong.
    """

    column_map: Mapping[str, str] = field(default_factory=dict)
    sheet: str | None = None
    delimiter: str | None = None
    # what a zipped export (XLSX) may unpack to: the protocol's [limits]
    limits: FileLimits = field(default_factory=FileLimits)


class Reader(ABC):
    """One import format."""

    name: ClassVar[str]
    description: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def sniff(self, source: SourceFile) -> float:
        """How sure we are that the file is in this format, from 0 (not it) to 1 (certain).

        Looks at ``source.head`` (the first 64 KiB, decoded) or ``source.head_bytes``; must be cheap.
        """

    @abstractmethod
    def read(self, source: SourceFile, options: ReadOptions) -> Iterator[ReadItem]:
        """Stream the file's records in file order.

        Raise :class:`~synthesist.errors.ImportFileError` (with ``file:line``) when the file as a whole
        is broken (truncated XML, not this format at all); yield :class:`RejectedRecord` for one bad
        record when the rest of the file can still be read.
        """


_R = TypeVar("_R", bound=type[Reader])
_READERS: dict[str, Reader] = {}
_ENTRY_POINTS_LOADED = False


def register_reader(cls: _R) -> _R:
    """Class decorator: make a reader available by its ``name``."""
    _READERS[cls.name] = cls()
    return cls


def _load_plugins() -> None:
    global _ENTRY_POINTS_LOADED
    if _ENTRY_POINTS_LOADED:
        return
    _ENTRY_POINTS_LOADED = True
    import synthesist.importing.formats  # noqa: F401  (built-ins register on import)

    for entry in entry_points(group="synthesist.readers"):
        register_reader(entry.load())


def available_readers() -> dict[str, Reader]:
    _load_plugins()
    return dict(sorted(_READERS.items()))


def get_reader(name: str) -> Reader:
    readers = available_readers()
    try:
        return readers[name]
    except KeyError:
        raise UnknownPlugin(
            f"unknown import format {name!r}",
            hint=f"Available formats: auto, {', '.join(readers)}.",
        ) from None


_MIN_CONFIDENCE = 0.3


def detect_reader(source: SourceFile) -> Reader:
    """The reader most sure of the file; an error naming the formats when none is."""
    scored = sorted(
        ((reader.sniff(source), name, reader) for name, reader in available_readers().items()),
        key=lambda item: (-item[0], item[1]),
    )
    best_score, _, best = scored[0]
    if best_score < _MIN_CONFIDENCE:
        raise ImportFileError(
            f"{source.name}: not a recognised export format",
            hint="Synthesist reads RIS, MEDLINE/PubMed/ERIC (.nbib/.txt), PubMed XML, BibTeX, EndNote XML, "
            "EndNote tagged (%T/%A lines), Cochrane Library plain text, Web of Science plain text, "
            "CSV/TSV and XLSX. If it is one of these, pass --format (`synthesist import --help` lists them).",
        )
    return best
