"""Attached files in the project folder: safe names, never overwritten, nothing half-written left."""

from __future__ import annotations

from pathlib import Path

from synthesist.fulltext.files import candidate_names, file_digest, remove_copy, safe_name, store_copy


def test_names_are_safe_everywhere() -> None:
    assert safe_name("Cooper et al. 2008.pdf") == "Cooper et al. 2008.pdf"
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name('C:\\Users\\me\\what: a "study"?.pdf') == "what_ a _study__.pdf"
    assert safe_name(" . ") == "report"


def test_variants_of_a_name() -> None:
    names = candidate_names("paper.pdf")
    assert [next(names) for _ in range(3)] == ["paper.pdf", "paper-2.pdf", "paper-3.pdf"]


def test_a_file_already_on_disk_is_never_overwritten(tmp_path: Path) -> None:
    source = tmp_path / "in" / "paper.pdf"
    source.parent.mkdir()
    source.write_bytes(b"%PDF-1.4 new")
    folder = tmp_path / "project" / "fulltext" / "record-7"
    folder.mkdir(parents=True)
    (folder / "paper.pdf").write_bytes(b"left by hand")

    copy = store_copy(source, tmp_path / "project", 7, "paper.pdf", taken={"paper-2.pdf"})

    assert copy == folder / "paper-3.pdf" and copy.read_bytes() == b"%PDF-1.4 new"
    assert (folder / "paper.pdf").read_bytes() == b"left by hand"
    assert sorted(p.name for p in folder.iterdir()) == ["paper-3.pdf", "paper.pdf"], "no temporary file left"
    assert file_digest(copy) == file_digest(source)
    remove_copy(copy)
    assert folder.is_dir(), "the folder stays while it holds other files"
    remove_copy(folder / "paper.pdf")
    assert not folder.exists()
