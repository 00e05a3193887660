"""The writer (exporter) plug-in interface and its registry.

A writer streams :class:`ExportItem` to a text handle. What one format writes, the reader of the same
format reads back to an identical canonical record (round-trip property, tested with Hypothesis).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import ClassVar, TextIO, TypeVar

from synthesist.errors import UnknownPlugin
from synthesist.records.model import Record

__all__ = ["ExportItem", "Writer", "available_writers", "get_writer", "register_writer", "writer_for_path"]


@dataclass(slots=True)
class ExportItem:
    """A stored record with what the project knows about it.

    ``extra`` holds the columns later capabilities add (``duplicate_group``, screening status...),
    in the order they should appear; formats with columns (CSV) append them after the fixed ones.
    """

    record_id: int
    record: Record
    source: str
    extra: dict[str, str | None] = field(default_factory=dict)


class Writer(ABC):
    name: ClassVar[str]
    description: ClassVar[str]
    extension: ClassVar[str]

    @abstractmethod
    def write(self, items: Iterable[ExportItem], handle: TextIO) -> int:
        """Write every item; return how many were written."""


_W = TypeVar("_W", bound=type[Writer])
_WRITERS: dict[str, Writer] = {}
_LOADED = False


def register_writer(cls: _W) -> _W:
    _WRITERS[cls.name] = cls()
    return cls


def available_writers() -> dict[str, Writer]:
    global _LOADED
    if not _LOADED:
        _LOADED = True
        import synthesist.exporting.formats  # noqa: F401  (built-ins register on import)

        for entry in entry_points(group="synthesist.writers"):
            register_writer(entry.load())
    return dict(sorted(_WRITERS.items()))


def get_writer(name: str) -> Writer:
    writers = available_writers()
    try:
        return writers[name]
    except KeyError:
        raise UnknownPlugin(
            f"unknown export format {name!r}", hint=f"Available formats: {', '.join(writers)}."
        ) from None


# Extensions people use for these formats besides each writer's own.
_EXTENSION_ALIASES = {".txt": "ris"}


def writer_for_path(path: Path) -> str:
    """The writer whose extension the file name has (``records.bib`` -> ``bibtex``)."""
    suffix = path.suffix.lower()
    by_extension = {writer.extension: name for name, writer in available_writers().items()}
    by_extension.update(_EXTENSION_ALIASES)
    if suffix in by_extension:
        return by_extension[suffix]
    raise UnknownPlugin(
        f"cannot tell the format from {path.name!r}",
        hint=f"Pass --format ({', '.join(available_writers())}) or use one of the extensions "
        f"{', '.join(sorted(by_extension))}.",
    )
