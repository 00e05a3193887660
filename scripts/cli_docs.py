"""Write docs/cli.md from the commands' own help (a test fails when the file is out of date).

python scripts/cli_docs.py            # rewrite docs/cli.md
"""

from __future__ import annotations

import sys
from pathlib import Path

from typer.cli import get_docs_for_click
from typer.main import get_command

from synthesist.cli.main import app

DOCS = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def render() -> str:
    command = get_command(app)
    body = get_docs_for_click(obj=command, ctx=command.make_context("synthesist", [], resilient_parsing=True),
                              name="synthesist", title="Synthesist command reference")  # fmt: skip
    return body.strip() + "\n"


if __name__ == "__main__":
    DOCS.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {DOCS}\n")
