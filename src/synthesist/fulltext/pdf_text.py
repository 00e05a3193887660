"""The text of a full-text document, page by page: PDF, Word (.docx) or plain text.

PDFs are read with pypdf: pure Python (no system library to install on a reviewer's laptop or a
team server), maintained, typed, and good enough at text order for coding findings. A page keeps
the number a PDF reader shows for it (1, 2, 3 ... in file order), so a quotation can be found again.

The text is normalised so that it is stable: the same file gives the same text, character for
character (Unicode NFC, one space for any run of spaces or tabs, no spaces at line ends, at most one
blank line, no control characters). Later coding refers to positions in this text; it is stored
when the report is attached and never silently re-extracted (a newer pypdf could read differently).

A file that cannot be read — damaged, password-protected, not a PDF at all (a publisher's login
page saved as ``paper.pdf`` is common) — raises :class:`~synthesist.errors.UserError` naming it.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from synthesist.errors import ImportFileError, UserError
from synthesist.file_limits import FileLimits, TimeBudget, check_archive, check_pdf_pages
from synthesist.fulltext.model import MEDIA_TYPES, Page, TextStatus, text_status
from synthesist.fulltext.pdf_process import read_pdf_pages
from synthesist.importing.source import detect_encoding

__all__ = ["ExtractedText", "extract_text", "normalise_text", "pdf_pages_here", "sniff_kind"]

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_TEXT_SUFFIXES = frozenset({".txt", ".text"})
# Control characters other than white space, and lone surrogates (which some PDFs' broken font
# tables produce): neither can be stored as UTF-8 text, and PostgreSQL refuses NUL.
_DROP = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_ACCEPTED = "a PDF, a Word document (.docx) or a plain-text file (.txt)"


@dataclass(frozen=True, slots=True)
class ExtractedText:
    kind: str  # "pdf", "docx" or "txt"
    pages: tuple[Page, ...]

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.kind]

    @property
    def status(self) -> TextStatus:
        return text_status(self.pages)


def normalise_text(text: str) -> str:
    """Stable, tidy text: see the module's docstring."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _DROP.sub("", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")


def sniff_kind(path: Path, limits: FileLimits | None = None) -> str:
    """``pdf``, ``docx`` or ``txt``, from the content (a PDF or a .docx is recognised whatever its
    name); plain text, which has no signature, only with a .txt name. A .docx is also checked
    against ``limits`` here, while its zip directory is open."""
    if not path.is_file():
        raise UserError(f"{path}: no such file" if not path.exists() else f"{path}: is not a file")
    with open(path, "rb") as handle:
        head = handle.read(1024)
    if not head:
        raise UserError(f"{path.name}: the file is empty")
    if _PDF_MAGIC in head:  # the PDF header may follow some junk, within the first 1024 bytes
        return "pdf"
    if head.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as archive:
                if "word/document.xml" in archive.namelist():
                    check_archive(archive, path.name, limits or FileLimits())
                    return "docx"
        except zipfile.BadZipFile as exc:
            raise UserError(f"{path.name}: is a damaged zip archive, not {_ACCEPTED}") from exc
        raise UserError(f"{path.name}: is a zip archive, not {_ACCEPTED}", hint="Unpack it first.")
    if path.suffix.lower() in _TEXT_SUFFIXES:
        return "txt"
    if path.suffix.lower() == ".pdf":
        raise UserError(
            f"{path.name}: is not a PDF (it does not start with %PDF-); it may be damaged, or a web page "
            "saved with a .pdf name",
            hint="Open it: a publisher's login or cookie page is often saved instead of the article.",
        )
    raise UserError(f"{path.name}: is not {_ACCEPTED}", hint="Save the full text as PDF and attach that.")


def extract_text(path: Path, limits: FileLimits | None = None) -> ExtractedText:
    """The text of each page of ``path``. A .docx or .txt file is one page (a .txt file with form
    feeds, as pdftotext writes, keeps its pages). A file that would expand past ``limits`` (the
    protocol's ``[limits]``; the defaults without one) is refused before its text is read."""
    limits = limits or FileLimits()
    kind = sniff_kind(path, limits)
    if kind == "pdf":
        pages = read_pdf_pages(path, limits)  # in a child process that can be stopped
    elif kind == "docx":
        pages = [_docx_text(path)]
    else:
        pages = _txt_pages(path)
    return ExtractedText(kind, tuple(Page(n, normalise_text(text)) for n, text in enumerate(pages, start=1)))


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    # pypdf logs a warning for every repaired object of a slightly damaged PDF; the text is still
    # good, and the warnings would flood the terminal.
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def pdf_pages_here(path: Path, limits: FileLimits) -> list[str]:
    """The text of each page, read in this process (the child of :func:`read_pdf_pages`): stops
    between pages once the time budget is spent."""
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    encrypted = UserError(
        f"{path.name}: the PDF is password-protected, so its text cannot be read",
        hint="Save an unprotected copy (e.g. print it to PDF) and attach that.",
    )
    try:
        with _quiet_pypdf():
            reader = PdfReader(path, strict=False)
            if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                raise encrypted
            # pages can share one content stream, so a small file can hold 100,000 costly pages:
            # count them first, then read within the time budget
            check_pdf_pages(len(reader.pages), path.name, limits)
            budget = TimeBudget(path.name, limits)
            texts: list[str] = []
            for page in reader.pages:
                budget.check(len(texts))
                texts.append(page.extract_text() or "")
    except (UserError, MemoryError):  # a MemoryError is the memory limit's (pdf_process.py)
        raise
    except (DependencyError, FileNotDecryptedError) as exc:
        raise encrypted from exc
    except Exception as exc:
        # A damaged file can make a parser fail anywhere (pypdf's own errors, but also ValueError,
        # KeyError...); only pypdf runs in this block, so any failure here is the file's.
        raise UserError(
            f"{path.name}: the PDF is damaged and cannot be read ({type(exc).__name__}: {exc})",
            hint="Download it again, or open and re-save it in a PDF reader.",
        ) from exc
    if not texts:
        raise UserError(f"{path.name}: the PDF has no pages")
    return texts


def _docx_text(path: Path) -> str:
    import docx
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
        parts: list[str] = []
        # body paragraphs and tables in document order (findings are often in tables)
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                parts.append(block.text)
            else:
                parts.extend(" | ".join(cell.text for cell in row.cells) for row in block.rows)
    except Exception as exc:  # as for PDFs: only the .docx reader runs here
        raise UserError(
            f"{path.name}: the Word document is damaged and cannot be read ({type(exc).__name__})",
            hint="Open and re-save it in Word, or save it as PDF and attach that.",
        ) from exc
    return "\n".join(parts)


def _txt_pages(path: Path) -> list[str]:
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        encoding = detect_encoding(path, data[:65536])
        text = data.decode(encoding)
    except (ImportFileError, UnicodeDecodeError) as exc:
        raise UserError(f"{path.name}: is not a readable text file", hint=f"Attach {_ACCEPTED}.") from exc
    pages = text.split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages.pop()  # pdftotext ends every page, the last one too, with a form feed
    return pages
