"""Opening an export file: encoding detection and the binary/empty checks every reader relies on.

Encodings are detected, never guessed silently: a BOM decides; otherwise the whole file must decode
as strict UTF-8 (checked incrementally, so a large file is not held in memory), else UTF-16 without
BOM is recognised by its NUL pattern, else charset-normalizer chooses among the single-byte
encodings and the choice is reported on the batch so the user sees it.

A UTF-8 file with a few lines in Windows-1252 (exports pasted together, one record typed on another
machine) is decoded line by line: the UTF-8 lines as UTF-8, the bytes that are not UTF-8 as
Windows-1252, and :attr:`SourceFile.fallback_lines` names those lines for a warning. Decoding the
whole file as Windows-1252 instead would garble every accented letter of the UTF-8 lines without a
word; refusing the file would leave the user to repair it in an editor, while the warning already
says which few lines to check.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from synthesist.errors import ImportFileError

__all__ = [
    "FALLBACK_ENCODING",
    "HEAD_BYTES",
    "SourceFile",
    "decode_error_line",
    "detect_encoding",
    "open_source",
]

HEAD_BYTES = 64 * 1024
_CHUNK = 1 << 20
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ZIP_MAGIC = b"PK\x03\x04"
_BINARY_MAGICS = (
    b"%PDF",  # PDF
    b"\x89PNG",  # PNG
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",  # GIF
    b"\x1f\x8b",  # gzip
    b"\xd0\xcf\x11\xe0",  # OLE2: .doc, .xls, .msg
    b"\x7fELF",  # executable
    b"Rar!",  # RAR
    b"7z\xbc\xaf",  # 7-Zip
    b"\xfd7zXZ",  # xz
)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """An export file ready to read. ``encoding`` is ``None`` for a binary container (XLSX)."""

    path: Path
    encoding: str | None
    head: str
    head_bytes: bytes
    size: int
    sha256: str
    # lines that are not UTF-8 in an otherwise UTF-8 file: the first few, and how many there are
    fallback_lines: tuple[int, ...] = ()
    fallback_count: int = 0

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def is_zip(self) -> bool:
        return self.head_bytes.startswith(_ZIP_MAGIC)

    def open_text(self) -> TextIO:
        """Open for streaming text; universal newlines, so readers see ``\\n`` only."""
        if self.encoding is None:
            raise ImportFileError(f"{self.name}: is a binary file, not text")
        errors = _FALLBACK_ERRORS if self.fallback_count else "strict"
        return open(self.path, encoding=self.encoding, errors=errors, newline=None)

    def lines(self) -> Iterator[tuple[int, str]]:
        """``(line_number, line_without_newline)`` from 1, streaming."""
        with self.open_text() as handle:
            for number, line in enumerate(handle, start=1):
                yield number, line.rstrip("\n")


def open_source(path: Path, *, encoding: str | None = None) -> SourceFile:
    """Check the file exists, is not empty and not binary; detect its encoding."""
    if not path.exists():
        raise ImportFileError(f"{path}: no such file")
    if path.is_dir():
        raise ImportFileError(f"{path}: is a folder, not an export file")
    size = path.stat().st_size
    if size == 0:
        raise ImportFileError(f"{path.name}: the file is empty", hint="Export the search results again.")
    with open(path, "rb") as handle:
        head_bytes = handle.read(HEAD_BYTES)
    if any(head_bytes.startswith(magic) for magic in _BINARY_MAGICS):
        raise ImportFileError(
            f"{path.name}: is a binary file (PDF, image, archive or Office document), not an export",
            hint="Export the records as RIS, MEDLINE (.nbib), BibTeX, EndNote XML, CSV or XLSX.",
        )
    if head_bytes.startswith(b"SQLite format 3\x00") or (
        path.suffix.lower() == ".enl" and b"\x00" in head_bytes[:4096]
    ):
        raise ImportFileError(
            f"{path.name}: is an EndNote library (a database file), not an export",
            hint="In EndNote, select the references, choose File > Export and save them as "
            '"EndNote Export" (tagged text), RIS or XML; then import that file.',
        )
    is_zip = head_bytes.startswith(_ZIP_MAGIC)
    # One pass over the file gives both the fingerprint (re-import guard) and, when the encoding is
    # still open, the UTF-8 verdict: a 170 MB export is read once here, not twice.
    check_utf8 = encoding is None and not is_zip and _encoding_from_head(head_bytes) is None
    digest, verdict = _scan(path, check_utf8=check_utf8)
    if is_zip:
        # XLSX (and other zip containers): readers open it themselves
        return SourceFile(path=path, encoding=None, head="", head_bytes=head_bytes, size=size, sha256=digest)
    mixed = verdict is not None and verdict.mixed
    utf8_valid = True if mixed else (verdict.valid if verdict is not None else None)
    chosen = encoding or detect_encoding(path, head_bytes, utf8_valid)
    try:
        codec = codecs.lookup(chosen)
    except LookupError as exc:
        raise ImportFileError(
            f"{path.name}: unknown encoding {chosen!r}",
            hint="Use a Python codec name: utf-8, cp1252, utf-16...",
        ) from exc
    if codec.name == "utf-8" and head_bytes.startswith(codecs.BOM_UTF8):
        chosen = "utf-8-sig"  # --encoding utf-8 on a file with a BOM: the BOM is not part of the text
    _refuse_cut_character(path, size, codec.name)
    head = _decode_head(head_bytes, chosen, path, _FALLBACK_ERRORS if mixed else "strict")
    if "\x00" in head:
        raise ImportFileError(
            f"{path.name}: contains NUL bytes, so it is a binary file or a damaged export",
            hint="Open it in a text editor: an export file is text. Export it again if it is damaged.",
        )
    if not head.strip():
        raise ImportFileError(f"{path.name}: holds only white space", hint="Export the search results again.")
    if mixed and verdict is not None:
        return SourceFile(
            path=path,
            encoding=chosen,
            head=head,
            head_bytes=head_bytes,
            size=size,
            sha256=digest,
            fallback_lines=tuple(verdict.bad_lines),
            fallback_count=verdict.bad_count,
        )
    return SourceFile(path=path, encoding=chosen, head=head, head_bytes=head_bytes, size=size, sha256=digest)


def detect_encoding(path: Path, head_bytes: bytes, utf8_valid: bool | None = None) -> str:
    """The file's encoding. ``utf8_valid`` is the verdict of an earlier :func:`_scan`, if there was one."""
    from_head = _encoding_from_head(head_bytes)
    if from_head is not None:
        return from_head
    if b"\x00" in head_bytes:
        raise ImportFileError(
            f"{path.name}: contains NUL bytes, so it is a binary file or a damaged export",
            hint="Open it in a text editor: an export file is text. Export it again if it is damaged.",
        )
    if utf8_valid is None:
        verdict = _scan(path, check_utf8=True)[1]
        utf8_valid = verdict is not None and verdict.valid
    return "utf-8" if utf8_valid else _single_byte_encoding(path)


