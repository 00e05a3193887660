"""The public API (``synthesist.__all__``): every name resolves, ``import synthesist`` stays light, and
the example in docs/api.md runs as written."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import synthesist

ROOT = Path(__file__).resolve().parents[2]
EXPORT = ROOT / "tests" / "data" / "exports" / "cochrane_central.ris"


def test_every_public_name_resolves_and_the_list_is_sorted() -> None:
    assert synthesist.__all__ == sorted(synthesist._PUBLIC)
    for name in synthesist.__all__:
        assert getattr(synthesist, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = synthesist.nothing  # type: ignore[attr-defined]


def test_importing_the_package_imports_nothing_heavy() -> None:
    heavy = "{'sqlalchemy', 'typer', 'pydantic', 'synthesist'}"
    code = f"import sys, synthesist; print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy}))"
    printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert printed.strip() == "['synthesist']"


def test_the_documented_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    [example] = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    shutil.copy(EXPORT, tmp_path / "medline.ris")
    monkeypatch.chdir(tmp_path)
    finished = subprocess.run([sys.executable, "-c", example], capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    assert re.fullmatch(r"\d+ identified, \d+ to screen, 1 excluded\n", finished.stdout), finished.stdout
