"""Small files that expand, generated for tests: a workbook and a Word document whose XML deflates
1,000-fold, a zip whose entries all point at the same bytes (declared sizes add up, stored size
does not), and PDFs whose pages all share one content stream. Each is built in well under a second."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

__all__ = ["form_bomb_pdf", "overlapping_zip", "shared_stream_pdf", "word_bomb", "workbook_bomb"]

# A long run of one letter: deflate stores it at about 1/1,000 of its size.
_FILLER = "A" * 30_000


def workbook_bomb(path: Path, rows: int = 100) -> Path:
    """A genuine XLSX export (Title, Authors, Year) whose titles are each 30,000 letters long:
    about 3 MB of shared strings in a file of a few kilobytes."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Title", "Authors", "Year"])
    for row in range(rows):
        sheet.append([f"{_FILLER} {row}", "Cooper, A.", 2008])
    book.save(path)
    return path


def word_bomb(path: Path, paragraphs: int = 100) -> Path:
    """A genuine .docx whose ``word/document.xml`` is about 3 MB of one letter."""
    import docx

    document = docx.Document()
    for number in range(paragraphs):
        document.add_paragraph(f"{_FILLER} {number}")
    document.save(str(path))
    return path


def overlapping_zip(path: Path, name: str, copies: int, size: int = 1_000_000) -> Path:
    """A zip of ``copies`` central-directory entries that all point at one stored entry of ``size``
    bytes (a non-recursive zip bomb: every entry reads the same data, so the declared sizes add up to
    ``copies * size`` while the file stays about ``size``). ``name`` is the first entry's name."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(name, b"x" * size)
    data = path.read_bytes()
    directory_at = data.rindex(b"PK\x01\x02")
    end_at = data.rindex(b"PK\x05\x06")
    record = data[directory_at:end_at]
    directory = b"".join(
        record if copy == 0 else _renamed(record, f"{name}.{copy}".encode()) for copy in range(copies)
    )
    end = bytearray(data[end_at:])
    struct.pack_into("<HHII", end, 8, copies, copies, len(directory), directory_at)
    path.write_bytes(data[:directory_at] + directory + bytes(end))
    return path


def _renamed(record: bytes, name: bytes) -> bytes:
    # central directory record: 46 fixed bytes, the name (its length at offset 28), then extras
    name_length, extra_length, comment_length = struct.unpack_from("<HHH", record, 28)
    head = bytearray(record[:46])
    struct.pack_into("<H", head, 28, len(name))
    return bytes(head) + name + record[46 + name_length : 46 + name_length + extra_length + comment_length]


def shared_stream_pdf(path: Path, pages: int, operations: int = 20) -> Path:
    """A PDF of ``pages`` pages that all draw one content stream of ``operations`` text lines: the
    file grows by a few dozen bytes a page, extraction by the whole stream a page."""
    lines = [f"(Findings line {n} about partnership and pain) Tj T*" for n in range(operations)]
    stream = "\n".join(["BT", "/F1 9 Tf", "11 TL", "72 720 Td", *lines, "ET"]).encode()
    first_page = 5
    kids = " ".join(f"{first_page + n} 0 R" for n in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    )
    objects += [page] * pages
    return _write_pdf(path, objects)


def form_bomb_pdf(path: Path, draws: int, operations: int = 100) -> Path:
    """A one-page PDF whose content draws one form object ``draws`` times, the form showing
    ``operations`` strings: both streams compressed, so a file of a few KB holds a page whose text
    is ``draws * operations`` strings long. Only killing the reader stops it inside the page."""
    form = b"BT /F1 12 Tf 10 10 Td " + b"(hello world) Tj " * operations + b"ET"
    content = b"/Fm0 Do\n" * draws
    packed_form, packed_content = zlib.compress(form, 9), zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 4 0 R "
        b"/Resources << /XObject << /Fm0 5 0 R >> /Font << /F1 6 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream"
        % (len(packed_content), packed_content),
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources << /Font << /F1 6 0 R >> >> "
        b"/Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed_form), packed_form),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return _write_pdf(path, objects)


def _write_pdf(path: Path, objects: list[bytes]) -> Path:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path