def _encoding_from_head(head_bytes: bytes) -> str | None:
    """An encoding the first bytes prove: a byte-order mark, or UTF-16's pattern of NUL bytes."""
    for bom, name in _BOMS:
        if head_bytes.startswith(bom):
            return name
    if _looks_like_utf16(head_bytes):
        # ASCII text in UTF-16-LE has its NUL bytes at odd offsets ("T\x00Y\x00"), in UTF-16-BE at even ones
        sample = head_bytes[:4096]
        return "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
    return None


def _looks_like_utf16(data: bytes) -> bool:
    sample = data[:4096]
    if len(sample) < 4:
        return False
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    return max(even_nuls, odd_nuls) > 0.4 * half and min(even_nuls, odd_nuls) < 0.05 * half


def _scan(path: Path, *, check_utf8: bool) -> tuple[str, _Utf8Verdict | None]:
    """SHA-256 of the file and, with ``check_utf8``, its UTF-8 verdict (else ``None``)."""
    digest = hashlib.sha256()
    verdict = _Utf8Verdict() if check_utf8 else None
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            if verdict is not None:
                verdict.feed(chunk)
    if verdict is not None:
        verdict.feed(b"", final=True)
    return digest.hexdigest(), verdict


_NAMED_BAD_LINES = 20  # a warning names this many lines and counts the rest
_LONGEST_CARRY = 8 * _CHUNK  # a "line" this long is split between two characters: memory stays bounded


