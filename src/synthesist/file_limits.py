"""Limits on what a small input file may expand to, checked before the file is read.

A few megabytes can hold gigabytes: an XLSX whose shared strings or a DOCX whose ``document.xml``
deflate 1,000 times over, a zip whose entries overlap (each declaring the same compressed bytes), or
a PDF of 100,000 pages that all point at one content stream. Any reviewer may upload or attach such
a file, so every zip container we read (XLSX imports, DOCX full texts, REFI-QDA .qdpx projects) is
checked by :func:`check_archive` and every PDF by :func:`check_pdf_pages` and :class:`TimeBudget`.

Why checking the zip's central directory is enough: Python's :mod:`zipfile`, which openpyxl and
python-docx read through, never returns more bytes for an entry than its central-directory size
declares (a lying entry fails its CRC check instead), so the declared sizes bound what can be
unpacked. Only stored and deflated entries are accepted: they are the two methods OOXML allows, and
zipfile decompresses bzip2 and LZMA chunks without an output bound. Archives inside the archive (a
chart's workbook embedded in a Word file) are never opened by our readers, so they count only by
their own size and are not refused.

The defaults are far above any real report or export and can be raised in ``review.toml``'s
``[limits]`` table; each refusal names the file, the limit, its value and the key that sets it.
Stdlib only: the protocol model, imported by every command, builds :class:`FileLimits`.
"""

from __future__ import annotations

import time
import zipfile
from dataclasses import dataclass
from os import PathLike
from typing import IO

from synthesist.errors import ImportFileError

__all__ = ["FileLimits", "TimeBudget", "check_archive", "check_pdf_pages", "check_zip", "limit_refusal"]

_MEGABYTE = 1_000_000
# Small parts (styles, relationships, an empty sheet's XML) can compress 200-fold; they cannot
# exhaust anything, so the ratio is checked only for entries that unpack to more than this.
_RATIO_FLOOR = 1 * _MEGABYTE
_SAFE_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})


@dataclass(frozen=True, slots=True)
class FileLimits:
    """The limits, named as the keys of ``review.toml``'s ``[limits]`` table."""

    pdf_pages: int = 2_000
    pdf_text_seconds: float = 120.0
    pdf_memory_mb: int = 2_048
    unpacked_mb: int = 500
    compression_ratio: int = 100
    zip_entries: int = 10_000


def limit_refusal(file: str, what: str, key: str, value: float) -> ImportFileError:
    return ImportFileError(
        f"{file}: {what}; the limit is limits.{key} = {_toml(value)}",
        hint=(
            f"If the file is genuine, raise {key} in the [limits] table of review.toml "
            f"(e.g. {key} = {_toml(value * 2)}) and try again."
        ),
    )


def _toml(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def check_archive(archive: zipfile.ZipFile, file: str, limits: FileLimits) -> None:
    """Refuse ``archive`` (already open; only its central directory is read) if its entries would
    unpack past ``limits``. ``file`` names it in the message."""
    entries = archive.infolist()
    if len(entries) > limits.zip_entries:
        raise limit_refusal(
            file, f"the archive holds {len(entries):,} files", "zip_entries", limits.zip_entries
        )
    total = 0
    for entry in entries:
        if entry.compress_type not in _SAFE_METHODS:
            raise ImportFileError(
                f"{file}: {entry.filename} is compressed with method {entry.compress_type}, which is "
                "not allowed (only stored and deflated entries are read)",
                hint="Open the file and save it again from the program that made it.",
            )
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > _RATIO_FLOOR and ratio > limits.compression_ratio:
            raise limit_refusal(
                file,
                f"{entry.filename} would unpack {ratio:,.0f} times its stored size "
                f"({entry.compress_size:,} bytes to {entry.file_size:,})",
                "compression_ratio",
                limits.compression_ratio,
            )
    if total > limits.unpacked_mb * _MEGABYTE:
        raise limit_refusal(
            file,
            f"would unpack to {total / _MEGABYTE:,.0f} MB",
            "unpacked_mb",
            limits.unpacked_mb,
        )


def check_zip(path: str | PathLike[str] | IO[bytes], file: str, limits: FileLimits) -> None:
    """:func:`check_archive` for a zip file given by path (or an open binary file). A file that is
    not a zip is left to its reader, which says so in its own words."""
    try:
        with zipfile.ZipFile(path) as archive:
            check_archive(archive, file, limits)
    except zipfile.BadZipFile:
        return


def check_pdf_pages(count: int, file: str, limits: FileLimits) -> None:
    """Refuse a PDF of more than ``limits.pdf_pages`` pages before any text is extracted."""
    if count > limits.pdf_pages:
        raise limit_refusal(file, f"the PDF has {count:,} pages", "pdf_pages", limits.pdf_pages)


class TimeBudget:
    """The time text extraction may take; :meth:`check` between pages stops it once spent, saying
    after how many pages. (Inside one page only killing the process stops pypdf:
    :mod:`synthesist.fulltext.pdf_process` does that.)"""

    def __init__(self, file: str, limits: FileLimits) -> None:
        self._file = file
        self._seconds = limits.pdf_text_seconds
        self._deadline = time.monotonic() + limits.pdf_text_seconds

    def check(self, pages_done: int) -> None:
        if time.monotonic() > self._deadline:
            raise limit_refusal(
                self._file,
                f"reading its text took longer than {self._seconds:g} s (stopped after {pages_done:,} pages)",
                "pdf_text_seconds",
                self._seconds,
            )
