"""Golden files of the synthesis outputs. After an intended change, rewrite them with
SYNTHESIST_UPDATE_GOLDEN=1 and review the difference before committing it."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
UPDATE_ENV = "SYNTHESIST_UPDATE_GOLDEN"


def assert_golden(name: str, produced: str) -> None:
    path = GOLDEN / name
    if os.environ.get(UPDATE_ENV):
        path.parent.mkdir(exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(produced)
    assert path.exists(), f"no golden file {name}; create it with {UPDATE_ENV}=1"
    with path.open(encoding="utf-8", newline="") as handle:
        expected = handle.read()
    assert produced == expected, (
        f"{name} differs from its golden file; if the change is intended, rerun with {UPDATE_ENV}=1"
    )
