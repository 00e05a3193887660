"""The CLI writes what services return: atomically (a failed write leaves the earlier file as it was,
and no temporary file behind), with the folder made if missing and the mode a plain open() gives."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from synthesist.cli.files import text_file, write_file, write_files


def test_a_file_is_written_with_its_folder(tmp_path: Path) -> None:
    target = tmp_path / "out" / "table.md"
    write_file(target, b"| a |\n")
    assert target.read_bytes() == b"| a |\n"
    assert os.listdir(target.parent) == ["table.md"]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_a_failed_stream_keeps_the_earlier_file_and_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "records.ris"
    target.write_text("earlier export\n", encoding="utf-8")
    with pytest.raises(RuntimeError), text_file(target) as handle:
        handle.write("half of a new export")
        raise RuntimeError("the export failed")
    assert target.read_text(encoding="utf-8") == "earlier export\n"
    assert os.listdir(tmp_path) == ["records.ris"]


def test_a_report_folder_keeps_its_layout(tmp_path: Path) -> None:
    written = write_files(tmp_path / "report", {"figures/prisma.svg": b"<svg/>", "report.md": b"# R\n"})
    assert written == [tmp_path / "report" / "figures" / "prisma.svg", tmp_path / "report" / "report.md"]
    assert (tmp_path / "report" / "figures" / "prisma.svg").read_bytes() == b"<svg/>"
