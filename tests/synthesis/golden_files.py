"""The folder of the synthesis outputs' golden files (compared with :mod:`tests.golden`)."""

from __future__ import annotations

from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
