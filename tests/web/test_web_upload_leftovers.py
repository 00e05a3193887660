"""Uploads leave nothing behind (issue 17, item 10): an import that fails in any way removes its
upload folder, and the start-up sweep of ``synthesist serve`` removes the folders a killed server
left (old enough, never imported) while keeping the copies of imported searches."""

from __future__ import annotations

import io
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest

import synthesist.services.records.uploads as uploads_service
from synthesist.services.records.imports import ImportRequest
from synthesist.services.records.uploads import (
    TEMPORARY_UPLOAD_PREFIX,
    UPLOADS_FOLDER,
    Upload,
    import_uploads,
    sweep_orphan_uploads,
)
from tests.helpers import ris_text
from tests.web.conftest import Served


def _age(folder: Path, hours: float) -> None:
    """Make ``folder`` and its files look ``hours`` old."""
    then = time.time() - hours * 3600
    for path in [*folder.rglob("*"), folder]:
        os.utime(path, (then, then))


def test_an_import_that_crashes_removes_its_upload_folder(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the server fell over mid-import")

    monkeypatch.setattr(uploads_service, "import_files", crash)
    upload = Upload("search.ris", io.BytesIO(ris_text(2, start=500).encode()))
    with pytest.raises(RuntimeError):
        import_uploads(served.a, [upload], ImportRequest(paths=[], source="MEDLINE"))
    uploads = served.a.project.root / UPLOADS_FOLDER
    assert not uploads.exists() or list(uploads.iterdir()) == []


def test_the_start_up_sweep_removes_orphans_and_keeps_imported_and_recent_uploads(
    served: Served, tmp_path: Path
) -> None:
    request = ImportRequest(paths=[], source="MEDLINE")
    import_uploads(served.a, [Upload("kept.ris", io.BytesIO(ris_text(2, start=700).encode()))], request)
    uploads = served.a.project.root / UPLOADS_FOLDER
    [imported] = list(uploads.iterdir())
    # a killed server's upload: the same name as an imported file, other content, never imported
    orphan = uploads / "20260101-000000-abcdef"
    orphan.mkdir()
    (orphan / "kept.ris").write_text(ris_text(1, start=900), encoding="utf-8")
    recent = uploads / "20260101-000001-fedcba"  # maybe an import still running elsewhere
    recent.mkdir()
    (recent / "other.ris").write_text(ris_text(1, start=950), encoding="utf-8")
    scratch = tmp_path / "tmp"
    report_upload = scratch / f"{TEMPORARY_UPLOAD_PREFIX}x1y2"
    report_upload.mkdir(parents=True)
    (report_upload / "trial.pdf").write_bytes(b"%PDF-1.4 cut off")
    unrelated = scratch / "someone-elses-folder"
    unrelated.mkdir()
    for folder in (imported, orphan, report_upload, unrelated):
        _age(folder, hours=3)

    removed = sweep_orphan_uploads(served.a, older_than=timedelta(hours=1), temporary_folder=scratch)

    assert sorted(removed) == sorted([orphan, report_upload])
    assert imported.is_dir() and recent.is_dir() and unrelated.is_dir()
    assert not orphan.exists() and not report_upload.exists()
    assert sweep_orphan_uploads(served.a, temporary_folder=scratch) == [], "a second sweep finds none"
