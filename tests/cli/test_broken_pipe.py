"""Piping the CLI into a reader that stops early (``| head``) ends quietly, not as an internal error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("group", ["screen", "search"])
def test_help_piped_into_a_reader_that_closes_early_is_not_an_error(group: str) -> None:
    # the reader closes its end before the CLI has started, so the CLI's first write meets a closed pipe
    command = [str(Path(sys.executable).parent / "synthesist"), group, "--help"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    errors = process.stderr.read().decode()
    process.wait(timeout=60)
    assert "Internal error" not in errors
    assert "BrokenPipeError" not in errors