class _Utf8Verdict:
    """Reads a file chunk by chunk: is it UTF-8, and which lines are not.

    ``valid``: every byte is UTF-8. ``mixed``: some lines are not, but others hold real multi-byte
    UTF-8 characters, so the file is UTF-8 with a few lines in another encoding (see the module
    docstring). Neither: the file is in a single-byte encoding. A chunk that decodes as a whole (the
    usual case) costs one ``decode``; only a chunk with a bad byte is examined line by line.
    """

    def __init__(self) -> None:
        self._carry = b""
        self._lines_before = 0
        self._multibyte = 0
        self.bad_lines: list[int] = []
        self.bad_count = 0

    @property
    def valid(self) -> bool:
        return self.bad_count == 0

    @property
    def mixed(self) -> bool:
        return self.bad_count > 0 and self._multibyte > 0

    def feed(self, chunk: bytes, *, final: bool = False) -> None:
        data = self._carry + chunk
        cut = len(data) if final else data.rfind(b"\n") + 1
        if cut == 0 and len(data) > _LONGEST_CARRY:
            # cut before the last character's first byte (not a continuation byte), never inside it
            cut = next(
                (i for i in range(len(data) - 1, len(data) - 5, -1) if not 0x80 <= data[i] < 0xC0), len(data)
            )
        complete, self._carry = data[:cut], data[cut:]
        if not complete:
            return
        try:
            text = complete.decode("utf-8")
        except UnicodeDecodeError:
            for offset, line in enumerate(complete.split(b"\n")):
                try:
                    self._multibyte += len(line) - len(line.decode("utf-8"))
                except UnicodeDecodeError:
                    self._note_bad_line(self._lines_before + offset + 1)
        else:
            # bytes beyond one per character: evidence of real multi-byte UTF-8 (O(1), no per-character scan)
            self._multibyte += len(complete) - len(text)
        self._lines_before += complete.count(b"\n")

    def _note_bad_line(self, number: int) -> None:
        if self.bad_lines and self.bad_lines[-1] == number:
            return  # one very long line split in pieces
        self.bad_count += 1
        if len(self.bad_lines) < _NAMED_BAD_LINES:
            self.bad_lines.append(number)


# The encoding of the odd lines of a mixed file: export tools on Windows write Windows-1252, and the
# five bytes it leaves undefined are read as Latin-1 (the same letters for every other byte).
FALLBACK_ENCODING = "cp1252"
_FALLBACK_ERRORS = "synthesist-cp1252-fallback"


def _decode_as_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return "".join(_fallback_character(byte) for byte in error.object[error.start : error.end]), error.end


def _fallback_character(byte: int) -> str:
    single = bytes([byte])
    return chr(byte) if single in _CP1252_UNDEFINED else single.decode(FALLBACK_ENCODING)


codecs.register_error(_FALLBACK_ERRORS, _decode_as_fallback)


def _refuse_cut_character(path: Path, size: int, codec_name: str) -> None:
    """UTF-16 and UTF-32 files hold whole units of 2 or 4 bytes: one more is a file cut short."""
    unit = 4 if codec_name.startswith("utf-32") else 2 if codec_name.startswith("utf-16") else 1
    if size % unit:
        raise ImportFileError(
            f"{path.name}: ends in the middle of a character ({codec_name} uses {unit} bytes per "
            f"character, the file has {size} bytes): it was cut short",
            hint="Export or download the file again; a copy that stopped early loses its last bytes.",
        )


