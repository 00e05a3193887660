"""The layering written in pyproject.toml ([tool.importlinter]) holds: adapters on services, services on
the domain, only storage importing SQLAlchemy, the console script's launcher on the standard library
alone. `make lint` runs the same contracts; this test keeps them in the suite CI runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_contracts_hold() -> None:
    # grimp reads the source tree, so the package is found on PYTHONPATH (an editable install's import
    # hook is invisible to it)
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [
        sys.executable,
        "-c",
        "from importlinter.cli import lint_imports_command; lint_imports_command()",
    ]
    finished = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "0 broken" in finished.stdout
