"""REFI-QDA through the database, on SQLite and PostgreSQL: the reference project exported as
.qdpx imports into a project with the same studies to the same codebook, documents and codings
(its matrix is the reference review's); importing twice adds nothing; a malformed file or a source
without a study is refused whole."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from synthesist.errors import ImportFileError
from synthesist.services.synthesis.outputs import synthesis_matrix_document
from synthesist.services.synthesis.refi_qda import export_codebook, export_project, import_refi_qda
from synthesist.services.synthesis.snapshot import coding_snapshot
from synthesist.synthesis.model import CodingSnapshot
from synthesist.synthesis.refi_qda import schema_errors
from synthesist.workspace import Workspace
from tests.golden import read_golden
from tests.synthesis.golden_files import GOLDEN
from tests.synthesis.workspace_builder import reference_workspace


@pytest.fixture
def pair(tmp_path: Path, database_url: str | None) -> Iterator[tuple[Workspace, Workspace]]:
    coded = reference_workspace(tmp_path / "coded")
    empty = reference_workspace(tmp_path / "empty", code=False)
    try:
        yield coded, empty
    finally:
        coded.close()
        empty.close()


def _normalised(snapshot: CodingSnapshot) -> dict[str, Any]:
    themes = {t.id: t for t in snapshot.themes}
    codes = {c.id: c for c in snapshot.codes}
    documents = {d.id: d for d in snapshot.documents}
    label = snapshot.study_labels
    return {
        "themes": {
            t.name: (t.level, t.definition, t.key_terms, themes[t.parent_id].name if t.parent_id else None)
            for t in snapshot.themes
        },
        "theme order": [
            t.name for t in sorted(snapshot.themes, key=lambda t: (t.position, t.id)) if not t.parent_id
        ],
        "codes": {
            c.name: (c.definition, frozenset(themes[t].name for t in c.theme_ids)) for c in snapshot.codes
        },
        "documents": {(label[d.study_id], d.title, d.text) for d in snapshot.documents},
        "codings": Counter(
            (
                label[documents[c.document_id].study_id],
                codes[c.code_id].name,
                c.start,
                c.end,
                c.coder,
                c.kind,
                c.page,
            )
            for c in snapshot.codings
        ),
    }


def _counts(workspace: Workspace) -> tuple[int, int, int, int, int]:
    snapshot = coding_snapshot(workspace)
    with workspace.unit_of_work(write=False) as uow:
        events = len(uow.events.list())
    return len(snapshot.themes), len(snapshot.codes), len(snapshot.documents), len(snapshot.codings), events


def test_project_round_trip_through_the_database(pair: tuple[Workspace, Workspace], tmp_path: Path) -> None:
    coded, empty = pair
    result = export_project(coded)
    assert (result.documents, result.codes, result.themes, result.codings) == (10, 7, 14, 49)
    qde = zipfile.ZipFile(io.BytesIO(result.data)).read("project.qde")
    assert schema_errors(qde, "Project") == []
    path = tmp_path / "project.qdpx"
    path.write_bytes(result.data)
    summary = import_refi_qda(empty, path)
    assert (len(summary.themes), len(summary.codes), len(summary.documents), len(summary.codings)) == (
        14,
        7,
        10,
        49,
    )
    assert summary.notes == []
    assert _normalised(coding_snapshot(empty)) == _normalised(coding_snapshot(coded))
    matrix = synthesis_matrix_document(empty, "md")
    assert matrix.decode("utf-8") == read_golden(GOLDEN / "reference_matrix.md")
    with empty.unit_of_work(write=False) as uow:
        [event] = [e for e in uow.events.list() if e.type == "synthesis.refi_qda_imported"]
    assert event.payload["format"] == "qdpx" and len(event.payload["codings"]) == 49

    before = _counts(empty)
    again = import_refi_qda(empty, path)
    assert (again.themes, again.codes, again.documents, again.codings) == ([], [], [], [])
    assert again.reused == {"themes": 14, "codes": 7, "documents": 10, "codings": 49}
    assert _counts(empty)[:4] == before[:4]


def test_codebook_round_trip(pair: tuple[Workspace, Workspace], tmp_path: Path) -> None:
    coded, empty = pair
    data = export_codebook(coded)
    assert schema_errors(data, "Codebook") == []
    path = tmp_path / "codebook.qdc"
    path.write_bytes(data)
    summary = import_refi_qda(empty, path)
    assert summary.format == "qdc" and len(summary.codes) == 7
    got, want = _normalised(coding_snapshot(empty)), _normalised(coding_snapshot(coded))
    assert (got["themes"], got["theme order"], got["codes"]) == (
        want["themes"],
        want["theme order"],
        want["codes"],
    )


def _broken(data: bytes, old: bytes, new: bytes, *, last: bool = False) -> bytes:
    """``data`` with the first (or last) ``old`` of its project.qde replaced by ``new``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in source.namelist():
            content = source.read(name)
            if name == "project.qde":
                head, _, tail = content.rpartition(old) if last else (b"", b"", content.replace(old, new, 1))
                content = head + new + tail if last else tail
            archive.writestr(name, content)
    return out.getvalue()


def test_nothing_is_half_imported(pair: tuple[Workspace, Workspace], tmp_path: Path) -> None:
    coded, empty = pair
    data = export_project(coded).data
    qde = zipfile.ZipFile(io.BytesIO(data)).read("project.qde").decode()
    last_code_ref = qde.rsplit('<CodeRef targetGUID="', 1)[1].split('"', 1)[0]
    before = _counts(empty)
    broken = tmp_path / "broken.qdpx"
    # the last coding of the file names no code
    broken.write_bytes(
        _broken(data, f'<CodeRef targetGUID="{last_code_ref}"/>'.encode(), b"<CodeRef/>", last=True)
    )
    with pytest.raises(ImportFileError, match=r"line \d+: <CodeRef> has no targetGUID"):
        import_refi_qda(empty, broken)
    assert _counts(empty) == before
    # themes, codes and documents are written before the codings: a coding refused rolls them back
    by_assistant = tmp_path / "assistant.qdpx"
    by_assistant.write_bytes(_broken(data, b'name="aoife"', b'name="assistant"'))
    with pytest.raises(
        ImportFileError, match="coder 'assistant': 'assistant' is the name of the coding assistant"
    ):
        import_refi_qda(empty, by_assistant)
    assert _counts(empty) == before
    wrong_study = tmp_path / "wrong-study.qdpx"
    wrong_study.write_bytes(_broken(data, b'name="May 2007"', b'name="Nobody 1999"'))
    with pytest.raises(
        ImportFileError,
        match=r"no included study for 1 source\(s\): 'May 2007: findings' \(case 'Nobody 1999'\)",
    ):
        import_refi_qda(empty, wrong_study)
    assert _counts(empty) == before
    not_xml = tmp_path / "codebook.qdc"
    not_xml.write_bytes(b"<CodeBook><Codes>")
    with pytest.raises(ImportFileError, match=r"codebook\.qdc: line 1: not well-formed XML"):
        import_refi_qda(empty, not_xml)
    assert _counts(empty) == before
