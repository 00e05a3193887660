"""Terminal escape sequences in imported text: removed before storage, never printed raw."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.table import Table
from rich.text import Text
from typer.testing import CliRunner

from synthesist.cli.main import app
from synthesist.cli.safe_console import SafeConsole
from synthesist.records.clean import clean_text, remove_controls

SET_TITLE = "\x1b]0;owned\x07"  # OSC 0: sets the terminal window's title
RED = "\x1b[31m"
HOSTILE_RIS = (
    f"TY  - JOUR\nAU  - Cooper, Karen\nTI  - {SET_TITLE}Patient-{RED}centredness\x1b[0m in care\n"
    "PY  - 2008\nER  - \n"
)


def _run(runner: CliRunner, *args: str | Path) -> str:
    result = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        (f"{SET_TITLE}A {RED}title", "A title"),
        ("A\x1b]2;x\x1b\\ title", "A title"),  # OSC ended by ST
        ("8-bit \x9b2Jclear \x9d0;t\x9c done", "8-bit clear done"),
        ("NUL\x00 DEL\x7f C1\x85 next", "NUL DEL C1 next"),
        ("a stray \x1b] keeps the rest", "a stray keeps the rest"),
        ("line\rbreak\x0cpage", "line break page"),
    ],
)
def test_clean_text_removes_escape_sequences_and_controls(text: str, cleaned: str) -> None:
    assert clean_text(text) == cleaned


def test_typed_text_keeps_tabs_and_line_breaks() -> None:
    assert remove_controls("one\ttwo\r\nthree\rfour\x1b[1m") == "one\ttwo\nthree\nfour"
    assert remove_controls("plain é 日本") == "plain é 日本"


def test_an_imported_title_is_stored_and_shown_without_escapes(
    runner: CliRunner, project_dir: Path, tmp_path: Path
) -> None:
    export = tmp_path / "hostile.ris"
    export.write_text(HOSTILE_RIS, encoding="utf-8")
    _run(runner, "import", export, "--source", "MEDLINE", "-p", project_dir)
    shown = json.loads(_run(runner, "records", "show", "1", "-p", project_dir, "--json"))
    assert shown["title"] == "Patient-centredness in care"
    for command in (["records", "show", "1"], ["records", "list"], ["log"]):
        out = _run(runner, *command, "-p", project_dir)
        assert "\x1b" not in out and "\x07" not in out, command
    assert "Patient-centredness in care" in _run(runner, "records", "show", "1", "-p", project_dir)


def test_the_console_shows_stored_controls_instead_of_obeying_them() -> None:
    out = io.StringIO()
    console = SafeConsole(file=out, force_terminal=True, width=60, highlight=False)
    table = Table("title")
    table.add_row(f"{SET_TITLE}old {RED}row\x9b2J")
    console.print(table)
    console.print(Text(f"a Text {RED}object", style="bold"))
    console.print(f"a string {SET_TITLE}")
    written = out.getvalue()
    # Rich's own styles are the only escapes left: each is ESC [ ... m written by Rich, none ours
    assert "\x07" not in written and "\x9b" not in written and "]0;owned" in written
    assert "␛]0;owned" in written and "old ␛[31mrow�2J" in written and "a Text ␛[31mobject" in written
    assert written.replace("\x1b[1m", "").replace("\x1b[0m", "").count("\x1b") == 0
