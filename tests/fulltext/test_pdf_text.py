"""Text per page from PDFs (and .docx, .txt): page numbers, stable normalised text, clear errors."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from synthesist.errors import UserError
from synthesist.fulltext.model import Page, TextStatus
from synthesist.fulltext.pdf_text import extract_text, normalise_text
from tests.fulltext.pdfs import pdf_bytes, write_encrypted_pdf, write_pdf

PAGES = [
    "Cooper K, Smith BH, Hancock E (2008)\nPatient-centredness in physiotherapy",
    "Findings\nPatients   valued being heard (p. 2).\nCafé, naïve — and 10% said \\ so.",
]


def test_pdf_pages_come_back_with_their_numbers_and_text(tmp_path: Path) -> None:
    extracted = extract_text(write_pdf(tmp_path / "cooper.pdf", PAGES))
    assert extracted.kind == "pdf" and extracted.media_type == "application/pdf"
    assert [page.number for page in extracted.pages] == [1, 2]
    assert (
        extracted.pages[0].text
        == "Cooper K, Smith BH, Hancock E (2008)\nPatient-centredness in physiotherapy"
    )
    assert "Patients valued being heard (p. 2)." in extracted.pages[1].text, "runs of spaces become one"
    assert "Café, naïve — and 10% said \\ so." in extracted.pages[1].text
    assert extracted.status is TextStatus.EXTRACTED


def test_the_same_file_always_gives_the_same_text(tmp_path: Path) -> None:
    first = extract_text(write_pdf(tmp_path / "a.pdf", PAGES))
    second = extract_text(write_pdf(tmp_path / "copy with another name.pdf", PAGES))
    assert first == second


def test_pages_without_text_are_kept_and_reported(tmp_path: Path) -> None:
    partial = extract_text(write_pdf(tmp_path / "partial.pdf", ["Text", ""]))
    assert partial.pages == (Page(1, "Text"), Page(2, "")) and partial.status is TextStatus.PARTIAL
    assert extract_text(write_pdf(tmp_path / "scan.pdf", ["", ""])).status is TextStatus.NO_TEXT


def test_normalised_text_is_tidy_and_keeps_lines() -> None:
    raw = "  Line\u00a0one \t with  gaps  \r\nLine two\r\n\r\n\r\n\r\nCafe\u0301\x00 end\x0b\n\n"
    assert normalise_text(raw) == "Line one with gaps\nLine two\n\nCafé end"
    assert normalise_text(normalise_text(raw)) == normalise_text(raw), "normalising twice changes nothing"


def test_a_pdf_protected_only_against_editing_is_read(tmp_path: Path) -> None:
    path = write_encrypted_pdf(tmp_path / "owner-only.pdf", ["Readable"], user_password="")
    assert extract_text(path).pages == (Page(1, "Readable"),)


def test_a_password_protected_pdf_is_a_clear_error(tmp_path: Path) -> None:
    path = write_encrypted_pdf(tmp_path / "locked.pdf", ["Secret"], user_password="s3cret")
    with pytest.raises(UserError, match=r"locked\.pdf: the PDF is password-protected"):
        extract_text(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (pdf_bytes(PAGES)[:300], r"truncated\.pdf: the PDF is damaged"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 50, r"truncated\.pdf: the PDF is damaged"),
        (b"<!DOCTYPE html><html><body>Please log in</body></html>", r"truncated\.pdf: is not a PDF"),
        (b"", r"truncated\.pdf: the file is empty"),
    ],
)
def test_a_damaged_or_fake_pdf_is_a_clear_error_naming_the_file(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "truncated.pdf"
    path.write_bytes(content)
    with pytest.raises(UserError, match=message):
        extract_text(path)


def test_unknown_files_are_refused(tmp_path: Path) -> None:
    image = tmp_path / "figure.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    with pytest.raises(UserError, match=r"figure\.png: is not a PDF, a Word document"):
        extract_text(image)
    archive = tmp_path / "papers.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("paper.txt", "text")
    with pytest.raises(UserError, match=r"papers\.zip: is a zip archive"):
        extract_text(archive)
    with pytest.raises(UserError, match="no such file"):
        extract_text(tmp_path / "missing.pdf")


def test_plain_text_is_one_page_unless_it_has_form_feeds(tmp_path: Path) -> None:
    single = tmp_path / "notes.txt"
    single.write_text("Author's manuscript\n\nFindings  here.\n", encoding="utf-8")
    extracted = extract_text(single)
    assert extracted.media_type == "text/plain" and extracted.pages == (
        Page(1, "Author's manuscript\n\nFindings here."),
    )
    paged = tmp_path / "pdftotext.txt"
    paged.write_bytes("Page one\n\fPage two — ü\n\f".encode("cp1252"))
    assert extract_text(paged).pages == (Page(1, "Page one"), Page(2, "Page two — ü"))


def test_word_documents_give_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Accepted manuscript")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Theme"
    table.rows[0].cells[1].text = "Being heard"
    document.add_paragraph("Discussion  follows.")
    path = tmp_path / "manuscript.docx"
    document.save(str(path))
    extracted = extract_text(path)
    assert extracted.kind == "docx"
    assert extracted.pages == (Page(1, "Accepted manuscript\nTheme | Being heard\nDiscussion follows."),)


def test_a_damaged_word_document_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as handle:
        handle.writestr("word/document.xml", "<not xml")
    with pytest.raises(UserError, match=r"broken\.docx: the Word document is damaged"):
        extract_text(path)
