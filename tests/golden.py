"""Golden files: what an output must be, byte for byte, kept beside the tests that compare with them.

A golden file is written only when asked: after an intended change, rerun the tests with
``SYNTHESIST_UPDATE_GOLDEN=1`` and review the difference before committing it. A missing golden file
fails the test, so a test can never pass by writing what it was meant to check.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

UPDATE_ENV = "SYNTHESIST_UPDATE_GOLDEN"

needs_graphviz = pytest.mark.skipif(
    shutil.which("dot") is None,
    reason="Graphviz's dot is not installed (make test installs it; Debian: apt-get install graphviz)",
)


def assert_golden(path: Path, produced: str) -> None:
    """``produced`` must equal the golden file ``path`` exactly (line endings included)."""
    if os.environ.get(UPDATE_ENV) == "1":
        path.parent.mkdir(exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(produced)
    assert path.exists(), f"no golden file {path.name}; write it with {UPDATE_ENV}=1 and review it"
    expected = read_golden(path)
    assert produced == expected, (
        f"{path.name} differs from its golden file; if the change is intended, rerun with {UPDATE_ENV}=1"
    )


def read_golden(path: Path) -> str:
    """A golden file as written (for a test that compares with another test's golden file)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()
