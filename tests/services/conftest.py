from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def write_file(tmp_path: Path):  # type: ignore[no-untyped-def]
    def write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / "exports" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding=encoding)
        return path

    return write
