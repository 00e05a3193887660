"""A reviewer uploading a file that expands (a Word bomb, a PDF of too many pages) as a full text
gets a 400 naming the limit, and nothing is stored. SQLite only: the check runs before the
database is touched."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthesist.screening.model import Stage, Vote
from synthesist.services.fulltext.reports import list_reports
from synthesist.services.screening.decisions import decide
from tests.expanding_files import shared_stream_pdf, word_bomb
from tests.web.conftest import Served, csrf_of

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_an_uploaded_full_text_that_expands_is_refused_naming_the_limit(
    served: Served, tmp_path: Path
) -> None:
    for reviewer in ("aoife", "lukasz"):
        decide(served.a, 1, Stage.TITLE_ABSTRACT, Vote.INCLUDE, reviewer=reviewer)
    key = served.a.project.key
    lukasz = served.client("lukasz")
    token = csrf_of(lukasz.get(f"/p/{key}/screen/full-text").text)
    uploads = [
        ("cooper.docx", word_bomb(tmp_path / "cooper.docx"), "limits.compression_ratio = 100"),
        ("cooper.pdf", shared_stream_pdf(tmp_path / "cooper.pdf", pages=2_001), "limits.pdf_pages = 2000"),
    ]
    for name, path, limit in uploads:
        files = {"report": (name, path.read_bytes(), "application/octet-stream")}
        refused = lukasz.post(f"/p/{key}/records/1/reports", files=files, data={"csrf_token": token})
        assert refused.status_code == 400, refused.text
        assert name in refused.text and limit in refused.text
    assert list_reports(served.a, 1) == []