def decode_error_line(path: Path, encoding: str, errors: str = "strict") -> int | None:
    """The line where ``path`` stops decoding as ``encoding`` (``None`` if it decodes to the end).

    Used only after a reader has failed, to turn a ``UnicodeDecodeError`` into ``file:line``.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors)
    line = 1
    with open(path, "rb") as handle:
        while True:
            chunk = handle.read(_CHUNK)
            try:
                line += decoder.decode(chunk, final=not chunk).count("\n")
            except UnicodeDecodeError as error:
                return line + decoder.decode(chunk[: max(error.start, 0)], final=False).count("\n")
            if not chunk:
                return None


def _single_byte_encoding(path: Path) -> str:
    """Not UTF-8: Windows-1252 (export tools on Windows) unless the text clearly reads better in another.

    Latin-1 replaces Windows-1252 when the file holds a byte Windows-1252 leaves undefined. charset-normalizer
    is consulted for the rarer single-byte code pages (e.g. cp1250 for Central European names), but only
    *against* the default: on Western text it ranks cp1250, cp1252 and cp1257 equal (they differ in a few
    letters, ``ï`` is ``ď`` in cp1250), so another code page wins only when it reads cleanly and the default
    clearly worse. Only the lines with non-ASCII bytes are sampled (up to 128 KiB), so a large file is never
    held in memory.
    """
    from charset_normalizer import from_bytes

    default, sample = _scan_single_byte(path)
    results = list(from_bytes(sample))
    default_chaos = min((m.chaos for m in results if default in m.could_be_from_charset), default=1.0)
    alternatives = [m for m in results if _is_single_byte(m.encoding)]
    best = alternatives[0] if alternatives else None
    if best is not None and best.chaos <= _CLEAN_CHAOS and best.chaos + _CHAOS_MARGIN < default_chaos:
        return best.encoding.replace("_", "-")
    return default.replace("_", "-")


def _scan_single_byte(path: Path) -> tuple[str, bytes]:
    """The default encoding (cp1252, or latin-1 if a byte is undefined in cp1252) and non-ASCII sample."""
    sample: list[bytes] = []
    sample_size = 0
    undefined = False
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            undefined = undefined or any(byte in chunk for byte in _CP1252_UNDEFINED)
            if sample_size < _SAMPLE_BYTES:
                for line in _NON_ASCII_LINE.findall(chunk):
                    sample.append(line)
                    sample_size += len(line)
                    if sample_size >= _SAMPLE_BYTES:
                        break
    return ("latin_1" if undefined else "cp1252"), b"".join(sample)[:_SAMPLE_BYTES]


def _is_single_byte(encoding: str) -> bool:
    """Windows and ISO code pages only: Mac and DOS ones are charset-normalizer's usual mis-detections."""
    name = encoding.lower().replace("-", "_")
    return name.startswith(("cp125", "iso8859_", "latin_"))


_CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
_NON_ASCII_LINE = re.compile(rb"[^\n]*[\x80-\xff][^\n]*\n?")
_SAMPLE_BYTES = 128 * 1024
_CHAOS_MARGIN = 0.1  # how much better another code page must read to replace the default
_CLEAN_CHAOS = 0.05  # ... and it must read cleanly itself


def _decode_head(head_bytes: bytes, encoding: str, path: Path, errors: str = "strict") -> str:
    decoder = codecs.getincrementaldecoder(encoding)(errors)
    try:
        return decoder.decode(head_bytes, final=False)
    except UnicodeDecodeError as exc:
        line = head_bytes[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            f"{path.name}:{line}: cannot be read as {encoding}",
            hint="Pass --encoding with the file's encoding (e.g. utf-8, cp1252, utf-16).",
        ) from exc


def text_stream(data: str) -> TextIO:
    """Helper for tests and in-memory sources."""
    return io.StringIO(data)
